"""Forms only check each field alone; the services decide (completeness, who may be chosen)."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from groups.models import ACTIVE_STATUSES
from groups.selectors import members_in
from measures.models import Cadence, Instrument, ItemKind, ShareItem

# Short words: each with its context, so another catalogue's "Good" or "None" is not taken.
MOODS = [
    ("1", pgettext_lazy("mood", "Very low")),
    ("2", pgettext_lazy("mood", "Low")),
    ("3", pgettext_lazy("mood", "Okay")),
    ("4", pgettext_lazy("mood", "Good")),
    ("5", pgettext_lazy("mood", "Very good")),
]
URGES = [
    ("0", pgettext_lazy("urges", "None")),
    ("1", pgettext_lazy("urges", "A few")),
    ("2", pgettext_lazy("urges", "Some")),
    ("3", pgettext_lazy("urges", "Many")),
    ("4", pgettext_lazy("urges", "Constant")),
]


class AnswerForm(forms.Form):
    """One field per item: options as big radio buttons, text items as a short box."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for number, item in enumerate(self.items, 1):
            # The question and its options in the active language (the member's own).
            label = f"{number}. {item.local_text}"
            if item.kind == ItemKind.CHOICE:
                self.fields[item.code] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=item.local_options(),
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[item.code] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )


class InstrumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.local_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ScheduleForm(forms.Form):
    instrument = InstrumentChoiceField(
        queryset=Instrument.objects.filter(active=True),
        label=pgettext_lazy("instrument", "Questions"),
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, label=_("How often"))
    every = forms.IntegerField(
        min_value=1,
        max_value=52,
        initial=1,
        label=_("N"),
        help_text=_("Every how many sessions or weeks."),
    )
    starts_on = forms.DateField(
        label=pgettext_lazy("schedule start", "From"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    member = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Only for"),
        empty_label=_("Everyone in the group"),
    )

    def __init__(self, *args, group, members=None, **kwargs):
        """`members`: the group's active members as the page already loaded them (by display
        name), listed without asking the database again. A posted choice is still checked
        against the group's active members in the database."""
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["member"])
        field.queryset = members_in(group, statuses=ACTIVE_STATUSES).order_by("display_name", "pk")
        if members is not None:
            field.choices = [
                ("", field.empty_label),
                *((person.pk, field.label_from_instance(person)) for person in members),
            ]


class CheckInForm(forms.Form):
    mood = forms.ChoiceField(
        choices=MOODS, required=False, widget=forms.RadioSelect, label=_("How has your week been?")
    )
    urges = forms.ChoiceField(
        choices=URGES, required=False, widget=forms.RadioSelect, label=_("Urges this week")
    )
    helped = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label=_("What helped"),
    )
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("A note for yourself"),
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(max_length=80, label=_("Name it (only you see this)"))
    since = forms.DateField(
        label=_("Counting from"), widget=forms.DateInput(attrs={"type": "date"})
    )


class ShareForm(forms.Form):
    viewer = forms.TypedChoiceField(coerce=int, label=_("Share with"))
    item = forms.ChoiceField(
        choices=ShareItem.choices,
        label=pgettext_lazy("share item", "What"),
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {person.pk: person for person in candidates}
        viewer = cast(forms.TypedChoiceField, self.fields["viewer"])
        viewer.choices = [(pk, person.display_name) for pk, person in self.candidates.items()]
