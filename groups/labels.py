"""What a person calls a group on their own screens, emails and calendar.

A member may give each of their groups their own label ("Tuesday group"); everyone
else (facilitators, staff, co-members) sees the group's real name. Use `name_for`
for one group and `names_for` when listing several, so a page costs one query.
"""

from collections.abc import Iterable

from django.db.models import CharField, OuterRef, Subquery, Value

from groups.models import Group, GroupLabel


def names_for(user, groups: Iterable[Group]) -> dict[int, str]:
    """{group id: the name this user sees} for the given groups."""
    groups = list(groups)
    names = {group.pk: group.name for group in groups}
    if getattr(user, "is_authenticated", False) and names:
        own = GroupLabel.objects.filter(member=user, group_id__in=names).values_list(
            "group_id", "label"
        )
        names.update(dict(own))
    return names


def name_for(user, group: Group) -> str:
    """The name this user sees for one group: their own label, or the group's name."""
    return names_for(user, [group])[group.pk]


def labels_of(user, groups: Iterable[Group]) -> dict[int, str]:
    """{group id: label} for the groups this user gave a label (none: {}). For outbound
    text that says something else when there is no label (the calendar's neutral title)."""
    return labels_of_ids(user, [group.pk for group in groups])


def labels_of_ids(user, ids: Iterable[int]) -> dict[int, str]:
    """labels_of, for groups known by id only."""
    ids = list(ids)
    if not getattr(user, "is_authenticated", False) or not ids:
        return {}
    return dict(
        GroupLabel.objects.filter(member=user, group_id__in=ids).values_list("group_id", "label")
    )


def own_label(user, group_ref: str = "pk"):
    """A subquery for annotating a list: this user's label for the group at `group_ref`
    (None without one), so listing labels costs no query of its own. Templates show
    `{{ obj.own_label|default:group.name }}`."""
    if not getattr(user, "is_authenticated", False):
        return Value(None, output_field=CharField())
    labels = GroupLabel.objects.filter(member=user, group=OuterRef(group_ref))
    return Subquery(labels.values("label")[:1], output_field=CharField())
