"""The kept SMTP connection: deliveries in one worker share one connection, and a connection
the server dropped while idle is replaced before anything is confirmed."""

import socket

import pytest

from notifications import mail
from tests.notifications.reliability import free_port


@pytest.fixture
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    class Handler:
        def __init__(self):
            self.messages = []
            self.greetings = 0

        async def handle_EHLO(self, server, session, envelope, hostname, responses):
            self.greetings += 1  # one per connection
            session.host_name = hostname
            return responses

        async def handle_DATA(self, server, session, envelope):
            self.messages.append(envelope.content)
            return "250 OK"

    handler = Handler()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    yield handler
    backend = getattr(mail._kept, "entry", (None,))[0]
    if backend is not None:
        mail._drop(backend)
    controller.stop()


def _message(n: int):
    return mail.build_email(
        to="a@example.org",
        subject="Hello",
        text=f"Body {n}",
        html="<p>x</p>",
        headers={"Message-ID": f"<{n}@circle.example>"},
    )


def test_deliveries_share_one_connection(smtp_server):
    # WHEN three messages are sent one after another in one worker
    for n in range(3):
        assert mail.send_email(_message(n), lambda pid: True)
    # THEN all three arrive, over a single connection
    assert len(smtp_server.messages) == 3
    assert smtp_server.greetings == 1


def test_a_dropped_connection_is_replaced_before_anything_is_confirmed(smtp_server):
    assert mail.send_email(_message(1), lambda pid: True)
    # GIVEN the kept connection has gone (as a server drops an idle one)
    mail._kept.entry[0].connection.sock.shutdown(socket.SHUT_RDWR)
    confirmed = []
    # WHEN the next message is sent THEN it goes out once, on a new connection
    assert mail.send_email(_message(2), lambda pid: confirmed.append(pid) or True)
    assert confirmed == ["<2@circle.example>"]
    assert len(smtp_server.messages) == 2
    assert smtp_server.greetings == 2
