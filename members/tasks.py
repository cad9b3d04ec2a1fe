"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task


@shared_task(ignore_result=False)
def ping(value: str) -> str:
    """Round-trip check used by the broker test and by operators."""
    return value
