"""The signed link in a seat offer: it names the offer and expires with it."""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from referrals.models import SeatOffer

OFFER_SALT = "referrals.seat-offer"


def offer_days() -> int:
    return int(getattr(settings, "SEAT_OFFER_DAYS", 3))


def offer_token(offer: SeatOffer) -> str:
    return signing.dumps(offer.pk, salt=OFFER_SALT)


def offer_url(offer: SeatOffer) -> str:
    return f"{settings.SITE_URL}{reverse('referrals:offer', kwargs={'token': offer_token(offer)})}"


def offer_from_token(token: str) -> SeatOffer | None:
    """The offer a link names, or None for a tampered or too old link (the row says whether it
    is still open)."""
    max_age = datetime.timedelta(days=offer_days() + 1)
    try:
        pk = signing.loads(token, salt=OFFER_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    if not isinstance(pk, int):
        return None
    return SeatOffer.objects.select_related("entry__member", "group").filter(pk=pk).first()
