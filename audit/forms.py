"""Forms only parse input; the search itself is audit.selectors.search_events."""

import datetime

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from audit.actions import ACTIONS, AREAS
from audit.models import Outcome
from audit.selectors import NOBODY, EventFilter, person_id_for
from core.dates import local_day_bounds

MAX_RANGE_DAYS = 366 * 10
PERSON_HELP = gettext_lazy("An email address or an id number.")


def _action_choices() -> list[tuple[str, str | Promise]]:
    """Every action, grouped under its area; an area ("auth.") matches all of its actions."""
    choices: list[tuple[str, str | Promise]] = [("", _("Any action"))]
    areas: dict[str, list[tuple[str, str | Promise]]] = {}
    for action in ACTIONS.values():
        areas.setdefault(action.code.split(".")[0], []).append((action.code, action.label))
    for area, items in areas.items():
        name = AREAS.get(area, area)
        choices.append((f"{area}.", _("Anything: %(area)s") % {"area": name}))
        choices.extend(items)
    return choices


class DateRangeMixin(forms.Form):
    date_from = forms.DateField(
        label=pgettext_lazy("date range", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=pgettext_lazy("date range", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def clean(self):
        cleaned = super().clean() or {}
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("The start date must be on or before the end date."))
            if (last - first).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose a range of ten years or less."))
        return cleaned

    def bounds(self, zone_name: str) -> tuple[datetime.datetime | None, datetime.datetime | None]:
        """UTC instants bounding the chosen local days (either end may be open)."""
        first, last = self.cleaned_data.get("date_from"), self.cleaned_data.get("date_to")
        since = until = None
        try:
            if first:
                since = local_day_bounds(zone_name, first, first)[0]
            if last:
                until = local_day_bounds(zone_name, last, last)[1]
        except OverflowError:  # the last representable day: leave that end open
            pass
        return since, until


class AuditSearchForm(DateRangeMixin):
    person = forms.CharField(
        label=gettext_lazy("Whose record"), required=False, max_length=254, help_text=PERSON_HELP
    )
    actor = forms.CharField(
        label=gettext_lazy("Done by"), required=False, max_length=254, help_text=PERSON_HELP
    )
    action = forms.ChoiceField(
        label=gettext_lazy("Action"), required=False, choices=_action_choices
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Outcome"),
        required=False,
        choices=[("", gettext_lazy("Any outcome")), *Outcome.choices],
    )
    field_order = ["person", "actor", "action", "outcome", "date_from", "date_to"]

    def filters(self, zone_name: str) -> EventFilter:
        data = self.cleaned_data
        since, until = self.bounds(zone_name)
        return EventFilter(
            person_id=self._person(data.get("person")),
            actor_id=self._person(data.get("actor")),
            action=data.get("action") or "",
            outcome=data.get("outcome") or "",
            since=since,
            until=until,
        )

    @staticmethod
    def _person(text) -> int | None:
        if not (text or "").strip():
            return None
        found = person_id_for(text)
        return NOBODY if found is None else found


class DisclosuresForm(DateRangeMixin):
    pass
