"""Reads for reading material: reading lists, a group's items, who read what."""

from django.db.models import Count, Exists, OuterRef, Q, Subquery

from groups.models import ACTIVE_STATUSES, VISIBLE_STATUSES, Group
from groups.permissions import groups_facilitated_by
from groups.selectors import member_ids_in, members_in
from materials.models import LibraryItem, Material, Reading
from materials.permissions import member_audience_q


def reading_list(user):
    """Everything that reaches a member across their groups, newest first, with `is_read`."""
    return (
        Material.objects.filter(member_audience_q(user))
        .select_related("session", "group")
        .annotate(
            is_read=Exists(Reading.objects.filter(material=OuterRef("pk"), member=user)),
        )
        .order_by("-visible_from", "-pk")
    )


def unread_count(user) -> int:
    """The reading list's unread items, counted (on every home page: no joins, no order)."""
    read = Reading.objects.filter(material=OuterRef("pk"), member=user)
    return Material.objects.filter(member_audience_q(user), ~Exists(read)).count()


def group_materials(group):
    """A group's items, its sessions' items and kind-wide items reaching it, with read counts.

    `read_count` counts only this group's members, so no other group's readers leak in.
    """
    return (
        Material.objects.filter(Q(group=group) | Q(group__isnull=True, kind=group.kind))
        .select_related("session")
        .annotate(
            read_count=Count(
                "readings",
                filter=Q(readings__member_id__in=member_ids_in(group, statuses=VISIBLE_STATUSES)),
                distinct=True,
            )
        )
        .order_by("-visible_from", "-pk")
    )


def material_audience_groups(material):
    """The groups an item reaches (a kind-wide item: every current group of that kind)."""
    if material.group_id:
        return Group.objects.filter(pk=material.group_id)
    return Group.objects.active().filter(kind=material.kind)


def material_recipients(material):
    """Active members of the groups an item reaches: whom to tell it is available."""
    groups = material_audience_groups(material)
    return members_in(groups=groups, statuses=ACTIVE_STATUSES).filter(is_active=True)


def has_read(material, member) -> bool:
    return Reading.objects.filter(material=material, member=member).exists()


def material_readers(material, viewer):
    """For facilitators: each member of the viewer's groups the item reaches, with `read_at`.

    A facilitator of one group never sees readers in another group the item also reaches.
    """
    groups = material_audience_groups(material).filter(
        pk__in=groups_facilitated_by(viewer).values("pk")
    )
    read_at = Reading.objects.filter(material=material, member=OuterRef("pk")).values("read_at")
    return (
        members_in(groups=groups, statuses=VISIBLE_STATUSES)
        .annotate(read_at=Subquery(read_at[:1]))
        .order_by("display_name", "pk")
    )


def library_items():
    return LibraryItem.objects.annotate(assignment_count=Count("assignments")).order_by(
        "title", "pk"
    )


def groups_to_manage(user):
    return groups_facilitated_by(user).active().order_by("name", "pk")


# --- a member's own data (privacy) -------------------------------------------------------


def export_member(member_id: int) -> list[dict]:
    """What one person opened or marked read, and when."""
    readings = (
        Reading.objects.filter(member_id=member_id)
        .select_related("material")
        .order_by("read_at", "pk")
    )
    return [{"title": reading.material.title, "read_at": reading.read_at} for reading in readings]
