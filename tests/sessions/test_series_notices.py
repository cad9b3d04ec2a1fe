"""A series edit tells each affected member once, saying what changed (issue 14, point 1).

These run the real notifications code (only `session_changed` is recorded by the sessions
conftest; a series edit does not call it)."""

import datetime

import pytest
import time_machine

from notifications.models import Channel, Kind, Notification, Status
from notifications.rendering import render_notification
from sessions import recurrence, services
from sessions.models import Session, SessionStatus
from tests.factories import EnrollmentFactory, RSVPFactory

NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen(settings):
    settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS = 31 * 24
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def series(world):
    return services.series_create(
        group=world.addict_group,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday="TU"),
        starts_on=datetime.date(2026, 11, 24),
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )


def edit(series, actor, *, weekday="TU", start=datetime.time(19, 0), minutes=90):
    services.series_update(
        series=series,
        actor=actor,
        rrule=recurrence.build_rule(frequency="weekly", weekday=weekday),
        start_time=start,
        duration_minutes=minutes,
    )


def notices(person=None, channel=Channel.EMAIL):
    rows = Notification.objects.filter(channel=channel, kind=Kind.SERIES_CHANGED)
    return rows.filter(recipient=person) if person else rows


def test_a_time_change_tells_each_member_once_for_every_session(world, series):
    first = Session.objects.filter(series=series).order_by("starts_at").first()
    RSVPFactory(session=first, member=world.member)  # said going
    edit(series, world.facilitator, start=datetime.time(19, 15))
    # One notice per member and channel for 26 moved sessions; no per-session notices.
    assert notices(world.member).count() == 1
    assert notices(world.member, Channel.IN_APP).count() == 1
    assert notices(world.co_member).count() == 1
    assert not notices(world.partner) and not notices(world.facilitator)
    assert not Notification.objects.filter(
        kind__in=[Kind.SESSION_MOVED, Kind.SESSION_CANCELLED]
    ).exists()
    row = notices(world.member).get()
    assert len(row.details["moved"]) == 26
    email = render_notification(row)
    assert email.subject == "New times for your regular sessions"
    assert "From Tuesday 24 November, sessions start at 7:15 pm instead of 7 pm." in email.text, (
        email.text
    )
    assert [name for name, _content, _type in email.attachments] == ["sessions.ics"]


def test_the_moved_sessions_reminders_follow_the_new_time(world, series):
    first = Session.objects.filter(series=series).order_by("starts_at").first()
    edit(series, world.facilitator, start=datetime.time(19, 15))
    first.refresh_from_db()
    due = set(
        Notification.objects.filter(
            kind=Kind.REMINDER, session=first, recipient=world.member, status=Status.PENDING
        ).values_list("due_at", flat=True)
    )
    assert due == {first.starts_at - datetime.timedelta(hours=h) for h in (24, 2)}


def test_a_new_weekday_lists_what_falls_away_and_what_is_new(world, series):
    edit(series, world.facilitator, weekday="WE", start=datetime.time(18, 0))
    row = notices(world.member).get()
    assert not row.details["moved"]
    assert len(row.details["cancelled"]) == 26 and row.details["added"]
    text = render_notification(row).text
    assert "No session any more on:\n- Tuesday 24 November, 7 pm\n" in text
    assert "New dates:\n- Wednesday 25 November, 6 pm\n" in text
    assert "The reason: The group's regular schedule changed." in text
    assert "and 18 more" in text  # the list stays short


def test_sessions_changed_one_by_one_and_past_ones_are_not_listed(world, series):
    sessions = list(Session.objects.filter(series=series).order_by("starts_at"))
    services.session_cancel(session=sessions[1], actor=world.facilitator, reason="Holiday")
    with time_machine.travel(sessions[0].starts_at + datetime.timedelta(hours=3), tick=False):
        edit(series, world.facilitator, start=datetime.time(19, 30))
    row = notices(world.member).get()
    listed = {entry[0] for entry in row.details["moved"]}
    assert sessions[0].pk not in listed and sessions[1].pk not in listed
    assert sessions[2].pk in listed


def test_saving_without_a_change_tells_nobody(world, series):
    edit(series, world.facilitator)
    assert not notices().exists()


def test_the_same_edit_twice_tells_once_and_a_second_edit_tells_again(world, series):
    edit(series, world.facilitator, start=datetime.time(19, 15))
    edit(series, world.facilitator, start=datetime.time(19, 15))
    assert notices(world.member).count() == 1
    edit(series, world.facilitator, start=datetime.time(19, 30))
    assert notices(world.member).count() == 2


def test_ending_a_series_tells_each_member_once(world, series):
    newcomer = EnrollmentFactory(group=world.addict_group).member
    services.series_end(
        series=series, actor=world.facilitator, last_date=datetime.date(2026, 12, 8)
    )
    cancelled = Session.objects.filter(series=series, status=SessionStatus.CANCELLED)
    assert cancelled.count() == 23
    for person in (world.member, world.co_member, newcomer):
        assert notices(person).count() == 1
    assert not Notification.objects.filter(kind=Kind.SESSION_CANCELLED).exists()
    text = render_notification(notices(world.member).get()).text
    assert "The reason: The group's schedule ended before this date." in text
    assert render_notification(notices(world.member).get()).subject == (
        "Changes to your regular sessions"
    )
