"""The group agreement: accepted before the first session page, again after a material
change; facilitators see who accepted which version; the member can print what they signed."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals.agreements import agreement_publish, agreement_publish_for_scope, has_accepted
from referrals.models import AgreementAcceptance, AgreementVersion
from tests.factories import SessionFactory

pytestmark = pytest.mark.django_db

TEXT_V1 = "What is said in the group stays in the group. We come on time."
TEXT_V2 = "What is said in the group stays in the group. Shared reading is not passed on."


@pytest.fixture
def session(world):
    return SessionFactory(
        group=world.addict_group, starts_at=timezone.now() + datetime.timedelta(days=2)
    )


def _accept(client, world, typed="Alex Example", next_url=""):
    return client.post(
        reverse("referrals:agreement", args=[world.addict_group.pk]),
        {"typed_name": typed, "next": next_url},
    )


def test_the_first_session_page_waits_for_the_agreement(world, client, session):
    # GIVEN the group has an agreement the member has not accepted
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    detail = reverse("scheduling:detail", args=[session.pk])
    # WHEN they open their next session
    response = client.get(detail)
    # THEN they are sent to read and accept the agreement first
    agreement_url = reverse("referrals:agreement", args=[world.addict_group.pk])
    assert response.status_code == 302
    assert response["Location"].startswith(agreement_url)
    page = client.get(response["Location"]).content.decode()
    assert "stays in the group" in page
    # WHEN they type their full name and accept
    response = _accept(client, world, next_url=detail)
    # THEN they reach the session page, and the text they read is kept with their name
    assert response.status_code == 302 and response["Location"] == detail
    assert client.get(detail).status_code == 200
    row = AgreementAcceptance.objects.get(member=world.member)
    assert row.text == TEXT_V1 and row.typed_name == "Alex Example"


def test_a_material_change_asks_again_and_a_wording_fix_does_not(world, client, session):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    _accept(client, world)
    detail = reverse("scheduling:detail", args=[session.pk])
    assert client.get(detail).status_code == 200
    # WHEN a wording fix is published, nothing is asked again
    agreement_publish(
        group=world.addict_group, actor=world.facilitator, text=TEXT_V1 + " ", material=False
    )
    assert client.get(detail).status_code == 200
    # WHEN the meaning changes
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V2)
    # THEN the member is asked again, and accepting the new text lets them through
    assert client.get(detail).status_code == 302
    _accept(client, world)
    assert client.get(detail).status_code == 200
    assert AgreementAcceptance.objects.filter(member=world.member).count() == 2


def test_an_empty_name_is_a_form_error(world, client):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    response = _accept(client, world, typed=" ")
    assert response.status_code == 200
    assert not has_accepted(world.member, world.addict_group)


def test_the_gate_reveals_nothing_to_outsiders_and_spares_facilitators(world, client, session):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    detail = reverse("scheduling:detail", args=[session.pk])
    # An outsider meets the session page's own 404, not a redirect naming the group
    client.force_login(world.other_kind_member)
    assert client.get(detail).status_code == 404
    # The group's facilitator is not asked to sign
    client.force_login(world.facilitator)
    assert client.get(detail).status_code == 200


def test_no_agreement_means_no_gate(world, client, session):
    client.force_login(world.member)
    assert client.get(reverse("scheduling:detail", args=[session.pk])).status_code == 200


def test_a_kind_wide_agreement_applies_when_the_group_has_none(world, client, session):
    AgreementVersion.objects.create(kind="addict", number=1, text=TEXT_V1)
    client.force_login(world.member)
    assert client.get(reverse("scheduling:detail", args=[session.pk])).status_code == 302
    _accept(client, world)
    assert client.get(reverse("scheduling:detail", args=[session.pk])).status_code == 200


def test_facilitators_see_who_accepted_and_members_print_what_they_signed(world, client):
    agreement_publish(group=world.addict_group, actor=world.facilitator, text=TEXT_V1)
    client.force_login(world.member)
    _accept(client, world)
    row = AgreementAcceptance.objects.get(member=world.member)
    printed = client.get(reverse("referrals:acceptance", args=[row.pk])).content.decode()
    assert "Alex Example" in printed and "stays in the group" in printed
    # The co-member cannot open it
    client.force_login(world.co_member)
    assert client.get(reverse("referrals:acceptance", args=[row.pk])).status_code == 404
    # The facilitator's board says who accepted which version
    client.force_login(world.facilitator)
    board = client.get(
        reverse("referrals:agreement_manage", args=[world.addict_group.pk])
    ).content.decode()
    assert "Version 1" in board and "Casey" in board and "Not yet" in board


def test_a_facilitator_publishes_from_the_page(world, client):
    client.force_login(world.facilitator)
    url = reverse("referrals:agreement_manage", args=[world.addict_group.pk])
    response = client.post(url, {"text": TEXT_V1, "material": "on"})
    assert response.status_code == 302
    assert AgreementVersion.objects.get(group=world.addict_group).number == 1
    # Too short a text is a form error, not a 500
    assert client.post(url, {"text": "ok"}).status_code == 200


def test_staff_set_the_clinics_and_each_kinds_agreement(world, client, session):
    client.force_login(world.staff)
    clinic_url = reverse("referrals:agreement_scope", args=["clinic"])
    kind_url = reverse("referrals:agreement_scope", args=["addict"])
    # WHEN staff publish the clinic's agreement, every group without its own text uses it
    assert client.post(clinic_url, {"text": TEXT_V1, "material": "on"}).status_code == 302
    client.force_login(world.member)
    detail = reverse("scheduling:detail", args=[session.pk])
    assert client.get(detail).status_code == 302
    _accept(client, world)
    assert client.get(detail).status_code == 200
    # WHEN staff publish the recovery groups' own text, it takes over and is asked for
    client.force_login(world.staff)
    assert client.post(kind_url, {"text": TEXT_V2, "material": "on"}).status_code == 302
    version = AgreementVersion.objects.get(kind="addict")
    assert version.group_id is None and version.number == 1
    client.force_login(world.member)
    assert client.get(detail).status_code == 302
    # A kind that does not exist is a 404; too short a text is a form error
    client.force_login(world.staff)
    assert client.get(reverse("referrals:agreement_scope", args=["other"])).status_code == 404
    assert client.post(kind_url, {"text": "ok"}).status_code == 200
    assert "Version 1" in client.get(kind_url).content.decode()


def test_only_staff_publish_for_the_clinic(world):
    with pytest.raises(ValidationError):
        agreement_publish_for_scope(kind="", actor=world.facilitator, text=TEXT_V1)
    assert not AgreementVersion.objects.exists()
