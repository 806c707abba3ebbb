"""Monitoring of SOPs (semester form)."""
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "alur.web.monitoring"
    label = "monitoring"
    verbose_name = _("Monitoring of SOPs (semester form)")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import work  # noqa: F401  (registers the provider and the recorder)
