"""Reads that decide what one person may see about another (consented sharing, intake)."""

from groups.models import VISIBLE_STATUSES
from groups.permissions import groups_visible_to
from groups.selectors import group_ids_of
from members.models import Intake, IntakeShare, SharingConsent


def consent_allows(viewer, owner, group) -> bool:
    """True while `owner` lets `viewer` see owner's attendance summary for `group`.

    Nothing else grants this: not being a partner, a couple or a co-member.
    """
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == owner.pk:
        return False
    return SharingConsent.objects.filter(
        owner=owner, viewer=viewer, group=group, revoked_at__isnull=True
    ).exists()


def consents_given_by(owner):
    """The owner's own grants, current first (for the 'my sharing' page)."""
    return (
        SharingConsent.objects.filter(owner=owner)
        .select_related("viewer", "group")
        .order_by("revoked_at", "-granted_at")
    )


def consents_received_by(viewer):
    """Current grants others made to `viewer` (what the viewer may look at)."""
    return (
        SharingConsent.objects.filter(viewer=viewer, revoked_at__isnull=True)
        .select_related("owner", "group")
        .order_by("-granted_at")
    )


# --- a member's intakes, for their own sharing page (never the answers) ---------------------


def intakes_of(member):
    """The member's own intakes, by date and group only: members never read the answers."""
    return (
        Intake.objects.filter(member=member)
        .select_related("group")
        .only("pk", "member_id", "created_at", "group__name")
        .order_by("-created_at", "-pk")
    )


def intake_share_groups(member):
    """Groups whose facilitators a member may let read an intake: the groups they are in."""
    return groups_visible_to(member).filter(pk__in=group_ids_of(member, VISIBLE_STATUSES))


def intake_shares_given_by(member):
    """The member's intake shares, current first."""
    return (
        IntakeShare.objects.filter(intake__member=member)
        .select_related("intake", "group")
        .order_by("revoked_at", "-granted_at", "-pk")
    )
