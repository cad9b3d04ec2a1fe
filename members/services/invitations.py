"""Invitations: who may invite whom, the signed single-use link, and accepting it.

The link carries a signed invitation id (django.core.signing) that expires after
settings.INVITATION_MAX_AGE_DAYS; the row itself records acceptance and revocation, which
makes the link single use.
"""

import datetime
import zoneinfo

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from groups.permissions import can_facilitate
from groups.services import enrollment_add
from members.models import Invitation, Role, User

TOKEN_SALT = "members.invitation"  # noqa: S105 (a signing namespace, not a secret)


class InvitationInvalid(Exception):
    """A link that cannot be used; `reason` is one of the REASONS keys."""

    REASONS = ("tampered", "expired", "used", "revoked")

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def _check_may_invite(*, invited_by: User, role: str, group) -> None:
    if role not in (Role.FACILITATOR, Role.MEMBER):
        raise ValidationError("You can invite facilitators or members only.")
    if group is not None and group.is_archived:
        raise ValidationError("This group is archived; nobody can be invited into it.")
    if invited_by.is_clinic_staff:
        if role == Role.FACILITATOR and group is not None:
            raise ValidationError(
                "Invite a facilitator without a group; add them to groups once they have joined."
            )
        return
    if invited_by.is_facilitator and role == Role.MEMBER:
        if group is None:
            raise ValidationError("Choose one of your groups to invite this person into.")
        if not can_facilitate(invited_by, group):
            raise ValidationError("You can only invite people into groups you facilitate.")
        return
    if invited_by.is_facilitator:
        raise ValidationError("Only clinic staff can invite facilitators.")
    raise ValidationError("Only clinic staff and facilitators can send invitations.")


@transaction.atomic
def invitation_create(*, email: str, role: str, invited_by: User, group=None) -> Invitation:
    """Invite `email` to sign up as `role` (into `group`, if given) and email them the link.

    Staff may invite facilitators (no group) or members (any group, or none); a facilitator
    may invite members into groups they facilitate. Raises ValidationError with a message
    fit to show otherwise. An earlier pending invitation for the same address and group is
    revoked, so only the newest link works. The email is sent by a task after commit.
    """
    email = (email or "").strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError("Enter a valid email address.") from None
    _check_may_invite(invited_by=invited_by, role=role, group=group)
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            "This address already has an account. Add the person from the group's roster instead."
        )
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
    )
    from members.tasks import invitation_send

    transaction.on_commit(lambda: invitation_send.delay(invitation.pk))
    return invitation


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps(invitation.pk, salt=TOKEN_SALT)


def invitation_url(invitation: Invitation) -> str:
    path = reverse("invitation_accept", kwargs={"token": invitation_token(invitation)})
    return f"{settings.SITE_URL}{path}"


def invitation_from_token(token: str) -> Invitation:
    """The usable invitation a link names; raises InvitationInvalid with the reason."""
    max_age = datetime.timedelta(days=settings.INVITATION_MAX_AGE_DAYS)
    try:
        pk = signing.loads(token, salt=TOKEN_SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationInvalid("expired") from None
    except signing.BadSignature:
        raise InvitationInvalid("tampered") from None
    invitation = Invitation.objects.filter(pk=pk).first() if isinstance(pk, int) else None
    if invitation is None:
        raise InvitationInvalid("tampered")
    check_usable(invitation)
    return invitation


def check_usable(invitation: Invitation) -> None:
    if invitation.accepted_at is not None:
        raise InvitationInvalid("used")
    if invitation.revoked_at is not None:
        raise InvitationInvalid("revoked")
    if invitation.expires_at <= timezone.now():
        raise InvitationInvalid("expired")


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
def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw a pending invitation; its link then shows a clear 'withdrawn' page."""
    if not (
        actor.is_clinic_staff
        or invitation.invited_by_id == actor.pk
        or (invitation.group is not None and can_facilitate(actor, invitation.group))
    ):
        raise ValidationError("You cannot withdraw this invitation.")
    if invitation.accepted_at is not None:
        raise ValidationError("This invitation has already been used.")
    if invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def invitation_send_email(invitation_id: int) -> bool:
    """Send the invitation email once; nothing for a link that can no longer be used.

    A task redelivered after it already sent (lost acknowledgement) finds the marker and
    stops; a crash between sending and marking may still send twice, never zero times.
    """
    invitation = Invitation.objects.select_related("invited_by").filter(pk=invitation_id).first()
    if invitation is None:
        return False
    sent_marker = f"members:invitation-sent:{invitation.pk}:{invitation.created_at.timestamp()}"
    if cache.get(sent_marker):
        return False
    try:
        check_usable(invitation)
    except InvitationInvalid:
        return False
    # Discreet: the clinic's name and the inviter's first name, never the group or its kind.
    context = {
        "clinic_name": settings.CLINIC_NAME,
        "inviter_name": invitation.invited_by.display_name,
        "url": invitation_url(invitation),
        "expires_at": timezone.localtime(invitation.expires_at, timezone=_clinic_zone()),
        "as_facilitator": invitation.role == Role.FACILITATOR,
    }
    subject = render_to_string("members/email/invitation_subject.txt", context)
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=render_to_string("members/email/invitation.txt", context),
        to=[invitation.email],
    )
    message.attach_alternative(
        render_to_string("members/email/invitation.html", context), "text/html"
    )
    message.send()
    cache.set(sent_marker, True, timeout=settings.INVITATION_MAX_AGE_DAYS * 24 * 60 * 60)
    return True


def _clinic_zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.CLINIC_TIME_ZONE)
