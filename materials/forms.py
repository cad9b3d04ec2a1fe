"""Input shapes only; checking content and audience is the services' job."""

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from materials.models import MAX_BODY_CHARS, ContentForm


class ContentInputForm(forms.Form):
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Give it a title.")}
    )
    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("A line on why it is worth reading."),
    )
    form = forms.ChoiceField(
        label=_("What are you sharing?"),
        choices=ContentForm.choices,
        initial=ContentForm.FILE,
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("File"),
        required=False,
        help_text=_("PDF, EPUB, Word (.docx), plain text or an image."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.epub,.docx,.txt,.png,.jpg,.jpeg,.gif,.webp"}
        ),
    )
    # A plain text field: the service accepts https:// addresses only.
    url = forms.CharField(
        label=_("Link"), required=False, max_length=2000, help_text=_("Starting with https://")
    )
    body = forms.CharField(
        label=_("Text"),
        required=False,
        max_length=MAX_BODY_CHARS,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Markdown: *emphasis*, lists, links."),
    )


class AudienceForm(forms.Form):
    audience = forms.ChoiceField(label=_("Who is it for?"))
    visible_from = forms.DateField(
        label=_("Visible from"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty to share it now."),
    )

    def __init__(self, *args, audience_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        audience = cast(forms.ChoiceField, self.fields["audience"])
        audience.choices = list(audience_choices)


class MaterialForm(ContentInputForm, AudienceForm):
    field_order = ["title", "description", "form", "file", "url", "body", "audience"]


class MaterialEditForm(ContentInputForm):
    """The words of an item already shared; which fields depends on what it holds (what kind
    of content it is cannot change: remove it and share anew)."""

    def __init__(self, *args, material, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"title", "description"}
        if material.library_item_id is None:
            keep.add({"file": "file", "link": "url", "text": "body"}[material.form])
        for name in set(self.fields) - keep:
            del self.fields[name]
        if "file" in self.fields:
            self.fields["file"].label = _("Replace the file")
            self.fields["file"].help_text = _("Leave empty to keep the current file.")
