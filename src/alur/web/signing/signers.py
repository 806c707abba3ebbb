"""Who signs an approved SOP's PDF: one interface, `Signer`, and the built-in seal.

A signer takes the finished PDF and returns it signed (PAdES: the signature is embedded in the
PDF and covers the whole file), and describes itself for people — the description is stored
with the signed file and shown on the verification page.

Built in, `Pkcs12Signer`: the agency's institutional electronic seal (segel elektronik) from a
PKCS#12 file, signed locally with pyHanko. Which one is used (`configured_signer`, the default
of the ALUR_SIGNER setting):

- ALUR_SIGNING_PKCS12 (path) and ALUR_SIGNING_PKCS12_PASSWORD: the agency's seal;
- otherwise the demo seal `alur demo` makes under the data folder (ALUR_SIGNING_DEMO_PKCS12),
  a self-signed certificate labelled on the page and in the PDF as "Segel demo, bukan TTE
  tersertifikasi";
- otherwise none: approval still works and the PDF is served unsigned.

A remote signing service — BSrE (Balai Besar Sertifikasi Elektronik, the national certificate
authority) or an agency's TTE gateway — plugs in through ALUR_SIGNER: the dotted path of a
function without arguments returning a `Signer` (or None when signing is off). Its `sign` sends
the PDF to the service and returns the signed PDF the service answers with; alur stores it,
hashes it and serves it as it does its own seal's. Connecting to BSrE (an agreement, the
agency's certificate, the service's address and credentials) is a deployment step of the
installation; alur ships no BSrE client.
"""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Protocol, runtime_checkable

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.translation import gettext, gettext_noop

from .demo_seal import DEMO_MARK
from .validation import outside_event_loop

DEMO_DESCRIPTION = "Segel demo alur (sertifikat buatan sendiri), bukan TTE tersertifikasi"
DEMO_LABEL = "Segel demo, bukan TTE tersertifikasi"


@runtime_checkable
class Signer(Protocol):
    """Signs a finished PDF. `description` is for people ("Segel elektronik Dinas …
    (PKCS#12)"); `demo` says the signature certifies nothing; `certificate` is the signing
    certificate (DER) when known, so the verification page can say the file was sealed by this
    installation (None for a remote service that does not say)."""

    description: str
    demo: bool

    def certificate(self) -> bytes | None: ...

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes: ...


# Why a seal cannot sign, in words for the installation's admins (their notification): no file
# path, no exception text; the log keeps the detail. Translated when the notice is written.
SEAL_PROBLEMS: dict[str, str] = {
    "unreadable": gettext_noop("the seal file cannot be read"),
    "password": gettext_noop("the seal's password is wrong, or the file is not a PKCS#12 seal"),
    "incomplete": gettext_noop("the seal file holds no key and certificate"),
    "expired": gettext_noop("the seal's certificate expired on %(date)s"),
    "not_yet_valid": gettext_noop("the seal's certificate is valid only from %(date)s"),
    "unloadable": gettext_noop("the seal could not be loaded"),
    "unavailable": gettext_noop("the seal cannot sign now"),
    # Not the seal: anything else that went wrong while drawing or signing the PDF.
    "failed": gettext_noop("an unexpected error stopped the signing; the details are in the "
                           "server log"),
}


class SealUnavailable(Exception):
    """The seal cannot sign now (file missing or unreadable, wrong password, certificate
    expired): approval goes on, the PDF stays unsigned and says so, the admins are told (a
    notification, `reason`) and the log keeps the detail (the exception's text).

    `problem` is a key of SEAL_PROBLEMS; a remote signer (ALUR_SIGNER) may leave it out."""

    def __init__(self, detail: str, problem: str = "unavailable", **fields: str) -> None:
        super().__init__(detail)
        self.problem = problem if problem in SEAL_PROBLEMS else "unavailable"
        self.fields = fields

    def reason(self) -> str:
        """Why, for people, in the active language."""
        return gettext(SEAL_PROBLEMS[self.problem]) % self.fields


