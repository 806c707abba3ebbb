"""Scanned SOP pages (images, or PDF pages with no text layer) measured into the import middle
(`grid.Measured`) by image analysis and OCR: the page reader.

Offices often keep only a scan of the signed SOP. Nothing in an image says where a table or a
symbol is, so the scan reader measures what a PDF would have recorded. Each part has its own
module, so that each changes for one reason:

- `scan_image`: grey at a known resolution, deskewed, black and white without dust.
- `scan_tables`: ruling → table grids (merged cells where an inner rule is missing).
- `scan_shapes`: symbols, flow segments and arrowheads in the strokes left without ruling
  (shared with `picture`, which reads a flowchart pasted as one picture the same way).
- `scan_ocr`: Tesseract's words and their regrouping into lines and paragraphs.
- this module: one page put together — words into cells and symbols, labels over the
  flowchart, findings — and the entry points.

Tesseract reads the page once, with the ruling, the symbol outlines and the long flow lines
erased so they are not read as letters; a connector's letter is read again as one word
(`--psm 8`). Each word goes to the cell (or symbol) holding its centre; a cell's lines are
rejoined into `<p>` paragraphs. Words in a cell of a column that holds symbols are labels
(Ya/Tidak) for the mapper, as the PDF reader does; words outside every table are `Line`s. A page
whose writing runs up the page (a landscape SOP fed as a portrait sheet), or that OCR reads
badly, is turned upright by Tesseract's orientation detection (once; ~2.5 s).

Every value is inferred: each page gets one finding saying it was read by OCR, and each cell
with words read below `scan_ocr.LOW_CONFIDENCE` gets one finding listing them at its place.
Tesseract missing is one error finding saying how to install it. Coordinates are points
(1/72 in), y downwards, pages stacked on one surface as in the PDF reader.
"""

from __future__ import annotations

import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from alur.i18n import N_
from alur.sop.codes import INFO, E, W, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from . import scan_image, scan_ocr, scan_shapes, scan_tables
from .grid import JUMP_KINDS, Box, Drawn, Grid, GridCell, Line, Measured, Place, Surface
from .progress import each_page
from .scan_ocr import tesseract_command

IMPORT_SCAN_NO_OCR = register(
    "import.scan-no-ocr", E,
    "a scanned page (no text layer) and no Tesseract OCR installed to read it",
    N_("This document is a scan (an image without text), which is read by the Tesseract OCR "
       "program, not installed on this server. Ask the administrator to install it (Debian/"
       "Ubuntu: apt-get install tesseract-ocr tesseract-ocr-ind), or import the original Word, "
       "Excel or PDF file instead of the scan."))
IMPORT_SCAN_OCR = register(
    "import.scan-ocr", INFO,
    "a scanned page whose text was read by OCR; every value on it is inferred",
    N_("Page {page} is a scan; its text was read by OCR (average confidence {confidence}%). "
       "Check the imported steps, actors and times against the original."))
IMPORT_SCAN_LOW_CONFIDENCE = register(
    "import.scan-low-confidence", W,
    "words in a cell that OCR read with low confidence; they may be wrong",
    N_("On page {page}, OCR is unsure of these words in the cell at row {row}, column "
       "{column}: {words}. Check them against the original."))
IMPORT_SCAN_EMPTY = register(
    "import.scan-empty", W,
    "a scanned page where neither a table nor text could be recognised",
    N_("Page {page} is an image in which no table and no text could be recognised (a photo, "
       "a blank page, or a scan that is too faint or too small). Nothing is read from it."))
IMPORT_SCAN_FAILED = register(
    "import.scan-failed", E,
    "OCR failed on a scanned page (Tesseract error or time limit)",
    N_("Page {page} could not be read by OCR ({reason}); it is skipped."))


# -- one page -----------------------------------------------------------------------------------

@dataclass
class _PageResult:
    items: list[Line | Grid]
    drawn: list[Drawn]
    findings: list[Finding]
    height: float  # points


