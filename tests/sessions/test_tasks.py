import datetime

import pytest
import time_machine
from django.conf import settings

from sessions.models import Session
from sessions.tasks import materialise_series
from tests.factories import SeriesFactory

NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)


def test_materialiser_is_in_the_beat_table_with_an_expiry():
    entry = settings.CELERY_BEAT_SCHEDULE["sessions-materialise"]
    assert entry["task"] == materialise_series.name
    assert 0 < entry["options"]["expires"] <= entry["schedule"]


@pytest.mark.django_db
def test_running_the_task_twice_creates_each_session_once(world):
    SeriesFactory(group=world.addict_group, rrule="FREQ=WEEKLY;BYDAY=TU")
    with time_machine.travel(NOW, tick=False):
        created = materialise_series()
        assert materialise_series() == 0
    # Tuesdays from the first date, 1 December, to 26 weeks after today.
    assert created == Session.objects.count() == 25


@pytest.mark.django_db
def test_archived_groups_and_ended_series_are_left_alone(world):
    world.partner_group.archived_at = NOW
    world.partner_group.save()
    SeriesFactory(group=world.partner_group)
    SeriesFactory(group=world.addict_group, ended_on=datetime.date(2026, 11, 1))
    with time_machine.travel(NOW, tick=False):
        assert materialise_series() == 0
