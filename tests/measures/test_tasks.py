"""The two periodic tasks are in beat's one table, with an expiry, and are safe to run twice."""

import pytest
from django.conf import settings

from config.celery import app
from measures import tasks
from measures.models import Prompt
from tests.factories import SessionFactory
from tests.factories.measures import ScheduleFactory
from tests.measures.conftest import tuesday


def test_beat_runs_escalation_every_minute_and_prompts_every_quarter_hour():
    app.loader.import_default_modules()
    entries = {
        entry["task"]: entry
        for entry in settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"].startswith("measures.")
    }
    assert entries["measures.tasks.escalate_alerts"]["schedule"] == 60.0
    assert entries["measures.tasks.open_prompts"]["schedule"] == 900.0
    for name, entry in entries.items():
        assert name in app.tasks and 0 < entry["options"]["expires"] < entry["schedule"]


@pytest.mark.django_db
def test_the_tasks_are_idempotent(world, frozen):
    SessionFactory(group=world.addict_group, starts_at=tuesday())
    ScheduleFactory(group=world.addict_group)
    assert tasks.open_prompts() == 2
    assert tasks.open_prompts() == 0
    assert Prompt.objects.count() == 2
    assert tasks.escalate_alerts() == 0
