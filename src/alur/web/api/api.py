"""The REST API (django-ninja): read the library, download documents, import and create
drafts. Every call needs `Authorization: Bearer <token>` (see `auth.py`); messages to clients
are in Bahasa Indonesia. Objects are addressed by their `public_id` UUIDs only."""

from __future__ import annotations

import time
import uuid
from typing import TYPE_CHECKING, Annotated, Any, TypeVar

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Field, Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.utils.translation import get_language
from ninja import File, Form, NinjaAPI, P, PathEx, QueryEx
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.files import UploadedFile
from pydantic import WithJsonSchema

from alur.render.formats import FORMATS
from alur.sop import Finding, check, from_data, to_data
from alur.sop import Sop as SopDocument
from alur.sop.codes import LIBRARY_TOO_LONG, LIBRARY_TOO_MANY_STEPS
from alur.web.library import views as library_views
from alur.web.library.import_targets import separate_id
from alur.web.library.imports import DocumentsField
from alur.web.library.jobs import discard as discard_job
from alur.web.library.jobs import start_import
from alur.web.library.models import ImportJob, Sop, SopVersion
from alur.web.library.queries import find
from alur.web.library.services import add_sop
from alur.web.org.models import Position, Unit, units_where

from .auth import ApiRequest, TokenAuth
from .schemas import (
    FindingsError,
    ImportOut,
    ImportPending,
    InvalidOut,
    MessageOut,
    SopCreate,
    SopDetail,
    SopPage,
    VersionDetail,
    findings_out,
    sop_item,
    version_summary,
)

if TYPE_CHECKING:  # the installed django-ninja (the type checker's) has Status
    from django.contrib.auth.models import User
    from ninja import Status
else:
    try:
        from ninja import Status
    except ImportError:  # django-ninja < 1.5 takes a (status, body) tuple instead

        def Status(status_code: int, value: Any) -> tuple[int, Any]:
            return status_code, value

MAX_LIMIT = 100
# Past the end a page is empty; the bound keeps OFFSET within what every database's integer
# holds (SQLite refuses a Python int over 2**63 - 1 with an OverflowError, a 500).
MAX_OFFSET = 1_000_000_000
DOWNLOAD_FORMATS = [*FORMATS, "yaml"]

api = NinjaAPI(
    title="alur API", version="1", auth=TokenAuth(), urls_namespace="api",
    description="Pustaka SOP alur: cari dan baca SOP, unduh dokumennya, impor dan buat draf. "
                "Setiap permintaan memerlukan header `Authorization: Bearer <token>`. Token dibuat "
                "di halaman admin (Token API) atau dengan perintah `django-admin alur_token "
                "<username> <nama>` (DJANGO_SETTINGS_MODULE=alur.web.settings).")

# Path values stay plain text so that a malformed id is a 404 like an unknown one; the schema
# still tells clients what is expected. (The `…Ex` forms are django-ninja's `Path`/`Query` with
# extra metadata, spelled so that type checkers read them as `Annotated`.)
PublicId = Annotated[str, WithJsonSchema({"type": "string", "format": "uuid"})]
FormatName = Annotated[str, WithJsonSchema({"type": "string", "enum": DOWNLOAD_FORMATS})]
SopId = PathEx[PublicId, P(description="public_id SOP (UUID)")]
VersionId = PathEx[PublicId, P(description="public_id versi (UUID)")]

ERRORS = {401: MessageOut, 404: MessageOut, 422: InvalidOut}


# --- errors, in Indonesian -------------------------------------------------------------------


