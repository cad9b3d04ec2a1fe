"""A held session of the world's addict group with roll taken: the member present, the
co-member absent. Notes tests write about it."""

import datetime

import pytest
import time_machine

from attendance.models import Mark
from tests.factories import AttendanceFactory, SessionFactory

NOW = datetime.datetime(2026, 3, 3, 21, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def held(world):
    """Tonight's session (19:00-20:30 UTC, London in winter), roll taken."""
    session = SessionFactory(
        group=world.addict_group,
        starts_at=datetime.datetime(2026, 3, 3, 19, tzinfo=datetime.UTC),
        topic="Handling weekends",
    )
    AttendanceFactory(session=session, member=world.member, mark=Mark.PRESENT)
    AttendanceFactory(session=session, member=world.co_member, mark=Mark.ABSENT)
    return session
