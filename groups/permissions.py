"""The one place that decides who may see or run which group, and which stint on its roster.

Every view fetches through these helpers; anything outside a person's view is Http404, never
403, and never reaches a list, a count or a choice. Who is in a group is asked of the membership
API (groups.selectors) with a named status set. People, couples, intake and consent have their
walls in members.permissions.
"""

from django.db.models import Q
from django.http import Http404

from core.lookups import get_object_for_user_or_404
from groups.models import ENROLLED_STATUSES, VISIBLE_STATUSES, Enrollment, Group
from groups.selectors import belongs, group_ids_of, members_in, stints

# --- roles -------------------------------------------------------------------------------


def is_facilitating_role(user) -> bool:
    return user.is_authenticated and (user.is_clinic_staff or user.is_facilitator)


def require_facilitating_role(user) -> None:
    """Facilitator pages answer members with 404, as if they did not exist."""
    if not is_facilitating_role(user):
        raise Http404("Not found")


# --- groups ------------------------------------------------------------------------------


def facilitated_group_ids(user):
    """Ids of the groups `user` is named facilitator of (staff: only those too)."""
    return Group.facilitators.through.objects.filter(user=user).values("group_id")


def groups_visible_to(user):
    """Groups a person may see at all: staff all, facilitators theirs, members their own."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_clinic_staff:
        return Group.objects.all()
    return Group.objects.filter(
        Q(pk__in=facilitated_group_ids(user)) | Q(pk__in=group_ids_of(user, VISIBLE_STATUSES))
    )


def groups_facilitated_by(user):
    """Groups a person may run: staff all, facilitators theirs, members none."""
    if not user.is_authenticated:
        return Group.objects.none()
    if user.is_clinic_staff:
        return Group.objects.all()
    return Group.objects.filter(facilitators=user)


def get_group_for_user(user, pk) -> Group:
    return get_object_for_user_or_404(groups_visible_to(user), pk, "No such group")


def get_group_to_facilitate(user, pk) -> Group:
    return get_object_for_user_or_404(groups_facilitated_by(user), pk, "No such group")


def groups_to_label(user):
    """Groups a member may give their own name: ones they belong to and do not run."""
    if not user.is_authenticated or user.is_clinic_staff:
        return Group.objects.none()
    return Group.objects.filter(pk__in=group_ids_of(user, VISIBLE_STATUSES)).exclude(
        pk__in=facilitated_group_ids(user)
    )


def get_group_to_label(user, pk) -> Group:
    return get_object_for_user_or_404(groups_to_label(user), pk, "No such group")


def can_facilitate(user, group) -> bool:
    return user.is_authenticated and (
        user.is_clinic_staff or group.facilitators.filter(pk=user.pk).exists()
    )


def is_enrolled(user, group) -> bool:
    return belongs(user, group, ENROLLED_STATUSES)


def can_see_logistics(user, group) -> bool:
    """The address and video link: enrolled members and the group's facilitators only."""
    return can_facilitate(user, group) or is_enrolled(user, group)


def can_see_kind(user, group) -> bool:
    """Only those who run a group see its kind on screen; members never have it shown."""
    return can_facilitate(user, group)


def co_member_names(user, group, *, facilitating=None, enrolled=None) -> list[str]:
    """What a member sees of the roster: display names only, or nothing when it is hidden.
    `facilitating` and `enrolled`: the two checks, if the caller has made them already."""
    if can_facilitate(user, group) if facilitating is None else facilitating:
        return []  # facilitators use the roster page, which shows more
    if not group.roster_visible:
        return []
    if not (is_enrolled(user, group) if enrolled is None else enrolled):
        return []
    return list(
        members_in(group, statuses=ENROLLED_STATUSES)
        .exclude(pk=user.pk)
        .order_by("display_name", "pk")
        .values_list("display_name", flat=True)
    )


# --- roster ------------------------------------------------------------------------------


def get_enrollment_to_manage(user, group, pk) -> Enrollment:
    """One stint on a roster the user runs."""
    if not can_facilitate(user, group):
        raise Http404("Not found")
    return get_object_for_user_or_404(stints(group=group).select_related("member"), pk)
