from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("tugas/", views.inbox, name="inbox"),
    path("tugas/<uuid:public_id>/", views.task_detail, name="task"),
    path("tugas/<uuid:public_id>/<slug:action>/", views.task_action, name="task_action"),
    path("kasus/", views.case_list, name="list"),
    path("kasus/mulai/", views.start_list, name="start_list"),
    path("kasus/mulai/<uuid:public_id>/", views.start, name="start"),
    path("kasus/<uuid:public_id>/", views.case_detail, name="case"),
    path("kasus/<uuid:public_id>/batal/", views.case_cancel, name="cancel"),
    path("lampiran/<uuid:public_id>/", views.attachment, name="attachment"),
    path("notifikasi/", views.notifications, name="notifications"),
]
