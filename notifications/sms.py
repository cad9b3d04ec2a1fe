"""Text messages through a pluggable backend: `settings.SMS_BACKEND`, a dotted path.

The console backend (default) logs; `TwilioBackend` sends through Twilio's REST API with
TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_FROM settings.
"""

import base64
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
import uuid

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.module_loading import import_string

from core.phones import normalize_phone
from notifications.mail import DeliveryError

logger = logging.getLogger(__name__)

CONSOLE = "notifications.sms.ConsoleBackend"
MOBILE_TYPES = (
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
)


class ConsoleBackend:
    def send(self, *, to: str, text: str) -> str:
        logger.info("SMS to ...%s: %s", to[-3:], text)
        return f"console-{uuid.uuid4().hex}"


class MemoryBackend:
    """For tests: keeps what it sent in `outbox`."""

    outbox: list[tuple[str, str]] = []

    def send(self, *, to: str, text: str) -> str:
        MemoryBackend.outbox.append((to, text))
        return f"memory-{len(MemoryBackend.outbox)}"


class TwilioBackend:
    API = "https://api.twilio.com/2010-04-01/Accounts/{sid}/Messages.json"

    def send(self, *, to: str, text: str) -> str:
        sid = settings.TWILIO_ACCOUNT_SID
        auth = base64.b64encode(f"{sid}:{settings.TWILIO_AUTH_TOKEN}".encode()).decode()
        body = urllib.parse.urlencode({"To": to, "From": settings.TWILIO_FROM, "Body": text})
        request = urllib.request.Request(  # noqa: S310 - a fixed https URL
            self.API.format(sid=sid),
            data=body.encode(),
            headers={"Authorization": f"Basic {auth}"},
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as response:  # noqa: S310  # nosec B310  # fixed https API
                return str(json.load(response).get("sid", ""))
        except urllib.error.HTTPError as exc:
            # 4xx: a bad number or refused content; retrying will not help.
            raise DeliveryError(f"SMS provider said {exc.code}", permanent=exc.code < 500) from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryError(f"SMS provider unreachable: {exc}", permanent=False) from exc


def get_backend():
    return import_string(settings.SMS_BACKEND or CONSOLE)()


def send_sms(*, to: str, text: str) -> str:
    return get_backend().send(to=to, text=" ".join(text.split()))


def text_number(value: str) -> str:
    """The number in E.164 if a text can go to it (a mobile number), else "": a number typed
    freely, as on the public request form, may be a landline or no number at all."""
    try:
        number = normalize_phone(value)
    except ValidationError:
        return ""
    if not number or phonenumbers.number_type(phonenumbers.parse(number)) not in MOBILE_TYPES:
        return ""
    return number
