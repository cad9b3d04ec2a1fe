"""Thin Celery tasks for scheduling; safe to run twice (the materialiser locks each series
and (series, original_start) is unique)."""

from celery import shared_task

from sessions import services


@shared_task(ignore_result=True)
def materialise_series() -> int:
    return services.series_materialise_all()
