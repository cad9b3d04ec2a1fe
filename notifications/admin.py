from django.contrib import admin

from notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by services, never by hand."""

    list_display = ["kind", "channel", "recipient", "session", "due_at", "status", "attempts"]
    list_filter = ["status", "kind", "channel"]
    date_hierarchy = "due_at"
    raw_id_fields = ["recipient", "session"]
    readonly_fields = [f.name for f in Notification._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "channels", "reminders_on", "reminder_offsets"]
    raw_id_fields = ["user"]
