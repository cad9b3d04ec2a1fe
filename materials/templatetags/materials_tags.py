from django import template

from materials.selectors import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def reading_unread_count(context) -> int:
    user = context["request"].user
    return unread_count(user) if user.is_authenticated else 0
