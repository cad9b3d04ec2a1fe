"""iCalendar output: one session as an .ics file, or a person's whole feed.

Discreet by design: the clinic's name and a neutral title, no group name or kind, no
attendees, no roster. A member who gave a group their own name (groups.labels) sees that
name as the title instead: what their calendar shows is their choice. UIDs are stable per
session; SEQUENCE grows with every change.
"""

import contextlib
import datetime
import functools
import hashlib
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone

from core.timezones import zone
from groups.labels import labels_of
from groups.models import GroupFormat
from sessions.models import SessionStatus

PRODID = "-//Circle//Sessions//EN"


@functools.lru_cache(maxsize=64)
def _vtimezone(tzid: str) -> bytes:
    """One zone's VTIMEZONE block, built from zoneinfo and serialised once per process
    (building it for every message was ~45 % of a reminder's delivery, serialising it
    another ~15 %)."""
    try:
        return Timezone.from_tzid(tzid).to_ical()
    except ValueError:  # unknown to zoneinfo: clients fall back to the TZID alone
        return b""


def _to_ical(cal: Calendar) -> bytes:
    """The calendar's bytes with a VTIMEZONE for every TZID it uses, before its events, so
    clients agree on local times."""
    body = cal.to_ical()
    zones = b"".join(_vtimezone(tzid) for tzid in sorted(cal.get_missing_tzids()))
    if not zones:
        return body
    at = body.find(b"BEGIN:VEVENT\r\n")
    at = at if at >= 0 else body.rfind(b"END:VCALENDAR")
    return body[:at] + zones + body[at:]


def part_of_day(local: datetime.datetime) -> str:
    if local.hour < 12:
        return "morning"
    if local.hour < 17:
        return "afternoon"
    return "evening"


def neutral_title(session) -> str:
    """'your Tuesday evening session', in the group's own wall-clock time and the active
    language (one whole sentence per part of the day, so each language words it)."""
    local = session.starts_at.astimezone(zone(session.group.time_zone))
    day = date_format(local, "l")
    titles = {
        "morning": _("your %(day)s morning session"),
        "afternoon": _("your %(day)s afternoon session"),
        "evening": _("your %(day)s evening session"),
    }
    return titles[part_of_day(local)] % {"day": day}


def session_uid(session) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "circle.invalid"
    return f"session-{session.pk}@{host}"


def _location(session) -> str:
    if session.location:
        return session.location
    if session.group.format == GroupFormat.ONLINE:
        return _("Online (join link on the session page)")
    return session.group.address


def summary(session, label: str | None = None) -> str:
    """The entry's title: the viewer's own name for the group, else the neutral title."""
    return label or f"{settings.CLINIC_NAME}: {neutral_title(session)}"


def session_event(
    session, stamp: datetime.datetime | None = None, label: str | None = None
) -> Event:
    group_zone = zone(session.group.time_zone)
    page = f"{settings.SITE_URL}{reverse('scheduling:detail', kwargs={'pk': session.pk})}"
    event = Event()
    event.add("uid", session_uid(session))
    event.add("dtstamp", stamp or timezone.now())
    event.add("dtstart", session.starts_at.astimezone(group_zone))
    event.add("dtend", session.ends_at.astimezone(group_zone))
    event.add("summary", summary(session, label))
    event.add("sequence", session.sequence)
    event.add("last-modified", session.updated_at)
    cancelled = session.status == SessionStatus.CANCELLED
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if location := _location(session):
        event.add("location", location)
    event.add("url", page)
    description = _("This session is cancelled.") if cancelled else _("Details and join link:")
    event.add("description", f"{description} {page}")
    event.add("transp", "TRANSPARENT" if cancelled else "OPAQUE")
    return event


def _calendar(sessions, viewer=None, labels: dict | None = None) -> Calendar:
    # Written in the viewer's own language: a feed is fetched by a calendar app, and an
    # attachment is built for its recipient, neither in the language of a page.
    language = getattr(viewer, "language", "") if viewer is not None else ""
    with translation.override(language) if language else contextlib.nullcontext():
        return _build(list(sessions), viewer, labels)


def _build(sessions, viewer, labels: dict | None) -> Calendar:
    # One query, unless given: the viewer's own names for these sessions' groups (none:
    # neutral titles).
    if labels is None:
        labels = labels_of(viewer, {s.group for s in sessions}) if viewer is not None else {}
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", settings.CLINIC_NAME)
    stamp = timezone.now()
    for session in sessions:
        cal.add_component(session_event(session, stamp, labels.get(session.group_id)))
    return cal  # its VTIMEZONE blocks are added as it is serialised (_to_ical)


def session_ics_bytes(session, viewer=None) -> bytes:
    """One session as an .ics file (a download, or an email attachment). `viewer`: the
    person it is for, so a name they gave the group is its title."""
    return _to_ical(_calendar([session], viewer))


def feed_ics_bytes(sessions, viewer=None, labels: dict | None = None) -> bytes:
    """A person's feed: pass the sessions from selectors.feed_sessions_for and its owner
    (and their labels for the groups, {group id: label}, if already read)."""
    return _to_ical(_calendar(sessions, viewer, labels))


# Bump when the feed's wording or layout changes, so calendar apps fetch it again.
FEED_FORMAT = 1


# What a feed entry is made of, for its validator: the session's and its group's fields
# (`feed_entry` reads the same from a session with its group selected).
FEED_ENTRY_FIELDS = (
    "pk",
    "sequence",
    "updated_at",
    "status",
    "starts_at",
    "ends_at",
    "location",
    "group_id",
    "group__time_zone",
    "group__format",
    "group__address",
)


def feed_entry(session) -> tuple:
    """FEED_ENTRY_FIELDS of a session (group selected), as `values_list` gives them."""
    return tuple(_field(session, name) for name in FEED_ENTRY_FIELDS)


def _field(obj, path: str):
    for name in path.split("__"):
        obj = getattr(obj, name)
    return obj


def feed_etag(entries, viewer, labels: dict) -> str:
    """A validator for a person's feed, from what its entries are made of (not its bytes,
    whose DTSTAMP changes every time): calendar apps poll a feed all day and mostly find it
    unchanged, which an If-None-Match then answers without building the calendar. Weak, as
    the bytes do differ. `entries`: FEED_ENTRY_FIELDS of each session, in the feed's order."""
    digest = hashlib.sha256()
    head = (FEED_FORMAT, settings.CLINIC_NAME, settings.SITE_URL, getattr(viewer, "language", ""))
    digest.update(repr((head, sorted(labels.items()))).encode())
    for entry in entries:
        digest.update(repr(tuple(entry)).encode())
    return f'W/"{digest.hexdigest()[:32]}"'
