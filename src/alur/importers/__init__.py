"""Importers: documents agencies already have → `alur-sop/1` SOPs, with findings for all that
could not be read. Each source format reduces to blocks; one reader recovers SOPs from them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from alur.i18n import N_
from alur.sop import check
from alur.sop.codes import E, register
from alur.sop.findings import Finding, Severity
from alur.sop.model import Sop

from .actors import propose_applicants
from .blocks import Block
from .codes import IMPORT_BINARY, IMPORT_ENCODING, IMPORT_NO_SOP, IMPORT_UNREADABLE
from .html import html_blocks
from .pdftext import looks_like_pdf_copy, read_pdf_copy
from .reader import read_blocks
from .text import text_blocks

__all__ = ["IMPORTABLE_SUFFIXES", "MAX_SOPS_PER_FILE", "MAX_STEPS_PER_SOP", "Block",
           "ImportResult", "import_paths", "read_document", "read_text"]

# What one document may hold. A real SOP book holds tens of SOPs of tens of steps; past these
# bounds the rest is left out with a finding (import.cap-sops, import.cap-steps), so a hostile
# or broken file (10,000 headings, a 3,000-row table) cannot hold a worker.
MAX_SOPS_PER_FILE = 300
MAX_STEPS_PER_SOP = 500

IMPORT_OCR_OFF = register(
    "import.ocr-off", E, "a scanned image imported with OCR turned off",
    N_("This is a scanned image; it is read only with OCR, which was turned off (--no-ocr)."))


TEXT_SUFFIXES = {".txt", ".tsv", ".text", ".csv"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
MERMAID_SUFFIXES = {".mmd", ".mermaid"}
BPMN_SUFFIXES = {".bpmn", ".bpmn2"}
OFFICE_SUFFIXES = {".docx", ".xlsx", ".doc", ".xls", ".odt", ".ods"}
PDF_SUFFIXES = {".pdf"}
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff"}
# Every kind of document `read_document` reads, for folder imports and upload forms.
IMPORTABLE_SUFFIXES = frozenset(TEXT_SUFFIXES | HTML_SUFFIXES | MARKDOWN_SUFFIXES |
                                MERMAID_SUFFIXES | BPMN_SUFFIXES | OFFICE_SUFFIXES |
                                PDF_SUFFIXES | IMAGE_SUFFIXES)


@dataclass
class ImportResult:
    """SOPs found and everything said about reading (and, for `import_paths`, checking) them."""

    sops: list[Sop] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)

    def extend(self, other: ImportResult) -> None:
        self.sops.extend(other.sops)
        self.findings.extend(other.findings)


def _looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html")) or ("<table" in head and "<tr" in text)


def read_text(text: str, *, file: str | None = None, kind: str | None = None,
              taken_ids: set[str] | None = None) -> ImportResult:
    """Read a document's text. `kind` is 'text' or 'html'; None sniffs the content."""
    kind = kind or ("html" if _looks_like_html(text) else "text")
    caps = {"max_sops": MAX_SOPS_PER_FILE, "max_steps": MAX_STEPS_PER_SOP}
    if kind == "text" and looks_like_pdf_copy(text):  # a PDF's text, copied without tabs
        sops, findings = read_pdf_copy(text, file=file, taken_ids=taken_ids, **caps)
    else:
        layout: list[Finding] = []
        blocks = html_blocks(text, layout) if kind == "html" else text_blocks(text)
        sops, findings = read_blocks(blocks, file=file, taken_ids=taken_ids, **caps)
        findings = [f.model_copy(update={"file": file}) for f in layout] + findings
    return _result(sops, findings, file=file)


def _read_pdf(path: Path, data: bytes, taken_ids: set[str] | None, *, ocr: bool
              ) -> tuple[list[Sop], list[Finding]]:
    """A PDF by its text layer; a PDF whose pages have none (a scan) by OCR when `ocr`."""
    from .pdf import IMPORT_PDF_NO_TEXT, read_pdf

    sops, findings = read_pdf(data, file=str(path), taken_ids=taken_ids)
    scanned = any(f.code == IMPORT_PDF_NO_TEXT.code for f in findings)
    if not (ocr and scanned and not sops):
        return sops, findings
    from .scan import read_scan

    kept = [f for f in findings if f.code != IMPORT_PDF_NO_TEXT.code]
    scan_sops, scan_findings = read_scan(data, file=str(path), taken_ids=taken_ids)
    return scan_sops, kept + scan_findings


