"""Template filters every page may use without {% load %} (TEMPLATES builtins): times of day
written the same way on pages as in messages, in the viewer's own time zone."""

import datetime

from django import template
from django.utils import timezone

from core import dates

register = template.Library()


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)  # the zone the middleware activated for the viewer
    return value


@register.filter
def clock(value) -> str:
    """{{ session.starts_at|clock }} -> '7 pm'."""
    if not isinstance(value, datetime.datetime | datetime.time):
        return ""
    return dates.clock(_local(value))


@register.filter
def day_and_clock(value) -> str:
    """{{ session.starts_at|day_and_clock }} -> 'Tuesday 1 December, 7 pm'."""
    if not isinstance(value, datetime.datetime):
        return ""
    return dates.day_and_clock(_local(value))
