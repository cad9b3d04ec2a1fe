from django import forms
from django.utils.translation import gettext_lazy as _

REASON_MAX = 2000


class ErasureRequestForm(forms.Form):
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Anything you'd like us to know (optional)"),
    )
    confirm = forms.BooleanField(
        label=_("I understand my account will be closed and this cannot be undone."),
        error_messages={"required": _("Tick the box to confirm you want this.")},
    )


class ErasureDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("approve", _("Approve and erase now")), ("refuse", _("Refuse"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose approve or refuse."),
            "invalid_choice": _("Choose approve or refuse."),
        },
    )
    reason = forms.CharField(
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label=_("Reason (the member reads it; required to refuse)"),
    )

    def clean(self):
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the request is refused: the member reads it."))
        return data

    @property
    def approved(self) -> bool:
        return self.cleaned_data.get("decision") == "approve"
