"""Thin Celery tasks; safe to run twice (offers are made with the group's row locked; the
text acknowledging a request claims the request first)."""

from celery import shared_task

from referrals.texts import acknowledge_by_text
from referrals.waiting import expire_due_offers

__all__ = ["acknowledge_by_text", "expire_seat_offers"]


@shared_task(ignore_result=True)
def expire_seat_offers() -> int:
    """Offers past their date pass to the next person on the list."""
    return expire_due_offers()
