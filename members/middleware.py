import zoneinfo

from allauth.mfa.utils import is_mfa_enabled
from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation


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
            and not is_mfa_enabled(user)
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
