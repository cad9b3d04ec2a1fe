"""A hand-built history for the world's addict group (Europe/London, so winter times are UTC).

Tuesdays 19:00 from 6 Jan to 24 Feb 2026, one cancelled Thursday and one future session.
`world.member` left on 20 Jan and came back on 3 Feb; `world.co_member` stayed throughout.
"""

import datetime
from dataclasses import dataclass

import pytest
import time_machine

from attendance.models import Attendance, Mark
from groups.models import Enrollment, EnrollmentStatus
from sessions.models import SessionStatus
from tests.factories import EnrollmentFactory, SessionFactory

NOW = datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)
TUESDAYS = [datetime.date(2026, 1, 6) + datetime.timedelta(weeks=i) for i in range(8)]


def at_seven(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(19), tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _roll_stays_open_for_the_history(settings):
    """The history runs two months back from NOW: its rolls stay open in these tests (the
    window itself is tested in test_roll_window.py)."""
    settings.ROLL_LATE_DAYS = 120


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@dataclass
class History:
    sessions: dict  # date -> Session
    cancelled: object
    future: object
    first_stint: object
    second_stint: object


def make_sessions(group, days) -> dict:
    return {day: SessionFactory(group=group, starts_at=at_seven(day)) for day in days}


@pytest.fixture
def history(world, frozen) -> History:
    group = world.addict_group
    sessions = make_sessions(group, TUESDAYS)
    cancelled = SessionFactory(
        group=group, starts_at=at_seven(datetime.date(2026, 2, 12)), status=SessionStatus.CANCELLED
    )
    future = SessionFactory(group=group, starts_at=at_seven(datetime.date(2026, 3, 3)))
    # world.member: first stint 6-20 Jan (left), second from 3 Feb.
    first = Enrollment.objects.get(group=group, member=world.member)
    first.status, first.left_on = EnrollmentStatus.LEFT, datetime.date(2026, 1, 20)
    first.save()
    back_on = datetime.date(2026, 2, 3)
    second = EnrollmentFactory(group=group, member=world.member, joined_on=back_on)
    marks = {
        world.member: {
            0: Mark.PRESENT,
            1: Mark.ABSENT,
            2: Mark.EXCUSED,
            4: Mark.PRESENT,
            5: Mark.LEFT_EARLY,
            6: Mark.EXCUSED,
            7: Mark.ABSENT,
        },
        world.co_member: {
            0: Mark.PRESENT,
            1: Mark.ABSENT,
            2: Mark.PRESENT,
            3: Mark.EXCUSED,
            4: Mark.PRESENT,
            5: Mark.PRESENT,
            # 6: roll not taken for co_member
            7: Mark.LATE,
        },
    }
    for member, by_index in marks.items():
        for index, mark in by_index.items():
            Attendance.objects.create(
                session=sessions[TUESDAYS[index]],
                member=member,
                mark=mark,
                reason="Unwell" if mark == Mark.EXCUSED else "",
                marked_by=world.facilitator,
            )
    # A mark on the cancelled session must not count anywhere.
    Attendance.objects.create(session=cancelled, member=world.co_member, mark=Mark.PRESENT)
    return History(sessions, cancelled, future, first, second)
