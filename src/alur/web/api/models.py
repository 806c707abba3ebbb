"""API tokens. Only a token's SHA-256 is stored: the token itself is shown once, when it is
made, and cannot be recovered from the database."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PREFIX = "alur_"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                             on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100,
                            help_text=_("What the token is for, e.g. 'e-office integration'."))
    key_hash = models.CharField(_("token hash (SHA-256)"), max_length=64, unique=True,
                                editable=False)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    last_used = models.DateTimeField(_("last used"), null=True, blank=True, editable=False)
    revoked = models.BooleanField(_("revoked"), default=False)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created"]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @classmethod
    def issue(cls, user, name: str) -> tuple[ApiToken, str]:
        """A new token for `user`; returns the row and the token, which is never stored."""
        token = PREFIX + secrets.token_urlsafe(32)
        return cls.objects.create(user=user, name=name, key_hash=hash_token(token)), token

    def assign_new_key(self) -> str:
        """Give an unsaved row a fresh token (the admin's add form); returns the token."""
        token = PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_token(token)
        return token
