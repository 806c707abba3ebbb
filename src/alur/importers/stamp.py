"""Electronic-signature stamps added on top of a signed document (BSrE and similar): a footer
line "Dokumen ini telah ditandatangani secara elektronik …" and a QR code.

The stamp is not part of the SOP: its lines are taken out before the document is read (they
would otherwise be reported as unrecognised text), and it is reported as the document's
signature. When it names the signer and the identity sheet names no approver, the signer fills
the approver — said in a finding, since the stamp, not the identity sheet, says it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from alur.i18n import N_
from alur.sop.codes import INFO, register
from alur.sop.findings import Finding, Location
from alur.sop.model import Sop

from .cells import cell_text, fold
from .grid import Drawn, Grid, Line, Measured, Place
from .identity import find_nip

IMPORT_SIGNATURE_STAMP = register(
    "import.signature-stamp", INFO,
    "an electronic-signature stamp (footer line, QR code) on the document: reported as its "
    "signature, not read as part of the SOP",
    {"": N_("The document carries an electronic signature stamp: '{text}'. It is not part of "
            "the SOP."),
     "fills": N_("The document carries an electronic signature stamp: '{text}'. The identity "
                 "sheet names no approver, so the signer '{name}' from the stamp is taken as "
                 "the approver (inferred: check it).")})

_STAMP = re.compile(
    r"(ditandatangani\s+secara\s+elektronik|tanda\s*tangan(an)?\s+elektronik|"
    r"sertifikat\s+elektronik|\bBSrE\b|balai\s+sertifikasi\s+elektronik|"
    r"dokumen\s+ini\s+(telah\s+)?(sah|ditandatangani))", re.IGNORECASE)
_SIGNER = re.compile(r"\boleh\s*:?\s*(?P<name>[A-Z][A-Za-z.,' ]{3,80}?)\s*,?"
                     r"(?=\s*NIP\b|\s*$|\s+(?:menggunakan|dengan|pada|tanggal|selaku)\b|;)")
_QR_SIZE = (28.0, 160.0)   # a QR code's side on the page, in points


@dataclass(frozen=True)
class Stamp:
    text: str
    signer: str
    nip: str
    place: Place


def take_stamps(measured: Measured) -> list[Stamp]:
    """The stamps on a measured document; their lines and QR codes are taken out of it."""
    stamps: list[Stamp] = []
    for surface in measured.surfaces:
        kept: list[Line | Grid] = []
        for item in surface.items:
            text = fold(cell_text(item.raw)) if isinstance(item, Line) else ""
            if text and _STAMP.search(text):
                signer = _SIGNER.search(text)
                nip, _rest = find_nip(text)
                stamps.append(Stamp(text, fold(signer.group("name")) if signer else "", nip,
                                    item.place))
                continue
            kept.append(item)
        surface.items = kept
        if stamps:
            surface.drawn = [d for d in surface.drawn if not _qr_like(d)]
    return stamps


def _qr_like(drawn: Drawn) -> bool:
    """A square picture of a QR code's size, beside a stamp."""
    low, high = _QR_SIZE
    return drawn.kind == "other" and drawn.geometry in ("image", "picture") and \
        low <= drawn.box.w <= high and abs(drawn.box.w - drawn.box.h) <= 0.15 * drawn.box.w


def apply_stamps(sops: list[Sop], stamps: list[Stamp], *, file: str | None
                 ) -> tuple[list[Sop], list[Finding]]:
    """Each stamp reported; a signer fills an approver the identity sheet left empty."""
    findings: list[Finding] = []
    filled: list[Sop] = []
    stamp = next((s for s in stamps if s.signer), None)
    for sop in sops:
        if stamp is not None and not sop.approved_by.name:
            approver = sop.approved_by.model_copy(update={
                "name": stamp.signer, "nip": sop.approved_by.nip or stamp.nip})
            sop = sop.model_copy(update={"approved_by": approver})
            findings.append(IMPORT_SIGNATURE_STAMP("fills", text=_short(stamp.text),
                                                   name=stamp.signer).at(
                **Location(file=file, sop=sop.id, **stamp.place.location())))
        filled.append(sop)
    for each in stamps:
        if each is stamp and findings:
            continue
        findings.append(IMPORT_SIGNATURE_STAMP(text=_short(each.text)).at(
            **Location(file=file, **each.place.location())))
    return filled, findings


def _short(text: str, limit: int = 160) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
