"""VTIMEZONE blocks come from a per-process cache and are spliced in as the calendar is
serialised: one per zone used, before the events, and the file still parses."""

import datetime

from icalendar import Calendar

from sessions.calendar import _vtimezone, feed_ics_bytes
from tests.factories import GroupFactory, SessionFactory


def test_each_zone_once_before_the_events(db):
    # GIVEN sessions of groups in two zones (two in the same one)
    london = GroupFactory(time_zone="Europe/London")
    paris = GroupFactory(time_zone="Europe/Paris")
    start = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
    sessions = [
        SessionFactory(group=london, starts_at=start),
        SessionFactory(group=london, starts_at=start + datetime.timedelta(weeks=1)),
        SessionFactory(group=paris, starts_at=start),
    ]
    # WHEN the feed is serialised (twice: the second from the cache)
    _vtimezone.cache_clear()
    first = feed_ics_bytes(sessions)
    body = feed_ics_bytes(sessions)
    # THEN the same bytes but the stamps, a VTIMEZONE per zone, all before the first event
    assert body.count(b"BEGIN:VTIMEZONE") == 2 == first.count(b"BEGIN:VTIMEZONE")
    assert body.rfind(b"END:VTIMEZONE") < body.find(b"BEGIN:VEVENT")
    assert _vtimezone.cache_info().hits >= 2
    parsed = Calendar.from_ical(body)
    assert sorted(str(z["TZID"]) for z in parsed.walk("VTIMEZONE")) == [
        "Europe/London",
        "Europe/Paris",
    ]
    starts = [e.decoded("DTSTART") for e in parsed.walk("VEVENT")]
    assert {str(s.tzinfo) for s in starts} == {"Europe/London", "Europe/Paris"}
