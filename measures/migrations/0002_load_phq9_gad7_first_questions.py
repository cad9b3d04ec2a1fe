from django.db import migrations

from measures.loading import instrument_definitions, instruments_load


def load(apps, schema_editor):
    instruments_load(
        apps.get_model("measures", "Instrument"),
        apps.get_model("measures", "Item"),
        instrument_definitions(),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("measures", "0001_questionnaires_checkins_sharing"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop),
    ]
