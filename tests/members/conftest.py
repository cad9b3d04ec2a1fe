import pytest

from config.celery import app as celery_app


@pytest.fixture
def eager_celery():
    """Run tasks in-process, so an email queued on commit lands in mail.outbox."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
