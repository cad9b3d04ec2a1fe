"""Staff manage note formats and who is supervised here; note text is never shown in the
admin (it is read through the notes pages, which audit every read)."""

from django.contrib import admin

from notes.models import NoteTemplate, SupervisedFacilitator


@admin.register(NoteTemplate)
class NoteTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "use", "is_default", "is_active", "position"]
    list_filter = ["use", "is_active"]


@admin.register(SupervisedFacilitator)
class SupervisedFacilitatorAdmin(admin.ModelAdmin):
    """Read only: changes go through the Supervision page (notes:supervision), which checks
    the supervisor and leaves an audit row."""

    list_display = ["facilitator", "supervisor", "marked_by", "marked_at"]
    raw_id_fields = ["facilitator", "supervisor", "marked_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
