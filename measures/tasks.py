"""Thin Celery tasks: a service call, nothing else. Both are safe to run twice."""

from celery import shared_task

from measures import services


@shared_task(ignore_result=True)
def escalate_alerts() -> int:
    return services.alerts_escalate()


@shared_task(ignore_result=True)
def open_prompts() -> int:
    return services.prompts_open()
