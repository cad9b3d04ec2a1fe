"""Wall-clock dates in a named time zone. Times are stored in UTC and converted only here."""

import datetime

from django.utils import timezone

from core.timezones import zone


def local_date(moment: datetime.datetime, zone_name: str) -> datetime.date:
    """The calendar date of `moment` in the zone `zone_name`."""
    return moment.astimezone(zone(zone_name)).date()


def today_in(zone_name: str, now: datetime.datetime | None = None) -> datetime.date:
    return local_date(now or timezone.now(), zone_name)


def local_day_bounds(
    zone_name: str, first: datetime.date, last: datetime.date
) -> tuple[datetime.datetime, datetime.datetime]:
    """UTC instants that bound the local days first..last inclusive in `zone_name`."""
    tz = zone(zone_name)
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tz)
    return start.astimezone(datetime.UTC), end.astimezone(datetime.UTC)
