from django import forms
from django.utils.translation import gettext_lazy as _

from core.offsets import parse_offsets
from notifications.models import Channel


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label=_("How we reach you"),
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Text messages go to the phone number in your account."),
    )
    reminders_on = forms.BooleanField(label=_("Remind me of my sessions"), required=False)
    reminder_offsets = forms.CharField(
        label=_("When to remind me"),
        required=False,
        max_length=200,
        help_text=_("For example “1 day, 2 hours”. Leave empty for your group's usual times."),
    )
    quiet_start = forms.TimeField(
        label=_("Quiet from"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label=_("Quiet until"), required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean_reminder_offsets(self):
        return parse_offsets(self.cleaned_data["reminder_offsets"] or "")

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(_("Give both times for quiet hours, or neither."))
        return data
