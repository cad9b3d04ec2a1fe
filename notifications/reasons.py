"""Why a message was not sent, as facilitators read it on the delivery page.

The outbox stores each reason in English (`Notification.last_error`, written by delivery,
services and audience). These are the fixed ones, marked here so the page can show them in
the reader's language; anything else (a provider's error, a held-back message naming its
words) is shown as stored.
"""

from django.utils.translation import gettext, gettext_noop

KNOWN = frozenset(
    {
        gettext_noop("a nearer reminder was due"),
        gettext_noop("a notice about this session went at about the same time"),
        gettext_noop("delivery was interrupted; trying again"),
        gettext_noop("every session it was about had already started"),
        gettext_noop("no longer needed (answer, move or preferences changed)"),
        gettext_noop("preferences changed"),
        gettext_noop("the account is closed"),
        gettext_noop("the account was erased"),
        gettext_noop("the invitation has been removed"),
        gettext_noop("the offer is no longer open"),
        gettext_noop("the request has been removed"),
        gettext_noop("the session had already started"),
        gettext_noop("the session is cancelled"),
        gettext_noop("the session is over"),
        gettext_noop("the session moved; a reminder for the new time replaces this one"),
        gettext_noop("the session started or was cancelled"),
        gettext_noop("the session was cancelled"),
        gettext_noop("the session was cancelled since"),
        gettext_noop("they answered not going"),
        gettext_noop("they are excused from this session"),
        gettext_noop("they are no longer an active member"),
        gettext_noop("they are on the waiting list"),
        gettext_noop("they turned email off"),
        gettext_noop("they turned reminders off"),
        gettext_noop("they turned this channel off or have no address for it"),
        gettext_noop("what it was about has been removed"),
    }
)


HELD_BACK = "held back: the text would say "  # delivery's prefix, then the words found


def reason_text(reason: str) -> str:
    """A stored reason in the active language when it is one of ours, else as stored."""
    if reason.startswith(HELD_BACK):
        words = reason.removeprefix(HELD_BACK)
        return gettext("held back: the text would say %(words)s") % {"words": words}
    return gettext(reason) if reason in KNOWN else reason
