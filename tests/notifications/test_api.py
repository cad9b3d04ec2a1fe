"""notifications.api, the one way in from other apps: a session change re-derives its
reminders exactly once, whatever else it tells people."""

import datetime
from unittest import mock

import pytest
import time_machine

from notifications import services
from notifications.models import Kind, Notification
from sessions.models import Seat
from sessions.rsvps import rsvp_submit
from sessions.services import session_cancel, session_update
from tests.factories import EnrollmentFactory, SessionFactory, UserFactory

NOW = datetime.datetime(2026, 11, 25, 12, tzinfo=datetime.UTC)
START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def syncs():
    """The real sync, counted."""
    with mock.patch(
        "notifications.services.session_reminders_sync", wraps=services.session_reminders_sync
    ) as spy:
        yield spy


def test_moving_a_session_syncs_once_and_tells_its_members(world, syncs):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    new_start = datetime.datetime(2026, 12, 2, 19)
    session_update(
        session=session, actor=world.facilitator, starts_local=new_start, duration_minutes=90
    )
    assert syncs.call_count == 1
    assert Notification.objects.filter(kind=Kind.SESSION_MOVED, recipient=world.member).exists()


def test_an_answer_that_promotes_two_people_syncs_once(world, syncs):
    """GIVEN a session with one seat taken and two people waiting, and a second seat added
    WHEN the seat holder answers not going, so both waiting people move up
    THEN that one answer syncs the reminders once, and both promoted people are told."""
    session = SessionFactory(group=world.addict_group, starts_at=START, capacity=1)
    holder, first, second = (UserFactory() for _ in range(3))
    for person in (holder, first, second):
        EnrollmentFactory(group=world.addict_group, member=person)
    rsvp_submit(session=session, member=holder, answer="going")
    rsvp_submit(session=session, member=first, answer="going")
    rsvp_submit(session=session, member=second, answer="going")
    session.capacity = 2
    session.save()
    syncs.reset_mock()

    rsvp_submit(session=session, member=holder, answer="not_going")

    assert syncs.call_count == 1
    assert set(session.rsvps.filter(seat=Seat.CONFIRMED).values_list("member", flat=True)) == {
        first.pk,
        second.pk,
    }
    told = Notification.objects.filter(kind=Kind.WAITLIST_PROMOTED)
    assert set(told.values_list("recipient", flat=True)) == {first.pk, second.pk}


def test_cancelling_syncs_once_and_tells_its_members(world, syncs):
    session = SessionFactory(group=world.addict_group, starts_at=START)
    session_cancel(session=session, actor=world.facilitator, reason="Room flooded")
    assert syncs.call_count == 1
    assert Notification.objects.filter(kind=Kind.SESSION_CANCELLED, recipient=world.member)
