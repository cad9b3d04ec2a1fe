"""Dispatcher and delivery: once per message, retries, skips, and what the email carries."""

import datetime
import smtplib
import socket
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection

from notifications import api, delivery, services, tasks
from notifications.mail import DeliveryError
from notifications.models import Channel, Kind, Notification, Preference, Status
from notifications.sms import MemoryBackend
from sessions.models import Answer, SessionStatus
from tests.factories import RSVPFactory, SessionFactory
from tests.factories.notifications import NotificationFactory


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


START = datetime.datetime(2026, 12, 1, 19, tzinfo=datetime.UTC)
DUE = START - datetime.timedelta(hours=2)


@pytest.fixture
def session(world):
    with time_machine.travel(START - datetime.timedelta(days=5), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        services.session_reminders_sync(session)
    return session


def run_dispatch(capture, at=DUE):
    with time_machine.travel(at, tick=False), capture(execute=True):
        return delivery.outbox_dispatch(send=tasks.deliver_batch.delay)


def test_due_rows_are_sent_once_and_recorded(world, session, django_capture_on_commit_callbacks):
    run_dispatch(django_capture_on_commit_callbacks, at=START - datetime.timedelta(hours=24))
    # The day-before reminders: two members on two channels.
    assert Notification.objects.filter(status=Status.SENT).count() == 4
    assert len(mail.outbox) == 2
    run_dispatch(django_capture_on_commit_callbacks)
    sent = Notification.objects.filter(status=Status.SENT)
    # ...then the two-hour ones and the facilitator's digest (email and in-app).
    assert sent.count() == 4 + 4 + 2
    assert len(mail.outbox) == 2 + 2 + 1
    row = sent.filter(kind=Kind.REMINDER, channel="email", offset_minutes=120).first()
    assert row.sent_at == DUE and row.attempts == 1 and row.provider_message_id
    # Running again sends nothing more.
    run_dispatch(django_capture_on_commit_callbacks, at=DUE + datetime.timedelta(minutes=1))
    assert len(mail.outbox) == 5


def test_an_overdue_reminder_gives_way_to_a_nearer_one(
    world, session, django_capture_on_commit_callbacks
):
    # GIVEN nothing was delivered for a day (an outage), so both reminders are due at once
    run_dispatch(django_capture_on_commit_callbacks)
    # THEN each member gets only the nearer one
    assert len(mail.outbox) == 2 + 1
    day_before = Notification.objects.filter(offset_minutes=1440, channel="email")
    assert set(day_before.values_list("status", "last_error")) == {
        (Status.SKIPPED, "a nearer reminder was due")
    }


def test_running_the_dispatcher_twice_at_once_sends_each_message_once(
    world, session, django_capture_on_commit_callbacks
):
    # GIVEN two dispatchers that both ran before either's deliveries did
    with time_machine.travel(DUE, tick=False):
        first = delivery.outbox_claim_due()
        second = delivery.outbox_claim_due()
        # THEN the second found nothing to claim
        assert first and second == []
        # AND even if every delivery task runs twice (a redelivered Redis message)
        for pk in first + first:
            delivery.notification_deliver(pk)
    # Two-hour reminders (2 members x 2 channels), digest x 2; the overdue day-before ones
    # give way to the nearer reminder.
    assert len(mail.outbox) == 3
    assert Notification.objects.filter(status=Status.SENT).count() == 6
    assert Notification.objects.filter(status=Status.SKIPPED).count() == 4


@pytest.mark.service("postgres")
@pytest.mark.django_db(transaction=True)
def test_two_dispatchers_in_parallel_threads_on_postgres(world):
    with time_machine.travel(START - datetime.timedelta(days=5), tick=False):
        session = SessionFactory(group=world.addict_group, starts_at=START)
        services.session_reminders_sync(session)
    claimed: list[list[int]] = []
    barrier = threading.Barrier(4)

    def worker():
        try:
            barrier.wait()
            ids = delivery.outbox_claim_due(limit=3, now=DUE)
            ids += delivery.outbox_claim_due(limit=100, now=DUE)
            claimed.append(ids)
            for pk in ids:
                delivery.notification_deliver(pk)
        finally:
            connection.close()

    with time_machine.travel(DUE, tick=True):
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    everything = [pk for ids in claimed for pk in ids]
    assert len(everything) == len(set(everything)) == 10
    assert len(mail.outbox) == 3


def test_nothing_is_sent_before_it_is_due(world, session, django_capture_on_commit_callbacks):
    run_dispatch(django_capture_on_commit_callbacks, at=DUE - datetime.timedelta(days=2))
    assert mail.outbox == []


def test_not_going_after_the_rows_were_made_is_skipped_at_delivery(
    world, session, django_capture_on_commit_callbacks
):
    # The answer changed without a sync (or the sync's transaction is still running).
    RSVPFactory(session=session, member=world.member, answer=Answer.NOT_GOING)
    run_dispatch(django_capture_on_commit_callbacks)
    skipped = Notification.objects.filter(recipient=world.member, status=Status.SKIPPED)
    assert skipped.count() == 4
    assert set(skipped.values_list("last_error", flat=True)) == {"they answered not going"}
    assert world.member.email not in [m.to[0] for m in mail.outbox]


def test_cancelled_session_sends_no_reminder(world, session, django_capture_on_commit_callbacks):
    session.status = SessionStatus.CANCELLED
    session.save()
    run_dispatch(django_capture_on_commit_callbacks)
    assert not Notification.objects.filter(kind=Kind.REMINDER, status=Status.SENT)
    assert mail.outbox == []


def test_the_reminder_email(world, session, django_capture_on_commit_callbacks):
    run_dispatch(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [world.member.email])
    assert message.subject == "Reminder: your Tuesday 7 pm session"
    assert "Tuesday 1 December, 7 pm (Europe/London time)" in message.body
    assert "/sessions/r/" in message.body  # the signed RSVP links
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<https://circle.example/notifications/email/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    name, ics, mimetype = message.attachments[0]
    assert mimetype == "text/calendar" and "BEGIN:VEVENT" in str(ics)
    html = message.alternatives[0][0]
    assert "I&#x27;m going" in html or "I'm going" in html
    assert world.addict_group.name not in message.body + html + message.subject


def test_times_are_in_the_recipients_own_zone(world, session, django_capture_on_commit_callbacks):
    world.member.time_zone = "America/New_York"
    world.member.save()
    run_dispatch(django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == [world.member.email])
    assert message.subject == "Reminder: your Tuesday 2 pm session"


def test_sms_and_in_app(world, session, django_capture_on_commit_callbacks):
    world.member.phone = "+447700900123"
    world.member.save()
    Preference.objects.create(user=world.member, channels=["sms", "in_app"])
    with time_machine.travel(START - datetime.timedelta(days=5), tick=False):
        services.session_reminders_sync(session)
    run_dispatch(django_capture_on_commit_callbacks)
    assert [to for to, _ in MemoryBackend.outbox] == ["+447700900123"]
    assert "reminder of your Tuesday 7 pm session" in MemoryBackend.outbox[0][1]
    inbox = Notification.objects.filter(recipient=world.member, channel=Channel.IN_APP)
    assert inbox.filter(status=Status.SENT, title="Reminder: your Tuesday 7 pm session").exists()


def test_transient_failures_retry_with_backoff_then_fail(world, monkeypatch, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    row = NotificationFactory(
        recipient=world.member,
        session__group=world.addict_group,
        session__starts_at=START,
        due_at=DUE,
    )

    def refuse(message, confirm):
        raise DeliveryError("connection refused", permanent=False)

    monkeypatch.setattr("notifications.mail.send_email", refuse)
    moments = []
    now = DUE
    for _ in range(3):
        with time_machine.travel(now, tick=False):
            delivery.notification_deliver(row.pk)
        row.refresh_from_db()
        moments.append((row.status, row.due_at - now if row.status == "pending" else None))
        now = row.due_at
    assert moments == [
        (Status.PENDING, datetime.timedelta(minutes=1)),
        (Status.PENDING, datetime.timedelta(minutes=2)),
        (Status.FAILED, None),
    ]
    assert row.last_error == "connection refused" and row.attempts == 3


def test_permanent_failure_is_recorded_at_once(world, monkeypatch):
    row = NotificationFactory(
        recipient=world.member,
        session__group=world.addict_group,
        session__starts_at=START,
        due_at=DUE,
    )

    def refuse(message, confirm):
        raise DeliveryError("the address was refused", permanent=True)

    monkeypatch.setattr("notifications.mail.send_email", refuse)
    with time_machine.travel(DUE, tick=False):
        assert delivery.notification_deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == ("failed", 1, "the address was refused")


def test_a_row_already_sent_or_sending_is_never_sent_again(world):
    sent = NotificationFactory(recipient=world.member, status=Status.SENT, due_at=DUE)
    sending = NotificationFactory(recipient=world.member, status=Status.SENDING, due_at=DUE)
    with time_machine.travel(DUE, tick=False):
        assert delivery.notification_deliver(sent.pk) == "not claimed"
        assert delivery.notification_deliver(sending.pk) == "not claimed"
    assert mail.outbox == []


def test_stale_sending_rows_go_back_to_pending(world, settings):
    settings.NOTIFICATIONS_SENDING_STALE_SECONDS = 15 * 60
    row = NotificationFactory(
        recipient=world.member, status=Status.SENDING, due_at=DUE, claimed_at=DUE
    )
    fresh = NotificationFactory(
        recipient=world.member,
        status=Status.SENDING,
        due_at=DUE,
        claimed_at=DUE + datetime.timedelta(minutes=10),
    )
    assert delivery.outbox_recover_stale(now=DUE + datetime.timedelta(minutes=16)) == 1
    row.refresh_from_db()
    fresh.refresh_from_db()
    assert (row.status, fresh.status) == (Status.PENDING, Status.SENDING)


def test_a_lost_delivery_task_is_queued_again_after_its_lease(world, session, settings):
    settings.NOTIFICATIONS_DISPATCH_LEASE_SECONDS = 5 * 60
    with time_machine.travel(DUE, tick=False):
        ids = delivery.outbox_claim_due()  # ...and the broker lost every task
    assert delivery.outbox_claim_due(now=DUE + datetime.timedelta(minutes=4)) == []
    again = delivery.outbox_claim_due(now=DUE + datetime.timedelta(minutes=6))
    assert sorted(again) == sorted(ids)


def test_outbound_text_with_a_forbidden_word_is_held_back(world, settings):
    settings.CLINIC_NAME = "Recovery Partners"
    row = NotificationFactory(
        recipient=world.member,
        session__group=world.addict_group,
        session__starts_at=START,
        due_at=DUE,
    )
    with time_machine.travel(DUE, tick=False):
        assert delivery.notification_deliver(row.pk) == "failed"
    row.refresh_from_db()
    assert row.last_error == "held back: the text would say recovery"
    assert mail.outbox == []


def test_one_click_unsubscribe_cancels_pending_email(world, session, client):
    from django.urls import reverse

    from notifications.rendering import unsubscribe_token

    url = reverse(
        "notifications:email_preferences", kwargs={"token": unsubscribe_token(world.member)}
    )
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert not Notification.objects.filter(
        recipient=world.member, channel="email", status=Status.PENDING
    )
    assert Preference.objects.get(user=world.member).channels == ["in_app"]


class TestTwoPhaseSMTP:
    """Against a real SMTP server on loopback: nothing arrives unless the row said sent."""

    @pytest.fixture
    def smtp_server(self, settings):
        from aiosmtpd.controller import Controller

        class Handler:
            def __init__(self):
                self.messages = []

            async def handle_DATA(self, server, session, envelope):
                self.messages.append(envelope.content)
                return "250 OK"

        handler = Handler()
        port = free_port()
        controller = Controller(handler, hostname="127.0.0.1", port=port)
        controller.start()
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        yield handler
        controller.stop()

    def _message(self):
        from notifications.mail import build_email

        return build_email(
            to="a@example.org",
            subject="Hello",
            text="Body\n.\nmore",
            html="<p>x</p>",
            headers={"Message-ID": "<one@circle.example>"},
        )

    def test_confirmed_message_arrives_once(self, smtp_server):
        from notifications.mail import send_email

        seen = []
        assert send_email(self._message(), lambda pid: seen.append(pid) or True)
        assert seen == ["<one@circle.example>"]
        assert len(smtp_server.messages) == 1
        # The lone "." line was escaped on the wire and arrives intact.
        assert b"Body\r\n.\r\nmore" in smtp_server.messages[0]

    def test_refused_confirmation_sends_nothing(self, smtp_server):
        from notifications.mail import send_email

        assert send_email(self._message(), lambda pid: False) is False
        assert smtp_server.messages == []

    def test_unreachable_server_is_transient(self, settings):
        from notifications.mail import send_email

        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
        with pytest.raises(DeliveryError) as error:
            send_email(self._message(), lambda pid: True)
        assert not error.value.permanent


def test_smtp_permanent_codes_are_permanent():
    from notifications.mail import _classify

    assert _classify(smtplib.SMTPRecipientsRefused({})).permanent
    assert _classify(smtplib.SMTPDataError(550, b"no")).permanent
    assert not _classify(smtplib.SMTPDataError(451, b"later")).permanent
    assert not _classify(ConnectionRefusedError()).permanent


def test_a_reminder_for_an_old_start_time_is_not_sent(
    world, session, django_capture_on_commit_callbacks
):
    # GIVEN the session moved without its reminders being re-timed (a missed sync)
    Notification.objects.filter(session=session).update(due_at=DUE)
    session.starts_at += datetime.timedelta(days=7)
    session.ends_at += datetime.timedelta(days=7)
    session.save()
    run_dispatch(django_capture_on_commit_callbacks)
    # THEN no reminder names the old time
    assert not Notification.objects.filter(kind=Kind.REMINDER, status=Status.SENT)
    assert set(
        Notification.objects.filter(kind=Kind.REMINDER).values_list("last_error", flat=True)
    ) == {"the session moved; a reminder for the new time replaces this one"}


def test_a_reminder_sent_for_the_old_time_does_not_silence_the_new_ones(
    world, session, django_capture_on_commit_callbacks
):
    run_dispatch(django_capture_on_commit_callbacks)  # the 2-hour reminder goes out
    new_start = START + datetime.timedelta(days=7)
    with time_machine.travel(DUE + datetime.timedelta(minutes=5), tick=False):
        session.starts_at, session.ends_at = new_start, new_start + datetime.timedelta(hours=1)
        session.save()
        api.session_changed(session.pk, change="moved")
    run_dispatch(django_capture_on_commit_callbacks, at=DUE + datetime.timedelta(minutes=6))
    assert {m.subject for m in mail.outbox[-2:]} == {
        "Your session has moved to Tuesday 8 December, 7 pm"
    }
    mail.outbox.clear()
    run_dispatch(django_capture_on_commit_callbacks, at=new_start - datetime.timedelta(hours=24))
    assert {m.subject for m in mail.outbox} == {"Reminder: your Tuesday 7 pm session"}
    assert len(mail.outbox) == 2
