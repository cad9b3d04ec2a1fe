"""Every allauth customisation lives here: invitation-only sign-up, the invited role, and
allauth's email going through Circle's one email helper and discretion check.

The MFA adapter sends no mail of its own: its notices (recovery codes, two-step sign-in on
or off) go through this adapter's `send_notification_mail`, so `send_mail` below.
"""

import logging

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import record_authentication
from allauth.core import context as allauth_context
from allauth.usersessions.adapter import DefaultUserSessionsAdapter
from django.conf import settings
from django.utils import translation

from members.invitation_links import InvitationInvalid, check_usable
from members.language import offered
from members.models import Invitation
from members.services.invitations import invitation_accept
from members.services.security import sign_out_everywhere_else
from notifications import api as notifications

logger = logging.getLogger(__name__)

SESSION_KEY = "invitation_id"


class AccountAdapter(DefaultAccountAdapter):
    def session_invitation(self, request) -> Invitation | None:
        """The usable invitation the visitor opened in this browser session, if any."""
        if request is None:
            return None
        pk = request.session.get(SESSION_KEY)
        invitation = Invitation.objects.filter(pk=pk).first() if isinstance(pk, int) else None
        if invitation is None:
            return None
        try:
            check_usable(invitation)
        except InvitationInvalid:
            return None
        return invitation

    def remember_invitation(self, request, invitation: Invitation) -> None:
        request.session[SESSION_KEY] = invitation.pk
        # The link reached the invited mailbox, so that address needs no second confirmation.
        self.stash_verified_email(request, invitation.email)

    def is_open_for_signup(self, request) -> bool:
        return settings.OPEN_SIGNUP or self.session_invitation(request) is not None

    def render_mail(self, template_prefix, email, context, headers=None):
        """Subject, text and HTML through notifications' email helper, with allauth's subject
        prefix; raises notifications.HeldBack if the message would say a forbidden word."""
        prefix = self.format_email_subject("")
        return notifications.account_email_render(
            template_prefix,
            email,
            context,
            subject_prefix=prefix,
            from_email=self.get_from_email(),
            headers=headers,
            request=allauth_context.request,
        )

    def send_mail(self, template_prefix, email, context):
        """Sent at once (a code or link cannot wait for the outbox), after the same discretion
        check as every other message; held back (and logged) if it fails it."""
        # allauth's emails sign off with the clinic's name, never the site's domain or purpose.
        context = {**context, "clinic_name": settings.CLINIC_NAME}
        try:
            super().send_mail(template_prefix, email, context)
        except notifications.HeldBack as held:
            logger.error("account email %s %s", template_prefix, held)

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.display_name
        user.time_zone = form.cleaned_data.get("time_zone") or user.time_zone
        # The language they signed up in (their browser's, or the one they picked) stays theirs.
        user.language = offered(translation.get_language()) or user.language
        invitation = self.session_invitation(request)
        if invitation is not None:
            user.role = invitation.role
        if commit:
            user.save()
            if invitation is not None:
                invitation_accept(invitation=invitation, user=user)
                request.session.pop(SESSION_KEY, None)
            # They typed the new password moments ago: that counts as re-entering it, so
            # setting up two-step sign-in next does not ask for it again. (allauth has no
            # public call for this; its login flow records the same entry.)
            record_authentication(request, user, method="password", reauthenticated=True)
        return user


class UserSessionsAdapter(DefaultUserSessionsAdapter):
    def end_sessions(self, sessions) -> None:
        """ "Sign out everywhere else" (the only way our pages end sessions) goes through our
        service, which also changes the stamp: sessions allauth never listed and RSVP links
        already emailed end too, even when the list shows no other session."""
        sessions = list(sessions)
        request = allauth_context.request
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and all(s.user_id == user.pk and not s.is_current() for s in sessions)
        ):
            sign_out_everywhere_else(request)
            return
        super().end_sessions(sessions)
