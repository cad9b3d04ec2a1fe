import datetime

import pytest
import time_machine

from demo.sessions import seed_demo_sessions
from sessions.models import Series, Session

NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_seed_demo_sessions_is_idempotent(world):
    with time_machine.travel(NOW, tick=False):
        first = seed_demo_sessions(world.addict_group, weekday=1, start=datetime.time(19))
        count = Session.objects.count()
        again = seed_demo_sessions(world.addict_group, weekday=1, start=datetime.time(19))
    assert first == again
    assert Series.objects.count() == 1
    assert count == Session.objects.count() == 26
    assert Session.objects.first().starts_at == datetime.datetime(
        2026, 11, 24, 19, tzinfo=datetime.UTC
    )
