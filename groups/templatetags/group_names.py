"""The name a person sees for their groups, in templates whose lists come from other apps
(the reading list): one query for the whole list (groups.labels)."""

from django import template

from groups.labels import names_for
from groups.models import Group

register = template.Library()


@register.simple_tag(takes_context=True)
def own_group_names(context, objects):
    """{group id: the name the viewer sees} for `objects` (groups, or things with `.group`)."""
    groups = {}
    for obj in objects or ():
        group = obj if isinstance(obj, Group) else getattr(obj, "group", None)
        if group is not None:
            groups[group.pk] = group
    return names_for(context["request"].user, groups.values())


@register.filter
def name_in(group, names):
    """`group`'s name from own_group_names' answer; its own name if it is not there."""
    return names.get(group.pk, group.name) if names else group.name
