"""`Authorization: Bearer <token>` against the hashed tokens in `ApiToken`."""

from __future__ import annotations

import datetime as dt

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, hash_token

# `last_used` is written at most this often per token, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        token = token.strip()
        if not token:
            return None
        found = (ApiToken.objects.select_related("user")
                 .filter(key_hash=hash_token(token), revoked=False, user__is_active=True)
                 .first())
        if found is None:
            return None
        now = timezone.now()
        if found.last_used is None or now - found.last_used >= LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used=now)
        # Django code further down (the library's download view) sees the token's user.
        request.user = found.user
        return found.user
