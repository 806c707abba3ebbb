from django.contrib import admin
from django.db import models
from django.http import HttpRequest

from .models import SignedDocument


@admin.register(SignedDocument)
class SignedDocumentAdmin(admin.ModelAdmin):
    """Read only: a signed file is evidence; it is made by the signing job, never by hand."""

    list_display = ("code", "version", "signed_at", "signer", "demo")
    list_filter = ("demo",)
    search_fields = ("code", "sha256", "version__name")
    readonly_fields = ("version", "stored_name", "sha256", "code", "signed_at", "signer", "demo")

    def has_add_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: models.Model | None = None) -> bool:
        return False
