import zoneinfo

from allauth.account.adapter import get_adapter
from allauth.account.forms import SignupForm as AllauthSignupForm
from allauth.core import context
from django import forms
from django.conf import settings

from groups.models import Group
from groups.permissions import groups_facilitated_by
from members.models import Role, User


def _zone_choices() -> list[tuple[str, str]]:
    return [(name, name.replace("_", " ")) for name in sorted(zoneinfo.available_timezones())]


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=_zone_choices,
        label="Your time zone",
        help_text="Session times are shown in this zone.",
        error_messages={
            "invalid_choice": "We don't know the time zone “%(value)s”. "
            "Choose one from the list, such as Europe/London."
        },
    )
    language = forms.ChoiceField(choices=settings.LANGUAGES, label="Language")

    class Meta:
        model = User
        fields = ["display_name", "time_zone", "language", "phone"]
        labels = {"display_name": "Name others in your groups see", "phone": "Phone (optional)"}
        help_texts = {"phone": "Only facilitators and clinic staff see it."}


class SignupForm(AllauthSignupForm):
    """allauth's sign-up form with the display name, and the invited address fixed."""

    display_name = forms.CharField(
        max_length=60,
        label="Name others in your groups see",
        help_text="A first name or a pseudonym.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.invitation = get_adapter().session_invitation(context.request)
        if self.invitation is not None:
            self.fields["email"].initial = self.invitation.email
            self.fields["email"].widget.attrs["readonly"] = True
            self.fields["email"].help_text = "The address your invitation was sent to."

    def clean_email(self):
        if self.invitation is not None:
            typed = (self.cleaned_data.get("email") or "").strip().lower()
            if typed != self.invitation.email.lower():
                raise forms.ValidationError(
                    "Use the address your invitation was sent to: " + self.invitation.email
                )
        return super().clean_email()


class InvitationForm(forms.Form):
    email = forms.EmailField(label="Their email address")
    role = forms.ChoiceField(
        label="Invite as",
        choices=[(Role.MEMBER, "Member"), (Role.FACILITATOR, "Facilitator")],
    )
    group = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label="Into group",
        empty_label="No group yet",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["group"].queryset = groups_facilitated_by(user).active()
        if not user.is_clinic_staff:
            # Facilitators invite members into one of their own groups.
            del self.fields["role"]
            self.fields["group"].required = True
            self.fields["group"].empty_label = None

    def chosen_role(self) -> str:
        return self.cleaned_data.get("role") or Role.MEMBER
