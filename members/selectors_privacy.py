"""Reads that decide what one person may see about another (consented sharing, intake)."""

from members.models import SharingConsent


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
