from django import template

from sessions import reasons, selectors

register = template.Library()


@register.simple_tag
def next_sessions_for(user, limit=3):
    """The home panel's few next sessions (a constant number of queries)."""
    if not user.is_authenticated:
        return []
    return selectors.upcoming_for(user, limit=limit)


@register.simple_tag
def with_next_session(groups):
    """A groups page's list, each group with its next session (groups cannot ask sessions)."""
    if not hasattr(groups, "annotate"):
        return groups  # nothing to list (a person who runs no group)
    return selectors.with_next_session(groups)


@register.simple_tag
def group_upcoming_sessions(group, limit=5):
    """The group page's coming sessions."""
    return selectors.group_upcoming_sessions(group, limit=limit)


@register.simple_tag
def group_join_link(group):
    """The video link while one of the group's sessions is open for joining, else ""."""
    return selectors.group_join_link(group)


@register.simple_tag
def join_opens_minutes():
    return selectors.join_opens_minutes()


@register.filter
def reason_text(reason):
    """A cancelled session's reason: Circle's own in the viewer's language, typed ones as typed."""
    return reasons.reason_text(reason)
