"""Materialising many series in one pass: the same handful of queries for 3 series or 30,
and reminders only for the sessions near enough to have any."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from config.celery import app as celery_app
from notifications.models import Kind, Notification
from sessions import recurrence, services
from sessions.models import Series, Session
from tests.factories import GroupFactory

NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _frozen_and_eager(settings):
    settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS = 48
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with time_machine.travel(NOW, tick=False):
        yield
    celery_app.conf.task_always_eager = previous


def _series(group, n):
    return Series.objects.bulk_create(
        Series(
            group=group,
            rrule=recurrence.build_rule(frequency="weekly", weekday=recurrence.WEEKDAYS[i % 7]),
            starts_on=NOW.date(),
            start_time=datetime.time(9 + i % 10, 0),
        )
        for i in range(n)
    )


def _queries_to_materialise(world, n) -> int:
    Series.objects.all().delete()
    Session.objects.all().delete()
    _series(world.addict_group, n)
    with CaptureQueriesContext(connection) as queries:
        created = services.series_materialise_all()
    assert created == 26 * n
    # INSERTs come in batches (SQLite caps a statement's parameters): the rest is fixed.
    return sum(1 for q in queries if not q["sql"].startswith("INSERT"))


def test_materialising_all_series_costs_the_same_queries_for_3_or_30(world):
    # GIVEN 3, then 30 new weekly series WHEN the periodic task materialises them
    # THEN it runs the same queries besides the batched INSERTs (reminders follow in a task
    # after commit)
    assert _queries_to_materialise(world, 3) == _queries_to_materialise(world, 30)


def test_only_sessions_near_enough_get_reminder_rows_after_commit(
    world, django_capture_on_commit_callbacks
):
    # GIVEN a group with two members and a new weekly series starting today
    GroupFactory()  # another group, untouched
    _series(world.addict_group, 1)
    # WHEN the periodic task materialises it and the transaction commits
    with django_capture_on_commit_callbacks(execute=True):
        services.series_materialise_all()
    # THEN 26 sessions exist, and reminder rows only for what is due within 48 hours
    sessions = Session.objects.filter(group=world.addict_group)
    assert sessions.count() == 26
    rows = Notification.objects.filter(kind=Kind.REMINDER)
    assert rows.exists()
    assert all(row.due_at <= NOW + datetime.timedelta(hours=48) for row in rows)
    reminded = set(rows.values_list("session__starts_at", flat=True))
    assert max(reminded) <= NOW + datetime.timedelta(days=3)


def test_a_series_edit_moves_the_horizon_in_one_update(world):
    series = services.series_create(
        group=world.addict_group,
        actor=world.facilitator,
        rrule=recurrence.build_rule(frequency="weekly", weekday="TU"),
        starts_on=datetime.date(2026, 11, 24),
        start_time=datetime.time(19, 0),
        duration_minutes=90,
    )
    # WHEN the facilitator moves the whole series an hour earlier
    with CaptureQueriesContext(connection) as queries:
        services.series_update(
            series=series,
            actor=world.facilitator,
            rrule=series.rrule,
            start_time=datetime.time(18, 0),
            duration_minutes=90,
        )
    # THEN every session follows, and the edit does not cost a write per session
    starts = {s.starts_at.astimezone(datetime.UTC).hour for s in series.sessions.all()}
    assert starts <= {18, 17}  # 18:00 local: UTC in winter, BST an hour earlier in summer
    updates = [q for q in queries if q["sql"].startswith('UPDATE "scheduling_session"')]
    assert len(updates) <= 2
