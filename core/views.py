"""View helpers: a form calls a service, and the service's refusal lands on the form; a form
sends the person back where it came from."""

import unicodedata
from collections.abc import Callable, Mapping
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _


def service_error_to_form(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form, by field where it names one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = field if field in form.fields else None
            for item in errors:
                form.add_error(target, item.messages)
    else:
        form.add_error(None, error.messages)


def call_service(form, service: Callable[..., Any], /, *args, **kwargs) -> tuple[bool, Any]:
    """(True, result) when the service accepts; (False, None) with its errors on the form."""
    try:
        return True, service(*args, **kwargs)
    except ValidationError as error:
        service_error_to_form(form, error)
        return False, None


def confirm_first(
    request,
    *,
    title: str,
    consequences: list[str],
    confirm_label: str,
    back_url: str,
    back_label: str | None = None,
    keep: Mapping[str, Any] | None = None,
):
    """The confirmation page for a destructive POST that has not been confirmed yet, or None
    once it has ("confirmed" posted back). `keep`: the form's values, carried over hidden."""
    if request.POST.get("confirmed") == "1":
        return None
    context = {
        "title": title,
        "consequences": consequences,
        "confirm_label": confirm_label,
        "back_url": back_url,
        "back_label": back_label or _("Go back"),
        "action": request.path,
        "fields": [(name, "" if value is None else value) for name, value in (keep or {}).items()],
    }
    return render(request, "confirm.html", context)


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))


def call_service_or_flash(request, service: Callable[..., Any], /, *args, **kwargs):
    """For buttons without a form: (True, result), or (False, None) with the refusal shown as
    a message on the next page."""
    try:
        return True, service(*args, **kwargs)
    except ValidationError as error:
        flash_error(request, error)
        return False, None


def safe_next_path(request, target) -> str | None:
    """`target` if it is a path on this site ("/sessions/4/"), else None.

    Only local absolute paths: `redirect()` would read a bare word ("foo") as a URL name and
    fail, an absolute URL could send the person to another site, and a control character
    cannot go into a Location header.
    """
    if not isinstance(target, str) or not target.startswith("/") or target.startswith("//"):
        return None
    if any(char.isspace() or unicodedata.category(char)[0] == "C" for char in target):
        return None
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return None
    return target


def redirect_back(request, fallback: str) -> HttpResponseRedirect:
    """Back to the form's `next` (posted, else in the query) when it is safe, else `fallback`."""
    target = request.POST.get("next") or request.GET.get("next")
    return HttpResponseRedirect(safe_next_path(request, target) or fallback)
