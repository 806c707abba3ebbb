from django.urls import path

from . import approving, changes_view, editor, lifecycle, reviewing, views

app_name = "library"
urlpatterns = [
    path("sop/", views.sop_list, name="list"),
    path("sop/<uuid:public_id>/", views.sop_detail, name="detail"),
    path("versi/<uuid:public_id>/unduh/<str:fmt>/", views.download, name="download"),
    path("versi/<uuid:public_id>/ajukan/", lifecycle.submit, name="submit"),
    path("versi/<uuid:public_id>/sahkan/", approving.approve_page, name="approve"),
    path("versi/<uuid:public_id>/reviu/", reviewing.review_page, name="review"),
    path("versi/<uuid:public_id>/reviu/<int:review_id>/berita-acara/", reviewing.berita_acara,
         name="berita_acara"),
    path("versi/<uuid:public_id>/tarik/", lifecycle.withdraw, name="withdraw"),
    path("sahkan/", approving.approve_many, name="approve_many"),
    path("versi/<uuid:public_id>/cabut/", lifecycle.revoke, name="revoke"),
    path("versi/<uuid:public_id>/versi-baru/", lifecycle.new_version, name="new_version"),
    path("versi/<uuid:public_id>/ubah/", editor.edit, name="edit"),
    path("versi/<uuid:public_id>/pratinjau/", editor.preview, name="preview"),
    path("versi/<uuid:public_id>/perubahan/", changes_view.version_changes, name="changes"),
]
