"""Import pages URLs; filled in by the import views."""

app_name = "imports"
urlpatterns: list = []
