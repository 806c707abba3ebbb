from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("unit/<int:pk>/", views.dashboard, name="unit"),
    path("unit/<int:pk>/kasus/", views.case_list, name="cases"),
    path("unit/<int:pk>/sop/<uuid:public_id>/", views.sop_heatmap, name="sop"),
    path("unit/<int:pk>/sop/<uuid:public_id>/log.<str:fmt>", views.case_log, name="log"),
]
