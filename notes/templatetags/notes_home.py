from django import template

from notes.permissions import open_notes_on
from notes.selectors import todo_for

register = template.Library()


@register.simple_tag(takes_context=True)
def notes_todo(context):
    """Held sessions with notes missing or unsigned, for the signed-in facilitator."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not (
        user.is_authenticated and (user.is_facilitator or user.is_clinic_staff)
    ):
        return []
    return todo_for(user)


@register.simple_tag
def notes_link_shown(user) -> bool:
    """The menu's Notes link: facilitators and staff; members only with open notes on."""
    if not user.is_authenticated:
        return False
    return user.is_facilitator or user.is_clinic_staff or open_notes_on()
