"""A member's own sharing: whom they let see their attendance summary, and who shares with them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from groups import permissions, selectors
from groups.forms import ConsentForm
from groups.views._helpers import flash_error, service_error_to_form
from members.selectors_privacy import consents_given_by, consents_received_by
from members.services.consent import consent_grant, consent_revoke


@login_required
def sharing(request):
    user = request.user
    form = ConsentForm(
        request.POST or None,
        viewers=selectors.sharing_viewers(user),
        groups=selectors.sharing_groups(user),
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                consent = consent_grant(
                    owner=user,
                    viewer=form.cleaned_data["viewer"],
                    group=form.cleaned_data["group"],
                    actor=user,
                )
            except ValidationError as error:
                service_error_to_form(form, error)
            else:
                messages.success(
                    request, f"{consent.viewer.display_name} can now see your attendance there."
                )
                return redirect("groups:sharing")
        status = 400
    context = {
        "form": form,
        "given": consents_given_by(user),
        "received": consents_received_by(user),
        "can_share": form.fields["group"].queryset.exists()
        and form.fields["viewer"].queryset.exists(),
    }
    return render(request, "groups/sharing.html", context, status=status)


@login_required
@require_POST
def sharing_revoke(request, pk):
    consent = permissions.get_own_consent(request.user, pk)
    try:
        consent_revoke(consent=consent, actor=request.user)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"{consent.viewer.display_name} no longer sees it.")
    return redirect("groups:sharing")
