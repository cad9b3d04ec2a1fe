"""Calendar apps poll a feed all day; an If-None-Match with the feed's ETag is answered 304
without building the calendar, and anything that changes what the feed says changes the ETag."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from groups import services as group_services
from groups.models import Enrollment
from sessions import selectors, services
from tests.factories import SessionFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=True):
        yield


@pytest.fixture
def feed(world):
    SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 11, 24, 19, tzinfo=UTC)
    )
    SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 12, 1, 19, tzinfo=UTC)
    )
    return reverse(
        "scheduling:feed", kwargs={"token": services.calendar_feed_make(user=world.member)}
    )


def _etag(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    assert b"BEGIN:VEVENT" in response.content
    return response["ETag"]


def test_an_unchanged_feed_answers_304_without_a_calendar(client, feed, monkeypatch):
    etag = _etag(client, feed)
    assert etag.startswith('W/"')
    # The calendar is not built for a 304 (its bytes would be thrown away).
    monkeypatch.setattr("sessions.views.feed_ics_bytes", lambda *a, **k: pytest.fail("built"))
    again = client.get(feed, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert "no-store" in again["Cache-Control"]


def test_a_stale_or_foreign_etag_gets_the_whole_feed(client, feed):
    etag = _etag(client, feed)
    for other in ('W/"0123456789abcdef0123456789abcdef"', "*-not-an-etag", ""):
        response = client.get(feed, HTTP_IF_NONE_MATCH=other)
        assert response.status_code == 200
        assert b"BEGIN:VEVENT" in response.content
        assert response["ETag"] == etag


def test_the_304_costs_no_more_queries_than_the_feed(client, feed, django_assert_max_num_queries):
    etag = _etag(client, feed)
    # The owner by token, their groups (attended, run), the sessions, their labels.
    with django_assert_max_num_queries(5):
        assert client.get(feed, HTTP_IF_NONE_MATCH=etag).status_code == 304


def _moved(world):
    session = world.addict_group.sessions.order_by("starts_at").first()
    services.session_update(
        session=session,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 11, 24, 20, 0),
        duration_minutes=90,
    )


def _cancelled(world):
    session = world.addict_group.sessions.order_by("starts_at").first()
    services.session_cancel(session=session, actor=world.facilitator, reason="")


def _added(world):
    SessionFactory(
        group=world.addict_group, starts_at=datetime.datetime(2026, 12, 8, 19, tzinfo=UTC)
    )


def _labelled(world):
    group_services.group_label_set(member=world.member, group=world.addict_group, label="Book club")


def _language(world):
    world.member.language = "fr"
    world.member.save(update_fields=["language"])


def _left(world):
    stint = Enrollment.objects.get(group=world.addict_group, member=world.member)
    group_services.enrollment_change(enrollment=stint, action="leave", actor=world.facilitator)


def _archived(world):
    group_services.group_archive(group=world.addict_group, actor=world.facilitator)


def _zone(world):
    group = world.addict_group
    group.time_zone = "America/New_York"
    group.save(update_fields=["time_zone"])


def _address(world):
    group = world.addict_group
    group.address = "2 Other Street"
    group.save(update_fields=["address"])


@pytest.mark.parametrize(
    "change",
    [_moved, _cancelled, _added, _labelled, _language, _left, _archived, _zone, _address],
)
def test_whatever_changes_the_feed_changes_its_etag(client, world, feed, change):
    etag = _etag(client, feed)
    change(world)
    response = client.get(feed, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    # AND the poll's validator (from a few fields) agrees with the feed it stands for
    assert selectors.feed_validator(world.member) == selectors.feed_contents(world.member).etag


def test_a_poll_reads_fields_not_sessions(client, feed, monkeypatch):
    etag = _etag(client, feed)
    monkeypatch.setattr(
        "sessions.selectors.feed_sessions_for", lambda *a, **k: pytest.fail("sessions built")
    )
    assert client.get(feed, HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_another_groups_news_leaves_the_etag_alone(client, world, feed):
    etag = _etag(client, feed)
    SessionFactory(group=world.partner_group)
    group_services.group_label_set(member=world.partner, group=world.partner_group, label="Tea")
    assert client.get(feed, HTTP_IF_NONE_MATCH=etag).status_code == 304
