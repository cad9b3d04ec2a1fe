"""Phone numbers: validated with `phonenumbers` and stored in E.164 ("+447700900123"), the one
form an SMS provider takes. Numbers typed without a country code are read in the clinic's
region (PHONE_DEFAULT_REGION)."""

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

INVALID = _(
    "Enter a mobile number we can text, with its country code if it is abroad (+44 for the UK)."
)


def normalize_phone(value: str) -> str:
    """The number in E.164, "" for an empty value; ValidationError if it is not a real number."""
    value = (value or "").strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, settings.PHONE_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(INVALID) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(INVALID)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def is_textable(value: str) -> bool:
    """Whether a stored number is in E.164 and could be a number (the form checked it when it
    was typed; a number typed before that check existed may be in any shape)."""
    if not value or not value.startswith("+"):
        return False
    try:
        number = phonenumbers.parse(value)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_possible_number(number) and (
        phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) == value
    )
