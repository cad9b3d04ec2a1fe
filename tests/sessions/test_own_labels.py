"""A member's own name for a group on the session pages and in their calendar (issue 14,
point 18); everyone else keeps the group's name, or the neutral title in calendars."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from groups.services import group_label_set
from sessions import selectors, services
from sessions.calendar import feed_ics_bytes, session_ics_bytes
from tests.factories import SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
LABEL = "Wednesday walkers"
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def session(world):
    group_label_set(member=world.member, group=world.addict_group, label=LABEL)
    return SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 11, 24, 19, tzinfo=UTC)
    )


def _summaries(body: bytes) -> list[str]:
    return [str(event["SUMMARY"]) for event in Calendar.from_ical(body).walk("VEVENT")]


def _body(client, user, name, *args) -> str:
    client.force_login(user)
    response = client.get(reverse(name, args=args))
    assert response.status_code == 200
    return response.content.decode()


def test_session_pages_show_the_members_own_name(client, world, session):
    for name, args in (
        ("scheduling:upcoming", ()),
        ("scheduling:detail", (session.pk,)),
        ("home", ()),
    ):
        body = _body(client, world.member, name, *args)
        assert LABEL in body, name
        assert "Tuesday evening" not in body, name
    assert f"<title>Session · {LABEL}" in _body(
        client, world.member, "scheduling:detail", session.pk
    )


def test_everyone_else_sees_the_group_name_on_session_pages(client, world, session):
    for person in (world.co_member, world.facilitator, world.staff):
        body = _body(client, person, "scheduling:detail", session.pk)
        assert LABEL not in body
        assert "<title>Session · Tuesday evening" in body
    assert LABEL not in _body(client, world.co_member, "scheduling:upcoming")


def test_upcoming_with_labels_is_still_two_queries(world, session, django_assert_num_queries):
    SessionFactory(group=world.addict_group, starts_at=session.starts_at + datetime.timedelta(7))
    with django_assert_num_queries(2):
        cards = selectors.upcoming_for(world.member)
    assert {card.session.own_label for card in cards} == {LABEL}
    assert {card.session.own_label for card in selectors.upcoming_for(world.co_member)} == {None}


def test_the_ics_download_is_titled_with_the_members_name_only_for_them(client, world, session):
    client.force_login(world.member)
    body = client.get(reverse("scheduling:ics", args=[session.pk])).content
    assert _summaries(body) == [LABEL]
    client.force_login(world.co_member)
    body = client.get(reverse("scheduling:ics", args=[session.pk])).content
    (summary,) = _summaries(body)
    assert summary.endswith("your Tuesday evening session") and LABEL not in summary
    # Without a person (as before), the neutral title.
    assert LABEL not in _summaries(session_ics_bytes(session))[0]
    assert _summaries(session_ics_bytes(session, viewer=world.member)) == [LABEL]


def test_the_feed_uses_the_owners_labels_and_the_neutral_title_elsewhere(world, session):
    SessionFactory(group=world.partner_group)  # not the member's group
    mine = Client().get(
        reverse("scheduling:feed", kwargs={"token": services.calendar_feed_make(user=world.member)})
    )
    assert _summaries(mine.content) == [LABEL]
    for person in (world.co_member, world.facilitator):
        token = services.calendar_feed_make(user=person)
        body = Client().get(reverse("scheduling:feed", kwargs={"token": token})).content
        assert _summaries(body) == [f"{settings.CLINIC_NAME}: your Tuesday evening session"]
        assert LABEL.encode() not in body


def test_the_feed_reads_labels_in_one_query_however_many_sessions(
    world, session, django_assert_num_queries
):
    for week in range(1, 6):
        SessionFactory(
            group=world.addict_group, starts_at=session.starts_at + datetime.timedelta(weeks=week)
        )
    sessions = selectors.feed_sessions_for(world.member)
    with django_assert_num_queries(1):
        body = feed_ics_bytes(sessions, viewer=world.member)
    assert set(_summaries(body)) == {LABEL}
