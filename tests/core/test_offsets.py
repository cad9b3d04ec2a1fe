"""Facilitators (a group's usual reminders) and members (their own) write reminder times the
same way, and read back what they wrote."""

import pytest
from django.core.exceptions import ValidationError

from core.offsets import describe_offsets, parse_offsets
from groups.forms import GroupForm
from notifications.forms import PreferenceForm


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 day, 2 hours", [1440, 120]),
        ("2 hours and 30 minutes", [120, 30]),
        ("24, 2", [1440, 120]),  # a bare number is hours
        ("1 week; 1d", [10080, 1440]),
        ("2h, 2 hours", [120]),
        ("", []),
    ],
)
def test_parse(text, minutes):
    assert parse_offsets(text) == minutes


@pytest.mark.parametrize("text", ["soon", "0 hours", "3 weeks", "-2", "1 fortnight", "9" * 20])
def test_parse_refuses_with_a_plain_message(text):
    with pytest.raises(ValidationError):
        parse_offsets(text)


def test_at_most_five():
    with pytest.raises(ValidationError, match="up to 5"):
        parse_offsets("1h, 2h, 3h, 4h, 5h, 6h")


def test_describe_reads_back():
    for minutes in ([1440, 120], [90], [10080, 45]):
        assert parse_offsets(describe_offsets(minutes)) == minutes


@pytest.mark.django_db
def test_group_form_and_preference_form_read_the_same_text():
    group_form = GroupForm(data={"reminder_offsets": "1 day, 2 hours"})
    group_form.is_valid()
    preference_form = PreferenceForm(data={"reminder_offsets": "1 day, 2 hours"})
    preference_form.is_valid()
    assert group_form.cleaned_data["reminder_offsets"] == [1440, 120]
    assert preference_form.cleaned_data["reminder_offsets"] == [1440, 120]

    group_form = GroupForm(data={"reminder_offsets": "soon"})
    preference_form = PreferenceForm(data={"reminder_offsets": "soon"})
    assert not group_form.is_valid() and not preference_form.is_valid()
    assert group_form.errors["reminder_offsets"] == preference_form.errors["reminder_offsets"]


def test_new_group_form_suggests_the_usual_times_in_words():
    assert GroupForm().initial["reminder_offsets"] == "1 day, 2 hours"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 jour, 2 heures", [1440, 120]),
        ("2 heures et 30 minutes", [120, 30]),
        ("1 semaine; 1 j", [10080, 1440]),
        ("1 día y 2 horas", [1440, 120]),
        ("1 dia, 30 minutos", [1440, 30]),
        ("2 Semanas", [20160]),
    ],
)
def test_parse_reads_french_and_spanish(text, minutes):
    assert parse_offsets(text) == minutes


def test_describe_writes_the_active_language_and_reads_back():
    from django.utils import translation

    written = {"fr": "1 jour, 2 heures, 45 minutes", "es": "1 día, 2 horas, 45 minutos"}
    for language, text in written.items():
        with translation.override(language):
            assert describe_offsets([1440, 120, 45]) == text
            assert parse_offsets(text) == [1440, 120, 45]
            with pytest.raises(ValidationError) as refused:
                parse_offsets("bientôt")
            assert "bientôt" in refused.value.messages[0]
            assert "understand" not in refused.value.messages[0]
