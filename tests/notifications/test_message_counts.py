"""How many messages each member gets for each kind of change (issue 14, point 2), from the
change through to the session's start: by email and in the app, the same count.

The group reminds 24 h and 2 h before (the default). Every scenario runs the real services,
the outbox and its delivery through time.
"""

import datetime

import pytest
import time_machine
from django.urls import reverse

from attendance.models import Mark
from attendance.services import attendance_mark
from notifications import delivery
from notifications.models import Channel, Kind, Notification, Status
from sessions import recurrence
from sessions import services as scheduling
from sessions.models import Answer, Session
from tests.factories import RSVPFactory, SessionFactory
from tests.factories.attendance import AttendanceFactory
from tests.notifications.outbox import deliver_until, emails_to, sent_kinds

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)  # a Wednesday, noon in London
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)  # Tuesday 7 pm in London

REMINDER, SCHEDULED, MOVED = Kind.REMINDER, Kind.SESSION_SCHEDULED, Kind.SESSION_MOVED


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Call a service as a request would: its on-commit work (dispatch) runs after it."""

    def call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return call


def both_channels(person) -> list[str]:
    email, in_app = sent_kinds(person), sent_kinds(person, Channel.IN_APP)
    assert email == in_app, (email, in_app)
    assert len(emails_to(person)) == len(email)
    return email


def existing_session(world, starts=START):
    """A session planned days ago (its reminders exist as they would)."""
    with time_machine.travel(NOW - datetime.timedelta(days=3), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=starts)
    scheduling._changed(session)  # its reminders, as materialising makes them
    return session


def test_new_session_days_ahead_one_notice_then_two_reminders(world, run):
    session = run(
        scheduling.session_add,
        group=world.addict_group,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 1, 19),
        duration_minutes=90,
    )
    deliver_until(session.starts_at)
    for person in (world.member, world.co_member):
        assert both_channels(person) == [SCHEDULED, REMINDER, REMINDER]
    assert both_channels(world.partner) == []


def test_session_added_two_hours_ahead_sends_one_message(world, run):
    """The reported case: "New session", a catch-up reminder seconds later and another
    minutes later. Now the reminder whose time had gone is dropped and the one due minutes
    later folds into the notice, which asks the question."""
    session = run(
        scheduling.session_add,
        group=world.addict_group,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 11, 25, 14, 5),  # 2 h 5 min ahead
        duration_minutes=60,
    )
    deliver_until(session.starts_at)
    assert both_channels(world.member) == [SCHEDULED]
    email = emails_to(world.member)[0]
    assert "Will you be there?" in email.body
    link_prefix = reverse("scheduling:link", kwargs={"token": "t"}).removesuffix("t/")
    assert email.body.count(link_prefix) == 3  # going, maybe, not going


def test_session_added_exactly_two_hours_ahead_sends_one_message(world, run):
    session = run(
        scheduling.session_add,
        group=world.addict_group,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 11, 25, 14, 0),
        duration_minutes=60,
    )
    deliver_until(session.starts_at)
    assert both_channels(world.member) == [SCHEDULED]


def test_move_days_ahead_one_notice_then_the_reminders_of_the_new_time(world, run):
    session = existing_session(world)
    run(
        scheduling.session_update,
        session=session,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 12, 2, 19),
        duration_minutes=90,
    )
    session.refresh_from_db()
    deliver_until(session.starts_at)
    assert both_channels(world.member) == [MOVED, REMINDER, REMINDER]
    day_before = emails_to(world.member)[1]
    assert "Tuesday" not in day_before.subject  # about the new day, Wednesday
    assert "Wednesday" in day_before.subject


def test_move_to_two_hours_ahead_sends_one_message(world, run):
    session = existing_session(world, starts=NOW + datetime.timedelta(days=2))
    run(
        scheduling.session_update,
        session=session,
        actor=world.facilitator,
        starts_local=datetime.datetime(2026, 11, 25, 14, 30),
        duration_minutes=60,
    )
    session.refresh_from_db()
    deliver_until(session.starts_at)
    assert both_channels(world.member) == [MOVED]


def test_cancel_one_notice_and_nothing_after(world, run):
    session = existing_session(world)
    run(scheduling.session_cancel, session=session, actor=world.facilitator, reason="Room flooded")
    deliver_until(START)
    assert both_channels(world.member) == [Kind.SESSION_CANCELLED]
    assert "Room flooded" in emails_to(world.member)[0].body


def test_series_edit_one_notice_for_the_whole_change(world, run):
    series = run(
        scheduling.series_create,
        group=world.addict_group,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday="TU"),
        starts_on=datetime.date(2026, 12, 1),
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )
    run(
        scheduling.series_update,
        series=series,
        actor=world.facilitator,
        rrule=series.rrule,
        start_time=datetime.time(19, 15),
        duration_minutes=90,
    )
    first = Session.objects.filter(series=series).order_by("starts_at").first()
    deliver_until(first.starts_at)
    # One notice for the 26 moved sessions, then the first session's two reminders.
    assert both_channels(world.member) == [Kind.SERIES_CHANGED, REMINDER, REMINDER]
    notice = emails_to(world.member)[0]
    assert "7:15 pm instead of 7 pm" in notice.body, notice.body


def test_excused_member_gets_no_will_you_be_there(world, run):
    # GIVEN today's 7 pm session, whose day-before reminder went yesterday
    today = NOW.replace(hour=19)
    with time_machine.travel(NOW - datetime.timedelta(days=3), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=today)
        scheduling._changed(session)
        deliver_until(NOW)
    assert both_channels(world.co_member) == [REMINDER]
    # WHEN Casey is marked excused this morning (asked off)
    attendance_mark(
        session=session,
        member=world.co_member,
        mark=Mark.EXCUSED,
        reason="Away for work",
        actor=world.facilitator,
    )
    deliver_until(today)
    # THEN Casey gets nothing more; Alex gets the 2-hour reminder, which asks
    assert both_channels(world.co_member) == [REMINDER]
    assert both_channels(world.member) == [REMINDER, REMINDER]
    assert "Will you be there?" in emails_to(world.member)[1].body
    skipped = Notification.objects.get(
        recipient=world.co_member, offset_minutes=120, channel=Channel.EMAIL
    )
    assert skipped.status in (Status.CANCELLED, Status.SKIPPED)  # by reconciling, or at the door


def test_answered_member_reads_see_you_not_will_you_be_there(world, run):
    session = existing_session(world)
    RSVPFactory(session=session, member=world.member, answer=Answer.GOING)
    RSVPFactory(session=session, member=world.co_member, answer=Answer.MAYBE, seat="none")
    deliver_until(START)
    assert both_channels(world.member) == [REMINDER, REMINDER]
    assert both_channels(world.co_member) == [REMINDER, REMINDER]
    going = emails_to(world.member)[0]
    assert going.subject == "See you Tuesday at 7 pm"
    assert "Will you be there?" not in going.body
    maybe = emails_to(world.co_member)[0]
    assert "You said maybe. Will you be there?" in maybe.body


def test_an_excused_members_pending_reminder_is_skipped_at_delivery(world):
    # Marked excused after the reminder rows were made, before any reconciliation.
    session = existing_session(world, starts=NOW.replace(hour=19))
    AttendanceFactory(session=session, member=world.co_member, mark=Mark.EXCUSED)
    with time_machine.travel(NOW.replace(hour=17), tick=False):
        for pk in delivery.outbox_claim_due(limit=100):
            delivery.notification_deliver(pk)
    row = Notification.objects.get(
        recipient=world.co_member, offset_minutes=120, channel=Channel.EMAIL
    )
    assert (row.status, row.last_error) == (Status.SKIPPED, "they are excused from this session")
    assert sent_kinds(world.member)[-1] == REMINDER
