"""Forms check each field alone; the services decide across fields and save."""

from typing import cast

from django import forms
from django.contrib.auth.forms import SetPasswordForm
from django.utils.translation import gettext_lazy as _

from core.timezones import default_time_zone, time_zone_choices
from groups.models import Group, GroupKind
from members.models import UseLevel
from referrals.models import ForWhom, MeetingFormat, Status

QUESTION_LABELS = {
    "others_concerned": _("Has anyone close to you said they are worried? (optional)"),
    "self_concerned": _("Are you worried yourself? (optional)"),
    "escape": _("What do you do when you want to get away from difficult feelings? (optional)"),
    "secrets": _("Is there anything you keep to yourself about it? (optional)"),
    "others_disturbed": _("Is there anything others might find hard to hear? (optional)"),
    "shame": _("Does any of it leave you feeling ashamed? (optional)"),
}


ANSWER = forms.Textarea(attrs={"rows": 2})


class RequestForm(forms.Form):
    """The public form. `website` is a honeypot: hidden from people, filled in by bots."""

    name = forms.CharField(
        label=_("Your name or a name we can use"),
        max_length=80,
        help_text=_("A first name or any name you like is fine."),
    )
    email = forms.EmailField(label=_("Email (optional)"), required=False)
    phone = forms.CharField(label=_("Phone (optional)"), max_length=32, required=False)
    message_ok = forms.BooleanField(
        label=_("It is safe to send me a written message (email or text)"), required=False
    )
    voicemail_ok = forms.BooleanField(label=_("It is safe to leave me a voicemail"), required=False)
    contact_times = forms.CharField(
        label=_("When is it safe to contact you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: weekdays after 6 pm."),
    )
    for_whom = forms.ChoiceField(
        label=_("Who is the help for?"), choices=ForWhom.choices, widget=forms.RadioSelect
    )
    format = forms.ChoiceField(
        label=_("How would you like to meet?"),
        choices=[("", _("Either is fine")), *MeetingFormat.choices],
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Your time zone"),
        choices=time_zone_choices,
        initial=default_time_zone,
        required=False,
    )
    others_concerned = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    self_concerned = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    escape = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    secrets = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    others_disturbed = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    shame = forms.CharField(widget=ANSWER, max_length=2000, required=False)
    consent_contact = forms.BooleanField(
        label=_("I agree to be contacted about this message"), required=False
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    started = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, label in QUESTION_LABELS.items():
            self.fields[name].label = label

    ANSWER_FIELDS = tuple(QUESTION_LABELS)

    def fields_to_check(self) -> list[tuple[str, str]]:
        """(control id, label) of each visible field with an error, in page order: the summary
        at the top links them. A set of radio buttons has no one control: link its first."""
        return [
            (field.id_for_label or field.subwidgets[0].id_for_label, str(field.label))
            for field in self.visible_fields()
            if field.errors
        ]

    def answers_to_check(self) -> bool:
        """An error among the folded answers: the fold opens so it can be seen."""
        return any(self[name].errors for name in self.ANSWER_FIELDS)


class ReferralUpdateForm(forms.Form):
    prefix = "status"
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Group.objects.none(),
        required=False,
        label=_("Matched with group"),
        empty_label=_("Not yet"),
    )
    format = forms.ChoiceField(
        label=_("Would like to meet"),
        choices=[("", _("Either is fine")), *MeetingFormat.choices],
        required=False,
    )
    time_zone = forms.ChoiceField(
        label=_("Their time zone"),
        choices=lambda: [("", _("Not known")), *time_zone_choices()],
        required=False,
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["group"])
        field.queryset = groups


class IntakeFromRequestForm(forms.Form):
    prefix = "screening"
    level = forms.ChoiceField(label=_("Assessed level of use"), choices=UseLevel.choices)
    recommended_kind = forms.ChoiceField(
        label=_("Recommended kind of group"), choices=GroupKind.choices
    )
    notes = forms.CharField(
        label=_("Notes"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class PlaceOnListForm(forms.Form):
    prefix = "place"
    group: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=Group.objects.none(), label=_("Waiting list of")
    )

    def __init__(self, *args, groups, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["group"])
        field.queryset = groups


class AcceptOfferForm(forms.Form):
    choice = forms.ChoiceField(choices=[("accept", _("Accept")), ("decline", _("Decline"))])


class ChoosePasswordForm(SetPasswordForm):
    """Someone whose account was made from their request chooses a password on accepting."""


class AgreementAcceptForm(forms.Form):
    typed_name = forms.CharField(
        label=_("Type your full name to accept"),
        max_length=120,
        help_text=_(
            "As you would sign it: at least two letters, not the same letter repeated "
            "(for example: Sam Lee)."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )


class AgreementPublishForm(forms.Form):
    text = forms.CharField(
        label=_("Agreement text"), widget=forms.Textarea(attrs={"rows": 12}), max_length=20000
    )
    material = forms.BooleanField(
        label=_("Members must accept it again (the meaning changed)"), required=False, initial=True
    )
