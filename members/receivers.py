"""allauth's account and MFA events, each handed to one service (no logic lives here)."""

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import signals as auth_signals

from members import middleware
from members.services import security


def _end_other_sessions(sender, request=None, user=None, **kwargs) -> None:
    if user is not None:
        security.end_other_sessions(user, keep_request=request)


def _reset_session_clock(sender, request=None, user=None, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        middleware.session_clock_reset(request.session)


def connect() -> None:
    # A new password or a change to two-step sign-in ends every other sign-in and RSVP link.
    for signal in (
        account_signals.password_changed,
        account_signals.password_set,
        account_signals.password_reset,
        mfa_signals.authenticator_added,
        mfa_signals.authenticator_removed,
        mfa_signals.authenticator_reset,
    ):
        signal.connect(_end_other_sessions, dispatch_uid=f"members.end_other_sessions.{id(signal)}")
    auth_signals.user_logged_in.connect(
        _reset_session_clock, dispatch_uid="members.reset_session_clock"
    )
