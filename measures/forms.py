"""Forms only check each field alone; the services decide (completeness, who may be chosen)."""

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from groups.models import ACTIVE_STATUSES
from groups.selectors import members_in
from measures.models import Cadence, Instrument, ItemKind, ShareItem

MOODS = [
    ("1", _("Very low")),
    ("2", _("Low")),
    ("3", _("Okay")),
    ("4", _("Good")),
    ("5", _("Very good")),
]
URGES = [
    ("0", _("None")),
    ("1", _("A few")),
    ("2", _("Some")),
    ("3", _("Many")),
    ("4", _("Constant")),
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


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.display_name


class ScheduleForm(forms.Form):
    instrument = forms.ModelChoiceField(
        queryset=Instrument.objects.filter(active=True), label=_("Questions")
    )
    cadence = forms.ChoiceField(choices=Cadence.choices, label=_("How often"))
    every = forms.IntegerField(
        min_value=1,
        max_value=52,
        initial=1,
        label=_("N"),
        help_text=_("Every how many sessions or weeks."),
    )
    starts_on = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    member = PersonChoiceField(
        queryset=get_user_model().objects.none(),
        required=False,
        label=_("Only for"),
        empty_label=_("Everyone in the group"),
    )

    def __init__(self, *args, group, **kwargs):
        super().__init__(*args, **kwargs)
        members = members_in(group, statuses=ACTIVE_STATUSES).order_by("display_name", "pk")
        field = cast(forms.ModelChoiceField, self.fields["member"])
        field.queryset = members


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
    item = forms.ChoiceField(choices=ShareItem.choices, label=_("What"), widget=forms.RadioSelect)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = {person.pk: person for person in candidates}
        viewer = cast(forms.TypedChoiceField, self.fields["viewer"])
        viewer.choices = [(pk, person.display_name) for pk, person in self.candidates.items()]
