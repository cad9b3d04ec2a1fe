from django.urls import path

from members import views

urlpatterns = [
    path("", views.home, name="home"),
    path("account/", views.account, name="account"),
    path("invitations/", views.invitations, name="invitations"),
    path("invitations/<int:pk>/withdraw/", views.invitation_withdraw, name="invitation_withdraw"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
