import time
import zoneinfo

from allauth.mfa.signals import authenticator_added, authenticator_removed, authenticator_reset
from allauth.mfa.utils import is_mfa_enabled
from allauth.usersessions.middleware import UserSessionsMiddleware
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.cache import cache
from django.dispatch import receiver
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy

from audit import api as audit

# Seconds since the epoch, kept in the session by SessionLifetimeMiddleware.
SIGNED_IN_AT = "circle.signed_in_at"
LAST_SEEN_AT = "circle.last_seen_at"
# The idle clock is written at most this often: a session write per request is not worth
# one minute of precision on a 30-minute limit.
LAST_SEEN_RESOLUTION_SECONDS = 60
# When allauth's record of this session ("your devices": last seen, address, browser) was last
# written from a request. It used to be read and written on every request (three queries).
ACTIVITY_TRACKED_AT = "circle.activity_tracked_at"
# A request carrying this header (a background refresh, should a page ever poll) does not
# count as the person being there. No page polls today.
BACKGROUND_HEADER = "HTTP_X_CIRCLE_BACKGROUND"

IDLE_MESSAGE = gettext_lazy(
    "You were signed out after a while without activity. Sign in again to carry on."
)
LIFETIME_MESSAGE = gettext_lazy(
    "You were signed out because you signed in a long time ago. Sign in again to carry on."
)


class UserTimeZoneMiddleware:
    """Render every time in the signed-in person's own time zone, in their chosen language."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        zone_name = settings.CLINIC_TIME_ZONE
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            zone_name = user.time_zone
        try:
            timezone.activate(zoneinfo.ZoneInfo(zone_name))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            timezone.activate(zoneinfo.ZoneInfo("UTC"))
        if user is not None and user.is_authenticated and user.language in self.languages:
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()


class ThrottledUserSessionsMiddleware(UserSessionsMiddleware):
    """allauth's activity tracking, at most once a minute per session: the devices page
    shows when each session was last seen, to the minute, without a read, a user lookup
    and a write on every request."""

    def __call__(self, request):
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(time.time())
            tracked_at = session.get(ACTIVITY_TRACKED_AT)
            fresh = isinstance(tracked_at, int) and now - tracked_at < LAST_SEEN_RESOLUTION_SECONDS
            if not fresh and session.session_key and not request.META.get(BACKGROUND_HEADER):
                UserSession.objects.create_from_request(request)
                session[ACTIVITY_TRACKED_AT] = now
        return self.get_response(request)


def _mfa_key(user_id) -> str:
    return f"members:mfa-enabled:{user_id}"


@receiver([authenticator_added, authenticator_removed, authenticator_reset])
def _mfa_changed(sender, request=None, user=None, **kwargs) -> None:
    """An authenticator added, removed or reset: the next request asks the database again."""
    if user is not None:
        cache.delete(_mfa_key(user.pk))


def mfa_enabled(user) -> bool:
    """is_mfa_enabled, remembered for a few minutes once true (a query on every page of
    every facilitator otherwise); forgotten as soon as an authenticator changes."""
    key = _mfa_key(user.pk)
    if cache.get(key):
        return True
    enabled = is_mfa_enabled(user)
    if enabled:
        cache.set(key, True, timeout=300)
    return enabled


class RequireMFAMiddleware:
    """Staff and facilitators must enrol in MFA before any other page, admin included.

    allauth has no setting for this. Exempt: MFA set-up itself, signing out, re-authentication,
    email verification, and static files.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.requires_mfa
            and not self._is_exempt(request.path)
            and not mfa_enabled(user)
        ):
            return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _is_exempt(path: str) -> bool:
        exempt_prefixes = (
            reverse("mfa_index"),
            reverse("account_logout"),
            reverse("account_reauthenticate"),
            reverse("account_email"),
            "/accounts/confirm-email/",
            settings.STATIC_URL,
        )
        return path.startswith(exempt_prefixes)


def session_clock_reset(session) -> None:
    """Called at every sign-in: the clocks start again on the next request (the one right
    after signing in), so a session kept across a sign-in carries no old clock."""
    session.pop(SIGNED_IN_AT, None)
    session.pop(LAST_SEEN_AT, None)
    session.pop(ACTIVITY_TRACKED_AT, None)


def _session_clock_start(session, now: int) -> None:
    session[SIGNED_IN_AT] = now
    session[LAST_SEEN_AT] = now


def idle_limit_seconds(user) -> int:
    if user.is_clinic_staff or user.is_facilitator or user.is_staff:
        return settings.SESSION_IDLE_TIMEOUT_STAFF_MINUTES * 60
    return settings.SESSION_IDLE_TIMEOUT_MEMBER_MINUTES * 60


class SessionLifetimeMiddleware:
    """Signs a person out after a while without activity (30 minutes for staff and
    facilitators, 2 hours for members, by default) and, however active, a fixed time after
    signing in.

    The request then goes on as a visitor's: a signed-in page sends them to sign in with
    `next` kept (login_required), and a page that needs no sign-in (an RSVP link, the
    calendar feed) still works. A calm message says why on the sign-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request, user)
        return self.get_response(request)

    def _check(self, request, user) -> None:
        session = request.session
        now = int(time.time())
        signed_in_at = session.get(SIGNED_IN_AT)
        last_seen_at = session.get(LAST_SEEN_AT)
        if not isinstance(signed_in_at, int) or not isinstance(last_seen_at, int):
            _session_clock_start(session, now)  # just signed in (or before these clocks)
            return
        if now - signed_in_at > settings.SESSION_ABSOLUTE_LIFETIME_HOURS * 3600:
            self._sign_out(request, user, LIFETIME_MESSAGE, "lifetime")
        elif now - last_seen_at > idle_limit_seconds(user):
            self._sign_out(request, user, IDLE_MESSAGE, "idle")
        elif (
            now - last_seen_at >= LAST_SEEN_RESOLUTION_SECONDS
            and not request.META.get(BACKGROUND_HEADER)
            and not request.path.startswith(settings.STATIC_URL)
        ):
            session[LAST_SEEN_AT] = now

    @staticmethod
    def _sign_out(request, user, message, why: str) -> None:
        audit.record("auth.session_expired", subject=user, actor=user, detail={"why": why})
        logout(request)
        messages.info(request, message)
