from django import template

from groups import listings, permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def home_groups(context):
    """The home panel's data; a tag because the home view belongs to another app."""
    user = context["request"].user
    return {
        "member_groups": listings.member_groups(user),
        "runs_groups": permissions.is_facilitating_role(user),
    }
