"""Text encrypted at rest with Fernet; the key comes from the environment (FIELD_ENCRYPTION_KEY).

The one key mechanism for everything stored encrypted (intake answers, MFA secrets, later notes):
several comma-separated keys allow rotation (the first encrypts, any decrypts).
"""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

# Marks a stored value as ours, so an unencrypted legacy value is never mistaken for a token.
PREFIX = "fernet:"


@cache
def _fernet_for(keys: str) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.strip().encode()) for key in keys.split(",") if key.strip()])
    except ValueError as error:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEY must be one or more comma-separated Fernet keys"
        ) from error


def fernet() -> MultiFernet:
    keys = getattr(settings, "FIELD_ENCRYPTION_KEY", "")
    if not keys:
        raise ImproperlyConfigured("FIELD_ENCRYPTION_KEY must be set to store encrypted data")
    return _fernet_for(keys)


def is_encrypted(value: str) -> bool:
    return value.startswith(PREFIX)


def encrypt_text(value: str) -> str:
    return PREFIX + fernet().encrypt(value.encode()).decode()


def decrypt_text(value: str) -> str:
    """Plain text back; a value without our prefix is legacy clear text and returned as is."""
    if not is_encrypted(value):
        return value
    try:
        return fernet().decrypt(value[len(PREFIX) :].encode()).decode()
    except InvalidToken as error:
        raise ImproperlyConfigured(
            "Stored text cannot be decrypted with FIELD_ENCRYPTION_KEY (wrong or rotated key?)"
        ) from error


def rotate_text(value: str) -> str:
    """Re-encrypt with the first (current) key; clear text becomes encrypted."""
    return encrypt_text(decrypt_text(value))
