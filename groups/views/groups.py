from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from core.views import call_service, call_service_or_flash
from groups import listings, permissions, services
from groups.forms import GroupForm


@login_required
def group_list(request):
    user = request.user
    # Each group's next session is added by the template ({% with_next_session %}).
    context = {"member_groups": listings.member_groups(user)}
    if permissions.is_facilitating_role(user):
        context["run_groups"] = listings.facilitator_groups(user)
        context["archived_groups"] = listings.facilitator_groups(user, archived=True)
    return render(request, "groups/list.html", context)


@login_required
def group_detail(request, pk):
    group = permissions.get_group_for_user(request.user, pk)
    facilitating = permissions.can_facilitate(request.user, group)
    context = {
        "group": group,
        "facilitating": facilitating,
        "show_kind": permissions.can_see_kind(request.user, group),
        "show_logistics": permissions.can_see_logistics(request.user, group),
        "co_members": permissions.co_member_names(request.user, group),
        "facilitator_names": [f.display_name for f in group.facilitators.all()],
        # The upcoming sessions are the template's ({% group_upcoming_sessions %}).
    }
    return render(request, "groups/detail.html", context)


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
            messages.success(request, f"“{group.name}” is ready. Add people from its roster.")
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
        ok, _ = call_service(
            form,
            services.group_update,
            group=group,
            actor=request.user,
            facilitators=form.cleaned_data["facilitators"],
            **form.service_fields(),
        )
        if ok:
            messages.success(request, "Changes saved.")
            if permissions.groups_visible_to(request.user).filter(pk=group.pk).exists():
                return redirect("groups:detail", pk=group.pk)
            return redirect("groups:list")
    return render(request, "groups/form.html", {"form": form, "group": group})


@login_required
@require_POST
def group_archive(request, pk):
    group = permissions.get_group_to_facilitate(request.user, pk)
    if request.POST.get("restore"):
        ok, _ = call_service_or_flash(
            request, services.group_restore, group=group, actor=request.user
        )
        if ok:
            messages.success(request, "The group is active again.")
    else:
        ok, _ = call_service_or_flash(
            request, services.group_archive, group=group, actor=request.user
        )
        if ok:
            messages.success(request, "The group is archived. Members no longer see it.")
    return redirect("groups:detail", pk=group.pk)
