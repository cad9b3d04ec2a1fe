import datetime
import threading
from types import SimpleNamespace
from unittest import mock

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection

from groups.models import EnrollmentStatus
from notifications import services
from sessions.models import RSVP, Seat
from sessions.rsvps import rsvp_submit
from tests.factories import CoupleFactory, EnrollmentFactory, SessionFactory, UserFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def _members(group, n):
    people = [UserFactory() for _ in range(n)]
    for person in people:
        EnrollmentFactory(group=group, member=person)
    return people


@pytest.fixture(autouse=True)
def notify():
    """Here the real notifications writes run (spied where a test counts them)."""
    return


@pytest.fixture
def spied():
    """The real notifications writes, counted: a promotion must not sync again."""
    with (
        mock.patch.object(
            services, "session_reminders_sync", wraps=services.session_reminders_sync
        ) as sync,
        mock.patch.object(
            services, "notify_waitlist_promoted", wraps=services.notify_waitlist_promoted
        ) as promoted,
    ):
        yield SimpleNamespace(sync=sync, promoted=promoted)


@pytest.mark.django_db
def test_full_session_puts_going_on_the_waitlist_and_promotes_in_order(world, frozen, spied):
    """GIVEN a session with two seats, both taken, and three people waiting
    WHEN one seat holder withdraws, then another
    THEN the first and second in line move up, in the order they asked."""
    session = SessionFactory(group=world.addict_group, capacity=2)
    a, b, c, d, e = _members(world.addict_group, 5)
    for person in (a, b):
        assert rsvp_submit(session=session, member=person, answer="going").seat == Seat.CONFIRMED
    waits = []
    for minute, person in enumerate((c, d, e)):
        with time_machine.travel(NOW + datetime.timedelta(minutes=minute), tick=False):
            waits.append(rsvp_submit(session=session, member=person, answer="going"))
    assert [r.seat for r in waits] == [Seat.WAITLISTED] * 3

    rsvp_submit(session=session, member=a, answer="not_going", note="Work trip")
    assert RSVP.objects.get(member=c).seat == Seat.CONFIRMED
    assert RSVP.objects.get(member=d).seat == Seat.WAITLISTED
    spied.promoted.assert_called_once_with(RSVP.objects.get(member=c))

    rsvp_submit(session=session, member=b, answer="maybe")
    assert RSVP.objects.get(member=d).seat == Seat.CONFIRMED
    assert RSVP.objects.get(member=e).seat == Seat.WAITLISTED
    assert RSVP.objects.get(member=a).note == "Work trip"
    # One sync per answer (seven answers), none more for the two promotions.
    assert spied.sync.call_count == 7
    assert spied.promoted.call_count == 2


@pytest.mark.django_db
def test_nobody_jumps_the_waitlist(world, frozen):
    session = SessionFactory(group=world.addict_group, capacity=1)
    a, b, c = _members(world.addict_group, 3)
    rsvp_submit(session=session, member=a, answer="going")
    rsvp_submit(session=session, member=b, answer="going")
    # Raising the capacity promotes b; c asking later does not get ahead of anyone.
    session.capacity = 2
    session.save()
    assert rsvp_submit(session=session, member=c, answer="going").seat == Seat.WAITLISTED
    assert RSVP.objects.get(member=b).seat == Seat.CONFIRMED


@pytest.mark.django_db
def test_couple_answers_together_and_takes_two_seats(world, frozen):
    group = world.couples_group
    first, second = UserFactory(), UserFactory()
    couple = CoupleFactory(first=first, second=second, linked_by=world.other_facilitator)
    for person in (first, second):
        EnrollmentFactory(group=group, member=person, couple=couple)
    (single,) = _members(group, 1)
    session = SessionFactory(group=group, capacity=2)
    rsvp_submit(session=session, member=single, answer="going")
    mine = rsvp_submit(session=session, member=first, answer="going", note="We'll be late")
    both = RSVP.objects.filter(session=session, couple=couple)
    assert {(r.member_id, r.seat) for r in both} == {
        (first.pk, Seat.WAITLISTED),
        (second.pk, Seat.WAITLISTED),
    }
    assert mine.note == "We'll be late"
    rsvp_submit(session=session, member=single, answer="not_going")
    assert set(both.values_list("seat", flat=True)) == {Seat.CONFIRMED}
    rsvp_submit(session=session, member=second, answer="not_going")
    assert set(both.values_list("answer", flat=True)) == {"not_going"}


@pytest.mark.django_db
def test_only_active_members_may_answer(world, frozen):
    session = SessionFactory(group=world.addict_group)
    paused = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=paused, status=EnrollmentStatus.PAUSED)
    for person in (paused, world.partner, world.facilitator):
        with pytest.raises(ValidationError, match="active members"):
            rsvp_submit(session=session, member=person, answer="going")
    assert not RSVP.objects.exists()


@pytest.mark.django_db
def test_no_answers_after_the_deadline_or_for_a_cancelled_session(world, frozen):
    session = SessionFactory(group=world.addict_group, rsvp_deadline=NOW)
    with pytest.raises(ValidationError, match="closed"):
        rsvp_submit(session=session, member=world.member, answer="going")
    cancelled = SessionFactory(group=world.addict_group, status="cancelled")
    with pytest.raises(ValidationError, match="cancelled"):
        rsvp_submit(session=cancelled, member=world.member, answer="going")
    assert not RSVP.objects.exists()


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_racing_for_the_last_seat_on_postgres_gives_it_to_exactly_one(world):
    """GIVEN one seat left and eight members pressing "going" at the same moment
    THEN exactly one is confirmed and the other seven wait."""
    session = SessionFactory(
        group=world.addict_group,
        capacity=2,
        starts_at=datetime.datetime.now(UTC) + datetime.timedelta(days=3),
        ends_at=datetime.datetime.now(UTC) + datetime.timedelta(days=3, hours=1),
    )
    rsvp_submit(session=session, member=world.member, answer="going")
    racers = _members(world.addict_group, 8)
    barrier = threading.Barrier(len(racers))
    errors = []

    def race(person):
        try:
            barrier.wait()
            rsvp_submit(session=session, member=person, answer="going")
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(person,)) for person in racers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seats = list(RSVP.objects.filter(member__in=racers).values_list("seat", flat=True))
    assert sorted(seats) == [Seat.CONFIRMED] + [Seat.WAITLISTED] * 7
