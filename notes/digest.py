"""The facilitator's next-day digest: one discreet message a day to each facilitator whose
past sessions still have notes missing or unsigned ("3 items to finish in Circle").

The beat task runs every hour; a facilitator hears once their own day has reached
DIGEST_HOUR, and at most once per local day (the outbox row's key holds the facilitator and
the day, so a second run, or a second worker, writes nothing).
"""

from django.db import transaction
from django.utils import timezone

from core.timezones import zone
from notes import selectors
from notifications import api as notifications

# Local hour from which a facilitator's digest goes: the morning after, not at midnight.
DIGEST_HOUR = 8


def notes_outstanding_digest(now=None) -> int:
    """Queue today's digest for every facilitator with something left (a second run the
    same day writes nothing); returns how many facilitators have something left."""
    now = now or timezone.now()
    queued = 0
    for facilitator in selectors.digest_candidates(now):
        local = now.astimezone(zone(facilitator.time_zone))
        if local.hour < DIGEST_HOUR:
            continue
        count = selectors.outstanding_count(facilitator, now)
        if not count:
            continue
        with transaction.atomic():
            notifications.notes_outstanding(facilitator.pk, count, local.date())
        queued += 1
    return queued
