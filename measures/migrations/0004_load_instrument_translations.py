from django.db import migrations

from measures.loading import instrument_definitions, translations_load


def load(apps, schema_editor):
    # The shipped instruments' French and Spanish texts, nothing else changed.
    translations_load(
        apps.get_model("measures", "Instrument"),
        apps.get_model("measures", "Item"),
        instrument_definitions(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0003_instrument_translations"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