def _measure_page(image: Any, number: int, dy: float, file: str | None, languages: str, *,
                  dpi: float | None = None, turned: bool = False) -> _PageResult:
    import cv2
    import numpy as np

    grey, own_dpi = scan_image.grey(image)
    dpi = dpi or own_dpi
    grey, _angle = scan_image.deskewed(grey, dpi)
    scale = 72.0 / dpi
    place = Place(page=number)
    ink = scan_image.binary(grey)
    horizontal, vertical = scan_tables.ruling(ink, dpi)
    tables, rules = scan_tables.find_tables(horizontal, vertical, dpi)
    found = scan_shapes.find_drawing(ink, rules, tables, dpi)
    ruling, shapes, segments = found.ruling, found.shapes, found.segments
    outline = max(int(dpi / 72 * 2.5), 3)

    # What OCR sees: the page without its ruling, symbol outlines and flow lines.
    clean = grey.copy()
    clean[ruling > 0] = 255
    lines = cv2.dilate(found.segment_pixels, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    clean[lines > 0] = 255
    for shape in shapes:
        cv2.drawContours(clean, [shape.contour], -1, 255, outline * 2)
    clean = scan_image.despeckled(cv2.threshold(cv2.GaussianBlur(clean, (3, 3), 0), 0, 255,
                                                cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1], dpi)
    words = scan_ocr.ocr(clean, languages)
    if not turned and (scan_image.sideways(clean, dpi) or not words
                       or median(w.confidence for w in words) < scan_ocr.LOW_CONFIDENCE):
        # Writing that runs up the page, or is read this badly, may be on its side: ask
        # Tesseract's orientation detection once.
        upright = scan_ocr.turned(grey)
        if upright is not None:
            return _measure_page(upright, number, dy, file, languages, dpi=dpi, turned=True)
    words += scan_ocr.narrow_columns(clean, tables, words, dpi, languages)
    if words:
        # Specks and arrowheads read as letters are far smaller than the page's writing.
        usual = median(w.box.h for w in words)
        words = [w for w in words if w.box.h >= usual * 0.5 or w.confidence >= 90]

    def to_points(box: Box) -> Box:
        return Box(box.x0 * scale, box.y0 * scale + dy, box.x1 * scale, box.y1 * scale + dy)

    findings: list[Finding] = []
    drawn: list[Drawn] = []
    shape_words: dict[int, list[scan_ocr.Word]] = {}
    cell_words: dict[tuple[int, tuple[int, int]], list[scan_ocr.Word]] = {}
    outside: list[scan_ocr.Word] = []
    for word in words:
        holder = next((i for i, s in enumerate(shapes) if s.box.contains(word.centre)), None)
        if holder is not None:
            shape_words.setdefault(holder, []).append(word)
            continue
        for t, table in enumerate(tables):
            located = scan_tables.locate(table, word.centre)
            if located is not None:
                cell_words.setdefault((t, table.cell_of.get(located, located)), []).append(word)
                break
        else:
            outside.append(word)

    for i, shape in enumerate(shapes):
        if shape.kind in JUMP_KINDS:
            # A connector's lone letter is what sparse-text OCR skips or garbles: read it again
            # as one word (--psm 8; as one character, --psm 10, it read 'aA').
            b = shape.box
            pad = max(int(dpi / 72 * 2.5), 2)  # inside the outline
            crop = clean[int(b.y0) + pad:int(b.y1) - pad, int(b.x0) + pad:int(b.x1) - pad]
            if crop.size:
                letter = [w for w in scan_ocr.ocr(crop, languages, "--oem 1 --psm 8")
                          if re.fullmatch(r"\w{1,3}", w.text)]
                shape_words[i] = letter or shape_words.get(i, [])
        text = " ".join(" ".join(w.text for w in line)
                        for line in scan_ocr.text_lines(shape_words.get(i, [])))
        drawn.append(Drawn(id=f"scan-{number}-{i + 1}", kind=shape.kind, box=to_points(shape.box),
                           text=text, place=place, geometry=shape.geometry))
    # A stroke under a word read with confidence is part of the writing (a bold letter's bar,
    # an underline), not of the flow.
    written = [w.box for w in words if w.confidence >= 80 and re.search(r"\w{2}", w.text)]
    segments = [segment for segment in segments
                if not any(box.contains(segment.ends[0], 2) and box.contains(segment.ends[1], 2)
                           for box in written)]
    for k, segment in enumerate(segments):
        (x0, y0), (x1, y1) = segment.ends
        ends = ((x0 * scale, y0 * scale + dy), (x1 * scale, y1 * scale + dy))
        box = Box(min(ends[0][0], ends[1][0]), min(ends[0][1], ends[1][1]),
                  max(ends[0][0], ends[1][0]), max(ends[0][1], ends[1][1]))
        drawn.append(Drawn(id=f"scan-{number}-l{k + 1}", kind="line", box=box, ends=ends,
                           arrow=segment.arrow, place=place, geometry="stroke"))

    # Text in a column that holds symbols, from the first row with a symbol down, is a label
    # drawn over the flowchart (Ya/Tidak), not the cell's content.
    symbol_columns: dict[tuple[int, int], int] = {}
    for t, table in enumerate(tables):
        for shape in shapes:
            located = scan_tables.locate(table, shape.box.centre)
            if located is not None:
                key = (t, located[1])
                symbol_columns[key] = min(symbol_columns.get(key, located[0]), located[0])
    first_symbol_row = {t: min((r for (tt, _), r in symbol_columns.items() if tt == t),
                               default=None) for t in range(len(tables))}
    items: list[tuple[float, Line | Grid]] = []
    for t, table in enumerate(tables):
        cells = []
        for r, c, rowspan, colspan in table.spans:
            in_cell = cell_words.get((t, (r, c)), [])
            first = first_symbol_row[t]
            if (t, c) in symbol_columns and colspan == 1 and first is not None and r >= first:
                for line in scan_ocr.text_lines(in_cell):
                    box = Box(min(w.box.x0 for w in line), min(w.box.y0 for w in line),
                              max(w.box.x1 for w in line), max(w.box.y1 for w in line))
                    drawn.append(Drawn(id=f"scan-{number}-t{len(drawn) + 1}", kind="text",
                                       box=to_points(box),
                                       text=scan_ocr.exit_word(" ".join(w.text for w in line)),
                                       place=place, geometry="ocr-text"))
                raw = ""
            else:
                raw = scan_ocr.raw_html(scan_ocr.paragraphs(scan_ocr.text_lines(in_cell)))
            unsure = [w.text for w in in_cell if w.confidence < scan_ocr.LOW_CONFIDENCE]
            if unsure:
                findings.append(IMPORT_SCAN_LOW_CONFIDENCE(
                    page=number, row=r + 1, column=c + 1,
                    words=", ".join(f"'{w}'" for w in unsure[:12])).at(
                        file=file, page=number, table=t + 1, row=r + 1))
            cells.append(GridCell(r, c, raw, rowspan, colspan, Place(page=number, table=t + 1,
                                                                     row=r + 1)))
        grid = Grid(columns=[(table.xs[i] * scale, table.xs[i + 1] * scale)
                             for i in range(len(table.xs) - 1)],
                    rows=[(table.ys[i] * scale + dy, table.ys[i + 1] * scale + dy)
                          for i in range(len(table.ys) - 1)],
                    cells=cells, place=place,
                    row_places=[Place(page=number, row=i + 1) for i in range(len(table.ys) - 1)])
        items.append((table.ys[0], grid))
    for line in scan_ocr.text_lines(outside):
        text = " ".join(w.text for w in line)
        if re.search(r"\w{2}", text):
            items.append((min(w.box.y0 for w in line), Line(html.escape(text, quote=False),
                                                            place)))
    items.sort(key=lambda pair: pair[0])

    if not tables and not any(isinstance(item, Line) for _, item in items):
        findings.append(IMPORT_SCAN_EMPTY(page=number).at(file=file, page=number))
    elif words:
        confidence = round(float(np.mean([w.confidence for w in words])))
        findings.insert(0, IMPORT_SCAN_OCR(page=number, confidence=confidence).at(
            file=file, page=number))
    return _PageResult([item for _, item in items], drawn, findings,
                       grey.shape[0] * scale)


# -- entry points -------------------------------------------------------------------------------

def _no_ocr(file: str | None) -> Measured:
    return Measured([], [IMPORT_SCAN_NO_OCR().at(file=file)])


def measure_scan(images: Iterable[Any], *, file: str | None = None,
                 pages: int | None = None) -> Measured:
    """Scanned pages (PIL images or numpy arrays, one per page) on one surface, each page
    below the previous one; `pages`, when known, is how many there are (for the progress)."""
    import cv2

    if tesseract_command() is None:
        return _no_ocr(file)
    surface = Surface(place=Place(page=1))
    measured = Measured([surface], [])
    languages, missing = scan_ocr.languages()
    if missing is not None:
        measured.findings.append(missing.at(file=file))
    dy = 0.0
    for number, image in enumerate(each_page(images, pages), start=1):
        try:
            page = _measure_page(image, number, dy, file, languages)
        except RuntimeError as exc:  # pytesseract's time limit
            measured.findings.append(IMPORT_SCAN_FAILED(page=number, reason=str(exc)[:120]).at(
                file=file, page=number))
            continue
        except OSError as exc:  # Tesseract could not start or failed
            measured.findings.append(IMPORT_SCAN_FAILED(
                page=number, reason=(exc.strerror or str(exc))[:120]).at(file=file, page=number))
            continue
        except cv2.error as exc:  # an image OpenCV cannot work on (a degenerate size)
            measured.findings.append(IMPORT_SCAN_FAILED(
                page=number, reason=str(exc).strip().splitlines()[-1][:120]).at(
                    file=file, page=number))
            continue
        surface.items.extend(page.items)
        surface.drawn.extend(page.drawn)
        measured.findings.extend(page.findings)
        dy += page.height
    return measured


def measure_scanned_pdf(data: bytes, *, file: str | None = None, max_pages: int = 300
                        ) -> Measured:
    """A PDF of scanned pages: each page rendered at `scan_image.DPI` and measured as an image."""
    import pypdfium2 as pdfium

    from .pdf import IMPORT_PDF_TOO_LONG, IMPORT_PDF_UNREADABLE

    if tesseract_command() is None:
        return _no_ocr(file)
    try:
        document = pdfium.PdfDocument(io.BytesIO(data))
    except pdfium.PdfiumError as exc:
        variant = "encrypted" if "password" in str(exc).lower() else (
            "not-pdf" if data.lstrip()[:5] != b"%PDF-" else "broken")
        return Measured([], [IMPORT_PDF_UNREADABLE(variant, detail=str(exc)[:120]).at(
            file=file)])
    try:
        if len(document) > max_pages:
            return Measured([], [IMPORT_PDF_TOO_LONG(count=len(document), limit=max_pages).at(
                file=file)])
        images = (document[i].render(scale=scan_image.DPI / 72, grayscale=True).to_pil()
                  for i in range(len(document)))
        return measure_scan(_with_dpi(images), file=file, pages=len(document))
    finally:
        document.close()


def _with_dpi(images: Any) -> Any:
    for image in images:
        image.info["dpi"] = (scan_image.DPI, scan_image.DPI)
        yield image


_READ_FIELDS = ("number", "activity", "actors", "kind", "inputs", "time", "outputs", "next",
                "on_yes", "on_no")


def _inferred(read: tuple[list[Sop], list[Finding]]) -> tuple[list[Sop], list[Finding]]:
    """Every value of a scanned step came from OCR and image analysis: each is listed in the
    step's `inferred`, so the review highlights it for checking as it does a PDF's guesses."""
    sops, findings = read
    marked = []
    for sop in sops:
        steps = [step.model_copy(update={"inferred": list(dict.fromkeys(
            [*step.inferred, *(name for name in _READ_FIELDS
                               if getattr(step, name) not in (None, "", []))]))})
            for step in sop.steps]
        marked.append(sop.model_copy(update={"steps": steps}))
    return marked, findings


def read_scan(data: bytes, *, file: str | None = None, taken_ids: set[str] | None = None
              ) -> tuple[list[Sop], list[Finding]]:
    """A scanned PDF → SOPs and findings, through the one mapper and reader."""
    from .office import read_measured

    return _inferred(read_measured(lambda raw: measure_scanned_pdf(raw, file=file), data,
                                   file=file, taken_ids=taken_ids))


def read_scan_images(images: Sequence[Any], *, file: str | None = None,
                     taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    """Scanned page images (PIL or numpy) → SOPs and findings."""
    from .office import read_measured

    return _inferred(read_measured(lambda _raw: measure_scan(images, file=file), b"",
                                   file=file, taken_ids=taken_ids))


__all__ = ["measure_scan", "measure_scanned_pdf", "read_scan", "read_scan_images",
           "tesseract_command"]
