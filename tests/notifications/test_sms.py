"""The SMS backends: console by default, Twilio behind a setting."""

import io
import json
import urllib.error

import pytest

from notifications import sms
from notifications.mail import DeliveryError


def test_console_backend_by_default(settings, caplog):
    settings.SMS_BACKEND = ""
    caplog.set_level("INFO", logger="notifications.sms")
    message_id = sms.send_sms(to="+447700900123", text="Hello   there\n")
    assert message_id.startswith("console-")
    assert "...123: Hello there" in caplog.text  # only the last digits are logged


class TestTwilio:
    @pytest.fixture(autouse=True)
    def twilio(self, settings):
        settings.SMS_BACKEND = "notifications.sms.TwilioBackend"
        settings.TWILIO_ACCOUNT_SID = "AC123"
        settings.TWILIO_AUTH_TOKEN = "secret"
        settings.TWILIO_FROM = "+15005550006"

    def test_posts_the_message_and_returns_its_sid(self, monkeypatch):
        seen = {}

        def fake_urlopen(request, timeout):
            seen.update(
                url=request.full_url, body=request.data, auth=request.headers["Authorization"]
            )
            return io.BytesIO(json.dumps({"sid": "SM42"}).encode())

        monkeypatch.setattr("urllib.request.urlopen", fake_urlopen)
        assert sms.send_sms(to="+447700900123", text="Hi") == "SM42"
        assert seen["url"] == "https://api.twilio.com/2010-04-01/Accounts/AC123/Messages.json"
        assert b"To=%2B447700900123" in seen["body"] and b"Body=Hi" in seen["body"]
        assert seen["auth"].startswith("Basic ")

    @pytest.mark.parametrize("code, permanent", [(400, True), (503, False)])
    def test_http_errors_are_classified(self, monkeypatch, code, permanent):
        def fail(request, timeout):
            raise urllib.error.HTTPError(request.full_url, code, "no", {}, None)

        monkeypatch.setattr("urllib.request.urlopen", fail)
        with pytest.raises(DeliveryError) as error:
            sms.send_sms(to="+447700900123", text="Hi")
        assert error.value.permanent is permanent

    def test_unreachable_is_transient(self, monkeypatch):
        def fail(request, timeout):
            raise urllib.error.URLError("down")

        monkeypatch.setattr("urllib.request.urlopen", fail)
        with pytest.raises(DeliveryError) as error:
            sms.send_sms(to="+447700900123", text="Hi")
        assert not error.value.permanent
