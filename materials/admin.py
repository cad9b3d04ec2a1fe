from django.contrib import admin
from django.db import models

from materials.models import LibraryItem, Material


class _ReadOnly(admin.ModelAdmin):
    """Viewing only: uploads go through the app, where their content is checked."""

    # Links without a scheme read as https (Django 6's default; 5.2 warns without it).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(LibraryItem)
class LibraryItemAdmin(_ReadOnly):
    list_display = ["title", "form", "created_at"]
    search_fields = ["title"]


@admin.register(Material)
class MaterialAdmin(_ReadOnly):
    list_display = ["title", "form", "group", "kind", "visible_from", "published_at"]
    list_filter = ["form", "kind"]
    search_fields = ["title"]
