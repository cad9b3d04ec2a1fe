from django.urls import path

from notes import views

app_name = "notes"

urlpatterns = [
    path("", views.index, name="index"),
    path("sessions/<int:session_pk>/", views.session, name="session"),
    path("sessions/<int:session_pk>/group/", views.group_note, name="group_note"),
    path("sessions/<int:session_pk>/members/<int:member_pk>/", views.progress, name="progress"),
    path("<int:pk>/", views.note, name="note"),
    path("<int:pk>/addendum/", views.addendum, name="addendum"),
    path("<int:pk>/cosign/", views.cosign, name="cosign"),
    path("members/<int:member_pk>/", views.timeline, name="timeline"),
    path("members/<int:member_pk>/export/", views.export_member, name="export_member"),
    path("groups/<int:group_pk>/export/", views.export_group, name="export_group"),
    path("supervision/", views.supervision, name="supervision"),
]
