"""Deliveries in batches: the dispatcher queues DELIVERY_BATCH rows a task, and a batch reads
what its rows need once, so each more message costs only its own two writes (sending, sent)."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from groups.models import EnrollmentStatus
from notifications import delivery, services
from notifications.lookups import BatchLookups
from notifications.models import Channel, Kind, Notification, Status
from notifications.rendering import RowLookups
from sessions.models import Answer
from tests.factories import EnrollmentFactory, RSVPFactory, SessionFactory, UserFactory
from tests.factories.notifications import NotificationFactory

START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
DUE = START - datetime.timedelta(hours=2)


def _reminders(world, members: int) -> list[int]:
    """Two-hour email reminders for `members` more members of one session: due ids."""
    with time_machine.travel(START - datetime.timedelta(days=5), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        for _ in range(members):
            EnrollmentFactory(
                group=world.addict_group, member=UserFactory(), status=EnrollmentStatus.ACTIVE
            )
        services.session_reminders_sync(session)
    rows = Notification.objects.filter(
        session=session, kind=Kind.REMINDER, channel=Channel.EMAIL, offset_minutes=120
    )
    return list(rows.values_list("pk", flat=True))


def _queries_to_deliver(ids) -> tuple[int, dict]:
    with time_machine.travel(DUE, tick=False), CaptureQueriesContext(connection) as queries:
        outcomes = delivery.notifications_deliver(ids)
    return len(queries), outcomes


@pytest.mark.django_db
def test_a_batch_reads_what_its_rows_need_once(world):
    # GIVEN two sessions' reminders: one for the world's members, one for eight more people
    few = _reminders(world, members=0)
    many = _reminders(world, members=8)
    # WHEN each is delivered as one batch
    few_queries, few_outcomes = _queries_to_deliver(few)
    many_queries, many_outcomes = _queries_to_deliver(many)
    # THEN every one goes, and each more message costs two queries: "sending", then "sent"
    assert set(few_outcomes.values()) == set(many_outcomes.values()) == {"sent"}
    assert len(mail.outbox) == len(few) + len(many)
    assert many_queries - few_queries == 2 * (len(many) - len(few))


@pytest.mark.django_db
def test_a_batch_skips_and_sends_as_one_by_one_delivery_would(world):
    # GIVEN a member who answered not going and is due both reminders after an outage
    ids = _reminders(world, members=2)
    session = Notification.objects.get(pk=ids[0]).session
    RSVPFactory(session=session, member=world.member, answer=Answer.NOT_GOING)
    everything = list(
        Notification.objects.filter(session=session, channel=Channel.EMAIL).values_list(
            "pk", flat=True
        )
    )
    # WHEN the whole lot is delivered in one batch
    _count, outcomes = _queries_to_deliver(everything)
    # THEN the member's nearer reminder is skipped for the answer, and so is the day-before one
    # (not for "a nearer reminder": that one did not go); the others get the nearer one only
    mine = Notification.objects.filter(session=session, recipient=world.member, channel="email")
    assert set(mine.values_list("status", "last_error")) == {
        (Status.SKIPPED, "they answered not going")
    }
    others = Notification.objects.filter(session=session, channel="email").exclude(
        recipient__in=[world.member, world.facilitator]
    )
    assert set(others.filter(offset_minutes=120).values_list("status", flat=True)) == {Status.SENT}
    assert set(others.filter(offset_minutes=1440).values_list("last_error", flat=True)) == {
        "a nearer reminder was due"
    }
    assert list(outcomes.values()).count("sent") == len(mail.outbox)


@pytest.mark.django_db
def test_running_a_batch_twice_sends_each_message_once(world):
    ids = _reminders(world, members=3)
    with time_machine.travel(DUE, tick=False):
        first = delivery.notifications_deliver(ids)
        second = delivery.notifications_deliver(ids)
    assert set(first.values()) == {"sent"}
    assert set(second.values()) == {"not claimed"}
    assert len(mail.outbox) == len(ids)


@pytest.mark.django_db
def test_a_second_copy_of_a_batch_takes_over_what_is_still_pending(world, monkeypatch):
    # GIVEN a batch that, while sending its first message, loses the rest to a second copy
    # of itself (the broker gave the task out twice, or the lease ran out)
    ids = _reminders(world, members=3)
    send = delivery._send
    second: dict = {}
    copies = []

    def send_then_lose_the_rest(row, rendered):
        went = send(row, rendered)
        if not copies:
            copies.append(row.pk)
            second.update(delivery.notifications_deliver(ids))
        return went

    monkeypatch.setattr(delivery, "_send", send_then_lose_the_rest)
    with time_machine.travel(DUE, tick=False):
        first = delivery.notifications_deliver(ids)
    # THEN each message went once: the first copy sent one, the second the others
    assert list(first.values()).count("sent") == 1
    assert list(second.values()).count("sent") == len(ids) - 1
    sent = [pk for outcomes in (first, second) for pk, out in outcomes.items() if out == "sent"]
    assert sorted(sent) == sorted(ids)
    assert len(mail.outbox) == len(ids)
    assert set(Notification.objects.filter(pk__in=ids).values_list("status", "attempts")) == {
        (Status.SENT, 1)
    }


def test_the_dispatcher_queues_rows_in_batches():
    queued = []
    size = delivery.DELIVERY_BATCH
    total = 2 * size + 20
    assert delivery.enqueue_deliveries(list(range(total)), queued.append) == total
    assert [len(batch) for batch in queued] == [size, size, 20]
    assert [pk for batch in queued for pk in batch] == list(range(total))


def test_a_broker_outage_stops_queueing_and_says_how_many_were_queued():
    queued = []

    def send(batch):
        if queued:
            raise OSError("broker down")
        queued.append(batch)

    size = delivery.DELIVERY_BATCH
    assert delivery.enqueue_deliveries(list(range(2 * size + 20)), send) == size


@pytest.mark.django_db
def test_a_fault_in_one_message_does_not_hold_back_the_rest_of_its_batch(world, monkeypatch):
    # GIVEN a batch in which one message cannot be rendered (a bug, an odd old row)
    ids = _reminders(world, members=3)
    render = delivery.render_notification
    broken = ids[1]

    def render_or_fail(row, lookups):
        if row.pk == broken:
            raise ValueError("a template bug")
        return render(row, lookups)

    monkeypatch.setattr(delivery, "render_notification", render_or_fail)
    with time_machine.travel(DUE, tick=False):
        outcomes = delivery.notifications_deliver(ids)
    # THEN the others go, and that one is back in the queue with backoff, its attempt counted
    assert outcomes.pop(broken) == "retry"
    assert set(outcomes.values()) == {"sent"}
    assert len(mail.outbox) == len(ids) - 1
    row = Notification.objects.get(pk=broken)
    assert (row.status, row.attempts, row.last_error) == (Status.PENDING, 1, "ValueError")
    assert row.due_at > DUE


@pytest.mark.django_db
def test_a_batch_sees_the_same_other_meetings_as_one_row_at_a_time(world):
    # GIVEN a series notice to the facilitator of two groups listing a session weeks after the
    # row's own, a moved session's old time, and a meeting of the other group at each
    first = SessionFactory(group=world.addict_group, starts_at=START)
    later = SessionFactory(group=world.addict_group, starts_at=START + datetime.timedelta(weeks=6))
    old_time = START + datetime.timedelta(days=2)
    world.partner_group.facilitators.add(world.facilitator)
    SessionFactory(group=world.partner_group, starts_at=later.starts_at)
    SessionFactory(group=world.partner_group, starts_at=old_time)
    hour = datetime.timedelta(hours=1)
    series = NotificationFactory(
        recipient=world.facilitator,
        kind=Kind.SERIES_CHANGED,
        session=first,
        details={
            "moved": [
                [
                    later.pk,
                    later.starts_at.isoformat(),
                    later.starts_at.isoformat(),
                    (later.starts_at + hour).isoformat(),
                ]
            ]
        },
    )
    moved = NotificationFactory(
        recipient=world.facilitator,
        kind=Kind.SESSION_MOVED,
        session=first,
        details={"from": old_time.isoformat()},
    )
    batch = BatchLookups([series, moved])
    one = RowLookups()
    # THEN both read the same clashes: at the listed session, at the old time, not otherwise
    for spans, clash in [
        ([(later.starts_at, later.ends_at)], True),
        ([(old_time, old_time + hour)], True),
        ([(first.starts_at, first.ends_at)], False),
    ]:
        assert batch.clashes(world.facilitator, first, spans) is clash
        assert one.clashes(world.facilitator, first, spans) is clash
    assert batch.sessions([later.pk]) == {later.pk: later}
