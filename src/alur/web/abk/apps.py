from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AbkConfig(AppConfig):
    name = "alur.web.abk"
    label = "abk"
    verbose_name = _("Workload analysis (ABK)")
    default_auto_field = "django.db.models.BigAutoField"
