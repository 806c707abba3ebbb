"""Import pages: upload documents, follow the reading job, review what was read, save the chosen
SOPs as drafts."""

from django.urls import path

from . import imports

app_name = "imports"
urlpatterns = [
    path("", imports.upload, name="upload"),
    path("<str:token>/proses/", imports.progress, name="job"),
    path("<str:token>/halaman/<int:file>/<int:number>.png", imports.page_image, name="page"),
    path("<str:token>/", imports.review, name="review"),
]
