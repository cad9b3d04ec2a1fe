from celery import shared_task

from materials.services import materials_publish_due


@shared_task(ignore_result=True)
def publish_due_materials() -> int:
    """Tell members about items that became visible since the last run (every few minutes)."""
    return materials_publish_due()
