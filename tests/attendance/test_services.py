import datetime

import pytest
from django.core.exceptions import ValidationError

from attendance.models import AbsenceFollowUp, Attendance, AttendanceChange, Mark
from attendance.services import (
    absence_follow_up_acknowledge,
    attendance_mark,
    attendance_mark_going_present,
)
from groups.models import EnrollmentStatus
from groups.selectors import stints
from notifications.models import Kind, Notification
from sessions.models import Seat, SessionStatus
from tests.attendance.conftest import TUESDAYS, at_seven, make_sessions
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "notifications.api.absence_follow_up_opened",
        lambda enrollment_id: calls.append(stints().get(pk=enrollment_id)),
    )
    return calls


@pytest.fixture
def tuesdays(world, frozen):
    return [s for _, s in sorted(make_sessions(world.addict_group, TUESDAYS).items())]


def test_corrections_keep_every_change(world, tuesdays, notified):
    """GIVEN a first mark WHEN it is corrected twice by two people
    THEN one record holds the latest value and three change rows hold who, when, old and new."""
    session = tuesdays[0]
    attendance_mark(session=session, member=world.member, mark=Mark.ABSENT, actor=world.facilitator)
    attendance_mark(
        session=session,
        member=world.member,
        mark=Mark.EXCUSED,
        reason="Called in sick",
        actor=world.staff,
    )
    record = attendance_mark(
        session=session, member=world.member, mark=Mark.LATE, actor=world.facilitator
    )

    assert Attendance.objects.filter(session=session, member=world.member).count() == 1
    assert (record.mark, record.reason, record.marked_by) == (Mark.LATE, "", world.facilitator)
    changes = list(record.changes.values_list("changed_by", "old_mark", "new_mark", "new_reason"))
    assert changes == [
        (world.facilitator.pk, "", Mark.ABSENT, ""),
        (world.staff.pk, Mark.ABSENT, Mark.EXCUSED, "Called in sick"),
        (world.facilitator.pk, Mark.EXCUSED, Mark.LATE, ""),
    ]
    assert record.changes.last().old_reason == "Called in sick"
    assert all(c.changed_at is not None for c in record.changes.all())


def test_same_mark_again_adds_no_history(world, tuesdays, notified):
    for _ in range(2):
        attendance_mark(
            session=tuesdays[0], member=world.member, mark=Mark.PRESENT, actor=world.facilitator
        )
    assert AttendanceChange.objects.count() == 1


@pytest.mark.parametrize(
    ("mark", "reason", "message"),
    [
        ("asleep", "", "Choose present"),
        (Mark.EXCUSED, "  ", "reason"),
        (Mark.EXCUSED, "x" * 301, "under 300"),
    ],
)
def test_bad_marks_change_nothing(world, tuesdays, mark, reason, message):
    with pytest.raises(ValidationError, match=message):
        attendance_mark(
            session=tuesdays[0], member=world.member, mark=mark, reason=reason, actor=world.staff
        )
    assert not Attendance.objects.exists()


def test_no_mark_for_a_future_or_cancelled_session(world, tuesdays):
    future = SessionFactory(group=world.addict_group, starts_at=at_seven(datetime.date(2026, 3, 3)))
    tuesdays[1].status = SessionStatus.CANCELLED
    tuesdays[1].save()
    for session in (future, tuesdays[1]):
        with pytest.raises(ValidationError, match="day of the session"):
            attendance_mark(
                session=session, member=world.member, mark=Mark.PRESENT, actor=world.staff
            )
    assert not Attendance.objects.exists()


def test_no_mark_for_someone_not_active_that_day(world, tuesdays):
    late = EnrollmentFactory(group=world.addict_group, joined_on=datetime.date(2026, 2, 1)).member
    with pytest.raises(ValidationError, match="not an active member"):
        attendance_mark(session=tuesdays[0], member=late, mark=Mark.PRESENT, actor=world.staff)
    with pytest.raises(ValidationError, match="not an active member"):
        attendance_mark(
            session=tuesdays[0], member=world.partner, mark=Mark.PRESENT, actor=world.staff
        )
    assert not Attendance.objects.exists()


