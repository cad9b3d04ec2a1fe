from django.urls import include, path

from members import views, views_exit, views_people, views_sharing

# Members' pages about people (a person, intake, couples, sharing) and the roster's
# invitation keep their addresses under groups/, named in the "members" namespace.
people_patterns = [
    path("people/<int:member_pk>/", views_people.person, name="person"),
    path("people/<int:member_pk>/intake/", views_people.intake_new, name="intake_new"),
    path("intake/<int:pk>/", views_people.intake_detail, name="intake"),
    path("intake/<int:pk>/edit/", views_people.intake_edit, name="intake_edit"),
    path("couples/", views_people.couples, name="couples"),
    path("couples/<int:pk>/unlink/", views_people.couple_unlink, name="couple_unlink"),
    path("sharing/", views_sharing.sharing, name="sharing"),
    path("sharing/<int:pk>/stop/", views_sharing.sharing_revoke, name="sharing_revoke"),
    path("sharing/notes/", views_sharing.intake_share, name="intake_share"),
    path("sharing/notes/<int:pk>/stop/", views_sharing.intake_share_stop, name="intake_share_stop"),
    path("<int:pk>/roster/invite/", views.roster_invite, name="roster_invite"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("groups/", include((people_patterns, "members"))),
    path("exit/", views_exit.quick_exit, name="quick_exit"),
    path("away/", views_exit.away, name="away"),
]
