"""An email message as SMTP's DATA carries it, and the envelope's addresses.

Django builds a tree of `email` objects and the standard library's generator writes it out:
right, and a fifth of a delivery's CPU. Circle's messages have one shape (text, HTML and
maybe calendar files, UTF-8, no long lines), so `_written` writes that shape directly, with
the same functions for every header (Django's checks and encodings, the policy's folding)
and the same layout: the same bytes, compared with the standard path on random messages in
tests/notifications/test_wire.py. Anything else (a long line, a non-text file, a Cc) goes
the standard way, through `WireGenerator` and `WirePolicy`, which write a short ASCII
header as it is and check a random boundary with a plain search.
"""

import functools
import re
import secrets
from collections.abc import Sequence
from email.generator import BytesGenerator
from email.policy import Compat32
from email.utils import formatdate, make_msgid
from email.utils import quote as quote_param
from io import BytesIO
from typing import cast

from django.conf import settings
from django.core.mail.message import (
    RFC5322_EMAIL_LINE_LENGTH_LIMIT,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.core.mail.utils import DNS_NAME


class WirePolicy(Compat32):
    """Compat32 (Django's policy), with a short path for a header that is short ASCII."""

    def _as_it_is(self, name, value) -> bool:
        return (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= (self.max_line_length or 0)
            and not any(char in value for char in "\r\n\t")
            and "  " not in value
            and value == value.strip()
        )

    def fold(self, name, value):
        if self._as_it_is(name, value):
            return f"{name}: {value}{self.linesep}"
        return super().fold(name, value)

    def fold_binary(self, name, value):
        if self._as_it_is(name, value):
            return f"{name}: {value}{self.linesep}".encode("ascii")
        return super().fold_binary(name, value)


WIRE_POLICY = WirePolicy()


class WireGenerator(BytesGenerator):
    @classmethod
    def _make_boundary(cls, text=None):
        # 128 random bits, and never a string the parts already hold anywhere (stricter than
        # the standard check, which looks at line starts only).
        while True:
            boundary = "=" * 15 + secrets.token_hex(16) + "=="
            if text is None or f"--{boundary}".encode() not in text:
                return boundary


CRLF_POLICY = WIRE_POLICY.clone(linesep="\r\n")
# Headers that message() takes from the message itself, not from its extra headers.
OWN_HEADERS = {"from", "to", "cc", "reply-to"}


# Most headers are the same on every message of a batch (the subject, the sender, each
# part's type): each is encoded once. Those of one message only pass through.
@functools.lru_cache(maxsize=1024)
def _header(name: str, value: str) -> bytes:
    return CRLF_POLICY.fold_binary(*forbid_multi_line_headers(name, value, "utf-8"))


def _text_part(mimetype: str, text: str, filename: str = "") -> bytes | None:
    """A text part as SafeMIMEText writes it, or None where it would not be 7 or 8 bit."""
    if any(len(line.encode()) > RFC5322_EMAIL_LINE_LENGTH_LIMIT for line in text.splitlines()):
        return None  # Django switches such a part to quoted-printable
    head = [
        _header("Content-Type", f'{mimetype}; charset="utf-8"'),
        _header("MIME-Version", "1.0"),
        _header("Content-Transfer-Encoding", "7bit" if text.isascii() else "8bit"),
    ]
    if filename:
        head.append(
            _header("Content-Disposition", f'attachment; filename="{quote_param(filename)}"')
        )
    body = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", "\r\n")
    return b"".join(head) + b"\r\n" + body.encode()


def _multipart(subtype: str, parts: Sequence[bytes], headers: Sequence[bytes] = ()) -> bytes:
    boundary = WireGenerator._make_boundary(b"\r\n".join(parts))
    head = _header("Content-Type", f'multipart/{subtype}; boundary="{boundary}"')
    head += _header("MIME-Version", "1.0") + b"".join(headers) + b"\r\n"
    separator = f"\r\n--{boundary}\r\n".encode()
    return (
        head
        + f"--{boundary}\r\n".encode()
        + separator.join(parts)
        + (f"\r\n--{boundary}--\r\n".encode())
    )


def _shape_is_ours(message) -> bool:
    return (
        message.encoding in (None, "utf-8")
        and settings.DEFAULT_CHARSET == "utf-8"
        and message.content_subtype == "plain"
        and message.alternative_subtype == "alternative"
        and message.mixed_subtype == "mixed"
        and isinstance(message.body, str)
        and bool(message.body)
        and not message.cc
        and not message.reply_to
        and bool(message.to)
        and not OWN_HEADERS & {name.lower() for name in message.extra_headers}
        and len(message.alternatives) == 1
        and message.alternatives[0][1] == "text/html"
        and isinstance(message.alternatives[0][0], str)
        and all(
            isinstance(file, tuple)
            and file[2].startswith("text/")
            and isinstance(file[1], str)
            and file[0]
            and file[0].isascii()
            for file in message.attachments
        )
    )


def _written(message) -> bytes | None:
    """What message().as_bytes(linesep="\r\n") gives for Circle's shape of message, else
    None."""
    if not _shape_is_ours(message):
        return None
    try:
        maybe_texts = [_text_part("text/plain", message.body)]
        maybe_texts.append(_text_part("text/html", message.alternatives[0][0]))
        maybe_files = [_text_part(mime, data, name) for name, data, mime in message.attachments]
    except UnicodeEncodeError:
        return None
    if None in maybe_texts or None in maybe_files:
        return None
    texts, files = cast(list[bytes], maybe_texts), cast(list[bytes], maybe_files)
    extra = message.extra_headers
    names = {name.lower() for name in extra}
    headers = [
        _header("Subject", message.subject),
        _header("From", message.from_email),
        _header("To", ", ".join(str(address) for address in message.to)),
    ]
    if "date" not in names:
        headers.append(_header("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in names:
        headers.append(_header("Message-ID", make_msgid(domain=DNS_NAME)))
    headers += [_header(name, value) for name, value in extra.items()]
    if not files:
        return _multipart("alternative", texts, headers)
    return _multipart("mixed", [_multipart("alternative", texts), *files], headers)


def _generated(message) -> bytes:
    out = BytesIO()
    generator = WireGenerator(out, mangle_from_=False, policy=WIRE_POLICY)
    generator.flatten(message.message(), linesep="\r\n")
    return out.getvalue()


def wire_bytes(message) -> bytes:
    """A Django email message as DATA carries it: CRLF line ends, leading dots doubled,
    then the final '.'."""
    data = _written(message)
    if data is None:
        data = _generated(message)
    # Every line end as CRLF, then a dot that starts a line doubled (bytes.replace, not a
    # pattern: this runs over every message).
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")
    data = data.replace(b"\r\n.", b"\r\n..")
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


# An address Django's parser would give back as it is: a dot-atom at an ASCII host name.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")


@functools.lru_cache(maxsize=4096)
def envelope_address(address: str, encoding: str) -> str:
    """The address as MAIL FROM and RCPT TO carry it (Django's rules; parsing it was a
    twentieth of a delivery). A plain address is that already: only others are parsed."""
    if len(address) <= 254 and PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)
