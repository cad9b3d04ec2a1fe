from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from groups import listings, permissions, selectors, services
from groups.forms import EnrollmentActionForm, InviteForm, RosterAddForm
from groups.models import GroupKind


def render_roster(request, group, *, add_form=None, invite_form=None, status=200):
    """The roster page; members' invitation view renders it too when its form is refused."""
    people = listings.addable_members(request.user, group)
    context = {
        "group": group,
        "stints": selectors.roster(group),
        "add_form": add_form or RosterAddForm(people=people),
        "invite_form": invite_form or InviteForm(),
        "is_couples": group.kind == GroupKind.COUPLES,
        "active_count": selectors.enrolled_count(group),
    }
    return render(request, "groups/roster.html", context, status=status)


@login_required
def roster(request, pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    return render_roster(request, group)


@login_required
@require_POST
def roster_add(request, pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    form = RosterAddForm(request.POST, people=listings.addable_members(request.user, group))
    if form.is_valid():
        member = form.cleaned_data["member"]
        ok, _result = call_service(
            form, services.roster_add, group=group, member=member, actor=request.user
        )
        if ok:
            messages.success(
                request, _("%(name)s is in the group.") % {"name": member.display_name}
            )
            return redirect("groups:roster", pk=group.pk)
    return render_roster(request, group, add_form=form, status=400)


@login_required
@require_POST
def enrollment_change(request, pk, enrollment_pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    enrollment = permissions.get_enrollment_to_manage(request.user, group, enrollment_pk)
    form = EnrollmentActionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose pause, resume or leave."))
        return redirect("groups:roster", pk=group.pk)
    ok, changed = call_service_or_flash(
        request,
        services.enrollment_change,
        enrollment=enrollment,
        action=form.cleaned_data["action"],
        actor=request.user,
    )
    if ok:
        names = [stint.member.display_name for stint in changed]
        if len(names) == 2:  # partners in a couples group move together
            who = _("%(first)s and %(second)s") % {"first": names[0], "second": names[1]}
        else:
            who = ", ".join(names)
        status = changed[0].get_status_display().lower()
        done = _("%(names)s: now %(status)s.") % {"names": who, "status": status}
        messages.success(request, done)
    return redirect("groups:roster", pk=group.pk)
