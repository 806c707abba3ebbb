from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "alur.web.api"
    label = "api"
    verbose_name = "API"
