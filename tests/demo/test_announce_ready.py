"""manage.py announce_ready: `make run` says where Circle is only once the web server answers."""

import http.server
import threading
from io import StringIO

import pytest
from django.core.management import call_command

from demo.management.commands import announce_ready


class _LoginPage(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200 if self.path == "/accounts/login/" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def no_pause(monkeypatch):
    monkeypatch.setattr(announce_ready.signal, "pause", lambda: None)


def test_it_announces_the_address_once_the_server_answers(no_pause):
    # GIVEN a web server answering on some port
    server = http.server.HTTPServer(("127.0.0.1", 0), _LoginPage)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]
    out = StringIO()
    try:
        # WHEN announce_ready runs
        call_command("announce_ready", port=port, stdout=out)
    finally:
        server.shutdown()
    # THEN it prints the address on that port
    assert f"Circle is ready at http://127.0.0.1:{port}/" in out.getvalue()


def test_it_says_so_when_nothing_answers(no_pause):
    # GIVEN nothing listening on the port
    out, err = StringIO(), StringIO()
    # WHEN announce_ready gives up
    call_command("announce_ready", port=9, timeout=0.5, stdout=out, stderr=err)
    # THEN it claims nothing is ready, and says why
    assert "ready" not in out.getvalue()
    assert "did not answer" in err.getvalue()
