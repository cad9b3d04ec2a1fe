"""Consented sharing: a member lets one named person see their attendance summary for one group.

Granting and revoking are recorded with time and actor. `consent_allows` (a read) lives in
members.selectors_privacy and is re-exported here for convenience.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from groups.selectors import stints
from members.models import SharingConsent
from members.selectors_privacy import consent_allows

__all__ = ["consent_allows", "consent_grant", "consent_revoke"]


@transaction.atomic
def consent_grant(*, owner, viewer, group, actor=None) -> SharingConsent:
    """Let `viewer` see `owner`'s attendance summary for `group`, from now until revoked."""
    actor = actor or owner
    if actor.pk != owner.pk:
        raise ValidationError("Only the member themself can share their attendance.")
    if viewer.pk == owner.pk:
        raise ValidationError("Choose someone other than yourself.")
    if not stints(group=group, member=owner).exists():  # any stint, in any status
        raise ValidationError("You can only share a group you are in.")
    current = SharingConsent.objects.filter(owner=owner, group=group, revoked_at__isnull=True)
    existing = current.first()
    if existing is not None:
        if existing.viewer_id == viewer.pk:
            return existing
        raise ValidationError(
            f"You already share this group with {existing.viewer.display_name}. "
            "Stop sharing with them first."
        )
    try:
        with transaction.atomic():
            return SharingConsent.objects.create(
                owner=owner, viewer=viewer, group=group, granted_by=actor
            )
    except IntegrityError:
        raise ValidationError("You already share this group with someone.") from None


@transaction.atomic
def consent_revoke(*, consent: SharingConsent, actor) -> SharingConsent:
    """Stop sharing at once. Revoking twice changes nothing."""
    if actor.pk != consent.owner_id and not actor.is_clinic_staff:
        raise ValidationError("Only the member themself can stop sharing.")
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
    return consent
