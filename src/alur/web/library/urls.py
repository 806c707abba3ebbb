from django.urls import path

from . import editor, lifecycle, views

app_name = "library"
urlpatterns = [
    path("sop/", views.sop_list, name="list"),
    path("sop/<uuid:public_id>/", views.sop_detail, name="detail"),
    path("versi/<uuid:public_id>/unduh/<str:fmt>/", views.download, name="download"),
    path("versi/<uuid:public_id>/ajukan/", lifecycle.submit, name="submit"),
    path("versi/<uuid:public_id>/sahkan/", lifecycle.approve_view, name="approve"),
    path("versi/<uuid:public_id>/kembalikan/", lifecycle.return_view, name="return"),
    path("versi/<uuid:public_id>/cabut/", lifecycle.revoke, name="revoke"),
    path("versi/<uuid:public_id>/versi-baru/", lifecycle.new_version, name="new_version"),
    path("versi/<uuid:public_id>/ubah/", editor.edit, name="edit"),
    path("versi/<uuid:public_id>/pratinjau/", editor.preview, name="preview"),
]
