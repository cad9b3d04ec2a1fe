from django.urls import path

from privacy import views

app_name = "privacy"

urlpatterns = [
    path("", views.record, name="record"),
    path("export/", views.export, name="export"),
    path("erasure/", views.erasure_new, name="erasure_new"),
    path("erasure/<int:pk>/", views.erasure, name="erasure"),
    path("requests/", views.queue, name="queue"),
    path("requests/<int:pk>/", views.review, name="review"),
    path("people/<int:member_pk>/export/", views.member_export, name="member_export"),
]
