"""What a person calls a group on their own screens, emails and calendar.

A member may give each of their groups their own label ("Tuesday group"); everyone
else (facilitators, staff, co-members) sees the group's real name. Use `name_for`
for one group and `names_for` when listing several, so a page costs one query.
"""

from collections.abc import Iterable

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
