"""Erasing a person (privacy.services.member_erase calls `forget_member`): their requests,
waiting-list places with their seat offers, and agreement acceptances go. The audit trail
stays (ids only)."""

from django.db import transaction
from django.utils import timezone

from members import api as members_api
from referrals.models import (
    AgreementAcceptance,
    EntryStatus,
    OfferStatus,
    Referral,
    SeatOffer,
    WaitingListEntry,
)
from referrals.waiting import LISTED, offer_free_seats


def _request_ids(member_id: int, email: str) -> set[int]:
    """Requests linked to the account, and those sent from its address and never linked
    (the address is encrypted, so these are compared one by one)."""
    ids = set(Referral.objects.filter(member_id=member_id).values_list("pk", flat=True))
    email = (email or "").strip().lower()
    if email:
        unlinked = Referral.objects.filter(member__isnull=True).only("pk", "email")
        ids |= {row.pk for row in unlinked.iterator(chunk_size=200) if row.email == email}
    return ids


def _end_couples_place(member_id: int, now) -> set[int]:
    """A couple waits as one: the place their partner holds for both of them ends too."""
    couple = members_api.current_couple(member_id)
    if couple is None:
        return set()
    partner = couple.second_id if couple.first_id == member_id else couple.first_id
    entries = WaitingListEntry.objects.filter(member_id=partner, seats__gt=1, status__in=LISTED)
    group_ids = set(entries.values_list("group_id", flat=True))
    SeatOffer.objects.filter(entry__in=entries, status=OfferStatus.PENDING).update(
        status=OfferStatus.WITHDRAWN, answered_at=now
    )
    entries.update(status=EntryStatus.REMOVED, status_changed_at=now)
    return group_ids


@transaction.atomic
def forget_member(member_id: int, *, email: str = "") -> None:
    """Safe to run twice. Run before members' own erasure (the couple and the address are
    still known). A seat that was held for them is offered to the next person."""
    now = timezone.now()
    Referral.objects.filter(pk__in=_request_ids(member_id, email)).delete()
    entries = WaitingListEntry.objects.filter(member_id=member_id)
    group_ids = set(entries.values_list("group_id", flat=True))
    group_ids |= _end_couples_place(member_id, now)
    entries.delete()  # their seat offers go with them
    AgreementAcceptance.objects.filter(member_id=member_id).delete()
    for group_id in sorted(group_ids):
        offer_free_seats(group_id)
