"""The menu of every page: only what the user's roles allow."""

from __future__ import annotations

from django.http import HttpRequest

from ..cases.access import person_of
from .roles import Menu, menu_for, roles_of


def navigation(request: HttpRequest) -> dict[str, Menu | frozenset[str]]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles = roles_of(user)
    return {"roles": roles, "menu": menu_for(user, roles, person_of(user))}
