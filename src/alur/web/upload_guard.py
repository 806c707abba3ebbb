"""Refuse an upload before its body is read.

Django parses a form's body the first time anything asks for `request.POST` — and the CSRF
check asks, before any view and so before `login_required`. A multipart body is then spooled
to a temporary file, all of it, whoever sent it: an anonymous 300 MB POST to the import page
filled the disk before the login check answered. This middleware runs before that (after the
session and the user are known, before the CSRF check's `process_view`) and decides from the
request line and headers alone:

- on an endpoint that takes files (`UPLOADS`: the import page, a task's attachments, the API's
  import), a body from someone not signed in is refused — sent to the login page as every page
  does (`login_required`), or a 401 on the API, which signs in by token — and so is a body
  whose declared Content-Length passes the endpoint's limit (413);
- everywhere else a body may be at most Django's own form limit (DATA_UPLOAD_MAX_MEMORY_SIZE)
  and a file in it is skipped unread, never written anywhere;
- whatever the headers say, the body stream itself is counted as it is read (a body sent in
  chunks declares no length), and reading past the limit stops with a 413.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from io import IOBase
from typing import IO, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.handlers.wsgi import LimitedStream
from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

MB = 1024 * 1024
# A form's own bytes besides its files: multipart boundaries and part headers, the CSRF token,
# the chosen unit or role. Generous, so a body just under the files' limit is never refused.
FORM_MARGIN = MB
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def import_body_limit() -> int:
    """Bytes one import upload (web page or API) may send: ALUR_IMPORT_MAX_UPLOAD_MB in all;
    each file is further held to ALUR_IMPORT_MAX_MB by the form."""
    return settings.ALUR_IMPORT_MAX_UPLOAD_MB * MB + FORM_MARGIN


def attachment_body_limit() -> int:
    """Bytes one task attachment may send: the attachment form's own limit per file."""
    from alur.web.cases.forms import MAX_ATTACHMENT_BYTES  # the cases app owns the limit

    return MAX_ATTACHMENT_BYTES + FORM_MARGIN


def verify_body_limit() -> int:
    """Bytes a file checked on the public verification page may send."""
    from alur.web.signing.forms import MAX_CHECK_BYTES

    return MAX_CHECK_BYTES + FORM_MARGIN


def form_body_limit() -> int | None:
    """Bytes any other request may send: Django's limit of a form's fields (None: no limit)."""
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return None if limit is None else limit + FORM_MARGIN


@dataclass(frozen=True)
class Upload:
    """An endpoint that takes files: its URL name, the one action of it that uploads (None:
    every POST), how many bytes it takes, and whether it signs in by API token."""

    view_name: str
    max_bytes: Callable[[], int]
    action: str | None = None
    api: bool = False
    public: bool = False  # anyone may upload (a file checked and not kept)

    def matches(self, view_name: str, kwargs: dict[str, Any]) -> bool:
        return view_name == self.view_name and (
            self.action is None or kwargs.get("action") == self.action)


UPLOADS = (
    Upload("imports:upload", import_body_limit),
    Upload("cases:task_action", attachment_body_limit, action="lampiran"),
    Upload("api:import_files", import_body_limit, api=True),
    Upload("monitoring:attach", attachment_body_limit),  # evidence for a monitoring form
    Upload("signing:verify", verify_body_limit, public=True),  # a PDF checked, not kept
)


def upload_endpoint(request: HttpRequest) -> Upload | None:
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    return next((u for u in UPLOADS if u.matches(match.view_name, match.kwargs)), None)


class BodyTooLarge(RequestDataTooBig):
    """Reading the body went past the limit (Django answers a SuspiciousOperation with 400;
    the middleware turns it into its 413)."""


class CountedInput(IOBase):
    """The request's input stream, counted as it is read: past `limit` bytes it raises
    `BodyTooLarge` instead of returning more, so no reader (Django's parser, a view reading
    `request.body`, code reading `wsgi.input`) can take in more than the limit."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self.limit = limit
        self.count = 0
        self.exceeded = False

    def _counted(self, data: bytes) -> bytes:
        self.count += len(data)
        if self.count > self.limit:
            self.exceeded = True
            raise BodyTooLarge(f"request body over {self.limit} bytes")
        return data

    def read(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:  # never "everything": at most one byte past the limit
            size = self.limit - self.count + 1
        return self._counted(self._stream.read(size))

    def readline(self, size: int | None = -1, /) -> bytes:
        if size is None or size < 0:
            size = self.limit - self.count + 1
        return self._counted(self._stream.readline(size))

    def readable(self) -> bool:
        return True


class RefuseFiles(FileUploadHandler):
    """On an endpoint that takes no files, a file part of a form is skipped unread."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        raise SkipFile

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        return None

    def file_complete(self, file_size: int) -> None:
        return None


def _declared_length(request: HttpRequest) -> int | None:
    try:
        return int(request.META.get("CONTENT_LENGTH") or "")
    except ValueError:
        return None


def _signed_in(request: HttpRequest, upload: Upload) -> bool:
    if upload.public:
        return True
    if upload.api:
        from alur.web.api.auth import TokenAuth  # the API's own check of its bearer token

        return TokenAuth()(request) is not None
    return request.user.is_authenticated


def _refusal(upload: Upload | None, status: int, message: str) -> HttpResponse:
    if upload is not None and upload.api:
        response = HttpResponse(json.dumps({"detail": message}), status=status,
                                content_type="application/json; charset=utf-8")
        if status == 401:
            response["WWW-Authenticate"] = 'Bearer realm="alur"'
        return response
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


def _too_large(upload: Upload | None, limit: int) -> HttpResponse:
    return _refusal(upload, 413, _("The upload is too large: at most %(max)s MB per request.")
                    % {"max": max(1, round(limit / MB))})


class UploadGuardMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in SAFE_METHODS:
            return self.get_response(request)
        upload = upload_endpoint(request)
        if upload is None:
            limit = form_body_limit()
            request.upload_handlers = [RefuseFiles(request)]
        else:
            if not _signed_in(request, upload):
                if upload.api:
                    return _refusal(upload, 401, _("Sign in with an API token before "
                                                   "uploading files."))
                return redirect_to_login(request.get_full_path())
            limit = upload.max_bytes()
        if limit is None:
            return self.get_response(request)
        declared = _declared_length(request)
        if declared is not None and declared > limit:
            return _too_large(upload, limit)
        if "wsgi.input" not in request.META:  # ASGI: the server has read the body already
            return self.get_response(request)
        counted = CountedInput(request.META["wsgi.input"], limit)
        request.META["wsgi.input"] = counted
        if hasattr(request, "_stream"):  # WSGIRequest: Django reads through its own stream
            # django-stubs type LimitedStream's source as BytesIO and `_stream` as BinaryIO;
            # Django reads both as any file-like object with read/readline.
            request._stream = LimitedStream(  # type: ignore[assignment]
                counted, declared or 0)  # type: ignore[arg-type]
        try:
            response = self.get_response(request)
        except BodyTooLarge:  # Django turns it into a 400 further in; a bare handler may not
            return _too_large(upload, limit)
        if counted.exceeded:
            return _too_large(upload, limit)
        return response
