from django import template

from attendance.selectors import open_follow_ups_for

register = template.Library()


@register.simple_tag(takes_context=True)
def attendance_follow_ups(context):
    """Open absence follow-ups for the signed-in facilitator (empty for members)."""
    request = context.get("request")
    return open_follow_ups_for(request.user) if request is not None else []
