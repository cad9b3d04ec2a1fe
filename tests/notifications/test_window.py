"""Reminder rows only for a rolling window, the dispatcher's indexed read-back, and the
recovery timers that bound how late a reminder is after a worker is killed."""

import datetime

import pytest
import time_machine
from django.db import connection

from notifications import api, delivery, services, tasks
from notifications.models import Kind, Notification, Status
from sessions.models import Session
from tests.factories import SessionFactory
from tests.factories.notifications import NotificationFactory

NOW = datetime.datetime(2026, 11, 21, 12, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _production_window(settings):
    settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS = 48


def reminder_rows(session):
    return Notification.objects.filter(session=session, kind=Kind.REMINDER, status=Status.PENDING)


def test_a_session_weeks_ahead_has_no_reminder_rows_until_the_window_reaches_it(world):
    # GIVEN a session three weeks ahead (day-before and two-hour reminders, two members)
    with time_machine.travel(NOW, tick=False):
        session = SessionFactory(
            group=world.addict_group, starts_at=NOW + datetime.timedelta(weeks=3)
        )
        # WHEN it is created and reconciled
        api.session_changed(session.pk)
        delivery.outbox_reconcile()
    # THEN nothing is written yet
    assert not Notification.objects.filter(session=session).exists()
    # WHEN reconciliation runs 3 days before: the day-before reminder is due in 49 hours
    with time_machine.travel(session.starts_at - datetime.timedelta(days=3, hours=1), tick=False):
        delivery.outbox_reconcile()
    assert not reminder_rows(session).exists()
    # WHEN it runs 71 hours before: the day-before ones are in the window, the two-hour not
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=71), tick=False):
        delivery.outbox_reconcile()
    assert set(reminder_rows(session).values_list("offset_minutes", flat=True)) == {24 * 60}
    # WHEN it runs 49 hours before: the two-hour ones follow, each slot once
    with time_machine.travel(session.starts_at - datetime.timedelta(hours=49), tick=False):
        delivery.outbox_reconcile()
    rows = reminder_rows(session)
    assert sorted(rows.values_list("offset_minutes", flat=True)) == [120] * 4 + [1440] * 4
    assert all(row.due_at > NOW for row in rows)


def test_a_session_moved_beyond_the_window_loses_its_pending_reminders(world):
    with time_machine.travel(NOW, tick=False):
        session = SessionFactory(
            group=world.addict_group, starts_at=NOW + datetime.timedelta(hours=30)
        )
        services.session_reminders_sync(session)
        assert reminder_rows(session).count() == 8
        # WHEN the session moves five weeks out
        Session.objects.filter(pk=session.pk).update(
            starts_at=NOW + datetime.timedelta(weeks=5),
            ends_at=NOW + datetime.timedelta(weeks=5, hours=1),
        )
        api.sessions_changed([session.pk])
    # THEN its pending rows are cancelled (their keys freed for later)
    assert not reminder_rows(session).exists()
    cancelled = Notification.objects.filter(session=session, status=Status.CANCELLED)
    assert cancelled.filter(kind=Kind.REMINDER).count() == 8


def test_the_dispatcher_reads_back_only_its_own_batch(world):
    # GIVEN due rows, and history rows that kept the token of the delivery that sent them
    with time_machine.travel(NOW, tick=False):
        due = [NotificationFactory(recipient=world.member, due_at=NOW) for _ in range(3)]
        NotificationFactory(recipient=world.member, status=Status.SENT, dispatch_token="x" * 32)
        ids = delivery.outbox_claim_due(limit=2)
    # THEN the claim returns exactly the two rows it leased, and leased no other
    assert len(ids) == 2 and set(ids) <= {row.pk for row in due}
    leased = Notification.objects.filter(dispatched_at=NOW).values_list("pk", flat=True)
    assert set(leased) == set(ids)


@pytest.mark.service("postgres")
def test_the_claim_and_its_read_back_use_indexes(world):
    """Whatever the table size, neither query can fall back to scanning the outbox."""
    with time_machine.travel(NOW, tick=False):
        NotificationFactory(recipient=world.member, due_at=NOW)
    read_back = Notification.objects.filter(pk__in=[1, 2], status=Status.PENDING).filter(
        dispatch_token="t" * 32
    )
    stale = Notification.objects.filter(status=Status.SENDING, claimed_at__lt=NOW)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plans = [query.explain() for query in (read_back, stale)]
    for plan in plans:
        assert "Seq Scan" not in plan, plan


def test_a_killed_send_is_retried_within_two_minutes_by_default(
    world, settings, django_capture_on_commit_callbacks
):
    # GIVEN the default timers, and a row whose worker died mid-send at NOW
    assert (
        settings.NOTIFICATIONS_SENDING_STALE_SECONDS + settings.NOTIFICATIONS_DISPATCH_SECONDS
        <= 120
    )
    assert (
        settings.NOTIFICATIONS_DISPATCH_LEASE_SECONDS + settings.NOTIFICATIONS_DISPATCH_SECONDS
        <= 120
    )
    session = SessionFactory(group=world.addict_group, starts_at=NOW + datetime.timedelta(hours=2))
    row = NotificationFactory(
        recipient=world.member,
        session=session,
        due_at=NOW,
        status=Status.SENDING,
        claimed_at=NOW,
        dispatch_token="dead" * 8,
    )
    # WHEN the dispatcher runs (every 30 s) before and after the cut-off
    stale = datetime.timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_SECONDS)
    at = NOW + stale - datetime.timedelta(seconds=1)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_due()
    row.refresh_from_db()
    assert row.status == Status.SENDING  # a slow but live send is left alone
    at = NOW + stale + datetime.timedelta(seconds=1)
    with time_machine.travel(at, tick=False), django_capture_on_commit_callbacks(execute=True):
        tasks.dispatch_due()
    # THEN the dispatch itself recovered it and sent it, under two minutes late
    row.refresh_from_db()
    assert row.status == Status.SENT
    assert row.sent_at - row.due_at < datetime.timedelta(minutes=2)
