from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("", views.events, name="events"),
    path("export/", views.export, name="export"),
    path("people/<int:person_pk>/disclosures/", views.disclosures, name="disclosures"),
]
