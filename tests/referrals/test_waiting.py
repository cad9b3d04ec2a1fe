"""The waiting list: a freed seat is offered to the first in line by a signed link; declining
or expiring offers the next; closed groups take nobody new except from their list."""

import datetime

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core.exceptions import ValidationError
from django.urls import reverse

from groups.models import EnrollmentStatus, Enrolment, GroupKind
from groups.selectors import current_stint
from groups.services import enrollment_change, group_update, roster_add
from members.services.invitations import invitation_create
from notifications.discretion import forbidden_words_in
from notifications.models import Kind, Notification
from notifications.rendering import render_notification
from referrals.links import offer_token
from referrals.models import EntryStatus, OfferStatus, SeatOffer
from referrals.waiting import expire_due_offers, offer_accept, offer_decline, waiting_list_add
from tests.factories import CoupleFactory, EnrollmentFactory, GroupFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def full_group(world):
    """The addict group, full at two seats (Alex and Casey)."""
    group = world.addict_group
    group.capacity = 2
    group.save(update_fields=["capacity"])
    return group


def _leave(world, group, member, capture):
    stint = current_stint(group, member)
    with capture(execute=True):
        enrollment_change(enrollment=stint, action="leave", actor=world.facilitator)


def test_a_full_group_offers_nothing_until_a_member_leaves(
    world, full_group, django_capture_on_commit_callbacks
):
    # GIVEN two people waiting for the full group
    first, second = UserFactory(display_name="First"), UserFactory(display_name="Second")
    waiting_list_add(group=full_group, member=first, actor=world.facilitator)
    waiting_list_add(group=full_group, member=second, actor=world.facilitator)
    assert not SeatOffer.objects.exists()
    # WHEN a member leaves
    _leave(world, full_group, world.co_member, django_capture_on_commit_callbacks)
    # THEN the first in line, and only they, is offered the seat by email
    offer = SeatOffer.objects.get()
    assert offer.entry.member == first and offer.status == OfferStatus.PENDING
    row = Notification.objects.get(kind=Kind.SEAT_OFFER)
    assert row.recipient == first
    text = render_notification(row).outbound_text()
    assert offer_token(offer) in text
    assert full_group.name not in text and not forbidden_words_in(text)


def test_the_offer_expires_and_passes_to_the_next(
    world, full_group, django_capture_on_commit_callbacks
):
    first, second = UserFactory(), UserFactory()
    waiting_list_add(group=full_group, member=first, actor=world.facilitator)
    waiting_list_add(group=full_group, member=second, actor=world.facilitator)
    _leave(world, full_group, world.co_member, django_capture_on_commit_callbacks)
    first_offer = SeatOffer.objects.get()
    # WHEN the offer's days pass without an answer
    with time_machine.travel(first_offer.expires_at + datetime.timedelta(minutes=1)):
        expire_due_offers()
    # THEN it expired, the first person is off the list, and the second is offered the seat
    first_offer.refresh_from_db()
    assert first_offer.status == OfferStatus.EXPIRED
    assert first_offer.entry.status == EntryStatus.PASSED
    pending = SeatOffer.objects.get(status=OfferStatus.PENDING)
    assert pending.entry.member == second
    assert not first_offer.is_open


def test_declining_offers_the_next(world, full_group, django_capture_on_commit_callbacks):
    first, second = UserFactory(), UserFactory()
    waiting_list_add(group=full_group, member=first, actor=world.facilitator)
    waiting_list_add(group=full_group, member=second, actor=world.facilitator)
    _leave(world, full_group, world.co_member, django_capture_on_commit_callbacks)
    offer_decline(offer_id=SeatOffer.objects.get().pk)
    assert SeatOffer.objects.get(status=OfferStatus.PENDING).entry.member == second
    # AND a declined offer cannot be accepted afterwards
    declined = SeatOffer.objects.get(status=OfferStatus.DECLINED)
    with pytest.raises(ValidationError):
        offer_accept(offer_id=declined.pk)


def test_a_closed_group_takes_nobody_new_except_from_its_list(
    world, full_group, django_capture_on_commit_callbacks
):
    # GIVEN a closed group with a free seat
    full_group.enrolment = Enrolment.CLOSED
    full_group.capacity = 3
    full_group.save(update_fields=["enrolment", "capacity"])
    newcomer = UserFactory()
    EnrollmentFactory(group=GroupFactory(facilitators=[world.facilitator]), member=newcomer)
    # THEN the roster refuses a new person, and so does an ordinary invitation
    with pytest.raises(ValidationError, match="closed"):
        roster_add(group=full_group, member=newcomer, actor=world.facilitator)
    with pytest.raises(ValidationError, match="closed"):
        invitation_create(
            email="new@example.net", role="member", invited_by=world.facilitator, group=full_group
        )
    # WHEN the facilitator puts them on the list, the free seat is offered and accepted
    waiting_list_add(group=full_group, member=newcomer, actor=world.facilitator)
    offer = SeatOffer.objects.get()
    enrollment = offer_accept(offer_id=offer.pk)
    # THEN they are in
    assert enrollment.status == EnrollmentStatus.ACTIVE and enrollment.member == newcomer


