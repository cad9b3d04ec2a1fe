from django.urls import path

from sessions import views

app_name = "scheduling"

urlpatterns = [
    path("", views.upcoming, name="upcoming"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/answer/", views.rsvp, name="rsvp"),
    path("<int:pk>/change/", views.session_change, name="change"),
    path("<int:pk>/cancel/", views.session_cancel, name="cancel"),
    path("<int:pk>/restore/", views.session_restore, name="restore"),
    path("<int:pk>/session.ics", views.session_ics, name="ics"),
    path("group/<int:group_pk>/", views.schedule, name="schedule"),
    path("group/<int:group_pk>/series/new/", views.series_create, name="series_create"),
    path("group/<int:group_pk>/extra/", views.session_add, name="session_add"),
    path("series/<int:pk>/edit/", views.series_edit, name="series_edit"),
    path("series/<int:pk>/end/", views.series_end, name="series_end"),
    path("series/<int:pk>/skip/", views.series_skip, name="series_skip"),
    path("calendar/", views.calendar, name="calendar"),
    path("calendar/new-link/", views.calendar_regenerate, name="calendar_regenerate"),
    path("calendar/turn-off/", views.calendar_turn_off, name="calendar_turn_off"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("r/<str:token>/", views.link, name="link"),
]
