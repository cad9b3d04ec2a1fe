from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from groups import labels, listings, permissions, services
from groups.forms import GroupFilterForm, GroupForm, GroupLabelForm


@login_required
def group_list(request):
    user = request.user
    # Each group's next session is added by the template ({% with_next_session %}).
    context = {"member_groups": listings.member_groups(user)}
    if permissions.is_facilitating_role(user):
        # Narrowed by the language a group meets in; an unknown value shows them all.
        filter_form = GroupFilterForm(request.GET or None)
        language = filter_form.chosen_language()
        context["filter_form"] = filter_form
        context["language_filtered"] = bool(language)
        context["run_groups"] = listings.facilitator_groups(user, language=language)
        context["archived_groups"] = listings.facilitator_groups(
            user, archived=True, language=language
        )
    return render(request, "groups/list.html", context)


@login_required
def group_detail(request, pk):
    group = permissions.get_group_for_user(request.user, pk)
    return _render_detail(request, group)


def _render_detail(request, group, *, label_form=None, status=200):
    # Each check once per page (they were asked three and two times over).
    facilitating = permissions.can_facilitate(request.user, group)
    enrolled = facilitating or permissions.is_enrolled(request.user, group)
    # Anyone who sees the page without running the group is one of its members: the name
    # they gave it, if any, is what they see (everyone else sees the group's own name).
    own_label = None if facilitating else labels.labels_of(request.user, [group]).get(group.pk)
    context = {
        "group": group,
        "group_name": own_label or group.name,
        "own_label": own_label,
        "label_form": None
        if facilitating
        else label_form or GroupLabelForm(initial={"label": own_label or ""}),
        "facilitating": facilitating,
        "show_kind": facilitating,  # permissions.can_see_kind
        "show_logistics": facilitating or enrolled,  # permissions.can_see_logistics
        "co_members": permissions.co_member_names(
            request.user, group, facilitating=facilitating, enrolled=enrolled
        ),
        "facilitator_names": [f.display_name for f in group.facilitators.all()],
        # The upcoming sessions are the template's ({% group_upcoming_sessions %}).
    }
    return render(request, "groups/detail.html", context, status=status)


@login_required
@require_POST
def group_label(request, pk):
    """A member names one of their groups for their own screens, or goes back to its name."""
    group = permissions.get_group_to_label(request.user, pk)
    form = GroupLabelForm(request.POST)
    if "clear" in request.POST:
        ok, _result = call_service_or_flash(
            request, services.group_label_clear, member=request.user, group=group
        )
        if ok:
            messages.success(request, _("Done. You'll see the group's own name again."))
        return redirect("groups:detail", pk=group.pk)
    if form.is_valid():
        ok, row = call_service(
            form,
            services.group_label_set,
            member=request.user,
            group=group,
            label=form.cleaned_data["label"],
        )
        if ok:
            messages.success(
                request,
                _("Saved. Your screens, emails and calendar now call this group “%(name)s”.")
                % {"name": row.label},
            )
            return redirect("groups:detail", pk=group.pk)
    return _render_detail(request, group, label_form=form, status=400)


@login_required
def group_create(request):
    permissions.require_facilitating_role(request.user)
    initial = {"facilitators": [request.user]} if request.user.is_facilitator else {}
    form = GroupForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        ok, group = call_service(
            form,
            services.group_create,
            actor=request.user,
            facilitators=form.cleaned_data["facilitators"],
            **form.service_fields(),
        )
        if ok:
            messages.success(
                request,
                _("“%(name)s” is ready. Add people from its roster.") % {"name": group.name},
            )
            return redirect("groups:detail", pk=group.pk)
    return render(request, "groups/form.html", {"form": form, "group": None})


@login_required
def group_edit(request, pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    form = GroupForm(
        request.POST or None,
        group=group,
        initial={"facilitators": list(group.facilitators.all())},
    )
    if request.method == "POST" and form.is_valid():
        ok, _result = call_service(
            form,
            services.group_update,
            group=group,
            actor=request.user,
            facilitators=form.cleaned_data["facilitators"],
            **form.service_fields(),
        )
        if ok:
            messages.success(request, _("Changes saved."))
            if permissions.groups_visible_to(request.user).filter(pk=group.pk).exists():
                return redirect("groups:detail", pk=group.pk)
            return redirect("groups:list")
    return render(request, "groups/form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_archive(request, pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    if request.POST.get("restore"):
        ok, _result = call_service_or_flash(
            request, services.group_restore, group=group, actor=request.user
        )
        if ok:
            messages.success(request, _("The group is active again."))
    else:
        ok, _result = call_service_or_flash(
            request, services.group_archive, group=group, actor=request.user
        )
        if ok:
            messages.success(request, _("The group is archived. Members no longer see it."))
    return redirect("groups:detail", pk=group.pk)
