"""A member's own sharing: whom they let see their attendance summary, who shares with them, and
which other groups' facilitators may read their intake notes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from groups.labels import name_for, names_for, own_label
from members import permissions
from members.forms import ConsentForm, IntakeShareForm
from members.selectors import sharing_groups, sharing_viewers
from members.selectors_privacy import (
    consents_given_by,
    consents_received_by,
    intake_share_groups,
    intake_shares_given_by,
    intakes_of,
)
from members.services.consent import (
    consent_grant,
    consent_revoke,
    intake_share_grant,
    intake_share_revoke,
)


def _intake_share_form(user, data=None) -> IntakeShareForm:
    # A prefix: the attendance form on the same page has a "group" field too.
    return IntakeShareForm(
        data,
        prefix="notes",
        intakes=intakes_of(user).annotate(own_label=own_label(user, "group")),
        groups=intake_share_groups(user).annotate(own_label=own_label(user)),
    )


def _consent_form(user, data=None) -> ConsentForm:
    # Choices by the names the member gave their groups (labels come with the list).
    groups = sharing_groups(user).annotate(own_label=own_label(user))
    return ConsentForm(data, viewers=sharing_viewers(user), groups=groups)


def _render(request, form, intake_form, status=200):
    user = request.user
    given, received = list(consents_given_by(user)), list(consents_received_by(user))
    intake_shares = list(intake_shares_given_by(user))
    groups = [row.group for row in (*given, *received, *intake_shares)]
    context = {
        "form": form,
        "given": given,
        "received": received,
        "own_names": names_for(user, groups),  # one query: this person's own names
        "can_share": form.has_choices(),
        "intake_form": intake_form,
        "intake_shares": intake_shares,
        "has_intakes": intake_form.intakes.exists(),
        "can_share_intake": intake_form.has_choices(),
    }
    return render(request, "members/sharing.html", context, status=status)


@login_required
def sharing(request):
    user = request.user
    form = _consent_form(user, request.POST or None)
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
                    request,
                    _("%(name)s can now see your attendance there.")
                    % {"name": consent.viewer.display_name},
                )
                return redirect("members:sharing")
        status = 400
    return _render(request, form, _intake_share_form(user), status)


@login_required
@require_POST
def sharing_revoke(request, pk):
    consent = permissions.get_own_consent(request.user, pk)
    ok, _result = call_service_or_flash(
        request, consent_revoke, consent=consent, actor=request.user
    )
    if ok:
        messages.success(
            request, _("%(name)s no longer sees it.") % {"name": consent.viewer.display_name}
        )
    return redirect("members:sharing")


@login_required
@require_POST
def intake_share(request):
    """The member lets another of their groups' facilitators read one intake."""
    user = request.user
    intake_form = _intake_share_form(user, request.POST)
    if intake_form.is_valid():
        ok, share = call_service(
            intake_form,
            intake_share_grant,
            intake=intake_form.cleaned_data["intake"],
            group=intake_form.cleaned_data["group"],
            actor=user,
        )
        if ok:
            messages.success(
                request,
                _("The facilitators of %(group)s can now read those notes.")
                % {"group": name_for(user, share.group)},
            )
            return redirect("members:sharing")
    form = _consent_form(user)
    return _render(request, form, intake_form, status=400)


@login_required
@require_POST
def intake_share_stop(request, pk):
    share = permissions.get_own_intake_share(request.user, pk)
    ok, _result = call_service_or_flash(
        request, intake_share_revoke, share=share, actor=request.user
    )
    if ok:
        messages.success(
            request,
            _("The facilitators of %(group)s no longer read them.")
            % {"group": name_for(request.user, share.group)},
        )
    return redirect("members:sharing")
