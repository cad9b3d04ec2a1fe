"""The waiting list per group and its seat offers.

A freed seat (groups.signals.seat_freed, sent after commit) offers it to the first waiting
person by a signed link valid for settings.SEAT_OFFER_DAYS; declining or expiring offers
the next. Offers are made with the group's row locked (select_for_update), so two seats
freeing at once, in two processes, offer two people exactly once each.

Closed groups take nobody new (groups.services._check_open_to) except from this list: the
facilitator who put the person on it is the hand that enrols them when they accept.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from groups.models import VISIBLE_STATUSES, Group, GroupKind
from groups.permissions import can_facilitate
from groups.selectors import belongs, enrolled_count
from groups.services import HALF_A_COUPLE, enrollment_add
from members import api as members_api
from notifications import api as notifications_api
from referrals.links import offer_days
from referrals.models import (
    EntryStatus,
    OfferStatus,
    SeatOffer,
    Status,
    WaitingListEntry,
)
from referrals.services import intake_attach_group, referral_status_follows

LISTED = (EntryStatus.WAITING, EntryStatus.OFFERED)


def _audit(entry: WaitingListEntry, actor, change: str, **detail) -> None:
    audit.record(
        "waitlist.change",
        actor=actor,
        subject=entry.member_id,
        target="referrals.waitinglistentry",
        target_id=entry.pk,
        detail={"group": entry.group_id, "change": change, **detail},
    )


def _set_entry(entry: WaitingListEntry, status: str) -> None:
    entry.status = status
    entry.status_changed_at = timezone.now()
    entry.save(update_fields=["status", "status_changed_at"])


@transaction.atomic
def waiting_list_add(*, group: Group, member, actor, referral=None) -> WaitingListEntry:
    """Put a person (in a couples group: a linked couple, who wait and join as one) on the
    group's list. A free seat is offered at once."""
    if not can_facilitate(actor, group):
        raise ValidationError(_("You do not run this group."))
    group = Group.objects.select_for_update().get(pk=group.pk)
    if group.is_archived:
        raise ValidationError(_("This group is archived; nobody can join it."))
    people = [member.pk]
    if group.kind == GroupKind.COUPLES:
        couple = members_api.current_couple(member.pk)
        if couple is None:
            raise ValidationError(HALF_A_COUPLE)
        people = list(couple.member_ids)
    if any(belongs(person, group, VISIBLE_STATUSES) for person in people):
        raise ValidationError(_("This person is already in the group."))
    if WaitingListEntry.objects.filter(
        group=group, member_id__in=people, status__in=LISTED
    ).exists():
        raise ValidationError(_("This person is already on the waiting list."))
    entry = WaitingListEntry.objects.create(
        group=group, member=member, seats=len(people), referral=referral, added_by=actor
    )
    _audit(entry, actor, "added")
    referral_status_follows(entry.referral_id, Status.WAITING, actor)
    offer_free_seats(group.pk)
    return entry


@transaction.atomic
def waiting_list_remove(*, entry: WaitingListEntry, actor) -> WaitingListEntry:
    if not can_facilitate(actor, entry.group):
        raise ValidationError(_("You do not run this group."))
    Group.objects.select_for_update().get(pk=entry.group_id)
    entry = WaitingListEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status not in LISTED:
        raise ValidationError(_("This person is no longer on the list."))
    SeatOffer.objects.filter(entry=entry, status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, answered_at=timezone.now()
    )
    _set_entry(entry, EntryStatus.REMOVED)
    _audit(entry, actor, "removed")
    offer_free_seats(entry.group_id)
    return entry


def _expire(group_id: int, now: datetime.datetime) -> int:
    expired = list(
        SeatOffer.objects.select_for_update()
        .select_related("entry")
        .filter(group_id=group_id, status=OfferStatus.PENDING, expires_at__lte=now)
    )
    for offer in expired:
        offer.status = OfferStatus.EXPIRED
        offer.answered_at = now
        offer.save(update_fields=["status", "answered_at"])
        _set_entry(offer.entry, EntryStatus.PASSED)
        _audit(offer.entry, None, "offer_expired", offer=offer.pk)
        referral_status_follows(offer.entry.referral_id, Status.DECLINED)
    return len(expired)


