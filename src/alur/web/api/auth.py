"""`Authorization: Bearer <token>` against the hashed tokens in `ApiToken`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from .models import ApiToken, hash_token

if TYPE_CHECKING:
    from django.contrib.auth.models import User

# `last_used` is written at most this often per token, not on every request.
LAST_USED_PRECISION = dt.timedelta(minutes=1)


class ApiRequest(HttpRequest):
    """What an API view receives: django-ninja sets `auth` to what `TokenAuth.authenticate`
    returned, and calls a view only when that is a user. This class only tells the type
    checker so; requests are never made of it (views annotate `request` with it)."""

    auth: User


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> User | None:
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
