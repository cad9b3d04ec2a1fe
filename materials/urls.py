from django.urls import path

from materials import views

app_name = "materials"

urlpatterns = [
    path("", views.reading_list, name="list"),
    path("<int:pk>/", views.material_detail, name="detail"),
    path("<int:pk>/read/", views.material_mark_read, name="mark_read"),
    path("<int:pk>/unread/", views.material_mark_unread, name="mark_unread"),
    path("<int:pk>/edit/", views.material_edit, name="edit"),
    path("<int:pk>/file/", views.material_download, name="download"),
    path("<int:pk>/delete/", views.material_delete, name="delete"),
    path("groups/<int:group_pk>/", views.group_materials, name="group"),
    path("groups/<int:group_pk>/new/", views.material_create, name="create"),
    path("library/", views.library, name="library"),
    path("library/new/", views.library_create, name="library_create"),
    path("library/<int:pk>/", views.library_detail, name="library_detail"),
    path("library/<int:pk>/file/", views.library_download, name="library_download"),
    path("library/<int:pk>/assign/", views.library_assign, name="library_assign"),
    path("library/<int:pk>/delete/", views.library_delete, name="library_delete"),
]
