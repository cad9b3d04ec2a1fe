"""Wall-clock dates in a named time zone. Times are stored in UTC and converted only here."""

import datetime
import functools

from django.conf import settings
from django.utils import timezone, translation
from django.utils.dates import MONTHS, WEEKDAYS
from django.utils.translation import pgettext

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


def _language() -> str:
    return (translation.get_language() or settings.LANGUAGE_CODE).split("-", 1)[0]


def clock(moment: datetime.datetime | datetime.time) -> str:
    """The one way Circle writes a time of day, on pages and in messages, in the active
    language: '7 pm', '6:25 pm', 'noon', 'midnight'; French '19 h', '18 h 25', 'midi',
    'minuit'; Spanish '19:00', '18:25'."""
    hour, minute = moment.hour, moment.minute
    language = _language()
    if language == "fr":
        if minute == 0 and hour in (0, 12):
            return "minuit" if hour == 0 else "midi"
        return f"{hour} h" if minute == 0 else f"{hour} h {minute:02d}"
    if language == "es":
        return f"{hour}:{minute:02d}"
    if minute == 0 and hour in (0, 12):
        return "midnight" if hour == 0 else "noon"
    suffix = "am" if hour < 12 else "pm"
    hour = hour % 12 or 12
    return f"{hour} {suffix}" if minute == 0 else f"{hour}:{minute:02d} {suffix}"


# Days and dates are composed here from Django's translated day and month names (as its
# "l", "j", "F" and "Y" formats give them): a page lists many, and parsing a format string
# for each one was a good part of rendering a long list.


@functools.lru_cache(maxsize=32)
def _name_lists(language: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The day and month names in `language`, the active one when first asked."""
    return tuple(str(WEEKDAYS[i]) for i in range(7)), tuple(str(MONTHS[i]) for i in range(1, 13))


def _names(moment: datetime.date) -> tuple[str, str]:
    weekdays, months = _name_lists(translation.get_language() or settings.LANGUAGE_CODE)
    return weekdays[moment.weekday()], months[moment.month - 1]


def day(moment: datetime.date) -> str:
    """'Tuesday 1 December', 'mardi 1 décembre', 'martes 1 de diciembre'."""
    weekday, month = _names(moment)
    if _language() == "es":
        return f"{weekday} {moment.day} de {month}"
    return f"{weekday} {moment.day} {month}"


def long_date(moment: datetime.date) -> str:
    """'30 November 2026', '30 novembre 2026', '30 de noviembre de 2026'. Full month names:
    abbreviations are ambiguous in French (juin/juillet both give 'jui')."""
    month = _names(moment)[1]
    if _language() == "es":
        return f"{moment.day} de {month} de {moment.year:04d}"
    return f"{moment.day} {month} {moment.year:04d}"


# Each language's usual month abbreviations, not Django's ('Jui' is both juin and juillet).
_SHORT_MONTHS = {
    "en": "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec",
    "fr": "janv. févr. mars avr. mai juin juil. août sept. oct. nov. déc.",
    "es": "ene. feb. mar. abr. may. jun. jul. ago. sept. oct. nov. dic.",
}


def short_date(moment: datetime.date) -> str:
    """For tight spaces such as chart axes: '2 Jun 2026', '2 juin 2026', '2 jun. 2026'."""
    months = _SHORT_MONTHS.get(_language(), _SHORT_MONTHS["en"]).split()
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"


def long_day(moment: datetime.date) -> str:
    """'Monday 30 November 2026', 'lundi 30 novembre 2026', 'lunes 30 de noviembre de 2026'."""
    return f"{_names(moment)[0]} {long_date(moment)}"


def day_and_clock(moment: datetime.datetime) -> str:
    """'Tuesday 1 December, 7 pm', 'mardi 1 décembre à 19 h', 'martes 1 de diciembre, 19:00'."""
    return pgettext("a day, then a time of day", "%(day)s, %(time)s") % {
        "day": day(moment),
        "time": clock(moment),
    }
