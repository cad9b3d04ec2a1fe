from allauth.account.adapter import get_adapter
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from groups.forms import InviteForm
from groups.permissions import get_group_to_facilitate, require_facilitating_role
from groups.views.roster import render_roster
from members.forms import InvitationForm, ProfileForm
from members.models import Role
from members.selectors import get_invitation_for_user, invitations_pending
from members.services.invitations import (
    InvitationInvalid,
    has_account,
    invitation_accept_signed_in,
    invitation_create,
    invitation_from_token,
    invitation_revoke,
)


def home(request):
    if not request.user.is_authenticated:
        return redirect("account_login")
    return render(request, "members/home.html")


@login_required
def account(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        translation.activate(user.language)  # the next page, and this message, in the new one
        messages.success(request, _("Your settings are saved."))
        return redirect("account")
    return render(request, "members/account.html", {"form": form})


def _invitation_invalid(request, problem: InvitationInvalid):
    status = 404 if problem.reason == "tampered" else 410
    return render(
        request, "members/invitation_invalid.html", {"reason": problem.reason}, status=status
    )


def invitation_accept(request, token):
    """Open an invitation link: remember it in the session and go to sign-up. An address that
    already has an account signs in instead, then opens the link again to join."""
    if request.user.is_authenticated:
        try:
            invitation = invitation_from_token(token)
            if invitation.email.lower() != request.user.email.lower():
                return render(request, "members/invitation_signed_in.html")
            invitation_accept_signed_in(invitation=invitation, user=request.user)
        except InvitationInvalid as problem:
            if problem.reason == "tampered":
                return render(request, "members/invitation_signed_in.html")
            return _invitation_invalid(request, problem)
        messages.success(request, _("You've accepted the invitation."))
        return redirect("home")
    try:
        invitation = invitation_from_token(token)
    except InvitationInvalid as problem:
        return _invitation_invalid(request, problem)
    if has_account(invitation):  # only the link's holder learns this: it is their address
        return redirect_to_login(request.get_full_path(), login_url=reverse("account_login"))
    get_adapter(request).remember_invitation(request, invitation)
    return redirect("account_signup")


@login_required
def invitations(request):
    """Staff invite facilitators or members; facilitators invite members into their groups."""
    require_facilitating_role(request.user)
    form = InvitationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        ok, invitation = call_service(
            form,
            invitation_create,
            email=form.cleaned_data["email"],
            role=form.chosen_role(),
            invited_by=request.user,
            group=form.cleaned_data.get("group"),
            language=form.cleaned_data.get("language"),
        )
        if ok:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("invitations")
    context = {"form": form, "pending": invitations_pending(request.user)}
    return render(request, "members/invitations.html", context)


@login_required
@require_POST
def invitation_withdraw(request, pk):
    invitation = get_invitation_for_user(request.user, pk)
    ok, _result = call_service_or_flash(
        request, invitation_revoke, invitation=invitation, actor=request.user
    )
    if ok:
        messages.success(
            request, _("The invitation to %(email)s is withdrawn.") % {"email": invitation.email}
        )
    return redirect("invitations")


@login_required
@require_POST
def roster_invite(request, pk):
    """A facilitator invites someone by email into a group, from the group's roster page."""
    group = get_group_to_facilitate(request.user, pk)
    form = InviteForm(request.POST)
    if form.is_valid():
        ok, _result = call_service(
            form,
            invitation_create,
            email=form.cleaned_data["email"],
            role=Role.MEMBER,
            invited_by=request.user,
            group=group,
        )
        if ok:
            messages.success(request, _("Invitation sent. It works once and expires in time."))
            return redirect("groups:roster", pk=group.pk)
    return render_roster(request, group, invite_form=form, status=400)
