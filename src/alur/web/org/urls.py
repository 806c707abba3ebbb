from django.urls import path

from . import views

app_name = "org"
urlpatterns = [
    path("", views.unit_tree, name="tree"),
    path("<slug:code>/", views.unit_detail, name="unit"),
    path("<slug:code>/jabatan/<int:pk>/", views.position_detail, name="position"),
]
