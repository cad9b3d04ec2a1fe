"""reverse() for the links every email carries, without resolving the same pattern for
each message: a delivery made eight reverse() calls, a twentieth of its CPU.

`reverse_cached` remembers each (name, arguments); `reverse_with_token` reverses a pattern
once with a marker and puts each signed token in its place (Django quotes nothing in such a
token, and a token with any other character goes through reverse() itself). Both depend on
the script prefix, URLconf and language in force, which are part of the key, and forget
everything when a test changes the URLconf.
"""

import functools
import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language

# Signed tokens (django.core.signing) are URL-safe base64 with ":" between the parts.
TOKEN = re.compile(r"[A-Za-z0-9_\-:]+")
MARKER = "circle0token0marker"


def in_force() -> tuple:
    return get_script_prefix(), get_urlconf(), get_language()


@functools.lru_cache(maxsize=4096)
def _reversed(name: str, kwargs: tuple, in_force: tuple) -> str:
    urlconf = in_force[1]
    return reverse(name, kwargs=dict(kwargs) or None, urlconf=urlconf)


def reverse_cached(name: str, **kwargs) -> str:
    """reverse(name, kwargs=kwargs), remembered; raises NoReverseMatch as it does."""
    return _reversed(name, tuple(sorted(kwargs.items())), in_force())


@functools.lru_cache(maxsize=256)
def _around_token(name: str, kwarg: str, in_force: tuple) -> tuple[str, str]:
    urlconf = in_force[1]
    before, after = reverse(name, kwargs={kwarg: MARKER}, urlconf=urlconf).split(MARKER)
    return before, after


def reverse_with_token(name: str, kwarg: str, token: str) -> str:
    """reverse(name, kwargs={kwarg: token}) for a pattern whose only argument is a token."""
    if not TOKEN.fullmatch(token):
        return reverse(name, kwargs={kwarg: token})
    before, after = _around_token(name, kwarg, in_force())
    return f"{before}{token}{after}"


@receiver(setting_changed)
def _forget(*, setting, **kwargs):
    if setting in ("ROOT_URLCONF", "FORCE_SCRIPT_NAME"):
        _reversed.cache_clear()
        _around_token.cache_clear()
