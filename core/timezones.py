"""Time zones: the one list people choose from, and the safe way to turn a name into a zone."""

import functools
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


@functools.cache
def _available() -> frozenset[str]:
    # available_timezones() walks the tz database on disk at every call (a second on a busy
    # disk, on every form with a zone); it changes only with a tzdata upgrade and a restart.
    return frozenset(zoneinfo.available_timezones())


def validate_time_zone(value: str) -> None:
    if value not in _available():
        raise ValidationError(_("Choose a time zone from the list, such as Europe/London."))


# Where people live: IANA's geographic areas. Leaves out "Factory", "localtime", "posixrules",
# the Etc/ offsets and the old aliases ("US/Eastern", "GB"), which nobody would look for.
_AREAS = (
    "Africa/",
    "America/",
    "Antarctica/",
    "Asia/",
    "Atlantic/",
    "Australia/",
    "Europe/",
    "Indian/",
    "Pacific/",
)
# Offered first; the clinic's own zone leads the list.
COMMON_TIME_ZONES = (
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Madrid",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Toronto",
    "America/Mexico_City",
    "Australia/Sydney",
    "UTC",
)


def _label(name: str) -> str:
    return name.replace("_", " ")


def time_zone_choices() -> list[tuple[str, list[tuple[str, str]]]]:
    """Grouped choices: common zones first (the clinic's own leading), then every real zone."""
    available = _available()
    common = [settings.CLINIC_TIME_ZONE] + [
        name for name in COMMON_TIME_ZONES if name != settings.CLINIC_TIME_ZONE
    ]
    every = sorted(name for name in available if name.startswith(_AREAS))
    return [
        (_("Common"), [(name, _label(name)) for name in common if name in available]),
        (_("All time zones"), [(name, _label(name)) for name in every]),
    ]


def default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The named zone; the clinic's when empty, UTC when the name is unknown (never raises)."""
    try:
        return zoneinfo.ZoneInfo(name or settings.CLINIC_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
