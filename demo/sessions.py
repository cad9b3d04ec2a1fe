"""Demo sessions for `manage.py seed_demo`: a weekly evening series for a demo group."""

import datetime
import zoneinfo

from django.utils import timezone

from sessions import recurrence, services
from sessions.models import Series

DEMO_MINUTES = 90
# date.weekday() numbers, as the rule's day codes.
WEEKDAY_CODES = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def seed_demo_sessions(group, *, weekday: int, start: datetime.time, actor=None) -> Series:
    """Idempotent: the group's first series is reused (and topped up), never duplicated."""
    existing = group.series.order_by("pk").first()
    if existing is not None:
        services.series_materialise(existing)
        return existing
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(group.time_zone)).date()
    # The group's next meeting day (today counts): the demo opens with a session ahead.
    first = today + datetime.timedelta(days=(weekday - today.weekday()) % 7)
    return services.series_create(
        group=group,
        actor=actor,
        rrule=recurrence.build_rule(frequency="weekly", weekday=WEEKDAY_CODES[weekday]),
        starts_on=first,
        start_time=start,
        duration_minutes=DEMO_MINUTES,
    )
