"""Refusing the NUL character (U+0000) in what a request carries, in one place.

PostgreSQL cannot store NUL in text or JSON (psycopg raises on the query, `jsonb` refuses the
`\\u0000` escape), and no person types it: it only arrives from a tampered URL, form or API
body. Left alone it travels into a search filter or a saved document and fails as a 500 on
PostgreSQL while SQLite accepts it, so the same request behaves differently per database.
This middleware answers every such request with a 400 before a view sees it: the path, the
query string, form fields (not uploaded files, which are binary) and every string or key of a
JSON body. API clients get the API's JSON error shape; pages get a short plain-text message.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.translation import gettext as _

NUL = "\x00"
API_PREFIX = "/api/"
# A JSON body can carry NUL raw or as the escape \u0000 (any case of the hex digits).
_JSON_NUL_MARKERS = (b"\x00", b"\\u0000")
API_MESSAGE = ("Permintaan memuat karakter NUL (U+0000), yang tidak dapat disimpan atau dicari; "
               "hapus karakter itu.")


def has_nul(value: Any) -> bool:
    """Whether a decoded JSON value holds NUL in any string or key, however deeply nested."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(has_nul(k) or has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(has_nul(item) for item in value)
    return False


def _in_fields(fields: QueryDict) -> bool:
    return any(NUL in key or any(NUL in value for value in values)
               for key, values in fields.lists())


def _json_has_nul(body: bytes) -> bool:
    """A cheap byte test first; only a body that may hold NUL is decoded to be sure (an escaped
    backslash before 'u0000' is text, not NUL)."""
    if not any(marker in body.lower() for marker in _JSON_NUL_MARKERS):
        return False
    try:
        return has_nul(json.loads(body))
    except (ValueError, RecursionError):
        return NUL.encode() in body  # not JSON: the view answers it; a raw NUL is still refused


def carries_nul(request: HttpRequest) -> bool:
    """Whether the path, query string, form fields or JSON body of `request` hold NUL."""
    if NUL in request.path or _in_fields(request.GET):
        return True
    if request.method not in ("POST", "PUT", "PATCH", "DELETE"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        try:
            return _in_fields(request.POST)
        except MultiPartParserError:
            return False  # a broken upload is the view's (and Django's) to refuse
    if content_type == "application/json" or content_type.endswith("+json"):
        return _json_has_nul(request.body)
    return False


def refusal(request: HttpRequest) -> HttpResponse:
    if request.path.startswith(API_PREFIX):
        return JsonResponse({"detail": API_MESSAGE}, status=400)
    return HttpResponse(_("The request contains a NUL character (U+0000), which cannot be saved "
                          "or searched for. Remove it and try again."),
                        status=400, content_type="text/plain; charset=utf-8")


class RefuseNulMiddleware:
    """400 for any request carrying NUL (see the module docstring); everything else passes."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if carries_nul(request):
            return refusal(request)
        return self.get_response(request)

