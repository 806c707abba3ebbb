from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "alur.web.org"
    label = "org"
    verbose_name = "Organisasi"
