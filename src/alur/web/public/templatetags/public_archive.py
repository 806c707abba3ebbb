"""`{% public_archive_url as url %}`: the public archive's address, or "" when the
installation has turned it off (ALUR_PUBLIC_ARCHIVE=0), so no page links to a 404."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()


@register.simple_tag
def public_archive_url() -> str:
    return reverse("public:list") if settings.ALUR_PUBLIC_ARCHIVE else ""
