"""Erasure of one person's identity and of the free text members holds about them.

The account row stays, scrubbed: its numeric id is the pseudonym the audit trail and the
anonymous attendance marks keep. Called by privacy (which runs every app's part in one
transaction); safe to run twice.
"""

import secrets

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.timezones import default_time_zone
from members.models import Couple, Intake, Invitation, SharingConsent, new_session_stamp

ERASED_NAME = "Former member"
# .invalid is reserved (RFC 2606): no message addressed to it can ever be delivered.
ERASED_DOMAIN = "erased.invalid"


def is_erased_email(email: str) -> bool:
    return email.endswith(f"@{ERASED_DOMAIN}")


def erased_email(user_id: int) -> str:
    """A unique address nobody can receive mail at or sign up with."""
    return f"erased-{user_id}-{secrets.token_hex(6)}@{ERASED_DOMAIN}"


@transaction.atomic
def forget_member(user) -> str:
    """Remove who `user` is and what members holds about them in free text; end their
    sign-ins. Returns the placeholder address now on the account (the same one on a second
    run)."""
    old_email = user.email
    placeholder = old_email if is_erased_email(old_email) else erased_email(user.pk)

    # Consents given and received, their couple link and their screening records go whole.
    SharingConsent.objects.filter(Q(owner=user) | Q(viewer=user)).delete()
    Couple.objects.filter(Q(first=user) | Q(second=user)).delete()
    Intake.objects.filter(member=user).delete()
    # Invitations keep who invited whom into which group, but no longer the address.
    invitations = Invitation.objects.filter(Q(accepted_by=user) | Q(email__iexact=old_email))
    invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    invitations.update(email=placeholder)

    # Every way to sign in or be reached. A new stamp ends sign-ins allauth never tracked
    # and every RSVP link already emailed (members.services.security).
    for session in UserSession.objects.filter(user=user):
        session.end()
    user.session_stamp = new_session_stamp()
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()

    user.email = placeholder
    user.display_name = ERASED_NAME
    user.phone = ""
    user.time_zone = default_time_zone()
    user.language = settings.LANGUAGE_CODE
    user.is_active = False
    user.set_unusable_password()
    user.save()
    return placeholder
