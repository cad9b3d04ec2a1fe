"""Calendar feed tokens are kept only as their SHA-256: existing tokens are hashed in place,
so every address already in someone's calendar app keeps working."""

import hashlib

from django.db import migrations, models


def hash_tokens(apps, schema_editor):
    CalendarFeed = apps.get_model("scheduling", "CalendarFeed")
    for feed in CalendarFeed.objects.all().only("pk", "token"):
        digest = hashlib.sha256(feed.token.encode()).hexdigest()
        CalendarFeed.objects.filter(pk=feed.pk).update(token_hash=digest)


def forget_feeds(apps, schema_editor):
    # A hash cannot be turned back into its token: going back, every feed needs a new link.
    CalendarFeed = apps.get_model("scheduling", "CalendarFeed")
    CalendarFeed.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("scheduling", "0002_feeds_links_couples"),
    ]

    operations = [
        migrations.AddField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, null=True),
        ),
        migrations.RunPython(hash_tokens, migrations.RunPython.noop),
        migrations.RemoveField(model_name="calendarfeed", name="token"),
        # Backwards this runs before the token column returns (empty, so unique holds).
        migrations.RunPython(migrations.RunPython.noop, forget_feeds),
        migrations.AlterField(
            model_name="calendarfeed",
            name="token_hash",
            field=models.CharField(max_length=64, unique=True),
        ),
    ]
