"""The language every page is in: the signed-in person's own (User.language); before sign-in
the browser's (the picker's cookie, then Accept-Language); only ever one the clinic offers
(settings.CIRCLE_LANGUAGES). Messages sent to someone use their own language (notifications)."""

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header


def offered_languages() -> list[tuple[str, str]]:
    """(code, name) of each language the clinic offers, in settings' order: the pickers' choices."""
    names = dict(settings.LANGUAGES)
    return [(code, names[code]) for code in settings.CIRCLE_LANGUAGES]


def default_language() -> str:
    offered = settings.CIRCLE_LANGUAGES
    return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in offered else offered[0]


def offered(code: object) -> str | None:
    """`code` when the clinic offers it ("fr-CA" counts as "fr"), else None."""
    if not isinstance(code, str) or not code:
        return None
    code = code.strip().lower().replace("_", "-")
    if code in settings.CIRCLE_LANGUAGES:
        return code
    base = code.split("-", 1)[0]
    return base if base in settings.CIRCLE_LANGUAGES else None


def browser_language(request) -> str:
    """The picker's cookie, else the first offered language the browser accepts, else ours."""
    chosen = offered(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
    if chosen:
        return chosen
    for code, _quality in parse_accept_lang_header(request.META.get("HTTP_ACCEPT_LANGUAGE", "")):
        if code == "*":
            break
        chosen = offered(code)
        if chosen:
            return chosen
    return default_language()


def language_for(request) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        own = offered(getattr(user, "language", ""))
        if own:
            return own
    return browser_language(request)


class LanguageMiddleware:
    """Activates the page's language (below AuthenticationMiddleware) and says it in
    Content-Language. Django's LocaleMiddleware above still does its work for responses that
    never reach here (static files); this one has the last word."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = language_for(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        # A view may switch (the settings page, on saving another language).
        response.headers["Content-Language"] = translation.get_language() or language
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