def test_mark_going_present(world, tuesdays, notified):
    """Going members with a seat and no mark yet become present; others are left alone."""
    session = tuesdays[7]
    waitlisted = EnrollmentFactory(group=world.addict_group).member
    already_absent = EnrollmentFactory(group=world.addict_group).member
    not_member_that_day = EnrollmentFactory(
        group=world.addict_group, status=EnrollmentStatus.PAUSED
    ).member
    RSVPFactory(session=session, member=world.member)
    RSVPFactory(session=session, member=world.co_member, answer="not_going", seat=Seat.NONE)
    RSVPFactory(session=session, member=waitlisted, seat=Seat.WAITLISTED)
    RSVPFactory(session=session, member=already_absent)
    RSVPFactory(session=session, member=not_member_that_day)
    attendance_mark(session=session, member=already_absent, mark=Mark.ABSENT, actor=world.staff)

    count = attendance_mark_going_present(session=session, actor=world.facilitator)

    assert count == 1
    marks = dict(Attendance.objects.filter(session=session).values_list("member", "mark"))
    assert marks == {world.member.pk: Mark.PRESENT, already_absent.pk: Mark.ABSENT}
    assert attendance_mark_going_present(session=session, actor=world.facilitator) == 0


def _mark(world, session, mark, **extra):
    return attendance_mark(
        session=session, member=world.member, mark=mark, actor=world.facilitator, **extra
    )


def test_follow_up_fires_exactly_once_at_the_threshold(world, tuesdays, notified):
    """GIVEN the default threshold of 2 WHEN a member misses, misses, is re-saved, misses again
    THEN facilitators are told once, at the second absence, and the flag stays open."""
    assert world.addict_group.absence_follow_up_after == 2
    _mark(world, tuesdays[0], Mark.ABSENT)
    assert notified == []
    _mark(world, tuesdays[1], Mark.ABSENT)
    assert [e.member for e in notified] == [world.member]
    _mark(world, tuesdays[1], Mark.ABSENT)  # re-saved unchanged
    _mark(world, tuesdays[1], Mark.EXCUSED, reason="Forgot to say")  # corrected...
    _mark(world, tuesdays[1], Mark.ABSENT)  # ...and back: the same run
    _mark(world, tuesdays[2], Mark.ABSENT)  # beyond the threshold
    assert len(notified) == 1
    follow_up = AbsenceFollowUp.objects.get()
    assert follow_up.threshold_session == tuesdays[1]
    assert follow_up.absences == 3 and follow_up.is_open


def test_excused_absences_do_not_count_and_attending_clears(world, tuesdays, notified):
    _mark(world, tuesdays[0], Mark.ABSENT)
    _mark(world, tuesdays[1], Mark.EXCUSED, reason="Travel")
    assert notified == []
    _mark(world, tuesdays[2], Mark.ABSENT)  # excused in between neither counts nor breaks
    assert len(notified) == 1
    _mark(world, tuesdays[3], Mark.PRESENT)
    assert AbsenceFollowUp.objects.get().cleared_at is not None
    # A new run after coming back is a new follow-up.
    _mark(world, tuesdays[4], Mark.ABSENT)
    _mark(world, tuesdays[5], Mark.ABSENT)
    assert len(notified) == 2
    assert AbsenceFollowUp.objects.filter(cleared_at__isnull=True).count() == 1


def test_threshold_is_per_group_and_zero_turns_it_off(world, tuesdays, notified):
    group = world.addict_group
    group.absence_follow_up_after = 3
    group.save()
    for session in tuesdays[:2]:
        _mark(world, session, Mark.ABSENT)
    assert notified == []
    _mark(world, tuesdays[2], Mark.ABSENT)
    assert len(notified) == 1
    group.absence_follow_up_after = 0
    group.save()
    _mark(world, tuesdays[3], Mark.ABSENT)
    assert len(notified) == 1


def test_acknowledging_hides_the_flag_without_refiring(world, tuesdays, notified):
    _mark(world, tuesdays[0], Mark.ABSENT)
    _mark(world, tuesdays[1], Mark.ABSENT)
    follow_up = AbsenceFollowUp.objects.get()
    absence_follow_up_acknowledge(follow_up=follow_up, actor=world.facilitator)
    _mark(world, tuesdays[2], Mark.ABSENT)
    follow_up.refresh_from_db()
    assert not follow_up.is_open and follow_up.acknowledged_by == world.facilitator
    assert len(notified) == 1


def test_follow_up_reaches_the_notifications_outbox(world, tuesdays):
    """End to end, without stubbing: the group's facilitator gets a notice, once."""
    for session in tuesdays[:3]:
        _mark(world, session, Mark.ABSENT)
    notices = Notification.objects.filter(kind=Kind.ABSENCE_FOLLOW_UP)
    assert notices.exists()
    assert set(notices.values_list("recipient", flat=True)) == {world.facilitator.pk}
    assert notices.values("channel").distinct().count() == notices.count()
