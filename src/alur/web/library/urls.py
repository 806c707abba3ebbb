from django.urls import path

from . import views

app_name = "library"
urlpatterns = [
    path("", views.sop_list, name="list"),
    path("sop/<uuid:public_id>/", views.sop_detail, name="detail"),
    path("versi/<uuid:public_id>/unduh/<str:fmt>/", views.download, name="download"),
]
