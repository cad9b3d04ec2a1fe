"""Forms only parse input; the rules live in notes.services. A note's sections are not a
Django form: they come from the note's template (data), read in notes.views._posted_sections."""

from django import forms

from attendance.forms import DateRangeForm
from notes.services import ADDENDUM_MAX

__all__ = ["AddendumForm", "DateRangeForm", "SearchForm", "SecretForm"]


class SecretForm(forms.Form):
    secret = forms.CharField(
        label="Your password or a code from your authenticator app",
        max_length=200,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        help_text="Signing locks the note: after this, only addenda can be added.",
    )


class AddendumForm(SecretForm):
    text = forms.CharField(
        label="Addendum", max_length=ADDENDUM_MAX, widget=forms.Textarea(attrs={"rows": 4})
    )
    field_order = ["text", "secret"]


class SearchForm(forms.Form):
    q = forms.CharField(label="Search your groups' notes", max_length=200, required=False)
