"""Input shapes only; the rules (no occurrences, skipped local times, seats) live in services."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.forms import MAX_POSITIVE_INT, TOO_LARGE
from sessions.models import Answer
from sessions.recurrence import WEEKDAYS, build_rule, describe_rule, weekday_name


def weekday_choices() -> list[tuple[str, str]]:
    """Each weekday in the page's language (a callable: read when the form is shown)."""
    return [(code, weekday_name(code)) for code in WEEKDAYS]


NTH_CHOICES = [
    ("1", _("First")),
    ("2", _("Second")),
    ("3", _("Third")),
    ("4", _("Fourth")),
    ("-1", pgettext_lazy("in the month", "Last")),
]
# ISO whatever the language: a date input only takes 2026-12-01.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class SeriesForm(forms.Form):
    frequency = forms.ChoiceField(
        choices=[
            ("weekly", _("Every week")),
            ("fortnightly", _("Every other week")),
            ("monthly", _("Once a month")),
        ],
        label=_("Frequency"),
    )
    weekday = forms.ChoiceField(choices=weekday_choices, label=pgettext_lazy("weekday", "On"))
    nth = forms.ChoiceField(
        choices=NTH_CHOICES, required=False, label=_("Which one in the month (monthly only)")
    )
    starts_on = forms.DateField(widget=DATE, label=_("First date"))
    start_time = forms.TimeField(widget=TIME, label=_("Starts at (group's time)"))
    duration_minutes = forms.IntegerField(
        min_value=1, max_value=24 * 60, initial=90, label=_("Length in minutes")
    )
    end = forms.ChoiceField(
        choices=[
            ("never", _("Keeps going")),
            ("until", _("Until a date")),
            ("count", _("A number of times")),
        ],
        initial="never",
        widget=forms.RadioSelect,
        label=_("Ends"),
    )
    until = forms.DateField(widget=DATE, required=False, label=_("Last date"))
    count = forms.IntegerField(
        min_value=1, max_value=520, required=False, label=_("Number of sessions")
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The first date anchors the rule; to start elsewhere, end this series.
            del self.fields["starts_on"]

    @classmethod
    def initial_for(cls, series) -> dict:
        rule = describe_rule(series.rrule)
        end = "until" if rule["until"] else "count" if rule["count"] else "never"
        return {
            **rule,
            "nth": str(rule["nth"]) if rule["nth"] else "",
            "end": end,
            "start_time": series.start_time,
            "duration_minutes": series.duration_minutes,
        }

    def clean(self):
        super().clean()
        data = self.cleaned_data
        end = data.get("end")
        if end == "until" and not data.get("until"):
            self.add_error("until", _("Choose the last date."))
        if end == "count" and not data.get("count"):
            self.add_error("count", _("Say how many sessions."))
        starts_on = data.get("starts_on")
        if end == "until" and data.get("until") and starts_on and data["until"] < starts_on:
            self.add_error("until", _("The last date is before the first date."))
        if data.get("frequency") == "monthly" and not data.get("nth"):
            self.add_error("nth", _("Choose which weekday of the month."))
        return data

    def rule(self) -> str:
        data = self.cleaned_data
        return build_rule(
            frequency=data["frequency"],
            weekday=data["weekday"],
            nth=int(data["nth"]) if data.get("nth") else None,
            until=data["until"] if data["end"] == "until" else None,
            count=data["count"] if data["end"] == "count" else None,
        )


class SessionForm(forms.Form):
    """Move or change one session, or add an extra one: times in the group's zone."""

    date = forms.DateField(widget=DATE, label=_("Date"))
    start_time = forms.TimeField(widget=TIME, label=_("Starts at (group's time)"))
    end_time = forms.TimeField(widget=TIME, label=_("Ends at (group's time)"))
    topic = forms.CharField(max_length=200, required=False, label=_("Topic"))
    location = forms.CharField(
        required=False, label=_("Place (leave empty for the group's usual place)")
    )
    video_url = forms.URLField(
        assume_scheme="https",
        required=False,
        label=_("Video link (leave empty for the group's usual link)"),
    )
    capacity = forms.IntegerField(
        min_value=1,
        max_value=MAX_POSITIVE_INT,
        required=False,
        label=_("Seats (leave empty for the group's usual number)"),
        error_messages={"max_value": TOO_LARGE},
    )
    rsvp_deadline = forms.DateTimeField(
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        label=_("Answers close at (group's time; empty: when it starts)"),
    )

    def clean(self):
        super().clean()
        data = self.cleaned_data
        if (
            data.get("start_time")
            and data.get("end_time")
            and data["end_time"] <= data["start_time"]
        ):
            self.add_error("end_time", _("The end is before the start. Choose a later end time."))
        return data

    def starts_local(self) -> datetime.datetime:
        return datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["start_time"])

    def duration_minutes(self) -> int:
        start = self.starts_local()
        end = datetime.datetime.combine(self.cleaned_data["date"], self.cleaned_data["end_time"])
        return int((end - start).total_seconds() // 60)

    def deadline_local(self) -> datetime.datetime | None:
        value = self.cleaned_data.get("rsvp_deadline")
        # The widget's value is read as the group's wall-clock time, not the viewer's.
        return value.replace(tzinfo=None) if value else None


class CancelForm(forms.Form):
    reason = forms.CharField(
        max_length=300, label=_("Reason (members see this)"), widget=forms.TextInput
    )


class SkipDateForm(forms.Form):
    day = forms.DateField(widget=DATE, label=_("Date to skip"))
    reason = forms.CharField(max_length=300, required=False, label=_("Reason (members see this)"))


class EndSeriesForm(forms.Form):
    last_date = forms.DateField(widget=DATE, label=_("Last session on"))


class RSVPForm(forms.Form):
    answer = forms.ChoiceField(choices=Answer.choices, label=_("Your answer"))
    note = forms.CharField(max_length=500, required=False, label=_("Note to the facilitator"))
