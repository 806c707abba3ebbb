"""A version's signed PDF: signed once at approval, stored, and served by every download."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..library.models import SopVersion

# No 0/O, 1/I/L: a code read from paper and typed by hand.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_LENGTH = 8


def new_code() -> str:
    while True:
        code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
        if not SignedDocument.objects.filter(code=code).exists():
            return code


class SignedDocument(models.Model):
    version = models.OneToOneField(SopVersion, on_delete=models.CASCADE,
                                   related_name="signed_document")
    stored_name = models.CharField(_("stored file"), max_length=255)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    code = models.CharField(_("verification code"), max_length=10, unique=True)
    signed_at = models.DateTimeField(_("signed at"))
    signer = models.CharField(_("signed with"), max_length=300)
    demo = models.BooleanField(_("demo seal"), default=False)

    class Meta:
        verbose_name = _("signed document")
        verbose_name_plural = _("signed documents")

    def __str__(self) -> str:
        return f"{self.code} — {self.version}"
