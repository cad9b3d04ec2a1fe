import datetime

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from groups.models import GroupKind
from sessions import services
from sessions.calendar import session_ics_bytes
from tests.factories import RSVPFactory, SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db
# Words that would tell a reader what kind of group this is.
CLINICAL_WORDS = (
    "addict",
    "addiction",
    "recovery",
    "compulsive",
    "sexual",
    "sex",
    "porn",
    "partner",
    "couples",
    "therapy",
    "betrayal",
    "relapse",
)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _events(body: bytes):
    return list(Calendar.from_ical(body).walk("VEVENT"))


def test_feed_parses_is_discreet_and_marks_cancellations(client, world):
    """GIVEN two sessions of the member's group (one cancelled, with answers from others)
    WHEN the calendar app fetches the private feed
    THEN it parses, has stable UIDs, SEQUENCE and STATUS, the group's time zone,
    and carries no attendee, no roster, no group name or kind, no clinical word."""
    group = world.addict_group
    group.name = "Porn addiction recovery"  # the worst case a facilitator could type
    group.save()
    first = SessionFactory(group=group, starts_at=datetime.datetime(2026, 11, 24, 19, tzinfo=UTC))
    second = SessionFactory(group=group, starts_at=datetime.datetime(2026, 12, 1, 19, tzinfo=UTC))
    RSVPFactory(session=first, member=world.co_member)
    services.session_cancel(session=second, actor=world.facilitator, reason="Sex addiction talk")
    SessionFactory(group=world.partner_group)  # not the member's group

    token = services.calendar_feed_make(user=world.member)
    response = client.get(reverse("scheduling:feed", kwargs={"token": token}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    body = response.content
    events = _events(body)
    assert len(events) == 2
    by_uid = {str(e["UID"]): e for e in events}
    assert set(by_uid) == {f"session-{first.pk}@localhost", f"session-{second.pk}@localhost"}
    cancelled = by_uid[f"session-{second.pk}@localhost"]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    assert int(cancelled["SEQUENCE"]) == 1
    start = events[0].decoded("DTSTART")
    assert str(start.tzinfo) == "Europe/London" and start.hour == 19
    assert b"VTIMEZONE" in body
    text = body.decode().lower()
    assert "attendee" not in text
    assert "organizer" not in text
    for word in CLINICAL_WORDS:
        assert word not in text, word
    for name in ("alex", "casey", "fran"):
        assert name not in text
    assert "northside wellbeing: your tuesday evening session" in text


def test_new_york_session_keeps_its_zone_in_the_ics(world):
    group = world.addict_group
    group.time_zone = "America/New_York"
    group.save()
    session = SessionFactory(group=group, starts_at=datetime.datetime(2026, 11, 4, 0, tzinfo=UTC))
    (event,) = _events(session_ics_bytes(session))
    start = event.decoded("DTSTART")
    assert (str(start.tzinfo), start.hour) == ("America/New_York", 19)
    assert str(event["SUMMARY"]) == "Northside Wellbeing: your Tuesday evening session"


def test_regenerating_the_feed_kills_the_old_url(client, world):
    old = services.calendar_feed_make(user=world.member)
    client.force_login(world.member)
    response = client.post(reverse("scheduling:calendar_regenerate"))
    assert response.status_code == 200
    new_url = response.context["feed_url"]
    client.logout()
    assert client.get(reverse("scheduling:feed", kwargs={"token": old})).status_code == 404
    assert client.get(new_url).status_code == 200


def test_session_download_is_neutral_and_private(client, world):
    session = SessionFactory(group=world.addict_group)
    client.force_login(world.member)
    response = client.get(reverse("scheduling:ics", kwargs={"pk": session.pk}))
    assert response["Content-Disposition"] == 'attachment; filename="session.ics"'
    assert len(_events(response.content)) == 1
    client.force_login(world.partner)
    assert client.get(reverse("scheduling:ics", kwargs={"pk": session.pk})).status_code == 404


def test_group_kind_never_leaks(world):
    group = world.couples_group
    assert group.kind == GroupKind.COUPLES
    session = SessionFactory(group=group)
    assert b"ouple" not in session_ics_bytes(session)
