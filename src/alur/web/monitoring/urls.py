from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.index, name="index"),
    path("rekap/", views.recap, name="recap"),
    path("rekap.xlsx", views.recap, {"kind": "xlsx"}, name="recap_xlsx"),
    path("<int:pk>/", views.form_page, name="form"),
    path("<int:pk>/perbarui/", views.refresh, name="refresh"),
    path("<int:pk>/temuan/", views.add_finding, name="add_finding"),
    path("<int:pk>/baris/<int:row>/paraf/", views.initial, name="initial"),
    path("<int:pk>/baris/<int:row>/hapus/", views.remove, name="remove"),
    path("<int:pk>/bukti/", views.attach, name="attach"),
    path("<int:pk>/final/", views.finalise, name="finalise"),
    path("<int:pk>/unduh.<str:kind>", views.download, name="download"),
    path("bukti/<uuid:public_id>/", views.evidence_file, name="evidence"),
    path("bukti/<uuid:public_id>/hapus/", views.remove_evidence, name="remove_evidence"),
]
