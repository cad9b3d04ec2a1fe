"""Forms only parse input; the rules live in notes.services. A note's sections are not a
Django form: they come from the note's template (data), read in notes.views._posted_sections."""

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from attendance.forms import DateRangeForm
from notes.services import ADDENDUM_MAX
from notes.supervision import facilitators, possible_supervisors

__all__ = ["AddendumForm", "DateRangeForm", "SearchForm", "SecretForm", "SupervisionForm"]


class SecretForm(forms.Form):
    secret = forms.CharField(
        label=_("Your password or a code from your authenticator app"),
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text=_("Signing locks the note: after this, only addenda can be added."),
    )


class AddendumForm(SecretForm):
    text = forms.CharField(
        label=_("Addendum"), max_length=ADDENDUM_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["text", "secret"]


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search your groups' notes"), max_length=200, required=False)


class _StaffThenFacilitators(ModelChoiceIterator):
    """Options under two headings, not a '(staff)' suffix: a name that already says it
    read 'Sam (staff) (staff)'."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        people = list(self.queryset)
        for heading, staff in ((_("Clinic staff"), True), (_("Facilitators"), False)):
            options = [self.choice(p) for p in people if p.is_clinic_staff == staff]
            if options:
                yield (heading, options)


class SupervisorField(forms.ModelChoiceField):
    iterator = _StaffThenFacilitators

    def label_from_instance(self, obj):
        return obj.display_name


class SupervisionForm(forms.Form):
    """One facilitator's line on the supervision page (ids made unique per line)."""

    facilitator = forms.ModelChoiceField(queryset=facilitators(), widget=forms.HiddenInput)
    supervised = forms.BooleanField(
        label=_("Supervised: notes they sign need a co-signature"), required=False
    )
    supervisor = SupervisorField(
        queryset=possible_supervisors(),
        required=False,
        label=_("Supervisor"),
        empty_label=_("No one in particular"),  # the page says who co-signs then; fits 375 px
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("supervisor") and not data.get("supervised"):
            self.add_error("supervised", _("Tick “Supervised” to name a supervisor."))
        return data
