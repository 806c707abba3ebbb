"""Which language a page is shown in: Bahasa Indonesia, unless the person chose English.

The only way to switch is the language form at the foot of every page (Django's `set_language`
view, `/i18n/setlang/`), which keeps the choice in the `django_language` cookie.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers


def chosen_language(request: HttpRequest) -> str:
    """The language in the cookie when it is one of `LANGUAGES`, else `LANGUAGE_CODE` (id)."""
    cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if cookie:
        try:
            return translation.get_supported_language_variant(cookie)
        except LookupError:
            pass
    return settings.LANGUAGE_CODE


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware without the browser's Accept-Language header.

    Django would otherwise show English to everyone whose browser asks for English first, and
    many civil servants work on computers set up in English (an office image, a laptop bought
    abroad, an English Windows) without ever having chosen English for their work. alur's people
    work in Bahasa Indonesia, so Indonesian stays the default until someone picks English in
    the language form; that choice (the cookie) is the only thing that changes the language.
    URLs carry no language prefix (no i18n_patterns), so nothing else needs deciding here.
    """

    def process_request(self, request: HttpRequest) -> None:
        translation.activate(chosen_language(request))
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request: HttpRequest,
                         response: HttpResponseBase) -> HttpResponseBase:
        # The page depends on the cookie, not on Accept-Language.
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response
