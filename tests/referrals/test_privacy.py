"""A person's requests, waiting-list places with their seat offers, and agreement acceptances
are in their own data export, and go when they are erased."""

import io
import json
import zipfile

import pytest

from privacy.export import member_data, member_export_zip
from privacy.services import member_erase
from referrals import services
from referrals.agreements import agreement_accept, agreement_publish
from referrals.models import (
    AgreementAcceptance,
    ForWhom,
    OfferStatus,
    Referral,
    SeatOffer,
    WaitingListEntry,
)
from referrals.waiting import waiting_list_add
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

AGREEMENT = "What is said in the group stays in the group. We come on time."


def _request(email: str, words: str, **fields) -> Referral:
    return services.referral_submit(
        name="Robin",
        email=email,
        message_ok=True,
        for_whom=ForWhom.SELF,
        consent_contact=True,
        escape=words,
        **fields,
    )


@pytest.fixture
def robin(world):
    """Robin: a screened request, put on the addict group's list and offered its one free
    seat; a second request sent later from the same address, never linked."""
    referral = _request("robin@example.net", "ROBIN-words")
    referral = services.referral_record_intake(
        referral=referral, actor=world.staff, level="casual", recommended_kind="addict"
    )
    unlinked = _request("Robin@Example.net", "ROBIN-later")
    group = world.addict_group
    group.capacity = 3
    group.save(update_fields=["capacity"])
    person = referral.member
    waiting_list_add(group=group, member=person, actor=world.facilitator, referral=referral)
    agreement_publish(group=group, actor=world.facilitator, text=AGREEMENT)
    agreement_accept(member=world.member, group=group, typed_name="Alex Example")
    return person, referral, unlinked


def test_the_export_holds_the_requests_places_offers_and_agreements(world, robin):
    person, referral, _ = robin
    data = member_data(person.pk)
    (request,) = data["requests"]
    assert request["answers"]["escape"] == "ROBIN-words"
    assert request["email"] == "robin@example.net"
    assert [event["status"] for event in request["history"]] == [
        "new",
        "screened",
        "waiting",
        "offered",
    ]
    assert "taken_by" not in request
    (place,) = data["waiting_lists"]
    assert place["group"] == world.addict_group.name
    (offer,) = place["seat_offers"]
    assert offer["status"] == OfferStatus.PENDING
    assert data["agreements"] == []
    # Alex's agreement is in Alex's export, with the text as read, and in nobody else's
    alex = member_data(world.member.pk)
    assert [row["typed_name"] for row in alex["agreements"]] == ["Alex Example"]
    assert alex["agreements"][0]["text"] == AGREEMENT
    assert alex["requests"] == [] and alex["waiting_lists"] == []


def test_the_readable_summary_shows_them_too(world, robin):
    person, _, _ = robin
    with zipfile.ZipFile(io.BytesIO(member_export_zip(person))) as archive:
        summary = archive.read("summary.html").decode()
        data = json.loads(archive.read("data.json"))
    assert "ROBIN-words" in summary and world.addict_group.name in summary
    assert "ROBIN-later" not in summary  # never linked to the account: not theirs to read
    assert data["waiting_lists"][0]["seat_offers"][0]["status"] == "pending"
    with zipfile.ZipFile(io.BytesIO(member_export_zip(world.member))) as archive:
        assert "Alex Example" in archive.read("summary.html").decode()


def test_erasure_removes_requests_places_and_acceptances_and_passes_the_seat_on(world, robin):
    person, referral, unlinked = robin
    other = _request("someone@example.net", "OTHER-words")
    second = UserFactory(display_name="Second")
    waiting_list_add(group=world.addict_group, member=second, actor=world.facilitator)
    assert SeatOffer.objects.get().entry.member == person
    # WHEN Robin is erased
    member_erase(member=person, actor=world.staff)
    # THEN their requests go, the one never linked too (found by the address), others stay
    assert not Referral.objects.filter(pk__in=[referral.pk, unlinked.pk]).exists()
    assert Referral.objects.filter(pk=other.pk).exists()
    # AND their place and offer go, and the seat held for them is offered to the next
    assert not WaitingListEntry.objects.filter(member=person).exists()
    assert SeatOffer.objects.get(status=OfferStatus.PENDING).entry.member == second
    # AND running it again changes nothing more
    member_erase(member=person, actor=world.staff)
    assert SeatOffer.objects.filter(status=OfferStatus.PENDING).count() == 1


def test_erasure_removes_agreement_acceptances(world, robin):
    member_erase(member=world.member, actor=world.staff)
    assert not AgreementAcceptance.objects.filter(member=world.member).exists()


def test_a_couples_place_ends_when_one_partner_is_erased(world):
    # GIVEN Alex and Jordan (a couple) waiting together for a full couples group
    group = world.couples_group
    group.capacity = 0
    group.save(update_fields=["capacity"])
    entry = waiting_list_add(group=group, member=world.member, actor=world.other_facilitator)
    assert entry.seats == 2
    # WHEN Jordan, the partner who is not named on the place, is erased
    member_erase(member=world.partner, actor=world.staff)
    # THEN the place they held together ends
    entry.refresh_from_db()
    assert entry.status == "removed"


def test_the_summary_is_in_the_members_language(world, robin):
    person, _, _ = robin
    person.language = "es"
    person.save(update_fields=["language"])
    with zipfile.ZipFile(io.BytesIO(member_export_zip(person))) as archive:
        summary = archive.read("summary.html").decode()
    assert "Sus solicitudes de una primera conversación" in summary
    # Stored codes read as words, questions as asked
    assert "Plaza ofrecida" in summary and "Esperando respuesta" in summary
    assert "¿Qué hace cuando quiere escapar de emociones difíciles?" in summary
    assert "Your requests" not in summary and "Waiting for an answer" not in summary
