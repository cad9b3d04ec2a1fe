"""Every allauth customisation lives here: invitation-only sign-up and the invited role."""

from allauth.account.adapter import DefaultAccountAdapter
from django.conf import settings

from members.models import Invitation
from members.services.invitations import InvitationInvalid, check_usable, invitation_accept

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

    def send_mail(self, template_prefix, email, context):
        # allauth's emails sign off with the clinic's name, never the site's domain or purpose.
        super().send_mail(template_prefix, email, {**context, "clinic_name": settings.CLINIC_NAME})

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name") or user.display_name
        invitation = self.session_invitation(request)
        if invitation is not None:
            user.role = invitation.role
        if commit:
            user.save()
            if invitation is not None:
                invitation_accept(invitation=invitation, user=user)
                request.session.pop(SESSION_KEY, None)
        return user
