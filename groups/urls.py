from django.urls import path

from groups.views import groups, roster

app_name = "groups"

# The people pages under groups/ (a person, intake, couples, sharing, the roster's invitation)
# are members' and named in members.urls.
urlpatterns = [
    path("", groups.group_list, name="list"),
    path("new/", groups.group_create, name="create"),
    path("<int:pk>/", groups.group_detail, name="detail"),
    path("<int:pk>/edit/", groups.group_edit, name="edit"),
    path("<int:pk>/archive/", groups.group_archive, name="archive"),
    path("<int:pk>/my-name/", groups.group_label, name="label"),
    path("<int:pk>/roster/", roster.roster, name="roster"),
    path("<int:pk>/roster/add/", roster.roster_add, name="roster_add"),
    path(
        "<int:pk>/roster/<int:enrollment_pk>/",
        roster.enrollment_change,
        name="enrollment_change",
    ),
]
