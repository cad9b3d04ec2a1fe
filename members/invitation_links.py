"""The signed single-use invitation link: making it, reading it back, and whether the
invitation it names can still be used. Reads only.

The link carries a signed invitation id (django.core.signing) that expires after
settings.INVITATION_MAX_AGE_DAYS; the row itself records acceptance and revocation, which
makes the link single use. The invitation email (rendered by notifications) and the
acceptance (members.services.invitations) both use these.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from members.models import Invitation, User

TOKEN_SALT = "members.invitation"  # noqa: S105  # nosec B105  # a signing namespace, not a secret


class InvitationInvalid(Exception):
    """A link that cannot be used; `reason` is one of the REASONS keys."""

    # "role": an existing account whose role is not the invited one (it never changes so).
    REASONS = ("tampered", "expired", "used", "revoked", "role")

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


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


def has_account(invitation: Invitation) -> bool:
    """Whether the invited address already has an account. Asked only for the person holding
    the link (it is their address) and by the email renderer, never on the inviter's pages."""
    return User.objects.filter(email__iexact=invitation.email).exists()