class Pkcs12Signer:
    """An institutional seal from a PKCS#12 file, signing PAdES with pyHanko."""

    FIELD = "SegelElektronik"

    def __init__(self, path: Path | str, password: str | bytes | None = None,
                 now: dt.datetime | None = None) -> None:
        from cryptography.hazmat.primitives.serialization import Encoding, pkcs12
        from cryptography.x509.oid import NameOID

        self.path = Path(path)
        secret = password.encode() if isinstance(password, str) else password
        try:
            data = self.path.read_bytes()
        except OSError as error:
            raise SealUnavailable(f"signing seal {self.path} cannot be read: {error}",
                                  "unreadable") from None
        try:
            key, cert, _extra = pkcs12.load_key_and_certificates(data, secret or None)
        except ValueError:
            raise SealUnavailable(f"signing seal {self.path}: wrong password or not a PKCS#12 "
                                  "file", "password") from None
        if key is None or cert is None:
            raise SealUnavailable(f"signing seal {self.path} holds no key and certificate",
                                  "incomplete")
        moment = now or dt.datetime.now(dt.UTC)
        start, end = cert.not_valid_before_utc, cert.not_valid_after_utc
        if not start <= moment <= end:
            raise SealUnavailable(
                f"signing seal {self.path}: certificate valid from {start:%Y-%m-%d} to "
                f"{end:%Y-%m-%d}", "expired" if moment > end else "not_yet_valid",
                date=f"{end if moment > end else start:%d-%m-%Y}")
        self._data, self._secret = data, secret
        self._der = cert.public_bytes(Encoding.DER)
        names = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        self.subject = str(names[0].value) if names else cert.subject.rfc4514_string()
        self.demo = DEMO_MARK in cert.subject.rfc4514_string()
        self.description = (DEMO_DESCRIPTION if self.demo
                            else f"Segel elektronik instansi: {self.subject} (PKCS#12)")
        self.valid_until = cert.not_valid_after_utc

    def certificate(self) -> bytes | None:
        return self._der

    def sign(self, pdf: bytes, *, reason: str, location: str) -> bytes:
        from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
        from pyhanko.sign import fields, signers

        signer = signers.SimpleSigner.load_pkcs12_data(self._data, other_certs=[],
                                                       passphrase=self._secret)
        if signer is None:
            raise SealUnavailable(f"signing seal {self.path} could not be loaded", "unloadable")
        metadata = signers.PdfSignatureMetadata(
            field_name=self.FIELD, reason=reason, location=location,
            subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256")
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
        signed = outside_event_loop(lambda: signers.sign_pdf(writer, metadata, signer=signer))
        return signed.getvalue()


def configured_signer() -> Signer | None:
    """The default ALUR_SIGNER: the agency's PKCS#12 seal, else the demo seal, else None.
    Raises SealUnavailable when the configured seal cannot sign."""
    if settings.ALUR_SIGNING_PKCS12:
        return Pkcs12Signer(settings.ALUR_SIGNING_PKCS12, settings.ALUR_SIGNING_PKCS12_PASSWORD)
    demo = Path(settings.ALUR_SIGNING_DEMO_PKCS12)
    if demo.exists():
        return Pkcs12Signer(demo)
    return None


def current_signer() -> Signer | None:
    """The installation's signer (ALUR_SIGNER), or None when documents are not signed."""
    factory = import_string(settings.ALUR_SIGNER)
    signer: Signer | None = factory()
    return signer


def ensure_demo_seal() -> bool:
    """`alur demo`: make the demo seal under the data folder unless an agency seal is set or
    the demo seal exists. True when it was made."""
    from .demo_seal import ensure_demo_seal as make_once

    if settings.ALUR_SIGNING_PKCS12:
        return False
    return make_once(Path(settings.ALUR_SIGNING_DEMO_PKCS12))
