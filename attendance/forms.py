"""Forms only parse input; the rules live in attendance.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from attendance.models import Mark
from attendance.services import REASON_MAX

MAX_RANGE_DAYS = 366 * 10


class MarkForm(forms.Form):
    mark = forms.ChoiceField(choices=Mark.choices)
    reason = forms.CharField(max_length=REASON_MAX, required=False)


class DateRangeForm(forms.Form):
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last:
            if first > last:
                raise forms.ValidationError(_("The start date must be on or before the end date."))
            if (last - first).days > MAX_RANGE_DAYS:
                raise forms.ValidationError(_("Choose a range of ten years or less."))
        return cleaned


class LetterForm(DateRangeForm):
    name_on_letter = forms.CharField(
        max_length=120,
        required=False,
        label=_("Name on letter"),
        help_text=_("The name the letter should show. Empty: your display name."),
    )
    name_programme = forms.BooleanField(
        required=False,
        label=_("Name the programme in the letter"),
        help_text=_("Off: the letter only says “group sessions”."),
    )


class VerifyForm(forms.Form):
    code = forms.CharField(max_length=40, label=_("Verification code"))
