"""Imports as background jobs: the upload is stored, queued, and read by a worker.

Reading documents does not belong in a request: a crafted file can hold a worker for as long
as its reader runs, OCR and a batch of a hundred files cannot finish in a request at all, and
a person should see progress rather than a spinning tab. So the upload view only stores the
files and creates an `ImportJob`; a worker reads them one by one, each in its own limited
child process (`alur.importers.isolated`: time and memory limits, a finding for a file that
exceeds them), and writes the SOPs found and the findings into the job for the review page.

The queue is django-q2 with its ORM broker. It is maintained, needs no service beside the
database (its queue is a table: SQLite on the embedded default, PostgreSQL in production),
survives a restart (queued jobs are rows), has per-job timeouts and retries, and runs
periodic schedules, which due-date monitoring and e-mail will need. Celery or Dramatiq would
need Redis or RabbitMQ; Django 6's tasks framework has no database worker of its own yet;
Huey and RQ want Redis, or SQLite only. `alur serve`/`alur demo` start the cluster beside the
web server and `alur worker` runs it alone (settings.Q_CLUSTER holds the limits).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
import secrets
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path, PurePath
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_q.models import Schedule
from django_q.tasks import async_task

from alur.importers.isolated import Limits, read_isolated
from alur.importers.pdf import IMPORT_PDF_TOO_LONG
from alur.sop import Finding, Sop, to_data

from ..org.models import Unit, units_where
from .import_pages import discard_pages, has_pages, pdf_page_count, render_pages
from .import_review import propose_unit
from .models import ImportJob

AUTHOR_ROLE = "penyusun"
STORAGE_FOLDER = "impor"
ABANDONED_AFTER = dt.timedelta(days=7)  # a pending import nobody saved or cancelled
logger = logging.getLogger(__name__)


def start_import(user, unit: Unit | None, uploads, language: str) -> ImportJob:
    """Store the uploads, create the job and queue it (in `sync` mode it runs right here)."""
    token = secrets.token_urlsafe(16)
    files = []
    for index, upload in enumerate(uploads, start=1):
        name = f"{STORAGE_FOLDER}/{token}/{index}/{disk_name(upload.name)}"
        stored = default_storage.save(name, upload)
        files.append({"name": upload.name, "stored": stored})
    job = ImportJob.objects.create(
        token=token, user=user, unit=unit, unit_proposed=unit is None, language=language,
        files=files, total=len(files))
    enqueue(job)  # the row is committed (autocommit): a worker may take it at once
    return job


def enqueue(job: ImportJob) -> None:
    # `sync` is read from the settings at each call (django-q2 reads it once, at import), so a
    # test's settings override runs the job inside the request.
    async_task(run_import, job.pk, hook=job_finished, task_name=f"impor-{job.token}",
               timeout=settings.ALUR_JOB_TIMEOUT,
               sync=bool(settings.Q_CLUSTER.get("sync", False)))


def run_import(job_id: int) -> None:
    """The job: read each stored file in a limited child, record progress, keep the result."""
    job = ImportJob.objects.filter(pk=job_id).first()
    if job is None or job.finished:  # saved or cancelled meanwhile, or handed out twice
        return
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING,
                                               started_at=timezone.now(), done=0)
    with translation.override(job.language):
        try:
            sops, findings, pages = _read_files(job)
        except Exception:  # the person gets a message, the log the details
            logger.exception("import job %s failed", job.token)
            _fail(job, _("The documents could not be read because of an error in alur. "
                         "Upload them again; if it happens again, tell the alur admin."))
            return
    unit, proposed = job.unit, job.unit_proposed
    if proposed and sops:
        unit = propose_unit(sops, units_where(job.user, AUTHOR_ROLE))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.DONE, unit=unit, done=job.total,
        sops=[to_data(s, full=True) for s in sops],
        findings=[f.model_dump(mode="json") for f in findings], pages=pages,
        finished_at=timezone.now())
    discard_files(job)


def _read_files(job: ImportJob) -> tuple[list[Sop], list[Finding], list[dict[str, Any]]]:
    """Each file as the CLI reads a path: ids unique across the upload, findings naming the
    uploaded file (not the temporary copy). A PDF or image also leaves its pages as pictures
    (`import_pages`), with the ids of the SOPs read from it."""
    taken: set[str] = set()
    sops: list[Sop] = []
    findings: list[Finding] = []
    pages: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory(prefix="alur-impor-") as folder:
        for done, file in enumerate(job.files, start=1):
            # Same name as uploaded: the reader names it in `source.file` and in findings.
            path = Path(folder) / str(done) / disk_name(file["name"])
            path.parent.mkdir()
            with default_storage.open(file["stored"], "rb") as stored, path.open("wb") as out:
                for chunk in stored.chunks():
                    out.write(chunk)
            count = pdf_page_count(path) if path.suffix.lower() == ".pdf" else None
            if count is not None and count > settings.ALUR_IMPORT_MAX_PAGES:
                findings.append(IMPORT_PDF_TOO_LONG(
                    count=count, limit=settings.ALUR_IMPORT_MAX_PAGES).at(file=file["name"]))
                path.unlink()
                ImportJob.objects.filter(pk=job.pk).update(done=done)
                continue
            result = read_isolated(path, taken_ids=taken, limits=document_limits(),
                                   language=job.language, on_page=_pages_read(job))
            if has_pages(path):
                pages.append({
                    "file": file["name"], "sops": [s.id for s in result.sops],
                    "pages": render_pages(path, f"{STORAGE_FOLDER}/{job.token}/halaman/{done}",
                                          with_symbols=bool(result.sops))})
            path.unlink()
            sops.extend(result.sops)
            findings.extend(f.model_copy(update={"file": file["name"]}) if f.file else f
                            for f in result.findings)
            ImportJob.objects.filter(pk=job.pk).update(done=done, page=0, pages_total=0)
    return sops, findings, pages


def _pages_read(job: ImportJob) -> Callable[[int, int], None]:
    """Where the reader's page progress goes: the job's row, for its progress page."""
    def record(page: int, total: int) -> None:
        ImportJob.objects.filter(pk=job.pk).update(page=page, pages_total=total)
    return record


def document_limits() -> Limits:
    """What reading one document may take (settings, from the environment)."""
    return Limits(seconds=settings.ALUR_IMPORT_SECONDS, megabytes=settings.ALUR_IMPORT_MEMORY_MB)


def job_finished(task) -> None:
    """django-q2's hook after every run: a job that did not finish by itself (its worker hit
    the job's time limit or died) is marked failed, with a message for people."""
    if task.success or not task.args:
        return
    job = ImportJob.objects.filter(pk=task.args[0]).first()
    if job is None or job.finished:
        return
    with translation.override(job.language):
        _fail(job, _("Reading the documents took longer than allowed and was stopped. Upload "
                     "fewer files at a time, or split large documents."))


