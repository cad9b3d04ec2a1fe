"""Roll can be taken from the session's day until ROLL_LATE_DAYS after it."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from attendance.selectors import roll_is_open
from attendance.services import attendance_mark
from tests.attendance.conftest import at_seven
from tests.factories import SessionFactory


def test_roll_opens_on_the_day_and_closes_after_the_window(world, settings):
    # GIVEN a session on 6 January and a window of 30 days
    settings.ROLL_LATE_DAYS = 30
    session = SessionFactory(
        group=world.addict_group, starts_at=at_seven(datetime.date(2026, 1, 6))
    )
    cases = {
        datetime.datetime(2026, 1, 5, 12, tzinfo=datetime.UTC): False,  # the day before
        datetime.datetime(2026, 1, 6, 21, tzinfo=datetime.UTC): True,  # on the night
        datetime.datetime(2026, 2, 5, 12, tzinfo=datetime.UTC): True,  # 30 days after
        datetime.datetime(2026, 2, 6, 12, tzinfo=datetime.UTC): False,  # 31 days after
    }
    for now, expected in cases.items():
        assert roll_is_open(session, now) is expected, now


def test_a_mark_after_the_window_is_refused_saying_why(world, settings):
    settings.ROLL_LATE_DAYS = 30
    session = SessionFactory(
        group=world.addict_group, starts_at=at_seven(datetime.date(2026, 1, 6))
    )
    with (
        time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError, match="until 30 days after it"),
    ):
        attendance_mark(
            session=session, member=world.co_member, mark="present", actor=world.facilitator
        )
