from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.index, name="index"),
    path("sop/<uuid:public_id>/", views.for_sop, name="sop"),
    path("<uuid:public_id>/", views.detail, name="detail"),
    path("<uuid:public_id>/pdf/", views.pdf, name="pdf"),
]
