import datetime

import pytest
from django.core.exceptions import ValidationError

from sessions import selectors
from sessions.models import Answer, Seat, SessionStatus
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory, UserFactory

UTC = datetime.UTC
NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=UTC)
pytestmark = pytest.mark.django_db


def test_answers_close_at_the_deadline_or_else_the_start(world):
    """GIVEN a scheduled session THEN answers are open until its deadline, or its start when
    it has none, and never once it is cancelled."""
    session = SessionFactory(group=world.addict_group, starts_at=NOW + datetime.timedelta(hours=2))
    assert session.answers_open(NOW)
    assert not session.answers_open(session.starts_at)
    session.rsvp_deadline = NOW + datetime.timedelta(hours=1)
    assert session.answer_deadline == session.rsvp_deadline
    assert not session.answers_open(session.rsvp_deadline)
    session.status = SessionStatus.CANCELLED
    assert not session.answers_open(NOW)


def test_answer_counts_keep_the_waitlist_apart_and_count_who_has_not_answered(world):
    """GIVEN one confirmed seat, one waitlisted member, one maybe and a closed account
    WHEN the counts are asked THEN the waitlist is not counted as going, and the closed
    account is listed on the roster but not counted for reminders and digests."""
    session = SessionFactory(group=world.addict_group, capacity=1)
    RSVPFactory(session=session, member=world.member)
    waiting = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=waiting)
    RSVPFactory(session=session, member=waiting, seat=Seat.WAITLISTED, waitlisted_at=NOW)
    unsure = UserFactory()
    EnrollmentFactory(group=world.addict_group, member=unsure)
    RSVPFactory(session=session, member=unsure, answer=Answer.MAYBE, seat=Seat.NONE)
    closed = UserFactory(is_active=False)
    EnrollmentFactory(group=world.addict_group, member=closed)

    counts = selectors.session_answer_counts(session)
    roster = selectors.session_roster(session)

    assert {k: counts[k] for k in ("going", "maybe", "not_going", "waitlisted", "confirmed")} == {
        "going": 1,
        "maybe": 1,
        "not_going": 0,
        "waitlisted": 1,
        "confirmed": 1,
    }
    assert closed in roster["not_answered"]
    assert counts["no_answer"] == len(roster["not_answered"]) - 1
    assert roster["counts"]["waitlisted"] == 1 and roster["counts"]["confirmed"] == 1


def test_a_session_card_says_what_the_person_may_do(world):
    """GIVEN a member's answer on a session with two seats THEN their card carries the
    answer, the seats left and whether they may answer or manage it."""
    session = SessionFactory(group=world.addict_group, capacity=2)
    RSVPFactory(session=session, member=world.member)
    card = selectors.session_for_member(session, world.member)
    assert card.session == session
    assert card.mine is not None and card.mine.member == world.member
    assert card.seats_left == 1
    assert card.can_answer and not card.can_manage
    assert selectors.session_for_member(session, world.facilitator).can_manage


def test_a_session_still_running_is_upcoming_until_it_ends(world):
    """GIVEN a day-long session that started 23 hours ago and one that ended a minute ago
    THEN only the running one is among the member's upcoming sessions (the query's bound
    on the start, a day back, keeps every session that has not ended)."""
    running = SessionFactory(
        group=world.addict_group,
        starts_at=NOW - datetime.timedelta(hours=23),
        ends_at=NOW + datetime.timedelta(hours=1),
    )
    SessionFactory(
        group=world.addict_group,
        starts_at=NOW - datetime.timedelta(hours=2),
        ends_at=NOW - datetime.timedelta(minutes=1),
    )
    assert [card.session for card in selectors.upcoming_for(world.member, now=NOW)] == [running]


def test_a_session_lasts_at_most_a_day(world):
    """The bound those queries rely on holds for the admin's form too (model validation)."""
    session = SessionFactory.build(
        group=world.addict_group, starts_at=NOW, ends_at=NOW + datetime.timedelta(hours=25)
    )
    with pytest.raises(ValidationError) as refused:
        session.full_clean(exclude=["series"])
    assert "ends_at" in refused.value.message_dict
    session.ends_at = NOW + datetime.timedelta(hours=24)
    session.full_clean(exclude=["series"])
