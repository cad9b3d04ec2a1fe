"""The acknowledgement of a request by text message, to someone who gave a mobile number and
said written messages are safe. Sent in a task after commit, at most once: the task claims the
request first, so a retried or duplicated task never texts twice (a text is never worth the
risk of a second one)."""

from functools import partial

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from notifications import api as notifications_api
from referrals.models import Referral


@shared_task(ignore_result=True)
def acknowledge_by_text(referral_id: int) -> bool:
    claimed = Referral.objects.filter(
        pk=referral_id, message_ok=True, acknowledged_by_text_at__isnull=True
    ).update(acknowledged_by_text_at=timezone.now())
    if not claimed:
        return False
    return notifications_api.referral_acknowledge_by_text(referral_id)


def acknowledge_by_text_after_commit(referral_id: int) -> None:
    transaction.on_commit(partial(acknowledge_by_text.delay, referral_id), robust=True)
