"""Abuse limits for the public request form, with no third-party service: counters in
Django's cache per IP and per contact address (like allauth's rate limits), a honeypot field
and a minimum time to fill the form in (a signed start time in the form)."""

import hashlib
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

STARTED_SALT = "referrals.request-form-started"
# (how many, per seconds)
PER_IP = (5, 60 * 60)
PER_ADDRESS = (3, 24 * 60 * 60)
MIN_FILL_SECONDS = 4
MAX_FILL_SECONDS = 24 * 60 * 60


def started_token(at: float | None = None) -> str:
    return signing.dumps(at if at is not None else time.time(), salt=STARTED_SALT)


def filled_too_fast(token: str, now: float | None = None) -> bool:
    """True for a form sent faster than a person could, or with a missing or forged start."""
    try:
        started = signing.loads(token or "", salt=STARTED_SALT)
    except signing.BadSignature:
        return True
    if not isinstance(started, int | float):
        return True
    elapsed = (now if now is not None else time.time()) - started
    minimum = getattr(settings, "REFERRAL_MIN_FILL_SECONDS", MIN_FILL_SECONDS)
    return not (minimum <= elapsed <= MAX_FILL_SECONDS)


def _key(kind: str, value: str) -> str:
    # Hashed: the cache never holds an address in the clear.
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{value}".encode()).hexdigest()[:32]
    return f"referrals:rl:{kind}:{digest}"


def _hit(key: str, limit: tuple[int, int]) -> bool:
    """Count one attempt; True when it is over the limit."""
    count, window = limit
    cache.add(key, 0, timeout=window)
    try:
        used = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        used = 1
    return used > count


def over_limit(ip: str | None, addresses: list[str]) -> bool:
    """Count this request against its IP and each contact address; True if any is over."""
    over = _hit(_key("ip", ip or "unknown"), PER_IP)
    for address in addresses:
        normalised = "".join(address.lower().split())
        if normalised and _hit(_key("address", normalised), PER_ADDRESS):
            over = True
    return over
