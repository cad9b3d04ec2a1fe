"""Running the outbox through time in a test, and what each person got from it."""

import datetime

import time_machine
from django.core import mail
from django.utils import timezone

from notifications import delivery
from notifications.models import Channel, Notification, Status


def deliver_until(until: datetime.datetime) -> None:
    """Travel from due time to due time up to `until`, reconciling and delivering what is
    due at each, as the periodic tasks would (frozen clock: call inside time_machine)."""
    now = timezone.now()
    while True:
        pending = Notification.objects.filter(status=Status.PENDING, due_at__lte=until)
        next_due = pending.order_by("due_at").values_list("due_at", flat=True).first()
        if next_due is None:
            return
        with time_machine.travel(max(next_due, now), tick=False):
            delivery.outbox_reconcile()
            # In batches, as the dispatcher queues them.
            ids = delivery.outbox_claim_due(limit=1000)
            delivery.enqueue_deliveries(ids, delivery.notifications_deliver)
            now = timezone.now()


def emails_to(person) -> list:
    return [message for message in mail.outbox if person.email in message.to]


def sent_kinds(person, channel: str = Channel.EMAIL) -> list[str]:
    """The kinds of message `person` was sent on `channel`, in the order they went."""
    rows = Notification.objects.filter(recipient=person, channel=channel, status=Status.SENT)
    return list(rows.order_by("sent_at", "pk").values_list("kind", flat=True))


def in_app_sent(person):
    return Notification.objects.filter(
        recipient=person, channel=Channel.IN_APP, status=Status.SENT
    ).order_by("sent_at", "pk")
