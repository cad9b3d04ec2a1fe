from django.contrib import admin

from attendance.models import AbsenceFollowUp, Attendance, AttendanceChange, AttendanceLetter


class ReadOnlyAdmin(admin.ModelAdmin):
    """Attendance changes go through attendance.services so history is kept; admin only reads."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ChangeInline(admin.TabularInline):
    model = AttendanceChange
    extra = 0
    can_delete = False
    readonly_fields = [
        "changed_at",
        "changed_by",
        "old_mark",
        "new_mark",
        "old_reason",
        "new_reason",
    ]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "member", "mark", "marked_by", "marked_at"]
    list_filter = ["mark"]
    list_select_related = ["session__group", "member", "marked_by"]
    inlines = [ChangeInline]


@admin.register(AbsenceFollowUp)
class AbsenceFollowUpAdmin(ReadOnlyAdmin):
    list_display = ["enrollment", "absences", "fired_at", "acknowledged_at", "cleared_at"]
    list_select_related = ["enrollment__member", "enrollment__group"]


@admin.register(AttendanceLetter)
class AttendanceLetterAdmin(ReadOnlyAdmin):
    list_display = ["code", "member", "group", "date_from", "date_to", "issued_at"]
    search_fields = ["code"]
    list_select_related = ["member", "group"]
