"""Forms check each field alone; rules across fields live in groups.services."""

from typing import cast

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from core.forms import ModelMultipleChoiceField, add_model_fields
from core.offsets import describe_offsets, parse_offsets
from core.timezones import default_time_zone, time_zone_choices
from groups.models import Group
from groups.services import GROUP_FIELDS
from members import api as members_api

User = get_user_model()

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonChoiceField(forms.ModelChoiceField):
    """Facilitators pick people by display name and email; members never see this field."""

    def label_from_instance(self, obj):
        return f"{obj.display_name} ({obj.email})"


# The service's list of editable fields; reminder offsets are edited as text ("1 day, 2 hours").
GROUP_FORM_FIELDS = [name for name in GROUP_FIELDS if name != "reminder_offsets"]


class GroupForm(forms.Form):
    """A group's fields as the service takes them. A plain form, not a ModelForm: it never
    copies anything onto the group; groups.services validates across fields and saves."""

    time_zone = forms.TypedChoiceField(
        choices=time_zone_choices,
        initial=default_time_zone,  # the clinic's, not the list's first
        label=_("Time zone of the meeting times"),
    )
    facilitators = ModelMultipleChoiceField(
        queryset=User.objects.filter(pk__in=members_api.facilitator_ids()).order_by("display_name"),
        widget=forms.CheckboxSelectMultiple,
        label=_("Facilitators"),
        help_text=_("Co-facilitation is normal: tick everyone who runs this group."),
    )
    video_url = forms.URLField(
        required=False,
        assume_scheme="https",
        label=_("Video link (https)"),
        help_text=_("Shown only to enrolled members and facilitators."),
    )
    reminder_offsets = forms.CharField(
        required=False,
        max_length=200,
        label=_("Remind members before each session"),
        help_text=_("For example “1 day, 2 hours”. Leave empty for no reminders."),
    )

    labels = {
        "name": _("Name members see"),
        "kind": _("Kind of group"),
        "description": _("Description"),
        "language": _("Language the group meets in"),
        "format": _("Format"),
        "address": _("Address"),
        "video_url": _("Video link (https)"),
        "capacity": _("Capacity (people)"),
        "enrolment": _("Enrolment"),
        "starts_on": _("First date (optional)"),
        "ends_on": _("Last date (optional)"),
        "roster_visible": _("Members can see each other's names"),
        "absence_follow_up_after": _("Tell facilitators after this many absences in a row"),
    }
    help_texts = {
        "name": _("Neutral words are kindest, e.g. “Tuesday evening”. Members see this name."),
        "address": _("Shown only to enrolled members and facilitators."),
        "video_url": _("Shown only to enrolled members and facilitators."),
        "capacity": _("Empty: no limit."),
        "roster_visible": _("Members see each other's display names."),
        "absence_follow_up_after": _("Unexcused absences only."),
    }
    widgets = {
        "starts_on": DATE,
        "ends_on": DATE,
        "address": forms.Textarea(attrs={"rows": 2}),
        "description": forms.Textarea(attrs={"rows": 3}),
    }

    def __init__(self, *args, group: Group | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        add_model_fields(
            self,
            Group,
            GROUP_FORM_FIELDS,
            instance=group,
            labels=self.labels,
            help_texts=self.help_texts,
            widgets=self.widgets,
        )
        # Posted without a language (an older form): the model's default, or the group's own.
        self.fields["language"].required = False
        offsets = group.reminder_offsets if group is not None and group.pk else None
        self.initial.setdefault(
            "reminder_offsets", describe_offsets(offsets if offsets is not None else [1440, 120])
        )

    def clean_reminder_offsets(self):
        return parse_offsets(self.cleaned_data["reminder_offsets"] or "")

    def service_fields(self) -> dict:
        data = {name: self.cleaned_data[name] for name in GROUP_FORM_FIELDS}
        data["reminder_offsets"] = self.cleaned_data["reminder_offsets"]
        data["address"] = data["address"] or ""
        data["video_url"] = data["video_url"] or ""
        if not data["language"]:
            del data["language"]
        return data


class GroupLabelForm(forms.Form):
    """A member's own name for one of their groups; groups.services checks and saves it."""

    label = forms.CharField(
        # Empty or too long: the service refuses it with a clear message, saving nothing.
        required=False,
        label=_("Your name for this group"),
        help_text=_("For example “Tuesday group” or “Book club”. Up to 60 characters."),
        widget=forms.TextInput(attrs={"maxlength": 60, "autocomplete": "off"}),
    )


class RosterAddForm(forms.Form):
    member = PersonChoiceField(queryset=User.objects.none(), label=_("Person"), empty_label=None)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["member"]).queryset = people


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"))


class EnrollmentActionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("pause", _("Pause")), ("resume", _("Resume")), ("leave", _("Leave"))]
    )


class GroupFilterForm(forms.Form):
    """The facilitators' and staff's group list, narrowed by the language a group meets in.
    An unknown value is ignored (the whole list), never an error page."""

    language = forms.ChoiceField(
        required=False,
        label=_("Language"),
        choices=[("", _("Any language")), *settings.LANGUAGES],
    )

    def chosen_language(self) -> str:
        return self.cleaned_data.get("language", "") if self.is_valid() else ""
