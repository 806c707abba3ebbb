"""The menu of every page: only what the user's roles allow."""

from __future__ import annotations

from django.http import HttpRequest

from ..cases.access import person_of
from .roles import Menu, menu_for, roles_of


def navigation(request: HttpRequest) -> dict[str, Menu | frozenset[str] | str]:
    """The menu, the roles behind it, and the name the header shows: the employee's own name
    where the account is linked to one, else the account's."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    roles, person = roles_of(user), person_of(user)
    return {"roles": roles, "menu": menu_for(user, roles, person),
            "header_name": person.name if person else user.get_full_name() or user.username}
