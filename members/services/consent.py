"""Consented sharing: a member lets one named person see their attendance summary for one group,
or the facilitators of one more of their groups read one intake (IntakeShare).

Granting and revoking are recorded with time and actor (and in the audit trail for intakes).
`consent_allows` (a read) lives in members.selectors_privacy and is re-exported here.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from audit import api as audit
from groups.models import VISIBLE_STATUSES
from groups.selectors import stints
from members.models import Intake, IntakeShare, SharingConsent
from members.selectors_privacy import consent_allows

__all__ = [
    "consent_allows",
    "consent_grant",
    "consent_revoke",
    "intake_share_grant",
    "intake_share_revoke",
]


@transaction.atomic
def consent_grant(*, owner, viewer, group, actor=None) -> SharingConsent:
    """Let `viewer` see `owner`'s attendance summary for `group`, from now until revoked."""
    actor = actor or owner
    if actor.pk != owner.pk:
        raise ValidationError(_("Only the member themself can share their attendance."))
    if viewer.pk == owner.pk:
        raise ValidationError(_("Choose someone other than yourself."))
    if not stints(group=group, member=owner).exists():  # any stint, in any status
        raise ValidationError(_("You can only share a group you are in."))
    current = SharingConsent.objects.filter(owner=owner, group=group, revoked_at__isnull=True)
    existing = current.first()
    if existing is not None:
        if existing.viewer_id == viewer.pk:
            return existing
        raise ValidationError(
            _("You already share this group with %(name)s. Stop sharing with them first.")
            % {"name": existing.viewer.display_name}
        )
    try:
        with transaction.atomic():
            consent = SharingConsent.objects.create(
                owner=owner, viewer=viewer, group=group, granted_by=actor
            )
    except IntegrityError:
        raise ValidationError(_("You already share this group with someone.")) from None
    _record_consent(consent, "consent.grant", actor)
    return consent


@transaction.atomic
def consent_revoke(*, consent: SharingConsent, actor) -> SharingConsent:
    """Stop sharing at once. Revoking twice changes nothing."""
    if actor.pk != consent.owner_id and not actor.is_clinic_staff:
        raise ValidationError(_("Only the member themself can stop sharing."))
    if consent.revoked_at is None:
        consent.revoked_at = timezone.now()
        consent.revoked_by = actor
        consent.save(update_fields=["revoked_at", "revoked_by"])
        _record_consent(consent, "consent.revoke", actor)
    return consent


def _record_consent(consent: SharingConsent, action: str, actor) -> None:
    audit.record(
        action,
        subject=consent.owner_id,
        target="members.sharingconsent",
        target_id=consent.pk,
        actor=actor,
        detail={"viewer": consent.viewer_id, "group": consent.group_id},
    )


def _record_intake_share(share: IntakeShare, change: str, actor) -> None:
    audit.record(
        "consent.change",
        subject=share.intake.member_id,
        target="members.intakeshare",
        target_id=share.pk,
        actor=actor,
        detail={"change": change, "intake": share.intake_id, "group": share.group_id},
    )


@transaction.atomic
def intake_share_grant(*, intake: Intake, group, actor) -> IntakeShare:
    """Let the facilitators of `group` (another of the member's groups) read `intake`."""
    if actor.pk != intake.member_id:
        raise ValidationError(_("Only the member themself can share their screening."))
    if intake.group_id == group.pk:
        raise ValidationError(_("That group's facilitators can already read it."))
    if not stints(group=group, member=intake.member_id, statuses=VISIBLE_STATUSES).exists():
        raise ValidationError(_("You can only share it with a group you are in."))
    existing = IntakeShare.objects.filter(intake=intake, group=group, revoked_at__isnull=True)
    if existing.exists():
        return existing.get()
    try:
        with transaction.atomic():
            share = IntakeShare.objects.create(intake=intake, group=group, granted_by=actor)
    except IntegrityError:  # the same grant a moment ago, from another tab
        return existing.get()
    _record_intake_share(share, "grant", actor)
    return share


@transaction.atomic
def intake_share_revoke(*, share: IntakeShare, actor) -> IntakeShare:
    """Stop sharing at once: the next read is refused. Revoking twice changes nothing."""
    if actor.pk != share.intake.member_id and not actor.is_clinic_staff:
        raise ValidationError(_("Only the member themself can stop sharing."))
    if share.revoked_at is None:
        share.revoked_at = timezone.now()
        share.revoked_by = actor
        share.save(update_fields=["revoked_at", "revoked_by"])
        _record_intake_share(share, "revoke", actor)
    return share
