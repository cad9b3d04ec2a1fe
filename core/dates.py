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


def clock(moment: datetime.datetime | datetime.time) -> str:
    """The one way Circle writes a time of day, on pages and in messages: '7 pm', '7:30 pm',
    'noon', 'midnight'."""
    if moment.hour == 12 and moment.minute == 0:
        return "noon"
    if moment.hour == 0 and moment.minute == 0:
        return "midnight"
    hour = moment.hour % 12 or 12
    suffix = "am" if moment.hour < 12 else "pm"
    return f"{hour} {suffix}" if moment.minute == 0 else f"{hour}:{moment.minute:02d} {suffix}"


def day_and_clock(moment: datetime.datetime) -> str:
    """'Tuesday 1 December, 7 pm'."""
    return f"{moment:%A} {moment.day} {moment:%B}, {clock(moment)}"
