"""An email message as SMTP's DATA carries it, and the envelope's addresses.

The standard library's generator does this right and slowly; two of its steps were a
tenth of a delivery's CPU: every header, however short, goes through `email.header`'s
folding machinery, and every multipart boundary is checked against the message with a
regular expression compiled for it. `WirePolicy` writes a header that needs no folding
and no encoding as it is (the same bytes, compared in tests/notifications/test_wire.py),
and `WireGenerator` checks a random boundary with a plain search.
"""

import functools
import secrets
from email.generator import BytesGenerator
from email.policy import Compat32
from io import BytesIO

from django.core.mail.message import sanitize_address


class WirePolicy(Compat32):
    """Compat32 (Django's policy), with a short path for a header that is short ASCII."""

    def _fold(self, name, value, sanitize):
        if (
            isinstance(value, str)
            and value.isascii()
            and len(name) + len(value) + 2 <= (self.max_line_length or 0)
            and not any(char in value for char in "\r\n\t")
            and "  " not in value
            and value == value.strip()
        ):
            return f"{name}: {value}{self.linesep}"
        return super()._fold(name, value, sanitize)


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


def wire_bytes(message) -> bytes:
    """A Django email message as DATA carries it: CRLF line ends, leading dots doubled,
    then the final '.'."""
    out = BytesIO()
    generator = WireGenerator(out, mangle_from_=False, policy=WIRE_POLICY)
    generator.flatten(message.message(), linesep="\r\n")
    data = out.getvalue()
    # Every line end as CRLF, then a dot that starts a line doubled (bytes.replace, not a
    # pattern: this runs over every message).
    data = data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").replace(b"\n", b"\r\n")
    data = data.replace(b"\r\n.", b"\r\n..")
    if data.startswith(b"."):
        data = b"." + data
    if not data.endswith(b"\r\n"):
        data += b"\r\n"
    return data + b".\r\n"


@functools.lru_cache(maxsize=4096)
def envelope_address(address: str, encoding: str) -> str:
    """The address as MAIL FROM and RCPT TO carry it (Django's rules; parsing it was a
    twentieth of a delivery, and the sender is the same on every message)."""
    return sanitize_address(address, encoding)
