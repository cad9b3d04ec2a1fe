from django.contrib import admin
from django.db import models

from sessions.models import Series, Session


class _ReadOnly(admin.ModelAdmin):
    """Viewing only: changes go through the app, so members are told and calendars update."""

    # Links without a scheme read as https (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Series)
class SeriesAdmin(_ReadOnly):
    list_display = ["group", "rrule", "starts_on", "start_time", "ended_on"]
    list_select_related = ["group"]
    search_fields = ["group__name"]


@admin.register(Session)
class SessionAdmin(_ReadOnly):
    list_display = ["group", "starts_at", "status", "sequence", "edited"]
    list_filter = ["status", "group__kind"]
    list_select_related = ["group"]
    search_fields = ["group__name", "topic"]
    date_hierarchy = "starts_at"
