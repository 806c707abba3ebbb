"""Uploads are refused before their body is read (alur.web.upload_guard): an anonymous upload
or one over the limit is answered from its headers alone, no byte of the body is read and no
upload handler (the one that spools files to a temporary file) ever runs; a body without a
declared length is counted as it is read; elsewhere a file part is skipped unread. The API's
import takes the same number, types and sizes of files as the web page, and a pending import
lives in its job, not in the session."""

from __future__ import annotations

import io
import uuid
from pathlib import Path
from typing import ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from alur.web.api.models import ApiToken
from alur.web.library.models import ImportJob, SopVersion
from alur.web.upload_guard import MB, UploadGuardMiddleware

SEED = Path(__file__).parents[1] / "importers" / "fixtures" / "seeds" / "002_222709af16668202.txt"
BOUNDARY = "batas-uji-alur"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class HugeBody(io.RawIOBase):
    """A multipart body of `size` bytes, made as it is read, that counts what was read: a
    300 MB upload without holding 300 MB in the test."""

    def __init__(self, size: int) -> None:
        head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"files\"; "
                f"filename=\"besar.txt\"\r\nContent-Type: text/plain\r\n\r\n").encode()
        self.head, self.size, self.read_bytes = head, size, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        left = self.size - self.read_bytes
        size = left if size is None or size < 0 else min(size, left)
        start, self.read_bytes = self.read_bytes, self.read_bytes + size
        data = self.head[start:start + size]
        return data + b"a" * (size - len(data))

    def readline(self, size: int = -1) -> bytes:
        return self.read(size)


class SpyHandler(TemporaryFileUploadHandler):
    """Django's handler that spools each file to a temporary file, recording each file."""

    files: ClassVar[list[str]] = []

    def new_file(self, field_name, file_name, *args, **kwargs) -> None:
        SpyHandler.files.append(file_name)
        super().new_file(field_name, file_name, *args, **kwargs)


@pytest.fixture
def spy(settings):
    SpyHandler.files = []
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.SpyHandler"]
    return SpyHandler


def _huge_post(client, path: str, size: int, **headers):
    body = HugeBody(size)
    response = client.generic("POST", path, b"", content_type=MULTIPART,
                              CONTENT_LENGTH=str(size), **{"wsgi.input": body}, **headers)
    return response, body


def _task_attachment_url() -> str:
    return reverse("cases:task_action", args=[uuid.uuid4(), "lampiran"])


@pytest.mark.parametrize("path", ["/impor/", "task", "/api/import"])
def test_an_anonymous_300_mb_upload_is_refused_unread(spy, db, path):
    path = _task_attachment_url() if path == "task" else path
    # As a browser sends it: the CSRF check is on, and it is what read the form before.
    response, body = _huge_post(Client(enforce_csrf_checks=True), path, 300 * MB)
    assert body.read_bytes == 0 and spy.files == []
    if path == "/api/import":
        assert response.status_code == 401 and "token" in response.json()["detail"]
    else:  # as every page answers someone not signed in
        assert response.status_code == 302 and response["Location"].startswith("/masuk/?next=")