def _fail(job: ImportJob, message: str) -> None:
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.FAILED, error=message,
                                               finished_at=timezone.now())
    discard_files(job)
    _remove_folder(f"{STORAGE_FOLDER}/{job.token}")  # pictures of pages rendered before it


def discard_files(job: ImportJob) -> None:
    """The uploaded files are needed only until they are read (the pages' pictures stay for
    the review)."""
    for index, file in enumerate(job.files, start=1):
        if file.get("stored"):
            default_storage.delete(file["stored"])
        _remove_folder(f"{STORAGE_FOLDER}/{job.token}/{index}")
    with contextlib.suppress(NotImplementedError, OSError):  # the job's folder too, unless
        Path(default_storage.path(f"{STORAGE_FOLDER}/{job.token}")).rmdir()  # it holds pages


def _remove_folder(name: str) -> None:
    try:  # a local folder stays behind its files; object storage has no folders
        folder = Path(default_storage.path(name))
    except NotImplementedError:
        return
    shutil.rmtree(folder, ignore_errors=True)


def discard(job: ImportJob) -> None:
    """Forget a pending import: its files and its pages' pictures, then its row."""
    discard_files(job)
    discard_pages(job)
    _remove_folder(f"{STORAGE_FOLDER}/{job.token}")
    job.delete()


def disk_name(name: str) -> str:
    """The uploaded name made safe as one file name (no folders, at most ~200 bytes)."""
    name = PurePath(name.replace("\\", "/").replace("\x00", "")).name or "dokumen.txt"
    if len(name.encode()) > 200:  # file systems allow 255 bytes
        suffix = PurePath(name).suffix[:10]
        name = name[:60] + suffix
    return name



def forget_abandoned_imports() -> int:
    """A periodic job: pending imports left unreviewed for a week are deleted with their files
    (an upload holds documents the uploader may not want kept). Returns how many."""
    old = ImportJob.objects.filter(created_at__lt=timezone.now() - ABANDONED_AFTER)
    count = 0
    for job in old:
        discard(job)
        count += 1
    return count


# The periodic jobs, by name: (function, django-q2 schedule type).
SCHEDULES = {
    "alur: impor terbengkalai": ("alur.web.library.jobs.forget_abandoned_imports",
                                 Schedule.DAILY),
    # Case heads into the audit ledger (each minute: a run with nothing new is one query).
    "alur: jangkar audit": ("alur.web.cases.ledger.run_anchor", Schedule.MINUTES),
}


def ensure_schedules() -> None:
    """Register the periodic jobs (idempotent); `alur serve`/`alur worker` call it before the
    cluster starts, so schedules live in the code and the database only runs them."""
    for name, (func, kind) in SCHEDULES.items():
        Schedule.objects.update_or_create(name=name, defaults={"func": func,
                                                                "schedule_type": kind})