def test_an_open_group_refuses_invitations_when_full(world, full_group):
    with pytest.raises(ValidationError, match="full"):
        invitation_create(
            email="new@example.net", role="member", invited_by=world.facilitator, group=full_group
        )
    full_group.capacity = 3
    full_group.save(update_fields=["capacity"])
    assert invitation_create(
        email="new@example.net", role="member", invited_by=world.facilitator, group=full_group
    )


def test_capacity_growing_offers_the_seat(world, full_group, django_capture_on_commit_callbacks):
    person = UserFactory()
    waiting_list_add(group=full_group, member=person, actor=world.facilitator)
    with django_capture_on_commit_callbacks(execute=True):
        group_update(group=full_group, actor=world.facilitator, capacity=3)
    assert SeatOffer.objects.get().entry.member == person


def test_a_couple_waits_and_joins_as_one(world, django_capture_on_commit_callbacks):
    # GIVEN a couples group with one free seat of three, and a couple waiting
    group = GroupFactory(kind=GroupKind.COUPLES, capacity=3, facilitators=[world.facilitator])
    one, two = UserFactory(), UserFactory()
    CoupleFactory(first=one, second=two, linked_by=world.facilitator)
    a, b = UserFactory(), UserFactory()
    couple = CoupleFactory(first=a, second=b, linked_by=world.facilitator)
    EnrollmentFactory(group=group, member=one, couple=None)
    EnrollmentFactory(group=group, member=two, couple=None)
    entry = waiting_list_add(group=group, member=a, actor=world.facilitator)
    assert entry.seats == 2
    # THEN one free seat is not enough for them: no offer
    assert not SeatOffer.objects.exists()
    # AND the partner cannot queue separately
    with pytest.raises(ValidationError, match="already on the waiting list"):
        waiting_list_add(group=group, member=b, actor=world.facilitator)
    # WHEN the capacity grows to make room for both
    with django_capture_on_commit_callbacks(execute=True):
        group_update(group=group, actor=world.facilitator, capacity=4)
    offer_accept(offer_id=SeatOffer.objects.get().pk)
    # THEN both partners are enrolled together
    assert current_stint(group, a).status == EnrollmentStatus.ACTIVE
    assert current_stint(group, b).status == EnrollmentStatus.ACTIVE
    assert current_stint(group, b).couple_id == couple.pk


def test_the_link_lets_someone_without_a_password_join_and_sign_in(world, client):
    # GIVEN an account made from a request (no password) offered a seat in an open group
    person = UserFactory(display_name="Robin", email="robin@example.net")
    person.set_unusable_password()
    person.save()
    EmailAddress.objects.filter(user=person).delete()  # as referral_record_intake makes it
    waiting_list_add(group=world.addict_group, member=person, actor=world.facilitator)
    offer = SeatOffer.objects.get()
    url = reverse("referrals:offer", args=[offer_token(offer)])
    # WHEN they open the link it asks for a password; a weak one is a form error
    assert "Choose a password" in client.get(url).content.decode()
    weak = client.post(url, {"choice": "accept", "new_password1": "a", "new_password2": "a"})
    assert weak.status_code == 200
    assert not current_stint(world.addict_group, person)
    # WHEN they choose one and accept
    strong = "a-long quiet harbour evening"
    response = client.post(
        url, {"choice": "accept", "new_password1": strong, "new_password2": strong}
    )
    # THEN they are enrolled, signed in and shown their upcoming sessions
    assert response.status_code == 302 and response["Location"] == reverse("scheduling:upcoming")
    assert current_stint(world.addict_group, person).status == EnrollmentStatus.ACTIVE
    person.refresh_from_db()
    assert person.check_password(strong)
    # AND the address the link reached counts as confirmed, so they can sign in again later
    assert EmailAddress.objects.get(user=person).verified
    # AND the link has done its work
    assert client.get(url).status_code == 410


def test_a_tampered_link_opens_nothing(client, db):
    response = client.get(reverse("referrals:offer", args=["not-a-real-token"]))
    assert response.status_code == 404
    assert "This link has ended" in response.content.decode()


def test_an_expired_offer_cannot_be_accepted(world):
    person = UserFactory()
    waiting_list_add(group=world.addict_group, member=person, actor=world.facilitator)
    offer = SeatOffer.objects.get()
    late = offer.expires_at + datetime.timedelta(seconds=1)
    with time_machine.travel(late), pytest.raises(ValidationError, match="no longer open"):
        offer_accept(offer_id=offer.pk)
    assert not current_stint(world.addict_group, person)


def test_every_page_an_outsider_can_open_is_discreet(world, client):
    # GIVEN a seat offered to someone
    person = UserFactory()
    waiting_list_add(group=world.addict_group, member=person, actor=world.facilitator)
    url = reverse("referrals:offer", args=[offer_token(SeatOffer.objects.get())])
    # THEN the offer page, the page after declining and the ended link name no group or kind
    pages = [client.get(url), client.post(url, {"choice": "decline"}), client.get(url)]
    assert [page.status_code for page in pages] == [200, 200, 410]
    for page in pages:
        body = page.content.decode()
        assert not forbidden_words_in(body)
        assert world.addict_group.name not in body
