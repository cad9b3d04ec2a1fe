from django import template

from notifications import selectors
from notifications.models import Status
from notifications.reasons import reason_text

register = template.Library()


@register.filter
def delivery_reason(reason: str) -> str:
    """Why a message was not sent, in the reader's language when it is one of ours."""
    return reason_text(reason or "")


@register.filter
def status_label(status: str) -> str:
    """An outbox status code ('sent', 'skipped'), as the reader's language names it."""
    return str(Status(status).label) if status in Status.values else status


def _user(context):
    request = context.get("request")
    return getattr(request, "user", None) or context.get("user")


def _unread(context, user) -> int:
    """The unread count, counted once per request however many places show it (the nav,
    the home panel)."""
    request = context.get("request")
    cached = getattr(request, "_notifications_unread", None)
    if cached is None:
        cached = selectors.unread_count(user)
        if request is not None:
            request._notifications_unread = cached
    return cached


@register.inclusion_tag("notifications/includes/nav_link.html", takes_context=True)
def notifications_nav(context):
    user = _user(context)
    return {"unread": _unread(context, user) if user else 0}


@register.inclusion_tag("notifications/includes/home_panel.html", takes_context=True)
def notifications_panel(context):
    user = _user(context)
    if user is None:
        return {"unread": 0, "failures": []}
    failures = []
    if user.is_authenticated and (user.is_facilitator or user.is_clinic_staff):
        failures = list(selectors.recent_failures_for(user)[:10])
    return {"unread": _unread(context, user), "failures": failures}


@register.simple_tag
def invitations_with_delivery(invitations):
    """[(invitation, 'sent' / 'failed' / 'waiting' / 'not sent')] for the Invitations page,
    in one query."""
    invitations = list(invitations)
    statuses = selectors.invitation_email_statuses(invitations)
    return [(invitation, statuses[invitation.pk]) for invitation in invitations]


@register.inclusion_tag("notifications/includes/invitation_email_status.html")
def invitation_delivery_label(status: str):
    """The label for one invitation's email."""
    return {"status": status}