@api.exception_handler(AuthenticationError)
def _unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(request, {
        "detail": "Autentikasi diperlukan: kirim header 'Authorization: Bearer <token>' "
                  "dengan token yang sah dan belum dicabut."}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="alur"'
    return response


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Tidak ditemukan."}, status=404)


# What django-ninja itself says, in English, and what clients read instead.
_NINJA_MESSAGES = {
    "Cannot parse request body": "Isi permintaan tidak dapat dibaca (JSON tidak valid?).",
    "Forbidden": "Akses ditolak.",
    "Too many requests.": "Terlalu banyak permintaan; coba lagi nanti.",
}


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    message = _NINJA_MESSAGES.get(exc.message, exc.message)
    return api.create_response(request, {"detail": message}, status=exc.status_code)


_VALIDATION_MESSAGES = {
    "missing": "wajib diisi",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "string_type": "harus berupa teks",
    "less_than_equal": "paling besar {le}",
    "greater_than_equal": "paling kecil {ge}",
    "enum": "harus salah satu dari: {expected}",
    "literal_error": "harus salah satu dari: {expected}",
    "dict_type": "harus berupa objek JSON",
    "model_attributes_type": "harus berupa objek JSON",
    "json_invalid": "JSON tidak valid",
    "list_type": "harus berupa daftar",
}


@api.exception_handler(ValidationError)
def _invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = []
    for error in exc.errors:
        template = _VALIDATION_MESSAGES.get(error.get("type", ""), "nilai tidak sah")
        try:
            message = template.format(**(error.get("ctx") or {})).replace(" or ", " atau ")
        except (KeyError, IndexError):
            message = "nilai tidak sah"
        location = [str(p) for p in error.get("loc", ())]
        errors.append({"loc": location, "message": f"{'.'.join(location)}: {message}"})
    return api.create_response(request, {"detail": "Permintaan tidak valid.", "errors": errors},
                               status=422)


# --- lookups ---------------------------------------------------------------------------------


_M = TypeVar("_M", bound=Model)


def _by_public_id(queryset: QuerySet[_M], public_id: str, message: str) -> _M:
    try:
        key = uuid.UUID(public_id)
    except ValueError:
        raise HttpError(404, message) from None
    found = queryset.filter(public_id=key).first()
    if found is None:
        raise HttpError(404, message)
    return found


def _version(public_id: str) -> SopVersion:
    return _by_public_id(
        SopVersion.objects.select_related("sop__unit", "created_by", "approved_by"),
        public_id, "Versi SOP tidak ditemukan.")


def _unit(pk: int) -> Unit:
    unit = Unit.objects.filter(pk=pk).first()
    if unit is None:
        raise HttpError(404, "Unit kerja tidak ditemukan.")
    return unit


def _may_write(user: User, unit: Unit) -> None:
    if unit.pk not in units_where(user, "penyusun"):
        raise HttpError(403, f"Anda tidak berperan sebagai penyusun di unit '{unit.name}'.")


def _user(user: User | None) -> dict[str, str] | None:
    return None if user is None else {"username": user.get_username(),
                                      "name": user.get_full_name()}


def _version_detail(version: SopVersion) -> dict[str, Any]:
    document = version.document
    sop = version.sop
    return {
        **version_summary(version),
        "status_label": version.get_status_display(),
        "slug": sop.slug,
        "unit": {"id": sop.unit_id, "name": sop.unit.name},
        "created_by": _user(version.created_by),
        "approval": {"submitted_at": version.submitted_at,
                     "approved_by": _user(version.approved_by),
                     "approved_at": version.approved_at,
                     "effective_date": version.effective_date,
                     "in_force": version.in_force},
        "document": to_data(document, full=True),
        "findings": findings_out(check(document)),
    }


def _field_limit(model: type[Model], name: str) -> int:
    field = model._meta.get_field(name)
    if not isinstance(field, Field) or field.max_length is None:  # a mistake in this module
        raise TypeError(f"{model.__name__}.{name} has no max_length")
    return field.max_length


def _storage_problems(document: SopDocument, file: str | None = None) -> list[Finding]:
    """What the database cannot hold although the format allows it (overlong texts)."""
    limits = [("id SOP", document.id, _field_limit(Sop, "slug")),
              ("nama SOP", document.name, _field_limit(SopVersion, "name")),
              ("nomor SOP", document.number, _field_limit(SopVersion, "sop_number")),
              *(("nama pelaksana", a.name, _field_limit(Position, "name"))
                for a in document.actors)]
    problems = [LIBRARY_TOO_LONG(label=label, limit=limit, value=value[:40]).at(
        sop=document.id, file=file) for label, value, limit in limits if len(value) > limit]
    if len(document.steps) > settings.ALUR_MAX_STEPS:
        problems.append(LIBRARY_TOO_MANY_STEPS(count=len(document.steps),
                                               limit=settings.ALUR_MAX_STEPS).at(
            sop=document.id, file=file))
    return problems


# --- reading ---------------------------------------------------------------------------------


@api.get("/sops", response={200: SopPage, **ERRORS}, tags=["SOP"],
         summary="Daftar dan cari SOP")
def list_sops(
    request: ApiRequest,
    q: QueryEx[str, P(description="kata yang dicari dalam versi terbaru (nama, nomor, unit, "
                                "teks langkah)")] = "",
    unit: QueryEx[int | None, P(description="id unit kerja; termasuk sub-unitnya")] = None,
    status: QueryEx[SopVersion.Status | None, P(description="status versi terbaru")] = None,
    limit: QueryEx[int, P(ge=1, le=MAX_LIMIT, description="paling banyak 100")] = 25,
    offset: QueryEx[int, P(ge=0, le=MAX_OFFSET, description="paling besar 1000000000")] = 0,
) -> dict[str, Any]:
    sops = find(q, _unit(unit) if unit is not None else None, status)
    sops = sops.order_by("latest_name", "pk")
    count = sops.count()
    page = list(sops[offset:offset + limit]) if offset < count else []
    versions = SopVersion.objects.select_related("sop").in_bulk(
        [s.latest_pk for s in page if s.latest_pk is not None])
    return {"count": count, "limit": limit, "offset": offset,
            "items": [sop_item(s, versions.get(s.latest_pk)) for s in page]}


@api.get("/sops/{public_id}", response={200: SopDetail, **ERRORS}, tags=["SOP"],
         summary="Satu SOP dengan semua versinya")
def get_sop(request: ApiRequest, public_id: SopId) -> dict[str, Any]:
    sop = _by_public_id(Sop.objects.select_related("unit"), public_id, "SOP tidak ditemukan.")
    return {"id": sop.public_id, "slug": sop.slug,
            "unit": {"id": sop.unit_id, "name": sop.unit.name}, "created_at": sop.created_at,
            "versions": [version_summary(v) for v in
                         sop.versions.select_related("sop").order_by("-number")]}


@api.get("/versions/{public_id}", response={200: VersionDetail, **ERRORS}, tags=["versi"],
         summary="Dokumen alur-sop/1 lengkap sebuah versi, status, pengesahan dan temuan")
def get_version(request: ApiRequest, public_id: VersionId) -> dict[str, Any]:
    return _version_detail(_version(public_id))


_BINARY = {"schema": {"type": "string", "format": "binary"}}


@api.get("/versions/{public_id}/download/{fmt}", response=ERRORS,
         tags=["versi"], summary="Unduh dokumen versi dalam satu format",
         openapi_extra={"responses": {"200": {
             "description": "Berkas, sama dengan unduhan di aplikasi web",
             "content": {"application/yaml": _BINARY,
                         **{f.media_type: _BINARY for f in FORMATS.values()}}}}})
def download(request: ApiRequest, public_id: VersionId,
             fmt: PathEx[FormatName, P(description="format berkas")]) -> HttpResponseBase:
    version = _version(public_id)
    if fmt not in DOWNLOAD_FORMATS:
        raise HttpError(404, f"Format '{fmt}' tidak dikenal; pilih salah satu: "
                             f"{', '.join(DOWNLOAD_FORMATS)}.")
    # The web page's download view makes the file: same bytes, type and file name.
    return library_views.download(request, str(version.public_id), fmt)


# --- writing ---------------------------------------------------------------------------------


@api.post("/sops", response={201: VersionDetail, 403: MessageOut, 422: FindingsError,
                             401: MessageOut, 404: MessageOut}, tags=["SOP"],
          summary="Buat draf dari dokumen alur-sop/1 (JSON)")
def create_sop(request: ApiRequest, payload: SopCreate) -> Status[dict[str, Any]]:
    unit = _unit(payload.unit)
    _may_write(request.auth, unit)
    loaded = from_data(payload.document)
    if loaded.sop is None:
        return Status(422, {"detail": "Dokumen SOP tidak valid.",
                            "findings": findings_out(loaded.findings)})
    problems = _storage_problems(loaded.sop)
    if problems:
        return Status(422, {"detail": "Dokumen SOP tidak dapat disimpan.",
                            "findings": findings_out(problems)})
    version = add_sop(loaded.sop, unit, request.auth)
    return Status(201, _version_detail(version))


def _pending(job: ImportJob) -> tuple[int, dict[str, Any]]:
    return 202, {"job": job.token, "status": job.status, "done": job.done, "total": job.total,
                 "url": f"/api/import/{job.token}"}


def _wait(job: ImportJob) -> ImportJob:
    """The job once it has finished, or as it is when ALUR_API_IMPORT_WAIT seconds have
    passed: the request never holds a worker longer than that for the reading."""
    deadline = time.monotonic() + settings.ALUR_API_IMPORT_WAIT
    while not job.finished and time.monotonic() < deadline:
        time.sleep(0.25)
        job.refresh_from_db()
    return job


def _take(job: ImportJob, user: User) -> tuple[int, dict[str, Any]]:
    """A finished job's SOPs saved as drafts of its unit, with the reading and checking
    findings; the job is then gone (its result is handed out once)."""
    if job.status == ImportJob.Status.FAILED:  # said once, then gone (outside the transaction
        discard_job(job)                        # below, which an error would roll back)
        raise HttpError(500, job.error)
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().filter(pk=job.pk).first()
        if locked is None:
            raise HttpError(404, "Hasil impor ini sudah diambil; draf SOP-nya ada di pustaka.")
        documents = [from_data(data).sop for data in locked.sops]
        findings = [Finding.model_validate(f) for f in locked.findings]
        known = {d.id for d in documents if d} | set(Sop.objects.values_list("slug", flat=True))
        created = []
        for document in documents:
            if document is None:
                continue
            problems = _storage_problems(document)
            findings.extend(problems)
            if problems:
                continue
            findings.extend(check(document, known_sops=known))
            if locked.unit is None:  # the unit was deleted while the files were read
                raise HttpError(404, "Unit kerja tujuan impor ini sudah dihapus.")
            if not document.name.strip():  # unnamed: never a version of another unnamed SOP
                taken = set(Sop.objects.filter(unit=locked.unit).values_list("slug", flat=True))
                document = document.model_copy(update={"id": separate_id(document, "", taken)})
            created.append(add_sop(document, locked.unit, user))
        discard_job(locked)
    return (201 if created else 200), {"created": [version_summary(v) for v in created],
                                       "findings": findings_out(findings)}


@api.post("/import", response={200: ImportOut, 201: ImportOut, 202: ImportPending,
                               400: MessageOut, 403: MessageOut, 413: MessageOut, **ERRORS},
          tags=["impor"],
          summary="Impor berkas Word, Excel, PDF, pindaian, BPMN, teks atau HTML menjadi draf SOP")
def import_files(request: ApiRequest,
                 unit: Form[int],
                 files: File[list[UploadedFile]]) -> Status[dict[str, Any]]:
    """Setiap SOP yang ditemukan disimpan sebagai draf baru di unit itu; temuan pembacaan dan
    pemeriksaan dikembalikan. Berkas dibaca oleh pekerja latar belakang, seperti impor di
    halaman web: bila pembacaan selesai dalam ALUR_API_IMPORT_WAIT detik (bawaan 20), jawaban
    201/200 langsung berisi hasilnya; bila belum, jawabannya 202 dengan `url` yang ditanyakan
    lagi (GET) sampai hasilnya ada. Hasil diberikan sekali. Jumlah berkas, ukuran tiap berkas
    dan jenisnya dibatasi sama seperti halaman impor (ALUR_IMPORT_MAX_FILES,
    ALUR_IMPORT_MAX_MB; Word, Excel, OpenDocument, PDF, gambar pindaian, BPMN, Markdown,
    Mermaid, teks, HTML); unggahan yang melebihi ALUR_IMPORT_MAX_UPLOAD_MB seluruhnya ditolak
    (413) sebelum dibaca."""
    target = _unit(unit)
    _may_write(request.auth, target)
    if not files:
        raise HttpError(400, "Tidak ada berkas yang diunggah.")
    try:  # the web upload's own checks: count, type and size of each file
        DocumentsField().clean(files)
    except DjangoValidationError as error:
        too_large = any(e.code == "size" for e in error.error_list)
        raise HttpError(413 if too_large else 400, " ".join(error.messages)) from None
    job = _wait(start_import(request.auth, target, files, get_language() or "id"))
    return Status(*(_take(job, request.auth) if job.finished else _pending(job)))


@api.get("/import/{token}", response={200: ImportOut, 201: ImportOut, 202: ImportPending,
                                      **ERRORS},
         tags=["impor"], summary="Hasil impor yang masih dibaca (dari jawaban 202)")
def import_result(request: ApiRequest, token: str) -> Status[dict[str, Any]]:
    """202 selama berkas masih dibaca (dengan jumlah berkas yang sudah dibaca); lalu 201/200
    dengan draf yang dibuat dan temuan, sekali saja."""
    job = ImportJob.objects.filter(token=token, user=request.auth).first()
    if job is None:
        raise HttpError(404, "Impor tidak ditemukan, atau hasilnya sudah diambil.")
    return Status(*(_take(job, request.auth) if job.finished else _pending(job)))


# --- running SOPs (cases and tasks) ------------------------------------------------------------

from .cases import router as cases_router  # noqa: E402  (registered after the library's routes)

api.add_router("/", cases_router)
from .reports import router as reports_router  # noqa: E402

api.add_router("/", reports_router)
