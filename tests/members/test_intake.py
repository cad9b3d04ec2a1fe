"""Intake screening: recorded by a facilitator, read by the member's facilitators and staff,
and stored so that the database holds no plain text."""

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connection
from django.urls import reverse

from members.models import Intake
from members.services.intake import intake_record
from tests.factories.groups import IntakeFactory

KEY = "dGVzdC1rZXktZm9yLWludGFrZS10ZXh0LTAxMjM0NTY="
SECRET_ANSWER = "I delete my browser history every single day"


@pytest.fixture(autouse=True)
def _key(settings):
    settings.FIELD_ENCRYPTION_KEY = KEY


def _answers(**overrides):
    answers = {
        "others_concerned": "Yes, my wife",
        "self_concerned": "Yes",
        "escape": "Scrolling at night",
        "secrets": SECRET_ANSWER,
        "others_disturbed": "Probably",
        "shame": "Often",
        "level": "at_risk",
        "recommended_kind": "addict",
        "notes": "Evenings suit best",
    }
    answers.update(overrides)
    return answers


def test_intake_text_is_not_readable_in_the_database(world):
    intake = intake_record(
        member=world.member, actor=world.facilitator, group=world.addict_group, **_answers()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            'SELECT secrets, notes, "escape" FROM members_intake WHERE id = %s', [intake.pk]
        )
        raw = cursor.fetchone()
    for column in raw:
        assert column.startswith("fernet:")
        assert "delete" not in column and "Evenings" not in column and "Scrolling" not in column
    # ...while the app reads it back whole.
    assert Intake.objects.get(pk=intake.pk).secrets == SECRET_ANSWER


def test_intake_cannot_be_read_with_another_key(world, settings):
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator)
    settings.FIELD_ENCRYPTION_KEY = "b3RoZXIta2V5LWZvci1pbnRha2UtdGV4dC0wMTIzNDU="
    with pytest.raises(ImproperlyConfigured):
        Intake.objects.get(pk=intake.pk)


def test_key_rotation_reads_old_text(world, settings):
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator)
    settings.FIELD_ENCRYPTION_KEY = f"b3RoZXIta2V5LWZvci1pbnRha2UtdGV4dC0wMTIzNDU=,{KEY}"
    assert Intake.objects.get(pk=intake.pk).shame == "Every morning."


def test_without_a_key_nothing_is_stored(world, settings):
    settings.FIELD_ENCRYPTION_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY"):
        intake_record(
            member=world.member, actor=world.facilitator, group=world.addict_group, **_answers()
        )


def test_only_a_facilitator_who_sees_the_member_records_an_intake(world):
    with pytest.raises(ValidationError):
        intake_record(member=world.member, actor=world.other_facilitator, **_answers())
    with pytest.raises(ValidationError):
        intake_record(member=world.co_member, actor=world.member, **_answers())
    assert not Intake.objects.exists()


def test_intake_refuses_an_unknown_level(world):
    with pytest.raises(ValidationError):
        intake_record(member=world.member, actor=world.facilitator, **_answers(level="severe"))
    assert not Intake.objects.exists()


def test_facilitator_records_and_reads_an_intake_through_the_pages(client, world):
    client.force_login(world.facilitator)
    data = {**_answers(), "group": world.addict_group.pk}
    response = client.post(reverse("members:intake_new", args=[world.member.pk]), data)
    intake = Intake.objects.get()
    assert intake.group == world.addict_group
    assert response["Location"] == reverse("members:intake", args=[intake.pk])
    body = client.get(response["Location"]).content.decode()
    assert SECRET_ANSWER in body
    assert "At risk" in body


def test_intake_form_with_bad_input_saves_nothing(client, world):
    client.force_login(world.facilitator)
    response = client.post(
        reverse("members:intake_new", args=[world.member.pk]), _answers(level="")
    )
    assert response.status_code == 200
    assert "This field is required." in response.content.decode()
    assert not Intake.objects.exists()


def test_the_member_and_their_partner_cannot_open_it(client, world):
    intake = IntakeFactory(member=world.member, recorded_by=world.facilitator)
    for person in (world.member, world.partner):
        client.force_login(person)
        assert client.get(reverse("members:intake", args=[intake.pk])).status_code == 404
