"""Requests from the public form for the demo's Requests page: one new, one a staff member
took and is matching with a group, as a clinic's first week looks. Nobody is written to: each
asked for a call, not a message."""

from referrals.models import ForWhom, MeetingFormat, Referral
from referrals.services import referral_submit, referral_take

DEMO_REQUESTS: list[dict] = [
    {
        "name": "Robin",
        "phone": "+44 7700 900123",
        "contact_times": "Weekdays after 6 pm",
        "for_whom": ForWhom.SELF,
        "self_concerned": "Yes. It takes my evenings, and I hide it.",
        "secrets": "I clear the history every night.",
        "time_zone": "Europe/London",
        "format": MeetingFormat.IN_PERSON,
    },
    {
        "name": "Dee",
        "phone": "+44 7700 900456",
        "voicemail_ok": True,
        "contact_times": "Mornings before 9",
        "for_whom": ForWhom.PARTNER,
        "others_disturbed": "I found out a month ago and I do not know who to talk to.",
        "time_zone": "Europe/London",
        "format": MeetingFormat.ONLINE,
    },
]


def seed_demo_requests(staff) -> None:
    """Once: a request's words are encrypted, so the demo cannot find its own again by name;
    a clinic that already has requests is left as it is."""
    if Referral.objects.exists():
        return
    made = [
        referral_submit(**fields, consent_contact=True, language="en") for fields in DEMO_REQUESTS
    ]
    referral_take(referral=made[-1], actor=staff)
