from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="mark_read"),
    path("preferences/", views.preferences, name="preferences"),
    path("email/<str:token>/", views.email_preferences, name="email_preferences"),
    path("sessions/<int:session_id>/", views.session_status, name="session_status"),
]
