"""Text encrypted at rest with Fernet; the key comes from the environment (FIELD_ENCRYPTION_KEY)."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

# Marks a stored value as ours, so an unencrypted legacy value is never mistaken for a token.
PREFIX = "fernet:"


@cache
def _fernet_for(keys: str) -> MultiFernet:
    # Several comma-separated keys allow rotation: the first encrypts, any decrypts.
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys"
        ) from error


def fernet() -> MultiFernet:
    keys = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set to store screening notes")
    return _fernet_for(keys)


def encrypt_text(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    if not value.startswith(PREFIX):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Stored text cannot be decrypted with FIELD_ENCRYPTION_KEY (wrong or rotated key?)"
        ) from error


class EncryptedTextField(models.TextField):
    """A TextField whose database column holds only ciphertext. Not searchable by design."""

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt_text(value)
