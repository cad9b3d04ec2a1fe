"""1,000 due reminders through real Celery workers, a real Redis and a real SMTP server:
each arrives exactly once, even when the worker is SIGKILLed mid-batch and Redis restarts.

Where the kill lands: every worker process is first brought to a point where it waits on
the mail server (the server holds its reply to RCPT), then the whole worker is SIGKILLed.
That is anywhere but the one gap no SMTP sender can close: the microseconds between
committing "sent" and writing DATA's final "." (see notifications/mail.py). A kill there
loses that one message rather than doubling it; a random kill hits it rarely, on a busy
machine now and then, and this test must not be flaky.

A dispatcher process plays Celery beat (dispatch and stale-row recovery every half second)
so the run takes seconds, not minutes; leases and the stale-"sending" cut-off are
shortened to match. Redis is a private redis-server on a free port, never the machine's shared one.
"""

import datetime
import time

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from groups.models import Enrollment
from notifications import services
from notifications.models import Notification, Preference, Status
from tests.factories import GroupFactory, SessionFactory
from tests.notifications.reliability import (
    CountingSMTP,
    Dispatcher,
    PrivateRedis,
    Worker,
    worker_env,
)

MESSAGES = 1000
KILL_AFTER = 300  # SIGKILL the worker once this many have arrived
REDIS_RESTART_AFTER = 600
TIME_LIMIT = 160  # seconds; runs took 50-90 s on a busy two-core machine


def _members(group, count):
    User = get_user_model()
    users = User.objects.bulk_create(
        User(email=f"reliable{i}@example.org", display_name=f"R{i}", password="!")
        for i in range(count)
    )
    Enrollment.objects.bulk_create(Enrollment(group=group, member=u) for u in users)
    Preference.objects.bulk_create(Preference(user=u, channels=["email"]) for u in users)


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.mark.service("postgres", "redis")
@pytest.mark.django_db(transaction=True)
def test_a_thousand_reminders_arrive_exactly_once_through_kill_and_redis_restart(
    tmp_path, capsys, monkeypatch
):
    # GIVEN 1,000 members with a reminder due now, made by the real sync (the dispatcher
    # process below picks them up; this process queues nothing)
    group = GroupFactory(time_zone="UTC", reminder_offsets=[60])
    _members(group, MESSAGES)
    starts = timezone.now() + datetime.timedelta(minutes=30)
    # Scheduled days ago: a reminder whose time passed before its session existed is dropped.
    session = SessionFactory(
        group=group, starts_at=starts, created_at=timezone.now() - datetime.timedelta(days=2)
    )
    services.session_reminders_sync(session)
    assert Notification.objects.filter(status=Status.PENDING).count() == MESSAGES

    redis = PrivateRedis()
    smtp = CountingSMTP(tmp_path)
    env = worker_env(database_url=_database_url(), redis_url=redis.url, smtp_port=smtp.port)
    worker = Worker(env, tmp_path)
    dispatcher = Dispatcher(env, tmp_path)

    figures = {"killed_at": None, "redis_restarted_at": None}
    began = time.monotonic()
    first_arrival = None
    try:
        redis.start()
        smtp.start()
        worker.start()
        dispatcher.start()
        while time.monotonic() - began < TIME_LIMIT:
            arrived = smtp.total
            if first_arrival is None and arrived:
                first_arrival = time.monotonic() - began
            if figures["killed_at"] is None and arrived >= KILL_AFTER:
                # WHEN the worker dies mid-batch (no chance to finish or ack anything)
                smtp.freeze()
                time.sleep(1.5)
                worker.kill()
                smtp.thaw()
                figures["killed_at"] = smtp.total
                worker.start()
            if figures["redis_restarted_at"] is None and arrived >= REDIS_RESTART_AFTER:
                # AND Redis goes away and comes back empty
                redis.restart()
                figures["redis_restarted_at"] = arrived
            if Notification.objects.filter(status=Status.SENT).count() == MESSAGES:
                break
            time.sleep(0.05)
        time.sleep(2)  # let any straggling copy arrive before counting
    finally:
        dispatcher.stop()
        worker.stop()
        smtp.stop()
        redis.stop()
    elapsed = time.monotonic() - began

    statuses = dict(Notification.objects.values_list("status").annotate(n=Count("pk")))
    figures_line = (
        f"\nreliability: {MESSAGES} due, {smtp.unique} delivered, {smtp.duplicates} duplicates, "
        f"{smtp.total} SMTP transactions; worker SIGKILLed after {figures['killed_at']} "
        f"and Redis restarted after {figures['redis_restarted_at']} arrivals; "
        f"{dispatcher.recovered} interrupted sends recovered; rows {statuses}; "
        f"{elapsed:.1f} s in all, first message after {first_arrival or 0:.1f} s"
    )
    with capsys.disabled():  # shown even when pytest captures output
        print(figures_line)  # noqa: T201
        if statuses != {Status.SENT: MESSAGES}:
            for log in (worker.log, dispatcher.log):
                print(f"--- {log.name}\n{log.read_text()[-3000:]}")  # noqa: T201
    # THEN every reminder arrived exactly once, and the outbox agrees
    assert figures["killed_at"] is not None and figures["redis_restarted_at"] is not None
    assert smtp.unique == MESSAGES
    assert smtp.duplicates == 0
    assert statuses == {Status.SENT: MESSAGES}
