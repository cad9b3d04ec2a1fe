"""Recurrence in wall-clock time: dateutil expands the RFC 5545 rule, zoneinfo places it.

The rule runs on naive local datetimes (the group's clock), so a 7 pm session stays 7 pm
across daylight-saving changes; each occurrence is converted to UTC only at the end.
"""

import datetime
import logging
import zoneinfo

from dateutil.rrule import rrulestr
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from core import timezones
from core.dates import clock

logger = logging.getLogger(__name__)
UTC = datetime.UTC
# How far ahead a new rule is checked for times the clock skips.
CHECK_AHEAD = datetime.timedelta(days=2 * 366)

FREQUENCIES = {
    "weekly": ("WEEKLY", 1),
    "fortnightly": ("WEEKLY", 2),
    "monthly": ("MONTHLY", 1),
}
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def horizon() -> datetime.timedelta:
    """How far ahead sessions are planned (and listed)."""
    return datetime.timedelta(weeks=settings.SESSION_HORIZON_WEEKS)


def build_rule(
    *,
    frequency: str,
    weekday: str,
    nth: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
) -> str:
    """The RRULE text for the choices the schedule form offers."""
    freq, interval = FREQUENCIES[frequency]
    parts = [f"FREQ={freq}"]
    if interval != 1:
        parts.append(f"INTERVAL={interval}")
    parts.append(f"BYDAY={nth}{weekday}" if freq == "MONTHLY" and nth else f"BYDAY={weekday}")
    if until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    elif count:
        parts.append(f"COUNT={count}")
    return ";".join(parts)


def describe_rule(rule: str) -> dict:
    """Back from our own RRULE text to the form's choices (for editing a series)."""
    parts = dict(part.split("=", 1) for part in rule.split(";") if "=" in part)
    byday = parts.get("BYDAY", "MO")
    weekday, nth = byday[-2:], byday[:-2]
    if parts.get("FREQ") == "MONTHLY":
        frequency = "monthly"
    else:
        frequency = "fortnightly" if parts.get("INTERVAL") == "2" else "weekly"
    until = parts.get("UNTIL")
    return {
        "frequency": frequency,
        "weekday": weekday,
        "nth": int(nth) if nth.lstrip("-").isdigit() else None,
        "until": datetime.datetime.strptime(until[:8], "%Y%m%d").date() if until else None,
        "count": int(parts["COUNT"]) if "COUNT" in parts else None,
    }


def parse_rule(rule: str, first: datetime.datetime):
    try:
        return rrulestr(rule, dtstart=first)
    except (ValueError, TypeError):
        raise ValidationError(_("We could not read that repeat rule.")) from None


def exists_locally(local: datetime.datetime, zone: zoneinfo.ZoneInfo) -> bool:
    """False for a wall-clock time the clocks skip (e.g. 01:30 on a spring-forward night)."""
    aware = local.replace(tzinfo=zone)
    return aware.astimezone(UTC).astimezone(zone).replace(tzinfo=None) == local


def to_utc(local: datetime.datetime, zone_name: str) -> datetime.datetime:
    """A naive local time in `zone_name` as an aware UTC time; skipped times are an error."""
    zone = timezones.zone(zone_name)
    if not exists_locally(local, zone):
        # Translators: a date format (Django's date filter): "Sunday 29 March 2026, 01:30".
        when = formats.date_format(local, _("l j F Y, H:i"))
        raise ValidationError(
            _(
                "%(when)s does not exist in %(zone)s: the clocks change that night. "
                "Choose another time."
            )
            % {"when": when, "zone": zone_name}
        )
    # fold=0: in the repeated hour of an autumn change, the first of the two.
    return local.replace(tzinfo=zone).astimezone(UTC)


def series_first(series) -> datetime.datetime:
    return datetime.datetime.combine(series.starts_on, series.start_time)


def series_local_starts(series, after: datetime.datetime, before: datetime.datetime):
    """Naive local starts of `series` between two aware moments, minus skipped/ended dates."""
    zone = timezones.zone(series.group.time_zone)
    rule = parse_rule(series.rrule, series_first(series))
    lo = after.astimezone(zone).replace(tzinfo=None)
    hi = before.astimezone(zone).replace(tzinfo=None)
    skipped = set(series.skipped_dates or [])
    for local in rule.between(lo, hi, inc=True):
        if local.date().isoformat() in skipped:
            continue
        if series.ended_on and local.date() > series.ended_on:
            continue
        yield local


