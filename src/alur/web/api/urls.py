"""REST API URLs (django-ninja), included at /api/ by the root URLconf."""

from django.urls import path

from .api import api

urlpatterns = [path("", api.urls)]
