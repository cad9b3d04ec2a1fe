"""Reminder times, written the same way by facilitators (a group's usual times) and members
(their own): "1 day, 2 hours, 30 minutes". Stored as minutes before the session."""

import re

from django.core.exceptions import ValidationError

MAX_OFFSET_MINUTES = 14 * 24 * 60
MAX_OFFSETS = 5

_UNITS = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
    "w": 10080,
    "week": 10080,
    "weeks": 10080,
}
# "2 hours", "2h", or a bare "2" (hours, the unit people mean most often).
_PART = re.compile(r"^(\d{1,4})\s*([a-z]*)$")


def parse_offsets(text: str) -> list[int]:
    """'1 day, 2 hours, 30 minutes' -> [1440, 120, 30], latest first. Raises ValidationError."""
    offsets = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]|\band\b", text.lower()))):
        match = _PART.match(part)
        unit = (match.group(2) or "hours") if match else ""
        if match is None or unit not in _UNITS:
            raise ValidationError(
                f"“{part[:40]}” is not a time we understand. Write it like “1 day” or “2 hours”."
            )
        minutes = int(match.group(1)) * _UNITS[unit]
        if not 0 < minutes <= MAX_OFFSET_MINUTES:
            raise ValidationError("Reminders can be from 1 minute to 2 weeks before.")
        offsets.append(minutes)
    if len(set(offsets)) > MAX_OFFSETS:
        raise ValidationError(f"Choose up to {MAX_OFFSETS} reminders.")
    return sorted(set(offsets), reverse=True)


def describe_offsets(offsets) -> str:
    """[1440, 120] -> '1 day, 2 hours': the text parse_offsets reads back."""
    parts = []
    for minutes in offsets or []:
        for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
            if minutes % size == 0:
                count = minutes // size
                parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
                break
    return ", ".join(parts)
