"""Forms with more fields than Django's limit: the SOP editor's, and only for someone signed in.

Django refuses a form of more than DATA_UPLOAD_MAX_NUMBER_FIELDS fields (1000) with a bare 400
the first time anything reads `request.POST` — the CSRF check does, before any view. The limit
suits every form but the editor's, which carries about 17 fields a step: a 60-step SOP posts
some 1,060, so it could be neither previewed nor saved. Raising the limit for the whole site
would let any endpoint be sent tens of thousands of fields; instead an endpoint that needs more
names its own limit here (`ENDPOINTS`; the editor's comes from its formsets' maxima,
`library.editor_forms.max_fields`), and this middleware reads such a form itself, with that
limit, before anything else reads it: a URL-encoded POST (what the editor and htmx send) from
a signed-in user. Everything else — other endpoints, anonymous posts, multipart bodies — is
left to Django and its global limit. It runs after the upload guard, which counts the bytes
of the body as it is read (DATA_UPLOAD_MAX_MEMORY_SIZE still bounds a form's size).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import parse_qsl

from django.core.exceptions import TooManyFieldsSent
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.datastructures import MultiValueDict

FORM = "application/x-www-form-urlencoded"


def editor_fields() -> int:
    from alur.web.library.editor_forms import max_fields  # the editor owns its limit

    return max_fields()


@dataclass(frozen=True)
class Endpoint:
    """A view, by URL name, whose form may carry up to `max_fields()` fields."""

    view_name: str
    max_fields: Callable[[], int]


ENDPOINTS = (
    Endpoint("library:edit", editor_fields),
    Endpoint("library:preview", editor_fields),  # htmx posts the same form at every keystroke
)


def field_limit(request: HttpRequest) -> int | None:
    """The endpoint's own field limit, or None: Django's applies."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return next((e.max_fields() for e in ENDPOINTS if e.view_name == match.view_name), None)


def read_form(body: bytes, limit: int) -> QueryDict:
    """A URL-encoded body as Django's QueryDict reads it, up to `limit` fields."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")  # as QueryDict does
    form = QueryDict(mutable=True, encoding="utf-8")
    try:
        for key, value in parse_qsl(text, keep_blank_values=True, encoding="utf-8",
                                    max_num_fields=limit):
            form.appendlist(key, value)
    except ValueError as error:
        raise TooManyFieldsSent(f"The form has more than the endpoint's {limit} fields.") \
            from error
    form._mutable = False  # as request.POST always is
    return form


class FieldLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (request.method == "POST" and request.content_type == FORM
                and (request.encoding or "utf-8").lower() == "utf-8"
                and request.user.is_authenticated
                and (limit := field_limit(request)) is not None):
            # django-stubs type POST as an immutable QueryDict, which read_form's is; the files
            # are what Django sets beside a URL-encoded form (else FILES would parse it again).
            request.POST = read_form(request.body, limit)  # type: ignore[assignment]
            request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)
