"""A member's own sharing: whom they let see their attendance summary, and who shares with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from members import permissions
from members.forms import ConsentForm
from members.selectors import sharing_groups, sharing_viewers
from members.selectors_privacy import consents_given_by, consents_received_by
from members.services.consent import consent_grant, consent_revoke


@login_required
def sharing(request):
    user = request.user
    form = ConsentForm(
        request.POST or None, viewers=sharing_viewers(user), groups=sharing_groups(user)
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, consent = call_service(
                form,
                consent_grant,
                owner=user,
                viewer=form.cleaned_data["viewer"],
                group=form.cleaned_data["group"],
                actor=user,
            )
            if ok:
                messages.success(
                    request, f"{consent.viewer.display_name} can now see your attendance there."
                )
                return redirect("members:sharing")
        status = 400
    context = {
        "form": form,
        "given": consents_given_by(user),
        "received": consents_received_by(user),
        "can_share": form.has_choices(),
    }
    return render(request, "members/sharing.html", context, status=status)


@login_required
@require_POST
def sharing_revoke(request, pk):
    consent = permissions.get_own_consent(request.user, pk)
    ok, _ = call_service_or_flash(request, consent_revoke, consent=consent, actor=request.user)
    if ok:
        messages.success(request, f"{consent.viewer.display_name} no longer sees it.")
    return redirect("members:sharing")
