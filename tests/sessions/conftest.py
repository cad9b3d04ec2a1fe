from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def notify():
    """The notifications entry point, recorded: these tests check what scheduling tells it,
    the notifications tests check what it does."""
    with mock.patch("notifications.api.session_changed") as session_changed:
        yield session_changed
