from django.apps import AppConfig


class LibraryConfig(AppConfig):
    name = "alur.web.library"
    label = "library"
    verbose_name = "Pustaka SOP"
