"""Facilitator pages about people: a person's page, couples and intake screening."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from groups import permissions
from groups.forms import CoupleLinkForm, IntakeForm
from groups.models import Enrollment
from groups.services import current_couple_of
from groups.views._helpers import flash_error, service_error_to_form
from members.services import couples as couple_services
from members.services import intake as intake_services


def _visible_couple(user, member):
    couple = current_couple_of(member)
    if couple and permissions.couples_visible_to(user).filter(pk=couple.pk).exists():
        return couple
    return None


@login_required
def person(request, member_pk):
    permissions.require_facilitating_role(request.user)
    member = permissions.get_member_for_user(request.user, member_pk)
    my_groups = permissions.groups_facilitated_by(request.user)
    context = {
        "person": member,
        # Only stints in groups this facilitator runs: other groups stay behind the wall.
        "stints": Enrollment.objects.filter(member=member, group__in=my_groups)
        .select_related("group")
        .order_by("-created_at"),
        "couple": _visible_couple(request.user, member),
        "intakes": permissions.intakes_visible_to(request.user)
        .filter(member=member)
        .select_related("recorded_by"),
    }
    return render(request, "groups/person.html", context)


@login_required
def couples(request):
    permissions.require_facilitating_role(request.user)
    people = permissions.members_visible_to(request.user)
    form = CoupleLinkForm(request.POST or None, people=people)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                couple = couple_services.couple_link(
                    first=form.cleaned_data["first"],
                    second=form.cleaned_data["second"],
                    actor=request.user,
                )
            except ValidationError as error:
                service_error_to_form(form, error)
            else:
                messages.success(request, f"{couple} are linked as a couple.")
                return redirect("groups:couples")
        status = 400
    context = {
        "form": form,
        "couples": permissions.couples_visible_to(request.user)
        .filter(ended_at__isnull=True)
        .select_related("first", "second", "linked_by")
        .order_by("-created_at"),
    }
    return render(request, "groups/couples.html", context, status=status)


@login_required
@require_POST
def couple_unlink(request, pk):
    permissions.require_facilitating_role(request.user)
    couple = permissions.get_couple_for_user(request.user, pk)
    try:
        couple_services.couple_unlink(couple=couple, actor=request.user)
    except ValidationError as error:
        flash_error(request, error)
    else:
        messages.success(request, f"{couple} are no longer linked.")
    return redirect("groups:couples")


@login_required
def intake_new(request, member_pk):
    permissions.require_facilitating_role(request.user)
    member = permissions.get_member_for_user(request.user, member_pk)
    form = IntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            intake = intake_services.intake_record(
                member=member, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            service_error_to_form(form, error)
        else:
            messages.success(request, "Screening saved.")
            return redirect("groups:intake", pk=intake.pk)
    return render(request, "groups/intake_form.html", {"form": form, "person": member})


@login_required
def intake_detail(request, pk):
    permissions.require_facilitating_role(request.user)
    intake = permissions.get_intake_for_user(request.user, pk)
    answers = [
        (intake._meta.get_field(name).verbose_name, getattr(intake, name))
        for name in intake.ANSWER_FIELDS
    ]
    return render(request, "groups/intake_detail.html", {"intake": intake, "answers": answers})


@login_required
def intake_edit(request, pk):
    permissions.require_facilitating_role(request.user)
    intake = permissions.get_intake_for_user(request.user, pk)
    form = IntakeForm(request.POST or None, instance=intake)
    if request.method == "POST" and form.is_valid():
        try:
            intake_services.intake_update(intake=intake, actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            service_error_to_form(form, error)
        else:
            messages.success(request, "Screening saved.")
            return redirect("groups:intake", pk=intake.pk)
    context = {"form": form, "person": intake.member, "intake": intake}
    return render(request, "groups/intake_form.html", context)
