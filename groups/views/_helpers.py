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


def flash_error(request, error: ValidationError) -> None:
    messages.error(request, " ".join(error.messages))
