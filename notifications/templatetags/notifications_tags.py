from django import template

from notifications import selectors

register = template.Library()


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


@register.inclusion_tag("notifications/includes/nav_link.html", takes_context=True)
def notifications_nav(context):
    user = _user(context)
    return {"unread": selectors.unread_count(user) if user else 0}


@register.inclusion_tag("notifications/includes/home_panel.html", takes_context=True)
def notifications_panel(context):
    user = _user(context)
    if user is None:
        return {"unread": 0, "failures": []}
    failures = []
    if user.is_authenticated and (user.is_facilitator or user.is_clinic_staff):
        failures = list(selectors.recent_failures_for(user)[:10])
    return {"unread": selectors.unread_count(user), "failures": failures}


@register.inclusion_tag("notifications/includes/invitation_email_status.html")
def invitation_email_status(invitation):
    """The sent / failed / waiting label next to an invitation on the Invitations page."""
    return {"status": selectors.invitation_email_status(invitation)}
