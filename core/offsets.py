"""Reminder times, written the same way by facilitators (a group's usual times) and members
(their own): "1 day, 2 hours, 30 minutes". Stored as minutes before the session. Written in
the active language; read in English, French or Spanish, whichever the person types."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

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
    # French
    "heure": 60,
    "heures": 60,
    "jour": 1440,
    "jours": 1440,
    "j": 1440,
    "semaine": 10080,
    "semaines": 10080,
    "sem": 10080,
    # Spanish
    "minuto": 1,
    "minutos": 1,
    "hora": 60,
    "horas": 60,
    "día": 1440,
    "días": 1440,
    "dia": 1440,
    "dias": 1440,
    "semana": 10080,
    "semanas": 10080,
}
# "2 hours", "2h", "2 heures", "2 horas", or a bare "2" (hours, the unit people mean most often).
_PART = re.compile(r"^(\d{1,4})\s*([^\W\d_]*)$")
# Between reminders: a comma, a semicolon, or "and" in any of the languages.
_SEPARATOR = re.compile(r"[,;]|\b(?:and|et|y)\b")


def parse_offsets(text: str) -> list[int]:
    """'1 day, 2 hours, 30 minutes' -> [1440, 120, 30], latest first. Raises ValidationError."""
    offsets = []
    for part in filter(None, (p.strip() for p in _SEPARATOR.split(text.lower()))):
        match = _PART.match(part)
        unit = (match.group(2) or "hours") if match else ""
        if match is None or unit not in _UNITS:
            raise ValidationError(
                _("“%(text)s” is not a time we understand. Write it like “1 day” or “2 hours”.")
                % {"text": part[:40]}
            )
        minutes = int(match.group(1)) * _UNITS[unit]
        if not 0 < minutes <= MAX_OFFSET_MINUTES:
            raise ValidationError(_("Reminders can be from 1 minute to 2 weeks before."))
        offsets.append(minutes)
    if len(set(offsets)) > MAX_OFFSETS:
        raise ValidationError(_("Choose up to %(count)s reminders.") % {"count": MAX_OFFSETS})
    return sorted(set(offsets), reverse=True)


def describe_offsets(offsets) -> str:
    """[1440, 120] -> '1 day, 2 hours' (in the active language): the text parse_offsets reads
    back."""
    parts = []
    for minutes in offsets or []:
        if minutes % 1440 == 0:
            count = minutes // 1440
            parts.append(ngettext("%(count)d day", "%(count)d days", count) % {"count": count})
        elif minutes % 60 == 0:
            count = minutes // 60
            parts.append(ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count})
        else:
            parts.append(
                ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
            )
    return ", ".join(parts)
