"""Reads for the queue, the waiting lists and group suggestions."""

import datetime

from django.db.models import Count, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from core.timezones import zone
from groups.models import ACTIVE_STATUSES, Group, GroupFormat
from groups.permissions import groups_facilitated_by
from groups.selectors import stints
from referrals.models import (
    OPEN_STATUSES,
    AgreementAcceptance,
    OfferStatus,
    Referral,
    SeatOffer,
    WaitingListEntry,
)
from referrals.permissions import referrals_visible_to
from referrals.waiting import LISTED, seats_left


def queue_for(user, *, show: str = "open"):
    """Requests `user` may see: the open ones, oldest change first (the next to act on);
    show="all": every one, newest change first (the old closed ones last)."""
    rows = referrals_visible_to(user).select_related("taken_by", "group")
    if show == "all":
        return rows.order_by("-status_changed_at", "-pk")
    return rows.filter(status__in=OPEN_STATUSES).order_by("status_changed_at", "pk")


def recommended_kind(referral: Referral) -> str:
    """The screening's recommended kind when recorded, else what the person asked for."""
    if referral.intake is not None and referral.intake.recommended_kind:
        return referral.intake.recommended_kind
    return referral.suggested_kind


def zone_fits(group_zone: str, person_zone: str, now: datetime.datetime) -> bool:
    """The same zone, or one on the same clock today (Paris and Berlin); any, if unknown."""
    if not person_zone or group_zone == person_zone:
        return True
    return now.astimezone(zone(group_zone)).utcoffset() == (
        now.astimezone(zone(person_zone)).utcoffset()
    )


def format_fits(group_format: str, person_format: str) -> bool:
    """Either suits the person, or the group meets the way they asked (hybrid: both ways)."""
    return not person_format or group_format in (person_format, GroupFormat.HYBRID)


def suggested_groups(
    referral: Referral, user, *, language: str = "", now: datetime.datetime | None = None
):
    """Groups `user` runs that fit the request: of the recommended kind, meeting the way the
    person asked and on their clock (and, if given, in `language`). Those with a free seat
    first, then full ones (for their waiting list), each by name. One query, however many
    groups (staff run them all): seats taken, held by offers and waiting come with each."""
    now = now or timezone.now()
    kind = recommended_kind(referral)
    groups = (
        groups_facilitated_by(user)
        .active()
        .filter(kind=kind)
        .annotate(
            taken=_count_of(stints(group=OuterRef("pk"), statuses=ACTIVE_STATUSES)),
            waiting=_count_of(_current_entries().filter(group=OuterRef("pk"))),
            held=_sum_of(
                SeatOffer.objects.filter(group=OuterRef("pk"), status=OfferStatus.PENDING),
                "entry__seats",
            ),
        )
        .order_by("name")
    )
    if language:
        groups = groups.filter(language=language)
    rows = []
    for group in groups:
        if not (
            format_fits(group.format, referral.format)
            and zone_fits(group.time_zone, referral.time_zone, now)
        ):
            continue
        free = seats_left(group.capacity, taken=group.taken, held=group.held)
        rows.append({"group": group, "free": free, "taken": group.taken, "waiting": group.waiting})
    rows.sort(key=lambda row: (row["free"] == 0, row["group"].name))
    return rows


def _count_of(rows):
    """COUNT(*) of `rows` (correlated by an OuterRef) as an annotation; 0 for none."""
    counted = rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counted.values("n")[:1]), 0)


def _sum_of(rows, field: str):
    summed = rows.order_by().annotate(one=Value(1)).values("one").annotate(n=Sum(field))
    return Coalesce(Subquery(summed.values("n")[:1]), 0)


def _current_entries():
    return WaitingListEntry.objects.filter(status__in=LISTED)


def waiting_count(group: Group) -> int:
    return _current_entries().filter(group=group).count()


def waiting_list(group: Group):
    """The list in order, each with when its open offer runs out (`offer_expires_at`, None
    if it has none); past entries after it."""
    open_offer = SeatOffer.objects.filter(entry=OuterRef("pk"), status=OfferStatus.PENDING)
    current = (
        _current_entries()
        .filter(group=group)
        .select_related("member", "added_by")
        .annotate(offer_expires_at=Subquery(open_offer.order_by("-pk").values("expires_at")[:1]))
        .order_by("joined_at", "pk")
    )
    past = (
        WaitingListEntry.objects.filter(group=group)
        .exclude(status__in=LISTED)
        .select_related("member")
        .order_by("-status_changed_at", "-pk")[:20]
    )
    return list(current), list(past)


def export_member(member_id: int) -> dict:
    """What referrals holds about one person, for their own export: the requests linked to
    their account (with what they wrote, the status history and the notes kept on it, never
    who worked on it), their waiting-list places with each seat offer, and every agreement
    they accepted with the text as they read it."""
    requests = (
        Referral.objects.filter(member_id=member_id)
        .prefetch_related("events")
        .order_by("created_at", "pk")
    )
    entries = (
        WaitingListEntry.objects.filter(member_id=member_id)
        .select_related("group")
        .prefetch_related("offers")
        .order_by("joined_at", "pk")
    )
    acceptances = (
        AgreementAcceptance.objects.filter(member_id=member_id)
        .select_related("group", "version")
        .order_by("accepted_at", "pk")
    )
    return {
        "requests": [_request_export(row) for row in requests],
        "waiting_lists": [
            {
                "group": entry.group.name,
                "group_id": entry.group_id,
                "joined_at": entry.joined_at,
                "seats": entry.seats,
                "status": entry.status,
                "status_changed_at": entry.status_changed_at,
                "seat_offers": [
                    {
                        "offered_at": offer.created_at,
                        "expires_at": offer.expires_at,
                        "status": offer.status,
                        "answered_at": offer.answered_at,
                    }
                    for offer in sorted(entry.offers.all(), key=lambda o: (o.created_at, o.pk))
                ],
            }
            for entry in entries
        ],
        "agreements": [
            {
                "group": row.group.name,
                "group_id": row.group_id,
                "version": row.version.number,
                "typed_name": row.typed_name,
                "text": row.text,
                "accepted_at": row.accepted_at,
            }
            for row in acceptances
        ],
    }


def _request_export(row: Referral) -> dict:
    return {
        "sent_at": row.created_at,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "written_message_safe": row.message_ok,
        "voicemail_safe": row.voicemail_ok,
        "when_to_contact": row.contact_times,
        "help_for": row.for_whom,
        "would_like_to_meet": row.format,
        "time_zone": row.time_zone,
        "language": row.language,
        "consent_to_be_contacted": row.consent_contact,
        "answers": {name: getattr(row, name) for name in Referral.ANSWER_FIELDS},
        "status": row.status,
        "status_changed_at": row.status_changed_at,
        "history": [{"status": event.status, "at": event.at} for event in row.events.all()],
        "notes": row.notes,
    }
