from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "alur.web.public"
    label = "public"
    verbose_name = _("Public SOP archive")
    default_auto_field = "django.db.models.BigAutoField"
