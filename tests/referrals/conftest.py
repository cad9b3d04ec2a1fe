import pytest

from config.celery import app as celery_app
from tests.access.test_matrix import TEST_FIELD_ENCRYPTION_KEY


@pytest.fixture(autouse=True)
def _field_encryption_key(settings):
    # Requests and screenings store encrypted text (DEBUG is off under test: no derived key).
    settings.FIELD_ENCRYPTION_KEY = TEST_FIELD_ENCRYPTION_KEY
    settings.REFERRAL_MIN_FILL_SECONDS = 4


@pytest.fixture
def eager_celery():
    """Run tasks in-process, so an email queued on commit lands in mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
