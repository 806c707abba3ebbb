"""PDF documents with a text layer, measured into the import middle (`grid.Measured`).

A PDF keeps no tables and no flowchart symbols, only what was painted: characters, straight
lines, rectangles, paths and pictures with their coordinates (pdfplumber gives each as plain
data). This reader recovers the middle layer from them, and nothing more. Every page goes on
ONE surface, each below the previous one (y = the heights of the pages before it + y on the
page), so a step table that continues on the next page stays one sequence of grids and
off-page connector pairs can be joined; every place names its page.

This module is the entry (`measure_pdf`, `read_pdf`) and what can go wrong with the file as a
whole (not a PDF, a password, damage, too many pages, a scanned page). Each step of reading a
page has its own module, each with one reason to change:

- `pdf_objects`: pdfplumber's page objects as plain data (the only reader of pdfplumber pages);
- `pdf_geometry`: that data (segments, shapes, paths) and the spatial index matching it;
- `pdf_shapes`: a closed outline → the symbol it draws (rectangle, diamond, capsule, pentagon);
- `pdf_flow`: which open paths are flow lines (they lead to an arrowhead);
- `pdf_ruling`: ruling → table grids with merged cells;
- `pdf_text`: words → lines → paragraphs (where a line was broken only for width);
- `pdf_page`: one page into the surface (tables, symbols, labels, lines, text).

The drawing is interpreted once, for every format, by `drawing.measured_blocks`.
"""

from __future__ import annotations

import io
import itertools
import logging
from typing import TYPE_CHECKING

from alur.i18n import N_
from alur.sop.codes import E, W, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .grid import Grid, Line, Measured, Place, Surface
from .pdf_objects import collect
from .pdf_page import PageReader, scanned
from .progress import each_page

if TYPE_CHECKING:
    from pdfminer.pdfdocument import PDFDocument

IMPORT_PDF_UNREADABLE = register(
    "import.pdf-unreadable", E,
    "a PDF that cannot be opened: not a PDF, damaged beyond repair, or protected by a password",
    {"not-pdf": N_("The file is not a PDF document (it cannot be opened as one)."),
     "broken": N_("The PDF is damaged and cannot be read ({detail}). Open it in a PDF reader and "
                  "print it again to a new PDF, or export it again from Word."),
     "encrypted": N_("The PDF is protected with a password. Remove the protection (or export "
                     "the document again without a password) and import again.")})
IMPORT_PDF_TOO_LONG = register(
    "import.pdf-too-many-pages", E,
    "a PDF with more pages than the import limit (a setting); nothing is read",
    N_("The PDF has {count} pages; at most {limit} pages are imported at once. Split the "
       "document (for example one SOP per file) and import the parts."))
IMPORT_PDF_NO_TEXT = register(
    "import.pdf-no-text", W,
    "a PDF page without a text layer (a scanned page): it needs OCR before it can be read",
    N_("Page {page} has no text, only a picture (a scan). It needs text recognition (OCR) "
       "before it can be read; the other pages are read."))
IMPORT_PDF_PAGE_FAILED = register(
    "import.pdf-page-unreadable", W,
    "one PDF page whose content cannot be read (damaged content); the other pages are read",
    N_("Page {page} cannot be read ({detail}); the other pages are read."))

MAX_PAGES = 300          # pages read from one PDF (a setting: `measure_pdf(max_pages=…)`)

logging.getLogger("pdfminer").setLevel(logging.ERROR)


def _unreadable(variant: str, file: str | None, detail: str = "") -> Measured:
    return Measured(findings=[IMPORT_PDF_UNREADABLE(variant, detail=detail).at(file=file)])


def _page_count(document: PDFDocument) -> int | None:
    from pdfminer.pdftypes import resolve1

    try:
        pages = resolve1(document.catalog.get("Pages"))
        count = resolve1(pages.get("Count")) if isinstance(pages, dict) else None
        return int(count) if isinstance(count, (int, float)) else None
    except Exception:
        return None


def measure_pdf(data: bytes, *, file: str | None = None, max_pages: int = MAX_PAGES
                ) -> Measured:
    """A PDF's pages, stacked on one surface, as grids, lines and drawn objects. Problems are
    findings: a scanned page, a password, a damaged file, too many pages."""
    import pdfplumber
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    if b"%PDF-" not in data[:1024]:
        return _unreadable("not-pdf", file)
    try:
        pdf = pdfplumber.open(io.BytesIO(data))
    except Exception as exc:
        if _encrypted(exc):
            return _unreadable("encrypted", file)
        return _unreadable("broken", file, _detail(exc))
    measured = Measured()
    surface = Surface(place=Place(page=1))
    items: list[tuple[float, Line | Grid]] = []
    ids = itertools.count(1)
    with pdf:
        count = _page_count(pdf.doc)
        if count is not None and count > max_pages:
            measured.findings.append(IMPORT_PDF_TOO_LONG(count=count, limit=max_pages).at(
                file=file))
            return measured
        dy = 0.0
        try:
            page_objects = PDFPage.create_pages(pdf.doc)
            for number, page_object in enumerate(each_page(page_objects, count), start=1):
                if number > max_pages:
                    measured.findings.append(IMPORT_PDF_TOO_LONG(
                        count=f"{max_pages}+", limit=max_pages).at(file=file))
                    return Measured(findings=measured.findings)
                page = Page(pdf, page_object, page_number=number, initial_doctop=dy)
                try:
                    collected = collect(page, number, dy)
                    height = collected.height
                    if scanned(collected):
                        measured.findings.append(IMPORT_PDF_NO_TEXT(page=number).at(
                            file=file, page=number))
                    elif collected.words:
                        items.extend(PageReader(collected, surface, ids).read())
                except Exception as exc:
                    if _encrypted(exc):
                        raise
                    height = float(page.height or 0.0)
                    measured.findings.append(IMPORT_PDF_PAGE_FAILED(
                        page=number, detail=_detail(exc)).at(file=file, page=number))
                finally:
                    page.close()
                dy += height
        except Exception as exc:
            if _encrypted(exc):
                return _unreadable("encrypted", file)
            return _unreadable("broken", file, _detail(exc))
    items.sort(key=lambda item: item[0])
    surface.items = [item for _y, item in items]
    measured.surfaces.append(surface)
    return measured


def _causes(exc: BaseException) -> list[BaseException]:
    """The exception and what it wraps (pdfplumber wraps pdfminer's errors)."""
    found: list[BaseException] = []
    queue: list[BaseException | None] = [exc]
    while queue and len(found) < 10:
        current = queue.pop(0)
        if current is None or current in found:
            continue
        found.append(current)
        queue.extend([current.__cause__, current.__context__,
                      *(a for a in current.args if isinstance(a, BaseException))])
    return found


def _encrypted(exc: BaseException) -> bool:
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    return any(isinstance(e, (PDFPasswordIncorrect, PDFEncryptionError)) for e in _causes(exc))


def _detail(exc: BaseException) -> str:
    exc = _causes(exc)[-1]
    text = str(exc).strip()
    return (text[:120] if text else type(exc).__name__)


def read_pdf(data: bytes, *, file: str | None = None, taken_ids: set[str] | None = None
             ) -> tuple[list[Sop], list[Finding]]:
    """A PDF with a text layer → SOPs, through the same mapper and reader as Word and Excel."""
    from .office import read_measured

    return read_measured(lambda raw: measure_pdf(raw, file=file), data, file=file,
                         taken_ids=taken_ids)


__all__ = ["MAX_PAGES", "measure_pdf", "read_pdf"]
