"""Reads for the queue, the waiting lists and group suggestions."""

from groups.models import Group
from groups.permissions import groups_facilitated_by
from groups.selectors import enrolled_count
from referrals.models import OPEN_STATUSES, EntryStatus, Referral, WaitingListEntry
from referrals.permissions import referrals_visible_to
from referrals.waiting import free_seats


def queue_for(user, *, show: str = "open"):
    """Requests `user` may see: open ones first, newest first (show="all": every one)."""
    rows = referrals_visible_to(user).select_related("taken_by", "group")
    if show != "all":
        rows = rows.filter(status__in=OPEN_STATUSES)
    return rows.order_by("status_changed_at", "pk")


def recommended_kind(referral: Referral) -> str:
    """The screening's recommended kind when recorded, else what the person asked for."""
    if referral.intake is not None and referral.intake.recommended_kind:
        return referral.intake.recommended_kind
    return referral.suggested_kind


def suggested_groups(referral: Referral, user) -> list[dict]:
    """Groups of the recommended kind that `user` runs: free seats first, with their time zone
    and format so the person's own can be matched by eye."""
    kind = recommended_kind(referral)
    groups = groups_facilitated_by(user).active().filter(kind=kind).order_by("name")
    rows = []
    for group in groups:
        free = free_seats(group)
        rows.append(
            {
                "group": group,
                "free": free,
                "taken": enrolled_count(group),
                "waiting": waiting_count(group),
            }
        )
    rows.sort(key=lambda row: (row["free"] == 0, row["group"].name))
    return rows


def waiting_count(group: Group) -> int:
    return WaitingListEntry.objects.filter(
        group=group, status__in=(EntryStatus.WAITING, EntryStatus.OFFERED)
    ).count()


def waiting_list(group: Group):
    """The list in order, with each person's open offer; past entries after it."""
    current = (
        WaitingListEntry.objects.filter(
            group=group, status__in=(EntryStatus.WAITING, EntryStatus.OFFERED)
        )
        .select_related("member", "added_by")
        .prefetch_related("offers")
        .order_by("joined_at", "pk")
    )
    past = (
        WaitingListEntry.objects.filter(group=group)
        .exclude(status__in=(EntryStatus.WAITING, EntryStatus.OFFERED))
        .select_related("member")
        .order_by("-status_changed_at", "-pk")[:20]
    )
    return list(current), list(past)
