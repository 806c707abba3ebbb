"""Checking a signed PDF: is the embedded signature intact, does it cover the whole file, who
signed it. Used by the verification page and by `alur verify` (so it needs no Django).

"Valid" here means what a reader of the file needs: the file is exactly as it was signed (the
signature's digest matches and nothing was added after it) — a changed byte or an appended
revision fails. Whether the signer's certificate chains to a certificate authority is a further
question (`trusted`): the demo seal is self-signed and never is; the verification page passes
the installation's own seal as the trust root, so `trusted` then says "sealed by this
installation".
"""

from __future__ import annotations

import asyncio
import datetime as dt
import io
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TypeVar

from .demo_seal import DEMO_MARK

# pyHanko logs each untrusted self-signed certificate with a traceback; the result says it.
for _name in ("pyhanko", "pyhanko_certvalidator"):
    logging.getLogger(_name).setLevel(logging.CRITICAL)


T = TypeVar("T")


def outside_event_loop(work: Callable[[], T]) -> T:
    """Run `work` here, or in a helper thread when this thread runs an event loop: pyHanko's
    blocking calls start their own loop (asyncio.run), which a running loop forbids (an ASGI
    server, a test driving a browser)."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return work()
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(work).result()


@dataclass(frozen=True)
class SignatureCheck:
    readable: bool = True  # a PDF pyHanko could read
    signed: bool = False  # holds at least one signature
    intact: bool = False  # every signature's digest and cryptography hold
    whole_file: bool = False  # the last signature covers the whole file
    signer: str = ""  # the signing certificate's common name (or subject)
    signed_at: dt.datetime | None = None  # the time the signer reported
    trusted: bool = False  # the certificate chains to a given trust root
    demo: bool = False  # the demo seal

    @property
    def valid(self) -> bool:
        return self.readable and self.signed and self.intact and self.whole_file


def check_pdf(data: bytes, trust_root: bytes | None = None) -> SignatureCheck:
    """Check the signatures of a PDF; `trust_root` (DER) is a certificate to trust."""
    return outside_event_loop(lambda: _check(data, trust_root))


def _check(data: bytes, trust_root: bytes | None) -> SignatureCheck:
    from pyhanko.keys import load_certs_from_pemder_data
    from pyhanko.pdf_utils.misc import PdfError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
    except (PdfError, ValueError, KeyError, TypeError, IndexError, OSError):
        return SignatureCheck(readable=False)
    if not signatures:
        return SignatureCheck()
    roots = list(load_certs_from_pemder_data(trust_root)) if trust_root else []
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    intact = True
    status = None
    for signature in signatures:
        try:
            status = validate_pdf_signature(signature, signer_validation_context=context)
        except (PdfError, ValueError, KeyError, TypeError, IndexError, OSError):
            return SignatureCheck(signed=True)
        intact = intact and status.intact and status.valid
    assert status is not None
    subject = status.signing_cert.subject
    names = subject.native
    signer = str(names.get("common_name") or subject.human_friendly)
    return SignatureCheck(
        signed=True, intact=intact,
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer, signed_at=status.signer_reported_dt, trusted=bool(status.trusted),
        demo=DEMO_MARK in subject.human_friendly)
