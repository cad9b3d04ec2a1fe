"""Sign-in, sign-out and account security, recorded from Django's and allauth's signals.

Connected in AuditConfig.ready(). Handlers only record: no other logic hangs off these signals.
Nothing a person typed is stored: a failed sign-in names the account only when the address
belongs to one (as its id), never the address itself.
"""

from contextlib import contextmanager

from allauth.account import signals as account_signals
from allauth.mfa import signals as mfa_signals
from django.contrib.auth import get_user_model
from django.contrib.auth import signals as auth_signals

from audit import api


@contextmanager
def _request_context(request):
    """Outside the middleware (a test client's force_login, a script) use the signal's request."""
    if request is None or api.current_request() is not None:
        yield
        return
    token = api.bind_request(request)
    try:
        yield
    finally:
        api.unbind_request(token)


def _record_for(action, request, user, **kwargs):
    with _request_context(request):
        api.record(action, subject=user, actor=user, target="members.user", **kwargs)


def on_login(sender, request, user, **kwargs):
    _record_for("auth.login", request, user)


def on_logout(sender, request, user, **kwargs):
    if user is not None:
        _record_for("auth.logout", request, user)


def on_login_failed(sender, credentials, request=None, **kwargs):
    """The typed address is looked up, never stored: the row names the account's id, if any."""
    user_model = get_user_model()
    typed = credentials.get(user_model.USERNAME_FIELD) or credentials.get("username") or ""
    account_id = None
    if isinstance(typed, str) and typed.strip():
        account_id = (
            user_model._default_manager.filter(email__iexact=typed.strip())
            .values_list("pk", flat=True)
            .first()
        )
    with _request_context(request):
        api.record(
            "auth.login_failed",
            subject=account_id,
            actor=None,
            target="members.user" if account_id else "",
            target_id=account_id,
            outcome="failed",
            detail={"known_account": account_id is not None},
        )


def _authenticator_detail(authenticator) -> dict:
    return {"type": api.safe_code(getattr(authenticator, "type", ""))}


def on_authenticator_added(sender, request, user, authenticator=None, **kwargs):
    _record_for("auth.mfa_add", request, user, detail=_authenticator_detail(authenticator))


def on_authenticator_removed(sender, request, user, authenticator=None, **kwargs):
    _record_for("auth.mfa_remove", request, user, detail=_authenticator_detail(authenticator))


def on_authenticator_reset(sender, request, user, authenticator=None, **kwargs):
    _record_for("auth.mfa_reset", request, user, detail=_authenticator_detail(authenticator))


def on_mfa_failed(sender, request, user, authenticator=None, **kwargs):
    with _request_context(request):
        api.record(
            "auth.mfa_failed",
            subject=user,
            actor=user,
            target="members.user",
            outcome="failed",
            detail=_authenticator_detail(authenticator),
        )


def on_password_changed(sender, request, user, **kwargs):
    _record_for("auth.password_change", request, user)


def on_password_set(sender, request, user, **kwargs):
    _record_for("auth.password_set", request, user)


def on_password_reset(sender, request, user, **kwargs):
    _record_for("auth.password_reset", request, user)


def on_email_changed(sender, request, user, **kwargs):
    _record_for("auth.email_change", request, user)


def connect() -> None:
    uid = "audit.receivers"
    auth_signals.user_logged_in.connect(on_login, dispatch_uid=f"{uid}.login")
    auth_signals.user_logged_out.connect(on_logout, dispatch_uid=f"{uid}.logout")
    auth_signals.user_login_failed.connect(on_login_failed, dispatch_uid=f"{uid}.login_failed")
    mfa_signals.authenticator_added.connect(on_authenticator_added, dispatch_uid=f"{uid}.mfa_add")
    mfa_signals.authenticator_removed.connect(
        on_authenticator_removed, dispatch_uid=f"{uid}.mfa_remove"
    )
    mfa_signals.authenticator_reset.connect(on_authenticator_reset, dispatch_uid=f"{uid}.mfa_reset")
    mfa_signals.authentication_failed.connect(on_mfa_failed, dispatch_uid=f"{uid}.mfa_failed")
    account_signals.password_changed.connect(on_password_changed, dispatch_uid=f"{uid}.pw_change")
    account_signals.password_set.connect(on_password_set, dispatch_uid=f"{uid}.pw_set")
    account_signals.password_reset.connect(on_password_reset, dispatch_uid=f"{uid}.pw_reset")
    account_signals.email_changed.connect(on_email_changed, dispatch_uid=f"{uid}.email_change")
