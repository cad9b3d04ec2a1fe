from django.urls import path

from measures import views

app_name = "measures"

urlpatterns = [
    path("", views.index, name="index"),
    path("help/", views.crisis, name="crisis"),
    path("questions/<int:pk>/", views.prompt, name="prompt"),
    path("start/<int:pk>/", views.start, name="start"),
    path("answers/<int:pk>/", views.draft, name="draft"),
    path("answers/<int:pk>/sent/", views.done, name="done"),
    path("groups/<int:group_pk>/", views.group, name="group"),
    path("groups/<int:group_pk>/members/<int:member_pk>/", views.member, name="member"),
    path(
        "groups/<int:group_pk>/members/<int:member_pk>/answers/<int:pk>/",
        views.response,
        name="response",
    ),
    path("schedules/<int:pk>/end/", views.schedule_end, name="schedule_end"),
    path("alerts/<int:pk>/", views.alert, name="alert"),
    path("alerts/<int:pk>/acknowledge/", views.alert_ack, name="alert_ack"),
    path("check-ins/", views.checkins, name="checkins"),
    path("check-ins/milestone/", views.milestone, name="milestone"),
    path("sharing/", views.sharing, name="sharing"),
    path("sharing/<int:pk>/stop/", views.share_revoke, name="share_revoke"),
    path("shared/<int:owner_pk>/", views.shared, name="shared"),
]
