"""Thin Celery tasks: ids in, a service call, nothing else. All are safe to run twice."""

from celery import shared_task

from notifications import delivery


@shared_task(ignore_result=True)
def dispatch_due() -> int:
    return delivery.outbox_dispatch()


@shared_task(ignore_result=True)
def deliver(notification_id: int) -> str:
    return delivery.notification_deliver(notification_id)


@shared_task(ignore_result=True)
def reconcile() -> int:
    return delivery.outbox_reconcile()


@shared_task(ignore_result=True)
def reminders_sync_for_user(user_id: int) -> int:
    return delivery.reminders_sync_for_user(user_id)
