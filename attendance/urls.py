from django.urls import path

from attendance import views

app_name = "attendance"

urlpatterns = [
    path("", views.index, name="index"),
    path("groups/<int:group_pk>/", views.group, name="group"),
    path("groups/<int:group_pk>/export/", views.export, name="export"),
    path("groups/<int:group_pk>/members/<int:member_pk>/", views.member, name="member"),
    path("groups/<int:group_pk>/members/<int:member_pk>/letter/", views.letter, name="letter"),
    path("sessions/<int:session_pk>/", views.roll, name="roll"),
    path("sessions/<int:session_pk>/going/", views.mark_going, name="mark_going"),
    path("sessions/<int:session_pk>/members/<int:member_pk>/", views.mark, name="mark"),
    path("follow-ups/<int:pk>/done/", views.follow_up_done, name="follow_up_done"),
    path("letters/verify/", views.verify, name="verify"),
]
