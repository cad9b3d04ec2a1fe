from allauth.account.decorators import secure_admin_login
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from audit import api as audit
from members.models import Couple, Invitation, User
from members.services import security


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "role", "is_active"]
    list_filter = ["role", "is_active"]
    search_fields = ["email", "display_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (_("Profile"), {"fields": ["display_name", "time_zone", "language", "phone", "role"]}),
        (_("Access"), {"fields": ["is_active", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (None, {"fields": ["email", "display_name", "role", "password1", "password2"]}),
    ]
    actions = ["disable_accounts", "enable_accounts"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # Ticking "active" off or on goes through the service: sessions end, stamp changes.
        if change and "is_active" in form.changed_data:
            toggle = security.account_enable if obj.is_active else security.account_disable
            toggle(obj, actor=request.user)
        # What someone may do changed: recorded with the new role (codes and flags only).
        access = sorted({"role", "is_staff", "is_superuser", "groups"} & set(form.changed_data))
        if change and access:
            audit.record(
                "account.role_change",
                actor=request.user,
                subject=obj,
                target="members.user",
                target_id=obj.pk,
                detail={"role": obj.role, "changed": access},
            )

    @admin.action(description=_("Disable the selected accounts (signs them out everywhere)"))
    def disable_accounts(self, request, queryset):
        for user in queryset.filter(is_active=True):
            security.account_disable(user, actor=request.user)

    @admin.action(description=_("Enable the selected accounts"))
    def enable_accounts(self, request, queryset):
        for user in queryset.filter(is_active=False):
            security.account_enable(user, actor=request.user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations are sent from the Invitations page, which checks and emails."""

    list_display = ["email", "role", "group", "invited_by", "created_at", "accepted_at"]
    list_filter = ["role"]
    list_select_related = ["group", "invited_by"]
    search_fields = ["email"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Couple)
class CoupleAdmin(admin.ModelAdmin):
    list_display = ["first", "second", "created_at", "ended_at"]


def _admin_login(request, extra_context=None):
    # Signed-in people who are not staff go home: allauth would raise PermissionDenied, which
    # logs a traceback for what is only a member following an old link.
    if request.user.is_authenticated and not (request.user.is_staff and request.user.is_active):
        return redirect("home")
    return _secure_login(request, extra_context)


# The admin signs in through allauth, so staff pass the same TOTP step as everywhere else.
_secure_login = secure_admin_login(admin.site.login)
admin.site.login = _admin_login  # type: ignore[method-assign]
