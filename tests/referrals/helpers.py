"""Small builders shared by the referrals tests."""

import time

from referrals.abuse import started_token
from referrals.models import ForWhom

SECRET_PHRASE = "lighthouse-orchard-7731"


def form_data(**overrides) -> dict:
    """A request as a person fills it in (started a minute ago)."""
    data = {
        "name": "Robin",
        "email": "robin@example.net",
        "phone": "",
        "message_ok": "on",
        "contact_times": "Weekdays after 6 pm",
        "for_whom": ForWhom.SELF,
        "self_concerned": f"Yes, {SECRET_PHRASE}, it takes my evenings.",
        "consent_contact": "on",
        "website": "",
        "started": started_token(time.time() - 60),
    }
    data.update(overrides)
    return data
