"""Headers every response Circle builds carries, beyond SecurityMiddleware and django-csp.

Placed just below WhiteNoise, so static files (answered by WhiteNoise before this runs) keep
their long cache, and everything else passes through here: pages, redirects, 404s, downloads.
"""

# Powerful browser features no page of Circle uses: denied to the page and to anything it
# might embed. Only features Chromium recognises (an unknown one is a console error).
DENIED_FEATURES = (
    "accelerometer",
    "autoplay",
    "bluetooth",
    "camera",
    "display-capture",
    "encrypted-media",
    "geolocation",
    "gyroscope",
    "hid",
    "idle-detection",
    "magnetometer",
    "microphone",
    "midi",
    "payment",
    "picture-in-picture",
    "screen-wake-lock",
    "serial",
    "usb",
    "xr-spatial-tracking",
)
PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in DENIED_FEATURES)

NO_STORE = "no-store, private"


def _cache_directives(value: str) -> set[str]:
    return {part.split("=")[0].strip().lower() for part in value.split(",") if part.strip()}


class SecurityHeadersMiddleware:
    """`Cache-Control: no-store, private` and `Permissions-Policy` on every dynamic response.

    No-store on everything, not only signed-in pages: every dynamic response here is personal
    (a signed-in page, a download), carries a token (RSVP link, calendar feed) or a CSRF
    form, so a shared computer's back button or a proxy must keep none of them. A view that
    already sends both directives (with more, e.g. never_cache's) is left as it is.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Permissions-Policy" not in response:
            response["Permissions-Policy"] = PERMISSIONS_POLICY
        if not {"no-store", "private"} <= _cache_directives(response.get("Cache-Control", "")):
            response["Cache-Control"] = NO_STORE
        return response
