"""Downloads of large SOPs, made in the background instead of inside the request.

Drawing the official document costs time in proportion to the steps: a PDF of a 60-step SOP
takes seconds, one of 300 steps over half a minute, longer than a web worker may be held. So
a download of an SOP with more than `ALUR_RENDER_INLINE_STEPS` steps is made by the job worker
(django-q2, as imports are): the request queues it and answers with a page that refreshes
until the file is ready, then serves the stored file. Files are stored under the content's
hash (with the format), so a version is drawn once per format and a changed draft gets a new
file; an SOP over `ALUR_MAX_STEPS` steps is not drawn at all (the library refuses to store one,
see `step_limit_problem`).

A drawn PDF of an approved version (in force, replaced or revoked) is a copy without the
electronic signature — the signed file, when there is one, is served instead (signing app) —
so every page's footer says it is not signed (`footer`); drafts and submitted versions print
no footer.
"""

from __future__ import annotations

import hashlib
import json
import time

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django_q.tasks import async_task

from alur.render import layout
from alur.render.formats import FORMATS
from alur.render.html import Unsigned
from alur.render.pdf import to_pdf
from alur.sop import Sop as SopModel
from alur.sop import to_data

from .models import SopVersion, step_limit_problem

__all__ = ["draw", "footer", "inline_steps", "make", "ready", "request",
           "step_limit_problem"]

FOLDER = "unduhan"
# Versions whose drawn PDF says it is not signed: approved, whatever became of them since.
ISSUED = (SopVersion.Status.DISAHKAN, SopVersion.Status.DIGANTI, SopVersion.Status.DICABUT)


def footer(version: SopVersion, fmt: str) -> Unsigned | None:
    """What the footer of the version drawn in `fmt` says about its signature: an approved
    version's PDF drawn here is not the signed file, so it says so; anything else says
    nothing."""
    return Unsigned() if fmt == "pdf" and version.status in ISSUED else None


def make(version: SopVersion, document: SopModel, fmt: str) -> bytes | str:
    """The version's issued `document` in `fmt`, as a download serves it when no signed file
    stands in for it."""
    if (unsigned := footer(version, fmt)) is not None:
        return to_pdf(document, layout(document), verification=unsigned)
    return FORMATS[fmt].make(document, layout(document))


def inline_steps() -> int:
    """Up to this many steps a download is drawn inside the request."""
    return settings.ALUR_RENDER_INLINE_STEPS


def stored_name(version: SopVersion, fmt: str) -> str:
    # The document as issued (an approval record changes what the file prints) and the
    # footer: a file stored before the footer existed must not be served for an approved one.
    issued = to_data(version.issued_document(), full=True)
    key: list[object] = [fmt, issued]
    if (unsigned := footer(version, fmt)) is not None:
        key.append(unsigned.text)
    digest = hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:40]
    return f"{FOLDER}/{digest}.{FORMATS[fmt].extension}"


def _pending_name(name: str) -> str:
    return name + ".antri"


def ready(version: SopVersion, fmt: str) -> str | None:
    """The stored file of this version in this format, if it was made."""
    name = stored_name(version, fmt)
    return name if default_storage.exists(name) else None


def request(version: SopVersion, fmt: str) -> None:
    """Queue the drawing unless it is already queued (and not stuck past the job timeout)."""
    name = stored_name(version, fmt)
    pending = _pending_name(name)
    if default_storage.exists(pending):
        with default_storage.open(pending) as marker:
            since = float(marker.read() or 0)
        if time.time() - since < settings.ALUR_JOB_TIMEOUT:
            return
        default_storage.delete(pending)
    default_storage.save(pending, ContentFile(str(time.time()).encode()))
    # `sync` read at each call, as jobs.enqueue does: a test's settings run it in the request.
    async_task(draw, version.pk, fmt, task_name=f"unduh-{version.pk}-{fmt}",
               timeout=settings.ALUR_JOB_TIMEOUT,
               sync=bool(settings.Q_CLUSTER.get("sync", False)))


def draw(version_id: int, fmt: str) -> None:
    """In the job worker: draw the version in `fmt` and store it."""
    version = SopVersion.objects.get(pk=version_id)
    name = stored_name(version, fmt)
    try:
        if not default_storage.exists(name):
            content = make(version, version.issued_document(), fmt)
            data = content.encode() if isinstance(content, str) else content
            default_storage.save(name, ContentFile(data))
    finally:
        default_storage.delete(_pending_name(name))
