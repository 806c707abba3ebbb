from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LibraryConfig(AppConfig):
    name = "alur.web.library"
    label = "library"
    verbose_name = _("SOP library")

    def ready(self) -> None:
        from . import work  # noqa: F401  (registers the work-item providers)
