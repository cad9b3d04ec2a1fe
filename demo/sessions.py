"""Demo sessions for `manage.py seed_demo`: a weekly evening series for a demo group."""

import datetime
import zoneinfo

from django.utils import timezone

from sessions import recurrence, services
from sessions.models import Series

DEMO_WEEKDAY = "TU"
DEMO_WEEKDAY_NUMBER = 1  # Tuesday, as date.weekday() counts
DEMO_START = datetime.time(19, 0)
DEMO_MINUTES = 90


def seed_demo_sessions(group, *, actor=None) -> Series:
    """Idempotent: the group's first series is reused (and topped up), never duplicated."""
    existing = group.series.order_by("pk").first()
    if existing is not None:
        services.series_materialise(existing)
        return existing
    today = timezone.now().astimezone(zoneinfo.ZoneInfo(group.time_zone)).date()
    # The next Tuesday (today counts if it is one): the demo opens with a session ahead.
    first = today + datetime.timedelta(days=(1 - today.weekday()) % 7)
    return services.series_create(
        group=group,
        actor=actor,
        rrule=recurrence.build_rule(frequency="weekly", weekday=DEMO_WEEKDAY),
        starts_on=first,
        start_time=DEMO_START,
        duration_minutes=DEMO_MINUTES,
    )
