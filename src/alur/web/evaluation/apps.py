from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "alur.web.evaluation"
    label = "evaluation"
    verbose_name = _("Yearly evaluation of SOPs")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import work  # noqa: F401  registers the provider and the recorder
