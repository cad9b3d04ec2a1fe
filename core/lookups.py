"""The one way every app fetches an object for a person: outsiders get 404, never 403."""

from typing import TypeVar

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, QuerySet
from django.http import Http404

M = TypeVar("M", bound=Model)


class NotVisible(Http404):
    """A wall's 404: Django answers it like any 404; the audit middleware counts it.

    Carries the model label ("members.intake") and the pk asked for, never whether it exists.
    """

    def __init__(self, message: str, *, model_label: str, pk) -> None:
        super().__init__(message)
        self.model_label = model_label
        self.pk = pk


def get_object_for_user_or_404(queryset: QuerySet[M], pk, message: str = "Not found") -> M:
    """`queryset` is already narrowed to what the person may see; a bad or foreign pk is 404.

    The message names the kind of thing only, never whether it exists.
    """
    try:
        return queryset.get(pk=pk)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError):
        raise NotVisible(message, model_label=queryset.model._meta.label_lower, pk=pk) from None
