"""Form helpers: a plain form that shows a model's fields without being bound to an instance.

Services validate across fields and save; a form only checks each field alone. A ModelForm
would also copy the data onto the instance and run the model's validation while cleaning, so
forms that hand their data to a service are plain forms built with `add_model_fields`.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.backends.base.operations import BaseDatabaseOperations
from django.db.models import Field, Model
from django.utils.translation import gettext_lazy as _

# What each integer column holds on PostgreSQL. SQLite stores any size, so without a bound a
# number that saves in development is a 500 in production: forms refuse what no column holds.
INTEGER_RANGES: dict[str, tuple[int, int]] = BaseDatabaseOperations.integer_field_ranges
MAX_POSITIVE_INT = INTEGER_RANGES["PositiveIntegerField"][1]
TOO_LARGE = _("That number is too large: the most is %(limit_value)s.")


def bounded_formfield(model_field: Field, **kwargs: Any) -> forms.Field | None:
    """The model field's form field; an integer one bounded by what its column holds."""
    bounds = INTEGER_RANGES.get(model_field.get_internal_type())
    if bounds is not None and not model_field.choices:
        kwargs.setdefault("min_value", bounds[0])
        kwargs.setdefault("max_value", bounds[1])
        kwargs.setdefault("error_messages", {"max_value": TOO_LARGE})
    return model_field.formfield(**kwargs)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's, refusing an id no integer column holds (SQLite raises OverflowError on it)."""

    def _check_values(self, value):
        pk_field = self.queryset.model._meta.pk if self.queryset is not None else None
        bounds = INTEGER_RANGES.get(pk_field.get_internal_type()) if pk_field else None
        if bounds is not None and self.to_field_name is None:
            for pk in value:
                try:
                    number = int(str(pk))
                except ValueError:
                    continue  # Django's own check names it
                if not bounds[0] <= number <= bounds[1]:
                    raise ValidationError(
                        self.error_messages["invalid_pk_value"],
                        code="invalid_pk_value",
                        params={"pk": str(pk)[:20]},
                    )
        return super()._check_values(value)  # type: ignore[misc]  # not in django-stubs


def add_model_fields(
    form: forms.BaseForm,
    model: type[Model],
    fields: Sequence[str],
    instance: Model | None = None,
    **options: Any,
) -> None:
    """Give `form` the form fields of `model`'s `fields`, as a ModelForm would.

    Fields the form declares itself win and keep the model's order; the rest follow. Initial
    values come from `instance` when given (else each model field's default), and anything
    passed as `initial` to the form wins over them. `options` go to `fields_for_model`
    (labels, help_texts, widgets...). Integer fields are bounded by their column's range.
    """
    options.setdefault("formfield_callback", bounded_formfield)
    model_fields = forms.fields_for_model(
        model, fields=list(fields), form_declared_fields=form.fields, **options
    )
    model_fields.update(form.fields)
    form.fields = model_fields
    if instance is not None:
        form.initial = {**forms.model_to_dict(instance, fields=fields), **form.initial}
