from celery import shared_task

from notes.digest import notes_outstanding_digest


@shared_task(ignore_result=True)
def send_notes_outstanding() -> int:
    """The facilitators' next-day digest of notes left to write or sign (hourly; once a day
    per facilitator, safe to run twice)."""
    return notes_outstanding_digest()