def test_an_api_upload_with_a_revoked_token_is_refused_unread(client, spy, user_factory, units):
    user = user_factory("penyusun", "penyusun", units["dinsos"])
    token_row, token = ApiToken.issue(user, "uji")
    ApiToken.objects.filter(pk=token_row.pk).update(revoked=True)
    response, body = _huge_post(client, "/api/import", 300 * MB,
                                HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401 and body.read_bytes == 0 and spy.files == []
    assert response["WWW-Authenticate"] == 'Bearer realm="alur"'


def test_a_signed_in_upload_over_the_limit_is_refused_unread(penyusun, spy, settings):
    settings.ALUR_IMPORT_MAX_UPLOAD_MB = 5
    response, body = _huge_post(penyusun, "/impor/", 7 * MB)
    assert response.status_code == 413 and body.read_bytes == 0 and spy.files == []
    assert "terlalu besar" in response.content.decode() and "6 MB" in response.content.decode()
    # An attachment is held to the attachment form's own limit.
    response, body = _huge_post(penyusun, _task_attachment_url(), 300 * MB)
    assert response.status_code == 413 and body.read_bytes == 0 and spy.files == []


def test_an_api_upload_over_the_limit_is_refused_unread(client, spy, user_factory, units,
                                                        settings):
    settings.ALUR_IMPORT_MAX_UPLOAD_MB = 5
    _, token = ApiToken.issue(user_factory("penyusun", "penyusun", units["dinsos"]), "uji")
    response, body = _huge_post(client, "/api/import", 300 * MB,
                                HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 413 and body.read_bytes == 0 and spy.files == []
    assert "terlalu besar" in response.json()["detail"]


def test_an_upload_within_the_limit_reaches_the_form(penyusun, spy, units, jobs_in_request):
    seed = SimpleUploadedFile(SEED.name, SEED.read_bytes(), content_type="text/plain")
    response = penyusun.post(reverse("imports:upload"), {"unit": units["dinsos"].pk,
                                                         "files": [seed]})
    assert response.status_code == 302 and spy.files == [SEED.name]


def test_a_body_without_a_length_is_counted_as_it_is_read(rf: RequestFactory, settings,
                                                          user_factory, units):
    """A chunked body declares no Content-Length: whoever reads the input stream (a parser,
    a view) gets at most the limit, then the request ends in a 413."""
    settings.ALUR_IMPORT_MAX_UPLOAD_MB = 1
    body = HugeBody(50 * MB)
    request = rf.generic("POST", "/impor/", b"", content_type=MULTIPART,
                         HTTP_TRANSFER_ENCODING="chunked", **{"wsgi.input": body})
    request.META.pop("CONTENT_LENGTH", None)
    request.user = user_factory("penyusun", "penyusun", units["dinsos"])
    seen = {}

    def reader(request):
        stream = request.META["wsgi.input"]
        seen["bytes"] = 0
        while chunk := stream.read(64 * 1024):
            seen["bytes"] += len(chunk)
        return HttpResponse("dibaca")

    response = UploadGuardMiddleware(reader)(request)
    assert response.status_code == 413
    assert seen["bytes"] <= 2 * MB and body.read_bytes <= 2 * MB + 64 * 1024
    # Within the limit the same stream reads to its end.
    small = HugeBody(MB // 2)
    request = rf.generic("POST", "/impor/", b"", content_type=MULTIPART,
                         **{"wsgi.input": small})
    request.META.pop("CONTENT_LENGTH", None)
    request.user = user_factory("penyusun2", "penyusun", units["dinsos"])
    response = UploadGuardMiddleware(reader)(request)
    assert response.status_code == 200 and seen["bytes"] == MB // 2


def test_elsewhere_a_file_part_is_skipped_and_a_large_body_refused(client, spy, db, rf):
    # The login form: its fields are read, the file beside them never is.
    page = SimpleUploadedFile("sisipan.txt", b"x" * (3 * MB))
    response = client.post(reverse("login"), {"username": "siapa", "password": "salah",
                                              "lampiran": page})
    assert response.status_code == 200 and spy.files == []
    assert "siapa" in response.content.decode()  # the form still got its fields
    response, body = _huge_post(client, reverse("login"), 300 * MB)
    assert response.status_code == 413 and body.read_bytes == 0 and spy.files == []

    request = rf.post("/masuk/", {"nama": "isi", "berkas": SimpleUploadedFile("a.txt", b"a")})
    seen = {}

    def view(request):
        seen.update(fields=dict(request.POST.items()), files=list(request.FILES))
        return HttpResponse()

    UploadGuardMiddleware(view)(request)
    assert seen == {"fields": {"nama": "isi"}, "files": []}


# --- the API's import keeps the web page's limits ---------------------------------------------

@pytest.fixture
def api_author(client, user_factory, units):
    _, token = ApiToken.issue(user_factory("penyusun", "penyusun", units["dinsos"]), "uji")

    def post(files):
        return client.post("/api/import", {"unit": units["dinsos"].pk, "files": files},
                           headers={"Authorization": f"Bearer {token}"})
    return post


def _seed(name: str = SEED.name) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SEED.read_bytes(), content_type="text/plain")


def test_api_import_takes_as_many_files_as_the_web_page(api_author, settings, jobs_in_request):
    settings.ALUR_IMPORT_MAX_FILES = 2
    response = api_author([_seed("a.txt"), _seed("b.txt"), _seed("c.txt")])
    assert response.status_code == 400
    assert response.json()["detail"] == "Paling banyak 2 berkas sekali unggah; Anda memilih 3."
    assert SopVersion.objects.count() == 0
    # Twelve files where the web page takes them: more than the API's old fixed ten.
    settings.ALUR_IMPORT_MAX_FILES = 12
    files = [SimpleUploadedFile(f"kosong-{i}.txt", b"Tidak ada SOP di sini.") for i in range(12)]
    assert api_author(files).status_code == 200


def test_api_import_takes_the_web_pages_types_and_sizes(api_author, settings):
    response = api_author([_seed(), SimpleUploadedFile("program.exe", b"MZ")])
    assert response.status_code == 400 and "program.exe" in response.json()["detail"]
    response = api_author([SimpleUploadedFile("kosong.txt", b"")])
    assert response.status_code == 400 and "kosong.txt" in response.json()["detail"]
    settings.ALUR_IMPORT_MAX_MB = 0
    response = api_author([_seed()])
    assert response.status_code == 413 and "terlalu besar" in response.json()["detail"]
    assert SopVersion.objects.count() == 0


# --- a pending import lives in its job ----------------------------------------------------------

AUTH_KEYS = {"_auth_user_id", "_auth_user_backend", "_auth_user_hash"}


def test_a_pending_import_is_kept_in_its_job_not_the_session(penyusun, units, jobs_in_request):
    response = penyusun.post(reverse("imports:upload"),
                             {"unit": units["dinsos"].pk, "files": [_seed()]})
    job = ImportJob.objects.get(user=penyusun.user)
    assert response.status_code == 302 and job.sops
    review = penyusun.get(reverse("imports:review", args=[job.token]), follow=True)
    assert review.status_code == 200
    assert set(penyusun.session.keys()) <= AUTH_KEYS
    # Another sign-in of the same person (a second browser) finds the same pending import.
    other = type(penyusun)()
    other.force_login(penyusun.user)
    assert other.get(reverse("imports:review", args=[job.token])).status_code == 200
