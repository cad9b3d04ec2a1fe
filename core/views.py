"""View helpers: a form calls a service, and the service's refusal lands on the form."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError


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
