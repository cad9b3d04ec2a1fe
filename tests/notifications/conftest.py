import pytest

from config.celery import app as celery_app
from notifications.sms import MemoryBackend


@pytest.fixture(autouse=True)
def _eager_celery_and_test_channels(settings):
    """Tasks run in-process; SMS goes to memory; email to Django's locmem outbox.

    Reminder rows are made for a month ahead here, so tests about offsets and timing can
    set a session days ahead; test_window.py covers the production window."""
    settings.NOTIFICATIONS_REMINDER_WINDOW_HOURS = 31 * 24
    settings.SMS_BACKEND = "notifications.sms.MemoryBackend"
    settings.SITE_URL = "https://circle.example"
    MemoryBackend.outbox = []
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
