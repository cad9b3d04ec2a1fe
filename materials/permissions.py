"""The one place that decides who may see, manage or assign reading material. Outsiders get 404."""

from django.db.models import Q
from django.http import Http404
from django.utils import timezone

from core.lookups import get_object_for_user_or_404
from groups.models import VISIBLE_STATUSES, Group, GroupKind
from groups.permissions import groups_facilitated_by
from groups.selectors import group_ids_of
from materials.models import LibraryItem, Material
from sessions.models import Session, SessionStatus


def _enrolled_group_ids(user):
    return group_ids_of(user, statuses=VISIBLE_STATUSES)


def _audience_q(group_ids) -> Q:
    """Items for these groups, their sessions, or every group of one of their kinds."""
    kinds = Group.objects.filter(pk__in=group_ids).values("kind")
    return Q(group_id__in=group_ids) | Q(group__isnull=True, kind__in=kinds)


def member_audience_q(user, now=None) -> Q:
    """What reaches a person as a member of their groups, once visible."""
    return _audience_q(_enrolled_group_ids(user)) & Q(visible_from__lte=now or timezone.now())


def materials_visible_to(user):
    """Staff: everything. Facilitators: what reaches their groups. Members: what reaches them."""
    if not user.is_authenticated:
        return Material.objects.none()
    if user.is_clinic_staff:
        return Material.objects.all()
    facilitated = groups_facilitated_by(user).values("pk")
    return Material.objects.filter(member_audience_q(user) | _audience_q(facilitated))


def get_material_for_user(user, pk) -> Material:
    materials = materials_visible_to(user).select_related("library_item", "session")
    return get_object_for_user_or_404(materials, pk, "No such item")


def materials_managed_by(user):
    """Staff manage every item; facilitators the items of groups they run (not kind-wide)."""
    if not user.is_authenticated:
        return Material.objects.none()
    if user.is_clinic_staff:
        return Material.objects.all()
    return Material.objects.filter(group__in=groups_facilitated_by(user))


def get_material_to_manage(user, pk) -> Material:
    return get_object_for_user_or_404(materials_managed_by(user), pk, "No such item")


def can_manage(user, material) -> bool:
    return materials_managed_by(user).filter(pk=material.pk).exists()


def is_in_audience(user, material) -> bool:
    """Whether the person is one of the members the item is for (their reading counts)."""
    return (
        user.is_authenticated
        and Material.objects.filter(member_audience_q(user), pk=material.pk).exists()
    )


def can_use_library(user) -> bool:
    return user.is_authenticated and (user.is_clinic_staff or user.is_facilitator)


def can_manage_library(user) -> bool:
    return user.is_authenticated and user.is_clinic_staff


def get_library_item_for_user(user, pk) -> LibraryItem:
    if not can_use_library(user):
        raise Http404("No such item")
    return get_object_for_user_or_404(LibraryItem.objects.all(), pk, "No such item")


def get_library_item_to_manage(user, pk) -> LibraryItem:
    if not can_manage_library(user):
        raise Http404("No such item")
    return get_library_item_for_user(user, pk)


def require_library(user) -> None:
    if not can_use_library(user):
        raise Http404("No such page")


def require_library_manager(user) -> None:
    if not can_manage_library(user):
        raise Http404("No such page")


def sessions_to_assign(user, group=None):
    """Upcoming sessions a person may attach reading to."""
    sessions = Session.objects.filter(
        group__in=groups_facilitated_by(user).active(),
        status=SessionStatus.SCHEDULED,
        starts_at__gte=timezone.now(),
    ).select_related("group")
    if group is not None:
        sessions = sessions.filter(group=group)
    return sessions.order_by("starts_at", "pk")


def get_audience_for_user(user, value: str) -> dict:
    """Turn an audience choice ("group:3", "session:9", "kind:partner") into model fields.

    Anything the person may not address answers 404, like any other outsider's object.
    """
    prefix, _, raw = (value or "").partition(":")
    if prefix == "kind" and can_manage_library(user) and raw in GroupKind.values:
        return {"group": None, "session": None, "kind": raw}
    if prefix == "group":
        groups = groups_facilitated_by(user).active()
        group = get_object_for_user_or_404(groups, raw, "No such audience")
        return {"group": group, "session": None, "kind": ""}
    if prefix == "session":
        session = get_object_for_user_or_404(sessions_to_assign(user), raw, "No such audience")
        return {"group": session.group, "session": session, "kind": ""}
    raise Http404("No such audience")
