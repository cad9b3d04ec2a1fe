"""Encrypt the TOTP secrets and recovery-code seeds already stored in clear text.

From now on members.mfa_adapter.MFAAdapter encrypts them as allauth stores them; its decrypt
still reads clear text, so sign-in works before and after this migration.
"""

from django.db import migrations

from core.crypto import decrypt_text, encrypt_text, is_encrypted


def _encrypt(value: str) -> str:
    return value if is_encrypted(value) else encrypt_text(value)


def _convert(apps, convert) -> None:
    Authenticator = apps.get_model("mfa", "Authenticator")
    for authenticator in Authenticator.objects.filter(type__in=["totp", "recovery_codes"]):
        data = dict(authenticator.data)
        if authenticator.type == "totp" and "secret" in data:
            data["secret"] = convert(data["secret"])
        if authenticator.type == "recovery_codes":
            if "seed" in data:
                data["seed"] = convert(data["seed"])
            if "migrated_codes" in data:
                data["migrated_codes"] = [convert(code) for code in data["migrated_codes"]]
        if data != authenticator.data:
            Authenticator.objects.filter(pk=authenticator.pk).update(data=data)


def encrypt_secrets(apps, schema_editor):
    _convert(apps, _encrypt)


def decrypt_secrets(apps, schema_editor):
    _convert(apps, decrypt_text)


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0004_intake_level_encrypted"),
        ("mfa", "0003_authenticator_type_uniq"),
    ]

    operations = [
        migrations.RunPython(encrypt_secrets, decrypt_secrets),
    ]
