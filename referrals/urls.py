from django.urls import path

from referrals import views

app_name = "referrals"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/take/", views.take, name="take"),
    path("<int:pk>/update/", views.update, name="update"),
    path("<int:pk>/screening/", views.record_intake, name="intake"),
    path("<int:pk>/wait/", views.place, name="place"),
    path("group/<int:group_pk>/waiting/", views.waiting_list, name="waiting_list"),
    path(
        "group/<int:group_pk>/waiting/<int:pk>/remove/",
        views.waiting_remove,
        name="waiting_remove",
    ),
    path("group/<int:group_pk>/agreement/", views.agreement, name="agreement"),
    path("group/<int:group_pk>/agreement/manage/", views.agreement_manage, name="agreement_manage"),
    path("agreements/<slug:scope>/", views.agreement_scope, name="agreement_scope"),
    path("signed/<int:pk>/", views.acceptance, name="acceptance"),
    path("place/<str:token>/", views.offer, name="offer"),
]
