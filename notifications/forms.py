import re

from django import forms

from notifications.audience import MAX_OFFSET_MINUTES
from notifications.models import Channel

_UNITS = {
    "m": 1,
    "min": 1,
    "mins": 1,
    "minute": 1,
    "minutes": 1,
    "h": 60,
    "hr": 60,
    "hrs": 60,
    "hour": 60,
    "hours": 60,
    "d": 1440,
    "day": 1440,
    "days": 1440,
    "w": 10080,
    "week": 10080,
    "weeks": 10080,
}
_PART = re.compile(r"^\s*(\d{1,4})\s*([a-z]+)\s*$")


def parse_offsets(text: str) -> list[int]:
    """'1 day, 2 hours, 30 minutes' -> [1440, 120, 30]. Raises ValidationError."""
    offsets = []
    for part in filter(None, (p.strip() for p in re.split(r"[,;]|\band\b", text.lower()))):
        match = _PART.match(part)
        if not match or match.group(2) not in _UNITS:
            raise forms.ValidationError(
                f"“{part}” is not a time we understand. Write it like “1 day” or “2 hours”."
            )
        minutes = int(match.group(1)) * _UNITS[match.group(2)]
        if not 0 < minutes <= MAX_OFFSET_MINUTES:
            raise forms.ValidationError("Reminders can be from 1 minute to 2 weeks before.")
        offsets.append(minutes)
    if len(offsets) > 5:
        raise forms.ValidationError("Choose up to five reminders.")
    return sorted(set(offsets), reverse=True)


def describe_offsets(offsets) -> str:
    parts = []
    for minutes in offsets or []:
        for size, unit in ((1440, "day"), (60, "hour"), (1, "minute")):
            if minutes % size == 0:
                count = minutes // size
                parts.append(f"{count} {unit}{'' if count == 1 else 's'}")
                break
    return ", ".join(parts)


class PreferenceForm(forms.Form):
    channels = forms.MultipleChoiceField(
        label="How we reach you",
        choices=Channel.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Text messages go to the phone number in your account.",
    )
    reminders_on = forms.BooleanField(label="Remind me of my sessions", required=False)
    reminder_offsets = forms.CharField(
        label="When to remind me",
        required=False,
        max_length=200,
        help_text="For example “1 day, 2 hours”. Leave empty for your group's usual times.",
    )
    quiet_start = forms.TimeField(
        label="Quiet from", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )
    quiet_end = forms.TimeField(
        label="Quiet until", required=False, widget=forms.TimeInput(attrs={"type": "time"})
    )

    def clean_reminder_offsets(self):
        return parse_offsets(self.cleaned_data["reminder_offsets"] or "")

    def clean(self):
        data = super().clean() or {}
        start, end = data.get("quiet_start"), data.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError("Give both times for quiet hours, or neither.")
        return data