def free_seats(group: Group) -> int | None:
    """Seats neither taken nor held by an open offer; None: no limit."""
    if group.capacity is None:
        return None
    held = sum(
        SeatOffer.objects.filter(group=group, status=OfferStatus.PENDING).values_list(
            "entry__seats", flat=True
        )
    )
    return seats_left(group.capacity, taken=enrolled_count(group), held=held)


def seats_left(capacity: int | None, *, taken: int, held: int) -> int | None:
    """What free_seats counts, from counts already made; None: no limit."""
    if capacity is None:
        return None
    return max(capacity - taken - held, 0)


@transaction.atomic
def offer_free_seats(group_id: int, *, now: datetime.datetime | None = None) -> list[SeatOffer]:
    """Expire what is due, then offer every free seat to the next people, in list order. The
    group's row is locked first, so concurrent callers take turns and see each other's offers."""
    now = now or timezone.now()
    group = Group.objects.select_for_update().filter(pk=group_id).first()
    if group is None:
        return []
    _expire(group.pk, now)
    if group.is_archived:
        return []
    free = free_seats(group)
    offers = []
    waiting = WaitingListEntry.objects.select_for_update().filter(
        group=group, status=EntryStatus.WAITING
    )
    for entry in waiting.order_by("joined_at", "pk"):
        if free is not None and entry.seats > free:
            break  # the first in line waits for room; nobody jumps the queue
        offer = SeatOffer.objects.create(
            entry=entry,
            group=group,
            created_at=now,
            expires_at=now + datetime.timedelta(days=offer_days()),
        )
        _set_entry(entry, EntryStatus.OFFERED)
        _audit(entry, None, "offered", offer=offer.pk)
        referral_status_follows(entry.referral_id, Status.OFFERED)
        notifications_api.seat_offered(offer.pk)
        offers.append(offer)
        if free is not None:
            free -= entry.seats
    return offers


def expire_due_offers(now: datetime.datetime | None = None) -> int:
    """The periodic task: every group with an offer past its date offers the next person."""
    now = now or timezone.now()
    group_ids = sorted(
        set(
            SeatOffer.objects.filter(status=OfferStatus.PENDING, expires_at__lte=now).values_list(
                "group_id", flat=True
            )
        )
    )
    for group_id in group_ids:
        offer_free_seats(group_id, now=now)
    return len(group_ids)


def _open_offer(offer_id: int) -> SeatOffer:
    offer = SeatOffer.objects.select_related("entry").get(pk=offer_id)
    Group.objects.select_for_update().get(pk=offer.group_id)  # same lock order as offering
    offer = SeatOffer.objects.select_for_update().select_related("entry", "group").get(pk=offer_id)
    if offer.status != OfferStatus.PENDING or offer.expires_at <= timezone.now():
        raise ValidationError(_("This offer is no longer open."))
    return offer


@transaction.atomic
def offer_accept(*, offer_id: int):
    """The person takes the seat held for them: they are enrolled by the facilitator who put
    them on the list (the one way into a closed group). Returns the enrolment."""
    offer = _open_offer(offer_id)
    entry = offer.entry
    if offer.group.is_archived:
        raise ValidationError(_("This group is archived; nobody can join it."))
    capacity = offer.group.capacity
    if capacity is not None and enrolled_count(offer.group) + entry.seats > capacity:
        # The held seat was given away by hand meanwhile; the offer stays open for the next.
        raise ValidationError(_("Sorry, this place has just been taken. We will be in touch."))
    enrollment = enrollment_add(group=offer.group, member=entry.member, actor=entry.added_by)
    offer.status = OfferStatus.ACCEPTED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at"])
    _set_entry(entry, EntryStatus.JOINED)
    _audit(entry, entry.member, "accepted", offer=offer.pk)
    referral_status_follows(entry.referral_id, Status.JOINED)
    intake_attach_group(entry.referral_id, offer.group, entry.added_by)
    return enrollment


@transaction.atomic
def offer_decline(*, offer_id: int) -> SeatOffer:
    """The person says no: they leave the list and the seat goes to the next."""
    offer = _open_offer(offer_id)
    offer.status = OfferStatus.DECLINED
    offer.answered_at = timezone.now()
    offer.save(update_fields=["status", "answered_at"])
    _set_entry(offer.entry, EntryStatus.PASSED)
    _audit(offer.entry, offer.entry.member, "declined", offer=offer.pk)
    referral_status_follows(offer.entry.referral_id, Status.DECLINED)
    offer_free_seats(offer.group_id)
    return offer
