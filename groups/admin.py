"""Groups and enrolments in the admin: for looking things up. Changes go through the app, where
the rules live (capacity, couples, closed groups) and members are told."""

from django.contrib import admin
from django.db import models

from groups.models import Enrollment, Group


class _ReadMostly(admin.ModelAdmin):
    # Links without a scheme read as https (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class EnrollmentInline(admin.TabularInline):
    model = Enrollment
    extra = 0
    can_delete = False
    fields = ("member", "status", "joined_on", "left_on")
    readonly_fields = ("member", "status", "joined_on", "left_on")
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Group)
class GroupAdmin(_ReadMostly):
    list_display = [
        "name",
        "kind",
        "language",
        "format",
        "enrolment",
        "capacity",
        "time_zone",
        "archived_at",
    ]
    list_filter = [
        "kind",
        "language",
        "format",
        "enrolment",
        ("archived_at", admin.EmptyFieldListFilter),
    ]
    search_fields = ["name", "facilitators__display_name", "facilitators__email"]
    filter_horizontal = ["facilitators"]
    inlines = [EnrollmentInline]


@admin.register(Enrollment)
class EnrollmentAdmin(_ReadMostly):
    list_display = ["member", "group", "status", "joined_on", "left_on"]
    list_filter = ["status", "group__kind"]
    list_select_related = ["member", "group"]
    search_fields = ["member__display_name", "member__email", "group__name"]
    date_hierarchy = "created_at"
