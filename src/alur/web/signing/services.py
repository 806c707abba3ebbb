"""Signing an approved version: once, in the background, after the approval is committed.

`schedule(version)` (called by library.services.approve) queues `sign_version` with django-q2
once the approval's transaction commits. The job draws the PDF of the version's issued
document (`SopVersion.issued_document`: the identity as approved) with a verification block in
every page's footer — a QR code of `{ALUR_BASE_URL}/verifikasi/<code>/`, the short code and
the words "Verifikasi keaslian dokumen" — has the installation's signer sign it once, and
stores the signed file and its SHA-256. A second run does nothing.

When no seal is configured, or the seal cannot sign (expired certificate, wrong password),
the approval stands and the version's PDF is served unsigned, its footer saying so
(library/renders.py). A seal that cannot sign, or signing that fails, is logged with its
detail, and the installation's admins — admins of the SOP's unit or a unit above it, and
superusers — get one notification per version saying, in words, that the approved SOP was not
signed and why (`tell_admins`). No seal at all is a choice of the installation, not a fault:
only the log says so.
"""

from __future__ import annotations

import hashlib
import io
import logging
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django_q.tasks import async_task

from alur.render import layout
from alur.render.html import Verification
from alur.render.pdf import to_pdf

from ..cases.models import Notification
from ..library.models import SopVersion
from ..org.models import admins_of
from ..work import notify_once
from .models import SignedDocument, new_code
from .signers import DEMO_LABEL, SEAL_PROBLEMS, SealUnavailable, current_signer

FOLDER = "tte"
logger = logging.getLogger(__name__)


def verification_url(code: str) -> str:
    return settings.ALUR_BASE_URL + reverse("signing:verify", args=[code])


def qr_svg(text: str) -> str:
    import segno

    out = io.BytesIO()
    segno.make(text, error="m", micro=False).save(out, kind="svg", border=1, xmldecl=False,
                                                  unit="mm")
    return out.getvalue().decode()


def render(version: SopVersion, code: str, *, demo: bool) -> bytes:
    """The PDF of the version's issued document with its verification block."""
    document = version.issued_document()
    url = verification_url(code)
    block = Verification(qr_svg=qr_svg(url), url=url, code=code,
                         note=DEMO_LABEL if demo else "")
    return to_pdf(document, layout(document), verification=block)


def sign_version(version_id: int) -> SignedDocument | None:
    """The job: sign the approved version's PDF once and store it (None: not signed)."""
    version = SopVersion.objects.select_related("sop__unit").filter(pk=version_id).first()
    if version is None or version.approved_at is None:
        return None
    done = SignedDocument.objects.filter(version=version).first()
    if done is not None:
        return done
    try:
        signer = current_signer()
        if signer is None:
            logger.warning("no signing seal configured: version %s stays unsigned", version.pk)
            return None
        code = new_code()
        signed = signer.sign(render(version, code, demo=signer.demo),
                             reason=f"Pengesahan SOP {version.name} versi {version.number}",
                             location=version.sop.unit.name)
    except SealUnavailable as error:
        logger.error("the approved version %s was not signed: %s", version.pk, error)
        tell_admins(version, error.reason)
        return None
    except Exception:  # approval stands; the admins are told, the log says why
        logger.exception("signing the approved version %s failed", version.pk)
        tell_admins(version, lambda: gettext(SEAL_PROBLEMS["failed"]))
        return None
    name = default_storage.save(f"{FOLDER}/{version.public_id}-{code}.pdf", ContentFile(signed))
    try:
        with transaction.atomic():
            return SignedDocument.objects.create(
                version=version, stored_name=name, sha256=hashlib.sha256(signed).hexdigest(),
                code=code, signed_at=timezone.now(), signer=signer.description[:300],
                demo=signer.demo)
    except IntegrityError:  # another worker signed it meanwhile: keep theirs
        default_storage.delete(name)
        return SignedDocument.objects.filter(version=version).first()


def tell_admins(version: SopVersion, reason: Callable[[], str]) -> None:
    """Notify the admins, once per version, that the approved SOP was not signed and why
    (`reason` gives it in the active language; the notice is written in the installation's)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = gettext("Approved SOP not signed electronically (%(reason)s): %(name)s, "
                          "version %(number)s") % {
            "reason": reason(), "name": version.name, "number": version.number}
    link = reverse("library:detail", args=[version.sop.public_id]) + \
        f"?versi={version.public_id}"
    notify_once(admins_of(version.sop.unit), Notification.Kind.NOT_SIGNED, subject, link,
                key=f"not-signed:{version.pk}")


def unsigned_in_force() -> list[int]:
    """Ids of the approved versions still standing (disahkan) that have no signed document:
    the seal was missing or failed when they were approved."""
    return list(SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN,
                                          approved_at__isnull=False,
                                          signed_document__isnull=True)
                .order_by("approved_at", "pk").values_list("pk", flat=True))


def sign_pending() -> tuple[int, int]:
    """Sign, here and now, every approved version the seal has not signed yet (run once the
    seal is fixed): (signed, still unsigned)."""
    pending = unsigned_in_force()
    done = sum(sign_version(pk) is not None for pk in pending)
    return done, len(pending) - done


def enqueue(version_id: int) -> None:
    # `sync` read at each call, as library.jobs.enqueue does: tests run the job right here.
    async_task(sign_version, version_id, task_name=f"segel-{version_id}",
               timeout=settings.ALUR_JOB_TIMEOUT,
               sync=bool(settings.Q_CLUSTER.get("sync", False)))


def schedule(version: SopVersion) -> None:
    """Queue the signing of an approved version once its transaction commits."""
    version_id = version.pk
    transaction.on_commit(lambda: enqueue(version_id))
