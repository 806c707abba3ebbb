"""Import pages: upload documents, review what was read, save the chosen SOPs as drafts."""

from django.urls import path

from . import imports

app_name = "imports"
urlpatterns = [
    path("", imports.upload, name="upload"),
    path("<str:token>/", imports.review, name="review"),
]
