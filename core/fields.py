"""Model fields whose database column holds only ciphertext (see core.crypto)."""

from django.db import models

from core.crypto import decrypt_text, encrypt_text


class EncryptedTextField(models.TextField):
    """A TextField stored encrypted. Not searchable or filterable in SQL, by design.

    Pass `choices` for short coded values (a level, a kind): validation and
    get_FOO_display work as usual, only the column is ciphertext. Filter in Python.
    """

    # Each encryption differs (random IV), so `field=value` in SQL would silently match
    # nothing: refuse every lookup but isnull (an unsupported lookup raises FieldError).
    def get_lookup(self, lookup_name):
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt_text(value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt_text(value)