def _read_image(path: Path, data: bytes, taken_ids: set[str] | None
                ) -> tuple[list[Sop], list[Finding]]:
    """A scanned page as an image file (PNG, JPEG, TIFF: each frame a page)."""
    import io

    from PIL import Image, ImageSequence, UnidentifiedImageError

    from .scan import read_scan_images

    try:
        with Image.open(io.BytesIO(data)) as image:
            pages = [frame.copy() for frame in ImageSequence.Iterator(image)]
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return [], [IMPORT_BINARY().at(file=str(path))]
    return read_scan_images(pages, file=str(path), taken_ids=taken_ids)


def _read_binary(path: Path, data: bytes, taken_ids: set[str] | None, *,
                 ocr: bool = True) -> ImportResult | None:
    """Word, Excel, PDF and scanned documents, by name or by content; None for anything
    else."""
    from .office import CONVERTED_SUFFIXES, read_converted, read_docx, read_xlsx

    suffix = path.suffix.lower()
    zipped = data[:2] == b"PK"
    if suffix in PDF_SUFFIXES or data[:5] == b"%PDF-":
        sops, findings = _read_pdf(path, data, taken_ids, ocr=ocr)
    elif suffix in IMAGE_SUFFIXES:
        if not ocr:
            return ImportResult([], [IMPORT_OCR_OFF().at(file=str(path))])
        sops, findings = _read_image(path, data, taken_ids)
    elif suffix in CONVERTED_SUFFIXES:
        sops, findings = read_converted(path, taken_ids=taken_ids)
    elif suffix == ".docx" or (zipped and b"word/" in data[:100_000] and suffix != ".xlsx"):
        sops, findings = read_docx(data, file=str(path), taken_ids=taken_ids)
    elif suffix == ".xlsx" or (zipped and b"xl/" in data[:100_000]):
        sops, findings = read_xlsx(data, file=str(path), taken_ids=taken_ids)
    else:
        return None
    return _result(sops, findings, file=str(path))


def _result(sops: list[Sop], findings: list[Finding], *, file: str | None) -> ImportResult:
    """A reader's SOPs, with the applicant columns proposed from their names, and findings;
    a document with no SOP and no error says so."""
    sops = [sop.model_copy(update={"actors": propose_applicants(sop.actors)}) for sop in sops]
    result = ImportResult(sops, findings)
    if not sops and not any(f.severity is Severity.ERROR for f in findings):
        result.findings.append(IMPORT_NO_SOP().at(file=file))
    return result


def read_document(path: str | Path, *, taken_ids: set[str] | None = None,
                  ocr: bool = True) -> ImportResult:
    """Read one file by its kind; unreadable files become findings, never exceptions.
    `ocr=False` leaves scanned pages unread (with a finding) instead of running Tesseract."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ImportResult([], [IMPORT_UNREADABLE(reason=exc.strerror).at(file=str(path))])
    office = _read_binary(path, data, taken_ids, ocr=ocr)
    if office is not None:
        return office
    suffix = path.suffix.lower()
    if suffix in BPMN_SUFFIXES or (suffix == ".xml" and b"/BPMN/" in data[:4096]):
        from .bpmn import read_bpmn

        return _result(*read_bpmn(data, file=str(path), taken_ids=taken_ids), file=str(path))
    text, encoding_finding = _decode(data, str(path))
    if encoding_finding is not None and encoding_finding.severity is Severity.ERROR:
        return ImportResult([], [encoding_finding])
    if suffix in MARKDOWN_SUFFIXES or suffix in MERMAID_SUFFIXES:
        from .markdown import read_markdown
        from .mermaid import read_mermaid

        read = read_markdown if suffix in MARKDOWN_SUFFIXES else read_mermaid
        result = _result(*read(text, file=str(path), taken_ids=taken_ids), file=str(path))
        if encoding_finding:
            result.findings.insert(0, encoding_finding)
        return result
    kind = "html" if suffix in HTML_SUFFIXES else ("text" if suffix in TEXT_SUFFIXES else None)
    result = read_text(text, file=str(path), kind=kind, taken_ids=taken_ids)
    if encoding_finding:
        result.findings.insert(0, encoding_finding)
    return result


def _decode(data: bytes, file: str) -> tuple[str, Finding | None]:
    if b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "", IMPORT_BINARY().at(file=file)
    for encoding in ("utf-8-sig", "utf-16"):
        if encoding == "utf-16" and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
            continue
        try:
            return data.decode(encoding), None
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace"), IMPORT_ENCODING().at(file=file)


def import_paths(paths: Iterable[str | Path], *, run_checks: bool = True) -> ImportResult:
    """Read many documents into one library; ids stay unique across them. With `run_checks`,
    each SOP's checker findings follow the reading findings."""
    result = ImportResult()
    taken: set[str] = set()
    for path in paths:
        result.extend(read_document(path, taken_ids=taken))
    if run_checks:
        known = {s.id for s in result.sops}
        for sop in result.sops:
            result.findings.extend(check(sop, known_sops=known))
    return result
