"""Phone numbers are checked with `phonenumbers` and kept in E.164."""

import pytest
from django.core.exceptions import ValidationError

from core.phones import is_textable, normalize_phone
from members.forms import ProfileForm


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("07911 123456", "+447911123456"),  # the clinic's region (GB) when no country is given
        ("+44 (0)7911-123-456", "+447911123456"),
        ("+1 415 555 2671", "+14155552671"),
        ("", ""),
    ],
)
def test_numbers_are_stored_in_e164(settings, typed, stored):
    settings.PHONE_DEFAULT_REGION = "GB"
    assert normalize_phone(typed) == stored


@pytest.mark.parametrize("typed", ["12", "call me", "+44 1234", "0" * 40, "07700 900123"])
def test_numbers_that_cannot_be_texted_are_refused(typed):
    with pytest.raises(ValidationError, match="mobile number we can text"):
        normalize_phone(typed)


def test_only_a_stored_e164_number_counts_as_textable():
    assert is_textable("+447911123456")
    assert not is_textable("")
    assert not is_textable("07911 123456")  # typed before validation existed


@pytest.mark.django_db
def test_the_account_form_saves_the_number_in_e164(world, settings):
    # GIVEN a member in a UK clinic typing a local mobile number
    settings.PHONE_DEFAULT_REGION = "GB"
    data = {
        "display_name": "Alex",
        "time_zone": "Europe/London",
        "language": "en",
        "phone": "07911 123456",
    }
    # WHEN the account form is saved
    form = ProfileForm(data, instance=world.member)
    assert form.is_valid(), form.errors
    form.save()
    # THEN the number is stored in E.164
    world.member.refresh_from_db()
    assert world.member.phone == "+447911123456"
    # AND a number that is not one is refused with a clear message
    form = ProfileForm(dict(data, phone="555"), instance=world.member)
    assert not form.is_valid()
    assert "mobile number we can text" in str(form.errors["phone"])
