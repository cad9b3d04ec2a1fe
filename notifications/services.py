"""Entry points other apps call when something worth telling people happens.

Each is called inside the caller's transaction; work is queued only after it commits.
"""


def session_reminders_sync(session) -> None:
    """Create, re-time or cancel the pending reminders of one session to match its state."""


def notify_session_changed(session, change: str) -> None:
    """Tell the session's members it was scheduled, moved or cancelled (`change`)."""


def notify_waitlist_promoted(rsvp) -> None:
    """Tell a member their waitlisted seat is now confirmed."""


def notify_material_published(material) -> None:
    """Tell the audience of a reading item that it is available."""


def notify_absence_follow_up(enrollment) -> None:
    """Tell the group's facilitators that a member reached the absence threshold."""
