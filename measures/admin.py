"""Staff define instruments here (items, options, bands, flag rules) without code; answers,
scores and alerts are not listed (they are read through the audited pages)."""

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from measures.models import Instrument, Item
from measures.scoring import validate_definition


class ItemFormSet(BaseInlineFormSet):
    def clean(self):
        super().clean()
        items = [
            form.instance
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]
        try:
            validate_definition(self.instance, items)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class ItemInline(admin.TabularInline):
    model = Item
    formset = ItemFormSet
    extra = 1
    # translations: {"fr": "...", "es": "..."}; an option's own sit in its "labels".
    fields = ("position", "code", "text", "translations", "kind", "options", "scored", "required")


@admin.register(Instrument)
class InstrumentAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "scored", "self_service", "active")
    search_fields = ("name", "slug")
    inlines = [ItemInline]
