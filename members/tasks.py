"""Thin Celery tasks: take ids, call a service."""

from celery import shared_task

from members.services.invitations import invitation_send_email


@shared_task(ignore_result=True)
def invitation_send(invitation_id: int) -> None:
    invitation_send_email(invitation_id)


@shared_task(ignore_result=False)
def ping(value: str) -> str:
    """Round-trip check used by the broker test and by operators."""
    return value
