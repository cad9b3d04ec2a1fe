"""Sending one email, and an SMTP backend that records "sent" before the message goes out.

Exactly-once over SMTP: a worker can die after the server accepted a message but before
the outbox row says so, and a retry then sends it twice. `TwoPhaseSMTPBackend` closes that
gap with smtplib's public commands: it opens the SMTP transaction (MAIL, RCPT, DATA) so a
refused address or an unreachable server is known first, then commits the row as sent,
and only then writes the message and DATA's final "." in one write. A worker killed before
the commit leaves an SMTP transaction with no message in it, which the server discards, so
the retry is the only copy; once the one write is in the kernel's socket buffer, the
message goes out even if the worker dies. (The message waits until after the commit, in
one write, so that no small trailing write sits behind Nagle's algorithm: setting
TCP_NODELAY would mean reaching into smtplib's socket.)
Other backends (anymail providers, console, locmem) send first and record after.
"""

import contextlib
import logging
import smtplib
import threading
import time
from collections.abc import Callable

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend

from notifications.wire import envelope_address, wire_bytes

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
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Our own lock: one confirmed send at a time on this backend's connection.
        self.send_lock = threading.RLock()

    def send_confirmed(self, message, confirm: Callable[[], bool]) -> bool:
        """Send one message; `confirm()` runs once the server has said it will take the
        message (354) and before any of it is written. If it returns False the transaction
        is abandoned and nothing is sent."""
        with self.send_lock:
            new_connection = self.open()
            try:
                return self._send_confirmed(message, confirm)
            finally:
                if new_connection:
                    self.close()

    def _abandon(self, conn) -> None:
        """Hang up mid-transaction (no QUIT: inside DATA it would be read as text)."""
        conn.close()
        self.connection = None

    def _send_confirmed(self, message, confirm) -> bool:
        conn = self.connection
        if conn is None:
            raise smtplib.SMTPServerDisconnected("could not connect to the mail server")
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = envelope_address(message.from_email, encoding)
        recipients = [envelope_address(addr, encoding) for addr in message.recipients()]
        data = wire_bytes(message)
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
        code, reply = conn.docmd("data")
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        if not confirm():
            # The server throws the empty transaction away when the connection drops.
            self._abandon(conn)
            return False
        try:
            conn.send(data)
            code, reply = conn.getreply()
        except (OSError, smtplib.SMTPServerDisconnected):
            # Handed over; whether it was accepted cannot be known, and a retry could double it.
            return True
        if code != 250:
            raise RejectedAfterConfirm(code, reply)
        return True


def backend_path() -> str:
    """Django's SMTP backend is upgraded to the two-phase one; any other is used as set."""
    configured = settings.NOTIFICATIONS_EMAIL_BACKEND or settings.EMAIL_BACKEND
    return TWO_PHASE_SMTP if configured == DJANGO_SMTP else configured


def build_email(*, to, subject, text, html, headers=None, attachments=(), from_email=None):
    """The message for one rendered email; `to` is an address or a list of them."""
    message = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        from_email=from_email or settings.DEFAULT_FROM_EMAIL,
        to=[to] if isinstance(to, str) else list(to),
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
    if isinstance(exc, AnymailRecipientsRefused):
        return DeliveryError("the provider refused the address", permanent=True)
    return DeliveryError(f"{type(exc).__name__}: {exc}"[:300], permanent=False)


def provider_message_id(message) -> str:
    status = getattr(message, "anymail_status", None)
    if status is not None and status.message_id:
        return str(status.message_id)[:200]
    return message.extra_headers.get("Message-ID", "")[:200]


# One SMTP connection per worker thread, kept between deliveries (a connection per message
# was most of a delivery's time against a local relay), for as long as the settings that
# reach the server stay the same and it has not sat idle long enough for the server to drop it.
KEEP_IDLE_SECONDS = 20
_kept = threading.local()


def _smtp_key() -> tuple:
    return (
        settings.EMAIL_HOST,
        settings.EMAIL_PORT,
        settings.EMAIL_HOST_USER,
        settings.EMAIL_USE_TLS,
        settings.EMAIL_USE_SSL,
    )


def _drop(backend) -> None:
    """Hang up without QUIT (mid-DATA it would be read as text): the server discards any
    unfinished transaction."""
    if backend.connection is not None:
        with contextlib.suppress(OSError):
            backend.connection.close()
        backend.connection = None


def _kept_backend():
    """This thread's two-phase backend, its connection possibly still open."""
    backend, key, used_at = getattr(_kept, "entry", (None, None, 0.0))
    stale = time.monotonic() - used_at > KEEP_IDLE_SECONDS
    if backend is not None and (key != _smtp_key() or stale):
        _drop(backend)
        backend = None
    if backend is None:
        backend = get_connection(TWO_PHASE_SMTP, fail_silently=False)
    _kept.entry = (backend, _smtp_key(), time.monotonic())
    return backend


def _send_on_kept_connection(message, confirm: Callable[[], bool]) -> bool:
    """send_confirmed on the kept connection. A connection the server has dropped while it
    sat idle fails before anything is confirmed: then once more on a new one."""
    confirmed = []

    def confirm_once() -> bool:
        confirmed.append(True)
        return confirm()

    for _attempt in range(2):
        backend = _kept_backend()
        reused = backend.connection is not None
        if not reused:
            backend.open()
        message.connection = backend
        try:
            return backend.send_confirmed(message, confirm_once)
        except (smtplib.SMTPServerDisconnected, ConnectionError):
            _drop(backend)
            if not reused or confirmed:
                raise
        except BaseException:
            # Whatever state the conversation is in, the next message starts on a new one.
            _drop(backend)
            raise
    raise smtplib.SMTPServerDisconnected("the mail server closed the connection")


def send_email(message, confirm: Callable[[str], bool]) -> bool:
    """Send one built message; `confirm(provider_id)` records it as sent.

    Raises DeliveryError. With the two-phase backend nothing reaches the server unless
    `confirm()` said yes; with others `confirm()` runs right after the provider accepts.
    Returns whether the message went out.
    """
    expected = (smtplib.SMTPException, OSError, AnymailError)
    try:
        if backend_path() == TWO_PHASE_SMTP:
            return _send_on_kept_connection(message, lambda: confirm(provider_message_id(message)))
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
