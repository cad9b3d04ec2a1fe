"""Ending sign-ins: one stamp per person, changed here and nowhere else.

`User.session_stamp` is part of every session's auth hash and of every emailed RSVP link's
key, so changing it ends all of them at once, including sessions allauth never tracked.
The current request's session (when it is that person's) is re-signed and survives.
"""

from allauth.usersessions.models import UserSession
from django.contrib.auth import update_session_auth_hash
from django.db import transaction

from audit import api as audit
from members.models import User, new_session_stamp


def _bump_stamp(user) -> None:
    user.session_stamp = new_session_stamp()
    User.objects.filter(pk=user.pk).update(session_stamp=user.session_stamp)


def _end_tracked_sessions(user, *, keep_key: str | None = None) -> None:
    """Delete the session rows allauth lists on "Where you're signed in" (and their data)."""
    for tracked in UserSession.objects.filter(user_id=user.pk).exclude(session_key=keep_key or ""):
        tracked.end()


def _keeps(request, user) -> bool:
    current = getattr(request, "user", None) if request is not None else None
    return bool(current is not None and current.is_authenticated and current.pk == user.pk)


def end_other_sessions(user, keep_request=None) -> None:
    """Every sign-in of `user` ends except `keep_request`'s own (if it is theirs), and every
    RSVP link already emailed to them stops working. Called on a password change or reset,
    an MFA change and "sign out everywhere else"."""
    keep = _keeps(keep_request, user)
    old_key = keep_request.session.session_key if keep else None
    with transaction.atomic():
        _bump_stamp(user)
        _end_tracked_sessions(user, keep_key=old_key)
    if keep:
        if keep_request.user is not user:
            keep_request.user.session_stamp = user.session_stamp
        # Re-signs this session with the new stamp; also gives it a new key (fixation).
        update_session_auth_hash(keep_request, user)
        new_key = keep_request.session.session_key
        if old_key and new_key != old_key:
            UserSession.objects.filter(session_key=old_key).update(session_key=new_key)


def sign_out_everywhere_else(request) -> None:
    """The person's own "sign out everywhere else" button."""
    end_other_sessions(request.user, keep_request=request)
    audit.record("auth.logout_everywhere", subject=request.user)


@transaction.atomic
def account_disable(user, *, actor=None) -> None:
    """Staff turn an account off: every session of it is deleted, and the stamp changes, so
    turning it back on does not revive an old cookie or an old RSVP link."""
    user.is_active = False
    User.objects.filter(pk=user.pk).update(is_active=False)
    _bump_stamp(user)
    _end_tracked_sessions(user)
    audit.record(
        "account.disable", subject=user, target="members.user", target_id=user.pk, actor=actor
    )


@transaction.atomic
def account_enable(user, *, actor=None) -> None:
    """The person signs in afresh: nothing from before the account was disabled works."""
    user.is_active = True
    User.objects.filter(pk=user.pk).update(is_active=True)
    audit.record(
        "account.enable", subject=user, target="members.user", target_id=user.pk, actor=actor
    )
