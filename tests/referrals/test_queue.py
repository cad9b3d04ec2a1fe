"""The referral queue: who sees a request, statuses with dates, and the screening recorded
from a request through members' intake service."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEvent
from members.models import Intake, User
from referrals import services
from referrals.models import ForWhom, Referral, Status
from referrals.permissions import referrals_visible_to
from tests.factories.referrals import ReferralFactory
from tests.referrals.helpers import SECRET_PHRASE

pytestmark = pytest.mark.django_db


def _request(**fields) -> Referral:
    defaults = {
        "name": "Robin",
        "email": "robin@example.net",
        "for_whom": ForWhom.SELF,
        "consent_contact": True,
        "self_concerned": f"Yes, {SECRET_PHRASE}.",
    }
    return services.referral_submit(**{**defaults, **fields})


def test_a_new_request_is_seen_by_staff_only(world):
    # GIVEN a new request, matched with no group yet
    referral = _request()
    # THEN staff see it; no facilitator or member does
    assert referral in referrals_visible_to(world.staff)
    for person in (world.facilitator, world.other_facilitator, world.member, world.partner):
        assert referral not in referrals_visible_to(person)


def test_matching_a_group_shows_it_to_that_groups_facilitators(world, client):
    referral = _request()
    # WHEN staff match it with the addict group and mark it contacted
    services.referral_update(
        referral=referral,
        actor=world.staff,
        status=Status.CONTACTED,
        notes="Left a message.",
        group=world.addict_group,
    )
    referral.refresh_from_db()
    # THEN its facilitator sees it, the other facilitator does not (404)
    assert referral in referrals_visible_to(world.facilitator)
    client.force_login(world.other_facilitator)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    client.force_login(world.facilitator)
    response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert response.status_code == 200
    assert SECRET_PHRASE in response.content.decode()
    # AND the status has a dated history
    assert [e.status for e in referral.events.all()] == [Status.NEW, Status.CONTACTED]
    # AND the read is in the audit trail, as ids only
    read = AuditEvent.objects.filter(action="referral.read").latest("pk")
    assert read.target_id == str(referral.pk)
    assert SECRET_PHRASE not in str(read.detail)


def test_a_facilitator_cannot_match_a_group_they_do_not_run(world):
    referral = _request()
    services.referral_take(referral=referral, actor=world.staff)
    with pytest.raises(ValidationError):
        services.referral_update(
            referral=referral,
            actor=world.facilitator,
            status=Status.CONTACTED,
            group=world.partner_group,
        )


def test_taking_a_request(world):
    referral = _request()
    services.referral_update(
        referral=referral, actor=world.staff, status=Status.NEW, group=world.addict_group
    )
    services.referral_take(referral=referral, actor=world.facilitator)
    referral.refresh_from_db()
    assert referral.taken_by == world.facilitator


def test_staff_record_the_screening_from_a_request(world):
    # GIVEN a request from someone with no account
    referral = _request()
    # WHEN staff record the screening
    services.referral_record_intake(
        referral=referral, actor=world.staff, level="at_risk", recommended_kind="addict"
    )
    referral.refresh_from_db()
    # THEN an account without a password is made for their address
    member = User.objects.get(email="robin@example.net")
    assert member.is_member and not member.has_usable_password()
    assert member.display_name == "Robin"
    # AND the intake carries their own words, level and recommended kind
    intake = Intake.objects.get(member=member)
    assert SECRET_PHRASE in intake.self_concerned
    assert intake.level == "at_risk" and intake.recommended_kind == "addict"
    assert referral.intake == intake and referral.status == Status.SCREENED
    # AND a second screening from the same request is refused
    with pytest.raises(ValidationError):
        services.referral_record_intake(
            referral=referral, actor=world.staff, level="casual", recommended_kind="addict"
        )


def test_a_facilitator_cannot_screen_a_stranger_and_no_account_is_left(world):
    referral = _request()
    services.referral_update(
        referral=referral, actor=world.staff, status=Status.NEW, group=world.addict_group
    )
    with pytest.raises(ValidationError):
        services.referral_record_intake(
            referral=referral,
            actor=world.facilitator,
            level="casual",
            recommended_kind="addict",
            group=world.addict_group,
        )
    assert not User.objects.filter(email="robin@example.net").exists()


def test_a_request_without_email_cannot_be_screened_yet(world):
    referral = _request(email="", phone="07700 900123")
    with pytest.raises(ValidationError, match="no email address"):
        services.referral_record_intake(
            referral=referral, actor=world.staff, level="casual", recommended_kind="addict"
        )


def test_a_partners_request_says_nothing_about_the_member(world, client):
    # GIVEN the member's partner asks for help for themself, from their own address
    referral = _request(name="Jordan", email=world.partner.email, for_whom=ForWhom.PARTNER)
    services.referral_update(
        referral=referral, actor=world.staff, status=Status.NEW, group=world.partner_group
    )
    # WHEN the partner group's facilitator opens it
    client.force_login(world.other_facilitator)
    body = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    # THEN nothing on it names the partner's partner or their group
    assert world.member.display_name not in body
    assert world.addict_group.name not in body
    # AND the addict group's facilitator cannot open it at all
    client.force_login(world.facilitator)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404


def test_the_queue_lists_open_requests(world, client):
    referral = _request()
    client.force_login(world.staff)
    body = client.get(reverse("referrals:queue")).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in body
    services.referral_update(referral=referral, actor=world.staff, status=Status.CLOSED)
    body = client.get(reverse("referrals:queue")).content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) not in body
    body = client.get(reverse("referrals:queue") + "?show=all").content.decode()
    assert reverse("referrals:detail", args=[referral.pk]) in body


def test_staff_screen_and_place_through_the_pages(world, client):
    referral = _request()
    client.force_login(world.staff)
    response = client.post(
        reverse("referrals:intake", args=[referral.pk]),
        {"screening-level": "casual", "screening-recommended_kind": "addict"},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("referrals:place", args=[referral.pk]), {"place-group": world.addict_group.pk}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    # The addict group has no capacity limit, so the seat is offered at once.
    assert referral.status == Status.OFFERED


def test_placing_before_screening_is_a_form_error(world, client):
    referral = _request()
    client.force_login(world.staff)
    response = client.post(
        reverse("referrals:place", args=[referral.pk]), {"place-group": world.addict_group.pk}
    )
    assert response.status_code == 200
    assert "Record the screening first" in response.content.decode()


def test_every_request_comes_fifty_to_a_page_newest_change_first(world, client):
    # GIVEN 55 requests over 55 days, the oldest closed
    now = timezone.now()
    referrals = [
        ReferralFactory(status_changed_at=now - datetime.timedelta(days=55 - n)) for n in range(55)
    ]
    Referral.objects.filter(pk=referrals[0].pk).update(status=Status.CLOSED)
    client.force_login(world.staff)
    # WHEN staff show every request
    first = client.get(reverse("referrals:queue") + "?show=all")
    body = first.content.decode()
    # THEN the first page holds the 50 newest changes, and links to the rest of *every* request
    assert len(first.context["referrals"]) == 50
    assert first.context["referrals"][0] == referrals[-1]
    assert "Page 1 of 2" in body
    assert 'href="?show=all&amp;page=2"' in body
    second = client.get(reverse("referrals:queue") + "?show=all&page=2")
    assert list(second.context["referrals"]) == referrals[4::-1]
    # AND the open ones alone are one page more of 50, oldest change first
    opened = client.get(reverse("referrals:queue") + "?page=2")
    assert list(opened.context["referrals"]) == referrals[51:]
    assert 'href="?page=1"' in opened.content.decode()


@pytest.mark.parametrize("page", ["0", "-1", "x", "999", "2.5", "%00"])
def test_a_page_number_out_of_reach_shows_a_page_not_an_error(world, client, page):
    ReferralFactory.create_batch(3)
    client.force_login(world.staff)
    response = client.get(reverse("referrals:queue"), {"page": page, "show": "all"})
    assert response.status_code == 200
    assert len(response.context["referrals"]) == 3
