from django import template

from sessions import selectors

register = template.Library()


@register.simple_tag
def next_sessions_for(user, limit=3):
    """The home panel's few next sessions (a constant number of queries)."""
    if not user.is_authenticated:
        return []
    return selectors.upcoming_for(user, limit=limit)
