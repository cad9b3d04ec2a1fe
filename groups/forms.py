"""Forms check each field alone; rules across fields live in groups.services."""

from django import forms
from django.db.models import Q

from core.timezones import time_zone_choices
from groups.models import Group
from groups.services import GROUP_FIELDS
from members.models import Intake, Role, User

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """Facilitators pick people by display name and email; members never see this field."""

    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


class GroupForm(forms.ModelForm):
    time_zone = forms.TypedChoiceField(
        choices=time_zone_choices, label="Time zone of the meeting times"
    )
    facilitators = forms.ModelMultipleChoiceField(
        queryset=User.objects.filter(role=Role.FACILITATOR).order_by("display_name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Co-facilitation is normal: tick everyone who runs this group.",
    )
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label="Video link (https)",
        help_text="Shown only to enrolled members and facilitators.",
    )
    reminder_hours = forms.CharField(
        required=False,
        label="Remind members (hours before each session)",
        help_text="Comma-separated, for example: 24, 2. Leave empty for no reminders.",
    )

    class Meta:
        model = Group
        # The service's list of editable fields; reminder offsets are edited in hours below.
        fields = [name for name in GROUP_FIELDS if name != "reminder_offsets"]
        labels = {
            "name": "Name members see",
            "kind": "Kind of group",
            "video_url": "Video link (https)",
            "capacity": "Capacity (people)",
            "starts_on": "First date (optional)",
            "ends_on": "Last date (optional)",
            "roster_visible": "Members can see each other's names",
        }
        help_texts = {
            "name": "Neutral words are kindest, e.g. “Tuesday evening”. Members see this name.",
            "address": "Shown only to enrolled members and facilitators.",
            "video_url": "Shown only to enrolled members and facilitators.",
        }
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "address": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault(
                "reminder_hours",
                ", ".join(f"{m / 60:g}" for m in self.instance.reminder_offsets or []),
            )
        else:
            self.initial.setdefault("reminder_hours", "24, 2")

    def clean_reminder_hours(self):
        raw = self.cleaned_data["reminder_hours"]
        minutes = []
        for part in raw.replace(";", ",").split(","):
            part = part.strip()
            if not part:
                continue
            try:
                hours = float(part)
            except ValueError:
                raise forms.ValidationError(
                    "Write hours as numbers separated by commas, e.g. 24, 2."
                ) from None
            if not 0 < hours <= 24 * 14:
                raise forms.ValidationError("Each reminder must be between 0 and 336 hours.")
            minutes.append(round(hours * 60))
        return sorted(set(minutes), reverse=True)

    def _post_clean(self):
        # Cross-field rules are the service's job; skip the model's full_clean here.
        pass

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in self.Meta.fields}
        data["reminder_offsets"] = self.cleaned_data["reminder_hours"]
        data["address"] = data["address"] or ""
        data["video_url"] = data["video_url"] or ""
        return data


class RosterAddForm(forms.Form):
    member = PersonChoiceField(queryset=User.objects.none(), label="Person", empty_label=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = people


class InviteForm(forms.Form):
    email = forms.EmailField(label="Their email address")


class EnrollmentActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("pause", "Pause"), ("resume", "Resume"), ("leave", "Leave")]
    )


class CoupleLinkForm(forms.Form):
    first = PersonChoiceField(queryset=User.objects.none(), label="First partner")
    second = PersonChoiceField(queryset=User.objects.none(), label="Second partner")

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        unlinked = people.exclude(
            Q(couples_as_first__ended_at__isnull=True, couples_as_first__isnull=False)
            | Q(couples_as_second__ended_at__isnull=True, couples_as_second__isnull=False)
        ).order_by("display_name", "pk")
        self.fields["first"].queryset = unlinked
        self.fields["second"].queryset = unlinked

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError("Choose two different people.")
        return cleaned


class IntakeForm(forms.ModelForm):
    class Meta:
        model = Intake
        fields = [*Intake.ANSWER_FIELDS, "level", "recommended_kind", "notes"]
        widgets = {
            name: forms.Textarea(attrs={"rows": 3}) for name in (*Intake.ANSWER_FIELDS, "notes")
        }

    def _post_clean(self):
        pass  # the service validates and saves


class ConsentForm(forms.Form):
    viewer = forms.ModelChoiceField(
        queryset=User.objects.none(), label="Who may see it", empty_label="Choose a person"
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(), label="Which group", empty_label="Choose a group"
    )

    def __init__(self, *args, viewers, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["viewer"].queryset = viewers
        self.fields["viewer"].label_from_instance = lambda person: person.display_name
        self.fields["group"].queryset = groups
