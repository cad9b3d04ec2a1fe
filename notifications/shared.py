"""One rendering for a batch's many recipients of the same message.

A session's reminder (or notice) says the same to each member who gets it, but for their
name and their own links. Its templates are rendered once per batch with marks in those
places and filled in for each recipient, exactly as rendering each on its own would have
written it (tests/notifications/test_shared_rendering.py compares the two). What a context
holds that a key cannot name exactly (anything but plain values) is rendered on its own.
"""

import datetime
from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.html import conditional_escape

# The context's values that differ from one recipient to the next, and only as text: a
# template may show them, never test or filter them (the tests would tell).
PERSONAL = ("recipient_name", "unsubscribe_url", "rsvp_urls")
# Private-use characters: no template, translation, escaping or whitespace touches them.
_OPEN, _CLOSE = "\ue000", "\ue001"
_PLAIN = (str, int, float, bool, type(None), datetime.date, datetime.time, datetime.timedelta)


@dataclass(frozen=True)
class Parts:
    """A message's subject, text and HTML as the templates wrote them, marks unfilled."""

    subject: str
    text: str
    html: str


@dataclass(frozen=True)
class Marked:
    key: tuple  # names everything the templates read but the personal values
    context: dict  # the context with marks in place of the personal values
    values: dict  # {mark: the recipient's value}


def _plain(value) -> bool:
    if isinstance(value, str):
        return _OPEN not in value and _CLOSE not in value  # a mark of ours, typed: alone
    if isinstance(value, _PLAIN):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _keyed(value):
    """A hashable, exact stand-in for a plain value (lazy text as the text it is now)."""
    if isinstance(value, dict):
        return ("dict", tuple(sorted((k, _keyed(v)) for k, v in value.items())))
    if isinstance(value, list | tuple):
        return (type(value).__name__, tuple(_keyed(item) for item in value))
    if isinstance(value, datetime.datetime):
        return ("datetime", value.isoformat(), str(value.tzinfo))
    return (type(value).__name__, value)


def mark(context: dict) -> Marked | None:
    """The context with its personal values marked, or None when it cannot be shared."""
    shared, personal = {}, {}
    for name, value in context.items():
        if isinstance(value, Promise):
            value = str(value)
        if name in PERSONAL:
            personal[name] = value
        elif _plain(value):
            shared[name] = value
        else:
            return None
    values: dict[str, str] = {}

    def marked(value: str) -> str:
        if not isinstance(value, str) or not value or not _plain(value):
            raise ValueError  # tested or filtered as a value: not text to fill in
        token = f"{_OPEN}{len(values)}{_CLOSE}"
        values[token] = value
        return token

    context = dict(shared)
    shape: list[tuple[str, tuple | None]] = []
    try:
        for name, value in personal.items():
            if isinstance(value, dict):
                context[name] = {k: marked(v) for k, v in value.items()}
                shape.append((name, tuple(value)))
            else:
                context[name] = marked(value)
                shape.append((name, None))
    except ValueError:
        return None
    return Marked(key=(_keyed(shared), tuple(shape)), context=context, values=values)


def fill(parts: Parts, values: dict) -> tuple[str, str, str]:
    """(subject, text, html) for one recipient: as render_email tidies them, with the
    marks filled in (escaped in the HTML, as the template would have)."""

    def filled(text: str, escape: bool) -> str:
        for token, value in values.items():
            text = text.replace(token, str(conditional_escape(value)) if escape else value)
        return text

    subject = " ".join(filled(parts.subject, False).split())
    return subject, filled(parts.text, False).strip(), filled(parts.html, True)
