from django.db import migrations, models

import members.models


class Migration(migrations.Migration):
    """Existing accounts get an empty stamp, which keeps the session hash Django already gave
    them (nobody is signed out by the deploy); new accounts get a random one."""

    dependencies = [
        ("members", "0005_mfa_secrets_encrypted"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="session_stamp",
            field=models.CharField(blank=True, default="", editable=False, max_length=32),
        ),
        migrations.AlterField(
            model_name="user",
            name="session_stamp",
            field=models.CharField(
                blank=True,
                default=members.models.new_session_stamp,
                editable=False,
                max_length=32,
            ),
        ),
    ]