def occurrences(
    rule: str, first: datetime.datetime, zone_name: str, after, before
) -> list[tuple[datetime.date, datetime.datetime]]:
    """(local day, UTC start) of every occurrence of `rule` between two aware moments, minus
    the times the clocks skip. Materialising shares one expansion among the series that have
    the same rule, first start and zone (thousands of series, a few dozen distinct rules)."""
    zone = timezones.zone(zone_name)
    lo = after.astimezone(zone).replace(tzinfo=None)
    hi = before.astimezone(zone).replace(tzinfo=None)
    found = []
    for local in parse_rule(rule, first).between(lo, hi, inc=True):
        if exists_locally(local, zone):
            found.append((local.date(), local.replace(tzinfo=zone).astimezone(UTC)))
        else:
            logger.warning("%s does not exist in %s (clocks change); skipped", local, zone_name)
    return found


def validate_rule(*, rule: str, starts_on, start_time, zone_name: str) -> None:
    """A clear error for a rule with no occurrences or one that lands on a skipped time."""
    first = datetime.datetime.combine(starts_on, start_time)
    parsed = parse_rule(rule, first)
    upcoming = parsed.between(first, first + CHECK_AHEAD, inc=True)
    if not upcoming:
        raise ValidationError(
            _("That schedule has no sessions. Check the first date, the weekday and the end.")
        )
    for local in upcoming:
        to_utc(local, zone_name)


# Whole sentences, one per weekday: French and Spanish say "tous les mardis", "todos los
# martes" (the plural name), which a "%(day)s" placeholder could not give.
EVERY = {
    "MO": gettext_lazy("Every Monday"),
    "TU": gettext_lazy("Every Tuesday"),
    "WE": gettext_lazy("Every Wednesday"),
    "TH": gettext_lazy("Every Thursday"),
    "FR": gettext_lazy("Every Friday"),
    "SA": gettext_lazy("Every Saturday"),
    "SU": gettext_lazy("Every Sunday"),
}
EVERY_OTHER = {
    "MO": gettext_lazy("Every other Monday"),
    "TU": gettext_lazy("Every other Tuesday"),
    "WE": gettext_lazy("Every other Wednesday"),
    "TH": gettext_lazy("Every other Thursday"),
    "FR": gettext_lazy("Every other Friday"),
    "SA": gettext_lazy("Every other Saturday"),
    "SU": gettext_lazy("Every other Sunday"),
}
MONTHLY = {
    1: gettext_lazy("The first %(day)s of each month"),
    2: gettext_lazy("The second %(day)s of each month"),
    3: gettext_lazy("The third %(day)s of each month"),
    4: gettext_lazy("The fourth %(day)s of each month"),
    -1: gettext_lazy("The last %(day)s of each month"),
}
_A_MONDAY = datetime.date(2024, 1, 1)


def weekday_name(code: str) -> str:
    """ "TU" as 'Tuesday', 'mardi', 'martes': Django's own day names, in the active language."""
    index = WEEKDAYS.index(code) if code in WEEKDAYS else 0
    return formats.date_format(_A_MONDAY + datetime.timedelta(days=index), "l")


def rule_in_words(rule: str, at: datetime.time | None = None) -> str:
    """'Every other Tuesday, 10 times' (with `at`: 'Every other Tuesday at 7 pm, 10 times')
    for the schedule page, in the active language."""
    parts = describe_rule(rule)
    weekday = parts["weekday"] if parts["weekday"] in WEEKDAYS else "MO"
    if parts["frequency"] == "monthly":
        monthly = MONTHLY.get(parts["nth"], gettext_lazy("One %(day)s each month"))
        words = str(monthly) % {"day": weekday_name(weekday)}
    elif parts["frequency"] == "fortnightly":
        words = str(EVERY_OTHER[weekday])
    else:
        words = str(EVERY[weekday])
    if at is not None:
        # Counted by the hour for Spanish: "a la 1:00", "a las 19:00".
        words = ngettext("%(rule)s at %(time)s", "%(rule)s at %(time)s", at.hour) % {
            "rule": words,
            "time": clock(at),
        }
    if parts["until"]:
        # Translators: a date format (Django's date filter): "30 June 2027".
        until = formats.date_format(parts["until"], _("j F Y"))
        return _("%(rule)s, until %(date)s") % {"rule": words, "date": until}
    if parts["count"]:
        count = parts["count"]
        return ngettext("%(rule)s, %(count)s time", "%(rule)s, %(count)s times", count) % {
            "rule": words,
            "count": count,
        }
    return words
