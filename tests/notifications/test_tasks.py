"""The periodic table entries and the thin tasks behind them."""

import datetime

import time_machine
from django.conf import settings
from django.core import mail

from config.celery import app
from notifications import services, tasks
from notifications.models import Notification, Status
from tests.factories import SessionFactory

START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)


def test_dispatcher_and_reconciliation_are_scheduled_with_an_expiry():
    schedule = settings.CELERY_BEAT_SCHEDULE
    dispatch = schedule["notifications-dispatch"]
    assert dispatch["task"] == "notifications.tasks.dispatch_due"
    # Every 30 s by default (NOTIFICATIONS_DISPATCH_SECONDS): part of the worst lateness.
    assert dispatch["schedule"] == settings.NOTIFICATIONS_DISPATCH_SECONDS == 30
    assert dispatch["options"]["expires"] < dispatch["schedule"]
    reconcile = schedule["notifications-reconcile"]
    assert reconcile["task"] == "notifications.tasks.reconcile"
    assert reconcile["options"]["expires"] < reconcile["schedule"]
    for entry in (dispatch, reconcile):
        assert entry["task"] in app.tasks


def test_dispatch_task_sends_what_is_due(world, django_capture_on_commit_callbacks):
    with time_machine.travel(START - datetime.timedelta(days=3), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        services.session_reminders_sync(session)
    at = START - datetime.timedelta(hours=2)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_due.delay()
    assert len(mail.outbox) == 3  # two members' reminders and the facilitator's digest


def test_reconcile_task_cancels_what_no_longer_applies(world):
    with time_machine.travel(START - datetime.timedelta(days=3), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        services.session_reminders_sync(session)
    with time_machine.travel(START + datetime.timedelta(minutes=1), tick=False):
        tasks.reconcile.delay()
    assert not Notification.objects.filter(status=Status.PENDING)
    assert Notification.objects.filter(status=Status.CANCELLED).count() == 10


def test_a_notice_in_quiet_hours_waits_for_the_morning(world):
    from notifications.models import Kind, Preference

    Preference.objects.create(
        user=world.member, quiet_start=datetime.time(22), quiet_end=datetime.time(7)
    )
    with time_machine.travel(datetime.datetime(2026, 11, 25, 23, tzinfo=datetime.UTC), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        services.notify_session_changed(session, "scheduled")
    notice = Notification.objects.get(
        kind=Kind.SESSION_SCHEDULED, recipient=world.member, channel="email"
    )
    assert notice.due_at == datetime.datetime(2026, 11, 26, 7, tzinfo=datetime.UTC)
