"""allauth's TOTP set-up form, with a setup key that stays the same when the page is reloaded
(allauth makes a new one on every GET), so a key already typed into an app keeps working until
set-up is confirmed (allauth then clears it from the session)."""

from allauth.core import context
from allauth.mfa.totp.forms import ActivateTOTPForm
from allauth.mfa.totp.internal import auth


class StableKeyActivateTOTPForm(ActivateTOTPForm):
    def __init__(self, *args, **kwargs) -> None:
        session = context.request.session
        kept = session.get(auth.SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)  # on GET this replaces the key in the session
        if kept and not self.is_bound:
            session[auth.SECRET_SESSION_KEY] = self.secret = kept
