from django import template

from measures.selectors import open_alerts_for, pending_prompts_for

register = template.Library()


@register.simple_tag(takes_context=True)
def measures_home(context) -> dict:
    """Waiting questions for a member; open safety alerts for a facilitator or staff."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    if user.is_member:
        return {"member": True, "prompts": pending_prompts_for(user)}
    return {"alerts": open_alerts_for(user)}
