"""Invitations: who may invite whom, sending the link, accepting and withdrawing it.

The signed single-use link itself lives in members.invitation_links (re-exported here).
The email goes through the notifications outbox like every other message: discretion
check at send time, retries, and a delivery status the inviter sees.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from groups.models import Enrolment
from groups.permissions import can_facilitate
from groups.selectors import enrolled_count
from groups.services import enrollment_add
from members.invitation_links import (
    TOKEN_SALT,
    InvitationInvalid,
    check_usable,
    has_account,
    invitation_from_token,
    invitation_token,
    invitation_url,
)
from members.language import default_language, offered
from members.models import Invitation, Role, User
from notifications import api as notifications

__all__ = [
    "TOKEN_SALT",
    "InvitationInvalid",
    "check_usable",
    "has_account",
    "invitation_accept",
    "invitation_accept_signed_in",
    "invitation_create",
    "invitation_from_token",
    "invitation_revoke",
    "invitation_token",
    "invitation_url",
]


def _check_may_invite(*, invited_by: User, role: str, group) -> None:
    if role not in (Role.FACILITATOR, Role.MEMBER):
        raise ValidationError(_("You can invite facilitators or members only."))
    if group is not None and group.is_archived:
        raise ValidationError(_("This group is archived; nobody can be invited into it."))
    if group is not None and group.enrolment == Enrolment.CLOSED:
        # A closed group takes new people only from its waiting list (referrals.waiting).
        raise ValidationError(
            _("This group is closed to new members. Put the person on its waiting list instead.")
        )
    if group is not None and group.capacity is not None and enrolled_count(group) >= group.capacity:
        raise ValidationError(_("The group is full. Put the person on its waiting list instead."))
    if invited_by.is_clinic_staff:
        if role == Role.FACILITATOR and group is not None:
            raise ValidationError(
                _("Invite a facilitator without a group; add them to groups once they have joined.")
            )
        return
    if invited_by.is_facilitator and role == Role.MEMBER:
        if group is None:
            raise ValidationError(_("Choose one of your groups to invite this person into."))
        if not can_facilitate(invited_by, group):
            raise ValidationError(_("You can only invite people into groups you facilitate."))
        return
    if invited_by.is_facilitator:
        raise ValidationError(_("Only clinic staff can invite facilitators."))
    raise ValidationError(_("Only clinic staff and facilitators can send invitations."))


@transaction.atomic
def invitation_create(
    *, email: str, role: str, invited_by: User, group=None, language: str | None = None
) -> Invitation:
    """Invite `email` to sign up as `role` (into `group`, if given) and email them the link
    (or, if the address already has an account, a notice to sign in and join).

    Staff may invite facilitators (no group) or members (any group, or none); a facilitator
    may invite members into groups they facilitate. Raises ValidationError with a message
    fit to show otherwise. An earlier pending invitation for the same address and group is
    revoked, so only the newest link works. The email is an outbox row written in this
    transaction and sent after commit, in `language` (one the clinic offers, else its first).
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("Enter a valid email address.")) from None
    _check_may_invite(invited_by=invited_by, role=role, group=group)
    # Whether the address has an account is never asked here: the inviter gets the same answer,
    # page and work either way, so the form cannot test an address book against the clinic.
    # The outbox row is the same too; only the email it renders differs (a person with an
    # account is asked to sign in: notifications.rendering).
    now = timezone.now()
    Invitation.objects.filter(email=email, group=group, accepted_at=None, revoked_at=None).update(
        revoked_at=now
    )
    invitation = Invitation.objects.create(
        email=email,
        role=role,
        group=group,
        invited_by=invited_by,
        created_at=now,
        expires_at=now + datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS),
        language=offered(language) or default_language(),
    )
    notifications.invitation_send(invitation.pk)
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: User) -> Invitation:
    """Mark the invitation used by `user`, give them its role and enrol them in its group."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationInvalid("tampered")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if user.role != invitation.role:
        user.role = invitation.role
        user.save(update_fields=["role"])
    if invitation.group is not None:
        enrollment_add(group=invitation.group, member=user, actor=invitation.invited_by)
    return invitation


@transaction.atomic
def invitation_accept_signed_in(*, invitation: Invitation, user: User) -> Invitation:
    """Someone who already had an account opens their invitation while signed in: they join
    its group. Their role never changes this way (staff change roles in the admin site)."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    check_usable(invitation)
    if user.email.lower() != invitation.email.lower():
        raise InvitationInvalid("tampered")
    if user.role != invitation.role:
        raise InvitationInvalid("role")
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    if invitation.group is not None:
        enrollment_add(group=invitation.group, member=user, actor=invitation.invited_by)
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw a pending invitation; its link then shows a clear 'withdrawn' page."""
    if not (
        actor.is_clinic_staff
        or invitation.invited_by_id == actor.pk
        or (invitation.group is not None and can_facilitate(actor, invitation.group))
    ):
        raise ValidationError(_("You cannot withdraw this invitation."))
    if invitation.accepted_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation
