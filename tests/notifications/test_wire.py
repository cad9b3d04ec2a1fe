"""The wire format: Circle's messages written directly, and the standard path's short cuts,
give the same bytes as Django's message() through the standard library's generator."""

import email
import itertools
import random
import string
from email.generator import BytesGenerator
from io import BytesIO

import pytest
from django.core.mail.message import sanitize_address

from notifications import wire
from notifications.mail import build_email
from notifications.wire import PLAIN_ADDRESS, WireGenerator, envelope_address, wire_bytes

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
TEXTS = [
    "Hello.\n.\nA dot line.",
    "Bonjour à tous\r\nmerci\r",
    "x" * 990 + "\nshort\n\n",
    "no newline at the end",
    "ends with newlines\n\n",
]
DATE = "Mon, 30 Nov 2026 17:00:00 -0000"


def _message(rng: random.Random, *, ours: bool = True):
    headers = {
        "Message-ID": f"<notification-{rng.randrange(10**9)}-abcdef0123456789@circle.example>",
        "List-Unsubscribe": f"<https://circle.example/email/{'x' * rng.randrange(0, 120)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    if rng.random() < 0.2:
        del headers["Message-ID"]
    attachments = []
    for _ in range(rng.choice([0, 1, 1, 2])):
        calendar = rng.choice(
            [b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "SUMMARY:Séance\n".encode()]
        )
        attachments.append((rng.choice(["session.ics", "sessions.ics"]), calendar, "text/calendar"))
    message = build_email(
        to=rng.choice(NAMES),
        from_email=rng.choice(NAMES),
        subject=rng.choice(SUBJECTS),
        text=rng.choice(TEXTS),
        html="<p>" + rng.choice(SUBJECTS) + "</p>" + rng.choice(["", "\n"]),
        headers=headers,
        attachments=attachments,
    )
    if not ours:
        odd = rng.choice(["long line", "cc", "binary file", "accented file name"])
        if odd == "long line":
            message.body = "y" * 1200
        elif odd == "cc":
            message.cc = ["other@example.com"]
        elif odd == "binary file":
            message.attach("file.bin", b"\x00\x01", "application/octet-stream")
        else:
            message.attach("séance.ics", "BEGIN:VCALENDAR", "text/calendar")
    return message


def _counted_boundaries():
    counter = itertools.count(1)
    return classmethod(lambda cls, text=None: f"===============fixed{next(counter)}==")


class StandardGenerator(BytesGenerator):
    """The standard library's generator, with boundaries counted instead of random."""


@pytest.fixture
def fixed(monkeypatch):
    """Boundaries, Date and Message-ID the same on both paths."""
    monkeypatch.setattr(WireGenerator, "_make_boundary", _counted_boundaries())
    monkeypatch.setattr(StandardGenerator, "_make_boundary", _counted_boundaries(), raising=False)
    for module in ("notifications.wire", "django.core.mail.message"):
        monkeypatch.setattr(f"{module}.formatdate", lambda localtime=False: DATE)
        monkeypatch.setattr(f"{module}.make_msgid", lambda domain=None: "<fixed@circle.example>")


def _standard(message) -> bytes:
    out = BytesIO()
    StandardGenerator(out, mangle_from_=False).flatten(message.message(), linesep="\r\n")
    return out.getvalue()


def _unstuffed(data: bytes) -> bytes:
    assert data.endswith(b"\r\n.\r\n")
    return data[: -len(b".\r\n")].replace(b"\r\n..", b"\r\n.")


@pytest.mark.parametrize("seed", range(60))
def test_circles_messages_are_written_as_the_standard_path_writes_them(seed, fixed):
    message = _message(random.Random(seed))
    written = wire._written(message)
    assert written is not None  # Circle's shape: written directly
    assert written == _standard(message)


@pytest.mark.parametrize("seed", range(20))
def test_other_messages_take_the_standard_path_with_the_same_bytes(seed, fixed):
    message = _message(random.Random(seed), ours=False)
    assert wire._written(message) is None
    expected = _standard(message)
    assert _unstuffed(wire_bytes(message)) == (
        expected if expected.endswith(b"\r\n") else expected + b"\r\n"
    )


def test_dots_are_doubled_and_the_message_ends_with_one():
    message = build_email(to="a@example.com", subject="s", text=".\nx\n.y", html="<p>x</p>")
    data = wire_bytes(message)
    assert b"\r\n..\r\nx\r\n..y" in data and data.endswith(b"\r\n.\r\n")


def test_new_boundaries_are_random_and_absent_from_the_parts():
    message = build_email(
        to="a@example.com",
        subject="s",
        text="text",
        html="<p>x</p>",
        attachments=[("session.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")],
    )
    first, second = wire_bytes(message), wire_bytes(message)
    parsed = email.message_from_bytes(first)
    boundaries = [b for b in (p.get_boundary() for p in parsed.walk()) if b]
    assert len(boundaries) == 2  # mixed (the calendar file) around alternative (text, HTML)
    for boundary in boundaries:
        assert boundary.encode() not in second
        assert first.count(f"--{boundary}--".encode()) == 1
    kinds = [p.get_content_type() for p in parsed.walk()]
    assert kinds == [
        "multipart/mixed",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "text/calendar",
    ]


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


def _random_address(rng: random.Random) -> str:
    atom_chars = string.ascii_letters + string.digits + "!#$%&'*+/=?^_`{|}~-"
    label_chars = string.ascii_letters + string.digits + "-"
    local = ".".join(
        "".join(rng.choice(atom_chars) for _ in range(rng.randint(1, 12)))
        for _ in range(rng.randint(1, 3))
    )
    host = ".".join(
        "".join(rng.choice(label_chars) for _ in range(rng.choice([1, 5, 12, 63, 64])))
        for _ in range(rng.randint(1, 3))
    )
    return f"{local}@{host}"


def test_a_plain_address_skips_the_parser_and_comes_out_as_django_writes_it():
    rng = random.Random(5322)
    edges = [
        "alex@example.com",
        "Alex.O'Neil+circle@Mail-1.Example.ORG",
        "a..b@example.com",  # not a dot-atom: parsed
        ".a@example.com",
        "a@-example.com",
        "a@example-.com",
        "a@" + "x" * 64 + ".com",  # a label too long for a host name: parsed
        "josé@example.com",
        "alex@exämple.com",
        "Alex <alex@example.com>",
    ]
    for address in edges + [_random_address(rng) for _ in range(2000)]:
        try:
            expected = sanitize_address(address, "utf-8")
        except ValueError:
            with pytest.raises(ValueError):
                envelope_address(address, "utf-8")
            assert not PLAIN_ADDRESS.fullmatch(address)
            continue
        assert envelope_address(address, "utf-8") == expected, address
        if PLAIN_ADDRESS.fullmatch(address):
            assert expected == address
