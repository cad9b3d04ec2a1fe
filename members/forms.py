from typing import cast

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.forms import add_model_fields
from core.phones import normalize_phone
from core.timezones import default_time_zone, time_zone_choices
from groups.forms import PersonChoiceField
from groups.models import Group
from groups.permissions import groups_facilitated_by
from members.language import offered_languages
from members.models import Intake, Role, User


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        label=_("Your time zone"),
        help_text=_("Session times are shown in this zone."),
        error_messages={
            "invalid_choice": _(
                "We don't know the time zone “%(value)s”. "
                "Choose one from the list, such as Europe/London."
            )
        },
    )
    # Only the languages the clinic offers; each named in its own language.
    language = forms.ChoiceField(
        choices=offered_languages,
        label=_("Language"),
        help_text=_("Pages and the messages we send you are in this language."),
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "language", "phone", "quick_exit_signs_out"]
        labels = {
            "display_name": _("Name others in your groups see"),
            "phone": _("Phone (optional)"),
        }
        help_texts = {"phone": _("For text reminders. Only facilitators and clinic staff see it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance.is_member:
            del self.fields["quick_exit_signs_out"]  # only members' pages have a quick exit

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone", ""))


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the display name, and the invited address fixed."""

    display_name = forms.CharField(
        max_length=60,
        label=_("Name others in your groups see"),
        help_text=_("A first name or a pseudonym."),
    )
    time_zone = forms.ChoiceField(
        choices=time_zone_choices,
        initial=default_time_zone,
        label=_("Your time zone"),
        help_text=_("Session times are shown in this zone. You can change it later."),
        # static/js/time-zone.js picks the browser's zone when the list has it.
        widget=forms.Select(attrs={"data-browser-time-zone": ""}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:  # the person's own choice stands when the form comes back
            self.fields["time_zone"].widget.attrs.pop("data-browser-time-zone", None)
        self.invitation = get_adapter().session_invitation(context.request)
        if self.invitation is not None:
            self.fields["email"].initial = self.invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = _("The address your invitation was sent to.")

    def clean_email(self):
        if self.invitation is not None:
            typed = (self.cleaned_data.get("email") or "").strip().lower()
            if typed != self.invitation.email.lower():
                raise forms.ValidationError(
                    gettext("Use the address your invitation was sent to: %(email)s")
                    % {"email": self.invitation.email}
                )
        return super().clean_email()


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("Their email address"))
    role = forms.ChoiceField(
        label=_("Invite as"),
        choices=[(Role.MEMBER, Role.MEMBER.label), (Role.FACILITATOR, Role.FACILITATOR.label)],
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Into group"),
        empty_label=_("No group yet"),
    )
    language = forms.ChoiceField(
        choices=offered_languages,
        required=False,  # left out: the clinic's own language
        label=_("Their language"),
        help_text=_("The invitation email is written in it. They can change it later."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = translation.get_language()
        if len(offered_languages()) < 2:
            del self.fields["language"]  # one language: nothing to choose
        group = cast(forms.ModelChoiceField, self.fields["group"])
        group.queryset = groups_facilitated_by(user).active()
        if not user.is_clinic_staff:
            # Facilitators invite members into one of their own groups.
            del self.fields["role"]
            group.required = True
            group.empty_label = None

    def chosen_role(self) -> str:
        return self.cleaned_data.get("role") or Role.MEMBER


# --- couples, intake and sharing -------------------------------------------------------------


class CoupleLinkForm(forms.Form):
    first = PersonChoiceField(queryset=User.objects.none(), label=_("First partner"))
    second = PersonChoiceField(queryset=User.objects.none(), label=_("Second partner"))

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        unlinked = people.exclude(
            Q(couples_as_first__ended_at__isnull=True, couples_as_first__isnull=False)
            | Q(couples_as_second__ended_at__isnull=True, couples_as_second__isnull=False)
        ).order_by("display_name", "pk")
        cast(forms.ModelChoiceField, self.fields["first"]).queryset = unlinked
        cast(forms.ModelChoiceField, self.fields["second"]).queryset = unlinked

    def clean(self):
        cleaned = super().clean() or {}
        if cleaned.get("first") and cleaned.get("first") == cleaned.get("second"):
            raise forms.ValidationError(_("Choose two different people."))
        return cleaned


INTAKE_FORM_FIELDS = [*Intake.ANSWER_FIELDS, "level", "recommended_kind", "notes"]


class IntakeForm(forms.Form):
    """An intake's group and answers. A plain form: members.services.intake validates and saves.

    `groups`: the groups it may be recorded for (members.permissions.intake_groups_for); their
    facilitators read it, and the member decides who else may."""

    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Recorded for group"),
        help_text=_("This group's facilitators can read it. The member decides who else may."),
        empty_label=_("Choose a group"),
    )

    def __init__(self, *args, groups, intake: Intake | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if intake is not None and intake.group_id is not None:
            groups = groups | Group.objects.filter(pk=intake.group_id)  # keep its own group
            self.initial.setdefault("group", intake.group_id)
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups.distinct()
        add_model_fields(
            self,
            Intake,
            INTAKE_FORM_FIELDS,
            instance=intake,
            widgets={
                name: forms.Textarea(attrs={"rows": 3}) for name in (*Intake.ANSWER_FIELDS, "notes")
            },
        )


class DisplayNameChoiceField(forms.ModelChoiceField):
    """Members pick a person by display name only: no email, nothing else."""

    def label_from_instance(self, obj):
        return obj.display_name


class OwnGroupChoiceField(forms.ModelChoiceField):
    """A member's groups by the name they see: their own label when the queryset carries
    it (groups.labels.own_label, one query for the list), else the group's name."""

    def label_from_instance(self, obj):
        return getattr(obj, "own_label", None) or obj.name


class ConsentForm(forms.Form):
    viewer = DisplayNameChoiceField(
        queryset=User.objects.none(), label=_("Who may see it"), empty_label=_("Choose a person")
    )
    group = OwnGroupChoiceField(
        queryset=Group.objects.none(), label=_("Which group"), empty_label=_("Choose a group")
    )

    def __init__(self, *args, viewers, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewers, self.groups = viewers, groups
        cast(forms.ModelChoiceField, self.fields["viewer"]).queryset = viewers
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups

    def has_choices(self) -> bool:
        """Whether there is any group to share and anyone to share it with."""
        return self.groups.exists() and self.viewers.exists()


class IntakeChoiceField(forms.ModelChoiceField):
    """A member's own intake, by date and group: never its answers."""

    def label_from_instance(self, obj):
        day = formats.date_format(timezone.localtime(obj.created_at), "j M Y")
        if obj.group_id:
            group = getattr(obj, "own_label", None) or obj.group.name
            return gettext("Taken on %(day)s for %(group)s") % {"day": day, "group": group}
        return gettext("Taken on %(day)s") % {"day": day}


class IntakeShareForm(forms.Form):
    intake = IntakeChoiceField(
        queryset=Intake.objects.none(), label=_("Which notes"), empty_label=_("Choose the notes")
    )
    group = OwnGroupChoiceField(
        queryset=Group.objects.none(),
        label=_("Whose facilitators may read them"),
        empty_label=_("Choose a group"),
    )

    def __init__(self, *args, intakes, groups, **kwargs):
        super().__init__(*args, **kwargs)
        self.intakes, self.groups = intakes, groups
        cast(forms.ModelChoiceField, self.fields["intake"]).queryset = intakes
        cast(forms.ModelChoiceField, self.fields["group"]).queryset = groups

    def has_choices(self) -> bool:
        return self.intakes.exists() and self.groups.exists()
