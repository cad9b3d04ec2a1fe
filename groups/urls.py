from django.urls import path

from groups.views import groups, people, roster, sharing

app_name = "groups"

urlpatterns = [
    path("", groups.group_list, name="list"),
    path("new/", groups.group_create, name="create"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/edit/", groups.group_edit, name="edit"),
    path("<int:pk>/archive/", groups.group_archive, name="archive"),
    path("<int:pk>/roster/", roster.roster, name="roster"),
    path("<int:pk>/roster/add/", roster.roster_add, name="roster_add"),
    path("<int:pk>/roster/invite/", roster.roster_invite, name="roster_invite"),
    path(
        "<int:pk>/roster/<int:enrollment_pk>/",
        roster.enrollment_change,
        name="enrollment_change",
    ),
    path("people/<int:member_pk>/", people.person, name="person"),
    path("people/<int:member_pk>/intake/", people.intake_new, name="intake_new"),
    path("intake/<int:pk>/", people.intake_detail, name="intake"),
    path("intake/<int:pk>/edit/", people.intake_edit, name="intake_edit"),
    path("couples/", people.couples, name="couples"),
    path("couples/<int:pk>/unlink/", people.couple_unlink, name="couple_unlink"),
    path("sharing/", sharing.sharing, name="sharing"),
    path("sharing/<int:pk>/stop/", sharing.sharing_revoke, name="sharing_revoke"),
]
