"""Signed RSVP links for emails: one member, one session, one answer; expiring, used once.

Mail scanners open links, so opening one (GET) only shows a confirmation page; the
member's click (POST) records the answer. Engineer-facing contract: `rsvp_url`.

Each link carries the member's link key (User.link_key), so a new password, "sign out
everywhere else" or a change to two-step sign-in ends every link already emailed ("signed_out").
"""

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.db import IntegrityError, transaction

from core.links import reverse_with_token
from members.models import User
from sessions.models import Answer, Session, UsedRSVPLink

# The salt makes these tokens useless for any other signed purpose in the project.
SALT = "sessions.rsvp-link.v1"
LINK_KEY_PURPOSE = "rsvp"
ANSWERS = tuple(Answer.values)  # built once: Answer.values makes a new list per call


class BadRSVPLink(Exception):
    """The link is forged, damaged, expired or already used; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class RSVPLink:
    token: str
    member: User
    session: Session
    answer: str


def max_age_seconds() -> int:
    return settings.RSVP_LINK_MAX_AGE_DAYS * 24 * 60 * 60


def rsvp_token(member, session, answer: str, *, key: str | None = None) -> str:
    """`key`: the member's link key, when the caller already has it."""
    if answer not in ANSWERS:
        raise ValueError(f"unknown answer {answer!r}")
    key = key or member.link_key(LINK_KEY_PURPOSE)
    return signing.dumps({"m": member.pk, "s": session.pk, "a": answer, "k": key}, salt=SALT)


def rsvp_url(member, session, answer: str, *, key: str | None = None) -> str:
    """Absolute URL of a signed link that lets `member` answer `answer` for `session`."""
    path = reverse_with_token(
        "scheduling:link", "token", rsvp_token(member, session, answer, key=key)
    )
    return f"{settings.SITE_URL}{path}"


def rsvp_urls(member, session) -> dict[str, str]:
    """The link for every answer (the member's key, two hashes, made once for all)."""
    key = member.link_key(LINK_KEY_PURPOSE)
    return {answer: rsvp_url(member, session, answer, key=key) for answer in ANSWERS}


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def rsvp_link_load(token: str) -> RSVPLink:
    """Check a token and fetch what it names; raises BadRSVPLink, never anything else."""
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age_seconds())
    except signing.SignatureExpired:
        raise BadRSVPLink("expired") from None
    except signing.BadSignature:
        raise BadRSVPLink("invalid") from None
    if not isinstance(data, dict) or data.get("a") not in ANSWERS:
        raise BadRSVPLink("invalid")
    member_pk, session_pk = data.get("m"), data.get("s")
    if not isinstance(member_pk, int) or not isinstance(session_pk, int):
        raise BadRSVPLink("invalid")
    member = get_user_model().objects.filter(pk=member_pk, is_active=True).first()
    session = Session.objects.select_related("group").filter(pk=session_pk).first()
    if member is None or session is None:
        raise BadRSVPLink("invalid")
    if not _key_matches(data.get("k"), member):
        raise BadRSVPLink("signed_out")
    if UsedRSVPLink.objects.filter(digest=_digest(token)).exists():
        raise BadRSVPLink("used")
    return RSVPLink(token=token, member=member, session=session, answer=data["a"])


def _key_matches(key, member) -> bool:
    if key is None:
        # Links emailed before keys existed work until the member's stamp first changes.
        return member.session_stamp == ""
    if not isinstance(key, str):
        return False
    accepted = member.link_keys_accepted(LINK_KEY_PURPOSE)
    return any(hmac.compare_digest(key, expected) for expected in accepted)


def rsvp_link_mark_used(token: str) -> None:
    """Call inside the transaction that records the answer; a second use raises BadRSVPLink."""
    try:
        with transaction.atomic():
            UsedRSVPLink.objects.create(digest=_digest(token))
    except IntegrityError:
        raise BadRSVPLink("used") from None
