"""REST API URLs (django-ninja); filled in by the API module."""

urlpatterns: list = []
