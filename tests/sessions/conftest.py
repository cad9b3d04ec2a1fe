from types import SimpleNamespace
from unittest import mock

import pytest


@pytest.fixture(autouse=True)
def notify():
    """The notifications contract, recorded: these tests check what scheduling calls,
    the notifications tests check what those calls do."""
    names = ("session_reminders_sync", "notify_session_changed", "notify_waitlist_promoted")
    patches = {name: mock.patch(f"notifications.services.{name}") for name in names}
    mocks = {name: patcher.start() for name, patcher in patches.items()}
    yield SimpleNamespace(
        sync=mocks["session_reminders_sync"],
        changed=mocks["notify_session_changed"],
        promoted=mocks["notify_waitlist_promoted"],
    )
    for patcher in patches.values():
        patcher.stop()
