"""Thin Celery tasks: ids in, a service call, nothing else. All are safe to run twice.

The top of the app's layering: tasks call delivery and services, never the other way
round. Where those need work queued (a delivery per batch of claimed rows), the task hands them the
task to queue.
"""

from celery import shared_task

from notifications import delivery, services


@shared_task(ignore_result=True)
def dispatch_due() -> int:
    return delivery.outbox_dispatch(send=deliver_batch.delay)


@shared_task(ignore_result=True)
def deliver_batch(notification_ids: list[int]) -> dict:
    return delivery.notifications_deliver(notification_ids)


@shared_task(ignore_result=True)
def deliver(notification_id: int) -> str:
    """One row: what the dispatcher queued before deliveries went in batches."""
    return delivery.notification_deliver(notification_id)


@shared_task(ignore_result=True)
def reconcile() -> int:
    due = delivery.outbox_reconcile()
    if due:
        dispatch_due.delay()
    return due


@shared_task(ignore_result=True)
def reminders_sync_for_user(user_id: int) -> int:
    due = services.reminders_sync_for_user(user_id)
    if due:
        dispatch_due.delay()
    return due


@shared_task(ignore_result=True)
def sessions_reminders_sync(session_ids: list[int]) -> int:
    due = services.reminders_sync_ids(session_ids)
    if due:
        dispatch_due.delay()
    return due
