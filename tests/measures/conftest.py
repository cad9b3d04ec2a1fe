import datetime

import pytest
import time_machine

# A Monday; the addict group meets on Tuesdays at 19:00 (London, so UTC in winter).
NOW = datetime.datetime(2026, 11, 30, 9, tzinfo=datetime.UTC)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def tuesday(weeks: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC) + datetime.timedelta(weeks=weeks)
