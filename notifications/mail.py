"""The one email helper, and an SMTP backend that records "sent" before the server accepts.

Exactly-once over SMTP: a worker can die after the server accepted a message but before
the outbox row says so, and a retry then sends it twice. `TwoPhaseSMTPBackend` closes
that gap: it transmits the whole message but holds back DATA's final ".", commits the row
as sent, and only then sends the "."; a worker killed before the commit leaves an
unfinished SMTP transaction, which the server discards, so the retry is the only copy.
Other backends (anymail providers, console, locmem) send first and record after.
"""

import logging
import re
import smtplib
import socket
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)

DJANGO_SMTP = "django.core.mail.backends.smtp.EmailBackend"
TWO_PHASE_SMTP = "notifications.mail.TwoPhaseSMTPBackend"


class DeliveryError(Exception):
    """A channel could not deliver; `permanent` says whether retrying can help."""

    def __init__(self, message: str, *, permanent: bool, after_confirm: bool = False):
        super().__init__(message)
        self.permanent = permanent
        # True when the row was already recorded as sent and the server then said no.
        self.after_confirm = after_confirm


class RejectedAfterConfirm(smtplib.SMTPDataError):
    """The server refused the message at the final ".", after the row said sent."""


class TwoPhaseSMTPBackend(SMTPBackend):
    def send_confirmed(self, message, confirm: Callable[[], bool]) -> bool:
        """Send one message; `confirm()` runs after the body is on the wire and before the
        final ".". If it returns False the transaction is abandoned and nothing is sent."""
        with self._lock:
            new_connection = self.open()
            try:
                return self._send_confirmed(message, confirm)
            finally:
                if new_connection:
                    self.close()

    def _send_confirmed(self, message, confirm) -> bool:
        conn = self.connection
        if conn is None:
            raise smtplib.SMTPServerDisconnected("could not connect to the mail server")
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in message.recipients()]
        data = message.message().as_bytes(linesep="\r\n")
        data = re.sub(rb"(?:\r\n|\n|\r(?!\n))", b"\r\n", data)
        data = re.sub(rb"(?m)^\.", b"..", data)
        if not data.endswith(b"\r\n"):
            data += b"\r\n"
        # The final "." goes out as its own small write: without this, Nagle's algorithm
        # holds it until the server's delayed ACK of the body (tens of milliseconds).
        if conn.sock is not None:  # type: ignore[attr-defined]
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.ehlo_or_helo_if_needed()
        code, reply = conn.mail(sender)
        if code != 250:
            conn.rset()
            raise smtplib.SMTPSenderRefused(code, reply, sender)
        refused = {}
        for recipient in recipients:
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            conn.rset()
            raise smtplib.SMTPRecipientsRefused(refused)
        conn.putcmd("data")
        code, reply = conn.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        conn.send(data)
        if not confirm():
            # Hang up mid-DATA: the server throws the half-sent message away.
            conn.close()
            self.connection = None
            return False
        try:
            conn.send(b".\r\n")
            code, reply = conn.getreply()
        except (OSError, smtplib.SMTPServerDisconnected):
            # Handed over; whether it was accepted cannot be known, and a retry could double it.
            return True
        if code != 250:
            raise RejectedAfterConfirm(code, reply)
        return True


def backend_path() -> str:
    """Django's SMTP backend is upgraded to the two-phase one; any other is used as set."""
    configured = getattr(settings, "NOTIFICATIONS_EMAIL_BACKEND", "") or settings.EMAIL_BACKEND
    return TWO_PHASE_SMTP if configured == DJANGO_SMTP else configured


def build_email(*, to, subject, text, html, headers=None, attachments=()):
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        headers=headers or {},
    )
    message.attach_alternative(html, "text/html")
    for name, content, mimetype in attachments:
        message.attach(name, content, mimetype)
    return message


def _classify(exc: Exception) -> DeliveryError:
    if isinstance(exc, RejectedAfterConfirm):
        return DeliveryError(
            f"mail server said {exc.smtp_code}",
            permanent=500 <= exc.smtp_code < 600,
            after_confirm=True,
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return DeliveryError("the address was refused", permanent=True)
    if isinstance(exc, smtplib.SMTPResponseException):
        text = f"mail server said {exc.smtp_code}"
        return DeliveryError(text, permanent=500 <= exc.smtp_code < 600)
    anymail_refused = _anymail_exception("AnymailRecipientsRefused")
    if anymail_refused and isinstance(exc, anymail_refused):
        return DeliveryError("the provider refused the address", permanent=True)
    return DeliveryError(f"{type(exc).__name__}: {exc}"[:300], permanent=False)


def _anymail_exception(name: str):
    try:
        from anymail import exceptions
    except ImportError:  # pragma: no cover - anymail is in the lock
        return None
    return getattr(exceptions, name, None)


def provider_message_id(message) -> str:
    status = getattr(message, "anymail_status", None)
    if status is not None and status.message_id:
        return str(status.message_id)[:200]
    return message.extra_headers.get("Message-ID", "")[:200]


def send_email(message, confirm: Callable[[str], bool]) -> bool:
    """Send one built message; `confirm(provider_id)` records it as sent.

    Raises DeliveryError. With the two-phase backend nothing reaches the server unless
    `confirm()` said yes; with others `confirm()` runs right after the provider accepts.
    Returns whether the message went out.
    """
    anymail_error = _anymail_exception("AnymailError")
    expected = (smtplib.SMTPException, OSError) + ((anymail_error,) if anymail_error else ())
    try:
        connection = get_connection(backend_path())
        message.connection = connection
        if hasattr(connection, "send_confirmed"):
            return connection.send_confirmed(message, lambda: confirm(provider_message_id(message)))
        connection.send_messages([message])
    except expected as exc:
        raise _classify(exc) from exc
    if not confirm(provider_message_id(message)):
        logger.warning("a message went out after its outbox row was taken back: possible duplicate")
    return True
