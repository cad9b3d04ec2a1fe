"""Forms only check each field alone; the services decide (completeness, who may be chosen)."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model

from groups.models import ACTIVE_STATUSES
from groups.selectors import members_in
from measures.models import Cadence, Instrument, ItemKind, ShareItem

MOODS = [("1", "Very low"), ("2", "Low"), ("3", "Okay"), ("4", "Good"), ("5", "Very good")]
URGES = [("0", "None"), ("1", "A few"), ("2", "Some"), ("3", "Many"), ("4", "Constant")]


class AnswerForm(forms.Form):
    """One field per item: options as big radio buttons, text items as a short box."""

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for number, item in enumerate(self.items, 1):
            label = f"{number}. {item.text}"
            if item.kind == ItemKind.CHOICE:
                self.fields[item.code] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[(str(o["value"]), o["label"]) for o in item.options],
                    widget=forms.RadioSelect,
                )
            else:
                self.fields[item.code] = forms.CharField(
                    label=label,
                    required=False,
                    max_length=2000,
                    widget=forms.Textarea(attrs={"rows": 3}),
                )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ScheduleForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.filter(active=True), label="Questions"
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, label="How often")
    every = forms.IntegerField(
        min_value=1,
        max_value=52,
        initial=1,
        label="N",
        help_text="Every how many sessions or weeks.",
    )
    starts_on = forms.DateField(label="From", widget=forms.DateInput(attrs={"type": "date"}))
    member = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label="Only for",
        empty_label="Everyone in the group",
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_in(group, statuses=ACTIVE_STATUSES).order_by("display_name", "pk")
        field = cast(forms.ModelChoiceField, self.fields["member"])
        field.queryset = members


class CheckInForm(forms.Form):
    mood = forms.ChoiceField(
        choices=MOODS, required=False, widget=forms.RadioSelect, label="How has your week been?"
    )
    urges = forms.ChoiceField(
        choices=URGES, required=False, widget=forms.RadioSelect, label="Urges this week"
    )
    helped = forms.CharField(
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        label="What helped",
    )
    note = forms.CharField(
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="A note for yourself",
    )


class MilestoneForm(forms.Form):
    name = forms.CharField(max_length=80, label="Name it (only you see this)")
    since = forms.DateField(label="Counting from", widget=forms.DateInput(attrs={"type": "date"}))


class ShareForm(forms.Form):
    viewer = forms.TypedChoiceField(coerce=int, label="Share with")
    item = forms.ChoiceField(choices=ShareItem.choices, label="What", widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {person.pk: person for person in candidates}
        viewer = cast(forms.TypedChoiceField, self.fields["viewer"])
        viewer.choices = [(pk, person.display_name) for pk, person in self.candidates.items()]
