"""The wire format's short paths write the same bytes as the standard library's generator."""

import email
import random
from email.generator import BytesGenerator
from io import BytesIO

import pytest
from django.core.mail.message import sanitize_address

from notifications.mail import build_email
from notifications.wire import WireGenerator, envelope_address, wire_bytes

SUBJECTS = [
    "Reminder: Tuesday 7 pm",
    "Rappel : mardi 19 h, à bientôt",
    "Recordatorio: martes 19:00 — ¿vienes?",
    "A subject that is long enough to need folding when it is written out as a header line",
    "Two  spaces and\ta tab",
    "Ünïcödé " * 12,
    "🙂 emoji",
    "",
]
NAMES = ["Circle <hello@circle.example>", "Zoë Müller <zoe@example.com>", "plain@example.com"]


def _message(rng: random.Random):
    headers = {
        "Message-ID": f"<notification-{rng.randrange(10**9)}-abcdef0123456789@circle.example>",
        "List-Unsubscribe": f"<https://circle.example/email/{'x' * rng.randrange(0, 120)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    attachments = []
    if rng.random() < 0.7:
        calendar = b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n"
        attachments.append(("session.ics", calendar, "text/calendar"))
    return build_email(
        to=rng.choice(NAMES),
        from_email=rng.choice(NAMES),
        subject=rng.choice(SUBJECTS),
        text=rng.choice(["Hello.\n.\nA dot line.", "Bonjour à tous", "x" * 1200]),
        html="<p>" + rng.choice(SUBJECTS) + "</p>",
        headers=headers,
        attachments=attachments,
    )


def _fixed_boundaries(mime) -> None:
    for n, part in enumerate(mime.walk()):
        if part.is_multipart():
            part.set_boundary(f"===============fixed{n}==")


def _standard(mime) -> bytes:
    out = BytesIO()
    BytesGenerator(out, mangle_from_=False).flatten(mime, linesep="\r\n")
    return out.getvalue()


@pytest.mark.parametrize("seed", range(40))
def test_same_bytes_as_the_standard_generator(seed, monkeypatch):
    message = _message(random.Random(seed))
    mime = message.message()
    _fixed_boundaries(mime)
    expected = _standard(mime)
    # wire_bytes builds the MIME message itself: hand it this one, boundaries fixed.
    monkeypatch.setattr(message, "message", lambda: mime)
    data = wire_bytes(message)
    assert data.endswith(b"\r\n.\r\n")
    unstuffed = data[: -len(b".\r\n")].replace(b"\r\n..", b"\r\n.")
    assert unstuffed == (expected if expected.endswith(b"\r\n") else expected + b"\r\n")


def test_new_boundaries_are_random_and_absent_from_the_parts():
    message = _message(random.Random(3))
    first, second = wire_bytes(message), wire_bytes(message)
    boundaries = [p.get_boundary() for p in email.message_from_bytes(first).walk()]
    boundaries = [b for b in boundaries if b]
    assert len(boundaries) == 2  # mixed (the calendar file) around alternative (text, HTML)
    for boundary in boundaries:
        assert boundary.encode() not in second
        assert first.count(f"--{boundary}--".encode()) == 1


def test_a_boundary_already_in_the_text_is_not_used(monkeypatch):
    tokens = iter(["a" * 32, "b" * 32])
    monkeypatch.setattr("notifications.wire.secrets.token_hex", lambda n: next(tokens))
    taken = b"--" + ("=" * 15 + "a" * 32 + "==").encode()
    assert WireGenerator._make_boundary(b"text\r\n" + taken + b"\r\n") == "=" * 15 + "b" * 32 + "=="


def test_envelope_address_is_djangos():
    for address in NAMES:
        assert envelope_address(address, "utf-8") == sanitize_address(address, "utf-8")
    with pytest.raises(ValueError):
        envelope_address("not an address <", "utf-8")
