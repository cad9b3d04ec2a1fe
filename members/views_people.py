"""Facilitator pages about people: a person's page, couples and intake screening.

Thin views: fetch through members.permissions (404 for outsiders), write through services.
"""

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Field
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from audit import api as audit
from core.views import call_service, call_service_or_flash, confirm_first
from groups.permissions import groups_facilitated_by, require_facilitating_role
from groups.selectors import stints
from members import permissions
from members.forms import CoupleLinkForm, IntakeForm
from members.selectors import current_couple_of
from members.services import couples as couple_services
from members.services import intake as intake_services


def _visible_couple(user, member):
    couple = current_couple_of(member)
    if couple and permissions.couples_visible_to(user).filter(pk=couple.pk).exists():
        return couple
    return None


@login_required
def person(request, member_pk):
    require_facilitating_role(request.user)
    member = permissions.get_member_for_user(request.user, member_pk)
    context = {
        "person": member,
        # Only stints in groups this facilitator runs: other groups stay behind the wall.
        "stints": stints(member=member, groups=groups_facilitated_by(request.user))
        .select_related("group")
        .order_by("-created_at"),
        "couple": _visible_couple(request.user, member),
        "intakes": permissions.intakes_visible_to(request.user)
        .filter(member=member)
        .select_related("recorded_by"),
    }
    audit.record("intake.list", subject=member, target="members.user", target_id=member.pk)
    return render(request, "members/person.html", context)


@login_required
def couples(request):
    require_facilitating_role(request.user)
    people = permissions.members_visible_to(request.user)
    form = CoupleLinkForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            ok, couple = call_service(
                form,
                couple_services.couple_link,
                first=form.cleaned_data["first"],
                second=form.cleaned_data["second"],
                actor=request.user,
            )
            if ok:
                shown = permissions.couples_visible_to(request.user).filter(pk=couple.pk)
                names = {"first": couple.first, "second": couple.second}
                messages.success(
                    request,
                    _("%(first)s and %(second)s are linked as a couple.") % names
                    if shown.exists()
                    else _(
                        "%(first)s and %(second)s are linked as a couple. Add them to a "
                        "couples group from its roster."
                    )
                    % names,
                )
                return redirect("members:couples")
        status = 400
    context = {
        "form": form,
        "couples": permissions.couples_visible_to(request.user)
        .filter(ended_at__isnull=True)
        .select_related("first", "second", "linked_by")
        .order_by("-created_at"),
    }
    return render(request, "members/couples.html", context, status=status)


@login_required
@require_POST
def couple_unlink(request, pk):
    require_facilitating_role(request.user)
    couple = permissions.get_couple_for_user(request.user, pk)
    confirmation = confirm_first(
        request,
        title=_("Unlink %(first)s and %(second)s?")
        % {"first": couple.first, "second": couple.second},
        consequences=[
            _(
                "They are no longer treated as a couple: they no longer join or leave couples "
                "groups together, and consent to share between them no longer applies."
            ),
            _("Their places in groups stay as they are; you decide those on each roster."),
        ],
        confirm_label=_("Yes, unlink them"),
        back_url=reverse("members:couples"),
        back_label=_("Keep them linked"),
    )
    if confirmation:
        return confirmation
    ok, _result = call_service_or_flash(
        request, couple_services.couple_unlink, couple=couple, actor=request.user
    )
    if ok:
        messages.success(
            request,
            _("%(first)s and %(second)s are no longer linked.")
            % {"first": couple.first, "second": couple.second},
        )
    return redirect("members:couples")


@login_required
def intake_new(request, member_pk):
    require_facilitating_role(request.user)
    member = permissions.get_member_for_user(request.user, member_pk)
    form = IntakeForm(
        request.POST or None, groups=permissions.intake_groups_for(request.user, member)
    )
    if request.method == "POST" and form.is_valid():
        ok, intake = call_service(
            form,
            intake_services.intake_record,
            member=member,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Screening saved."))
            return redirect("members:intake", pk=intake.pk)
    return render(request, "members/intake_form.html", {"form": form, "person": member})


@login_required
def intake_detail(request, pk):
    require_facilitating_role(request.user)
    intake = permissions.get_intake_for_user(request.user, pk)
    answers = [
        (cast(Field, intake._meta.get_field(name)).verbose_name, getattr(intake, name))
        for name in intake.ANSWER_FIELDS
    ]
    can_edit = permissions.intakes_editable_by(request.user).filter(pk=intake.pk).exists()
    audit.record("intake.read", subject=intake.member_id, target="members.intake", target_id=pk)
    context = {"intake": intake, "answers": answers, "can_edit": can_edit}
    return render(request, "members/intake_detail.html", context)


@login_required
def intake_edit(request, pk):
    require_facilitating_role(request.user)
    intake = permissions.get_intake_to_edit(request.user, pk)
    if request.method != "POST":  # the form shows the answers: a read
        audit.record("intake.read", subject=intake.member_id, target="members.intake", target_id=pk)
    groups = permissions.intake_groups_for(request.user, intake.member)
    form = IntakeForm(request.POST or None, groups=groups, intake=intake)
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form,
            intake_services.intake_update,
            intake=intake,
            actor=request.user,
            **form.cleaned_data,
        )
        if ok:
            messages.success(request, _("Screening saved."))
            return redirect("members:intake", pk=intake.pk)
    context = {"form": form, "person": intake.member, "intake": intake}
    return render(request, "members/intake_form.html", context)
