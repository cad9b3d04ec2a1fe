from django.contrib import admin
from django.urls import include, path

from core.health import healthz
from referrals.views import request_form

admin.site.site_header = admin.site.site_title = "Clinic administration"
admin.site.index_title = "Administration"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # The public request form, at a neutral address (no account needed).
    path("talk/", request_form, name="request_form"),
    path("", include("members.urls")),
    path("groups/", include("groups.urls")),
    path("sessions/", include("sessions.urls")),
    path("attendance/", include("attendance.urls")),
    path("reading/", include("materials.urls")),
    path("notifications/", include("notifications.urls")),
    path("audit/", include("audit.urls")),
    path("notes/", include("notes.urls")),
    path("referrals/", include("referrals.urls")),
    path("measures/", include("measures.urls")),
    path("my-data/", include("privacy.urls")),
    path("accounts/", include("allauth.urls")),
    # Django's set_language (POST): the language picker before sign-in.
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
