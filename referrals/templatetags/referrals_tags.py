"""The group page's links to its waiting list and agreement, for the group's facilitators
(the group page renders them in one line and need not know about referrals)."""

from django import template

from groups.permissions import can_facilitate
from referrals import agreements
from referrals.forms import QUESTION_LABELS
from referrals.models import EntryStatus, OfferStatus, Status
from referrals.selectors import waiting_count

register = template.Library()


@register.inclusion_tag("referrals/includes/group_links.html", takes_context=True)
def group_referral_links(context, group) -> dict:
    user = context.get("user")
    if user is None or not user.is_authenticated or not can_facilitate(user, group):
        return {"show": False}
    return {
        "show": True,
        "group": group,
        "waiting": waiting_count(group),
        "agreement": agreements.current_version(group),
    }


# Stored codes as words in the reader's language (the export's readable summary).
@register.filter
def request_status(code: str) -> str:
    return str(dict(Status.choices).get(code, code))


@register.filter
def place_status(code: str) -> str:
    return str(dict(EntryStatus.choices).get(code, code))


@register.filter
def offer_status(code: str) -> str:
    return str(dict(OfferStatus.choices).get(code, code))


@register.filter
def question_label(field: str) -> str:
    return str(QUESTION_LABELS.get(field, field))
