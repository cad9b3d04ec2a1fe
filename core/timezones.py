"""Time zones: the one list people choose from, and the safe way to turn a name into a zone."""

import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError("Choose a time zone from the list, such as Europe/London.")


def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


def default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


def zone(name: str | None) -> zoneinfo.ZoneInfo:
    """The named zone; the clinic's when empty, UTC when the name is unknown (never raises)."""
    try:
        return zoneinfo.ZoneInfo(name or settings.CLINIC_TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
