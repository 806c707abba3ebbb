from django.urls import path

from . import views

app_name = "public"
urlpatterns = [
    path("", views.archive, name="list"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/unduh/", views.download, name="download"),
]
