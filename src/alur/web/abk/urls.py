from django.urls import path

from . import views

app_name = "abk"

urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:pk>/", views.unit_page, name="unit"),
    path("unit/<int:pk>/abk.xlsx", views.unit_xlsx, name="xlsx"),
]
