"""Form helpers: a plain form that shows a model's fields without being bound to an instance.

Services validate across fields and save; a form only checks each field alone. A ModelForm
would also copy the data onto the instance and run the model's validation while cleaning, so
forms that hand their data to a service are plain forms built with `add_model_fields`.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.db.models import Model


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
    (labels, help_texts, widgets...).
    """
    model_fields = forms.fields_for_model(
        model, fields=list(fields), form_declared_fields=form.fields, **options
    )
    model_fields.update(form.fields)
    form.fields = model_fields
    if instance is not None:
        form.initial = {**forms.model_to_dict(instance, fields=fields), **form.initial}
