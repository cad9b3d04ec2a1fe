"""Reasons Circle itself gives a cancelled session (Session.cancel_reason).

They are stored in English, like everything stored, and shown in the reader's language;
a reason a facilitator typed is shown as typed (on pages and in notices).
"""

from django.utils.translation import gettext, gettext_noop

SERIES_ENDED = gettext_noop("The group's schedule ended before this date.")
SCHEDULE_CHANGED = gettext_noop("The group's regular schedule changed.")
NO_SESSION_THIS_DAY = gettext_noop("No session this day.")

KNOWN = frozenset({SERIES_ENDED, SCHEDULE_CHANGED, NO_SESSION_THIS_DAY})


def reason_text(reason: str) -> str:
    """A stored reason in the active language when it is one of ours, else as stored."""
    reason = (reason or "").strip()
    return gettext(reason) if reason in KNOWN else reason
