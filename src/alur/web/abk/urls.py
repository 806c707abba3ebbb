from django.urls import URLPattern

app_name = "abk"

urlpatterns: list[URLPattern] = []
