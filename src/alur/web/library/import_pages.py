"""Source pages of an import, for reviewing the recovered SOP beside the document it came from.

A reviewer checks a PDF's recovered steps best against the page itself: the job renders each
page of a PDF (or each frame of a scanned image) as a PNG kept in the default storage with the
job's other files, and records where the importer recognised the flowchart symbols on each
page, so the review can outline them over the picture. The images are served only to the
job's owner (`imports.page_image`) and deleted with the job.

The symbols come from `alur.importers.pdf.measure_pdf`, run after the file was read in its
limited child (a file that child could not read within its limits gets pictures but no
symbols). measure_pdf stacks the pages on one surface (y = the heights of the pages above +
y on the page); each symbol's box is kept here in its own page's points.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from alur.importers import IMAGE_SUFFIXES, PDF_SUFFIXES

DPI = 100
MAX_WIDTH = 1200  # pixels
SHOWN_KINDS = frozenset({"terminator", "process", "decision", "page-connector", "connector"})
logger = logging.getLogger(__name__)


def has_pages(path: Path) -> bool:
    """A file the review can show page by page: a PDF or a scanned image."""
    return path.suffix.lower() in PDF_SUFFIXES | IMAGE_SUFFIXES


def pdf_page_count(path: Path) -> int | None:
    """The PDF's number of pages, or None when pdfium cannot open it (the reader says why)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
    except Exception:  # damaged or protected: the reader gives the finding
        return None
    try:
        return len(document)
    finally:
        document.close()


def render_pages(path: Path, folder: str, *, with_symbols: bool) -> list[dict]:
    """Each page as a stored PNG: [{"number", "image", "width", "height" (pixels),
    "points": [w, h], "symbols": [{"kind", "box": [x0, y0, x1, y1]} in page points]}]."""
    try:
        if path.suffix.lower() in PDF_SUFFIXES:
            pages = _pdf_pages(path, folder)
            if with_symbols and pages:
                _add_symbols(path, pages)
            return pages
        return _image_pages(path, folder)
    except Exception:  # a picture is a help, never a reason for the import to fail
        logger.exception("could not render the pages of %s", path.name)
        return []


def _store(image, folder: str, number: int) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return default_storage.save(f"{folder}/{number}.png", ContentFile(buffer.getvalue()))


def _pdf_pages(path: Path, folder: str) -> list[dict]:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    pages = []
    try:
        for number in range(1, len(document) + 1):
            page = document[number - 1]
            width, height = page.get_size()
            scale = min(DPI / 72, MAX_WIDTH / width) if width else DPI / 72
            image = page.render(scale=scale).to_pil()
            pages.append({"number": number, "image": _store(image, folder, number),
                          "width": image.width, "height": image.height,
                          "points": [round(width, 2), round(height, 2)], "symbols": []})
            page.close()
    finally:
        document.close()
    return pages


def _image_pages(path: Path, folder: str) -> list[dict]:
    from PIL import Image, ImageSequence

    pages = []
    with Image.open(path) as picture:
        for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            image = frame.convert("RGB")
            if image.width > MAX_WIDTH:
                image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)))
            pages.append({"number": number, "image": _store(image, folder, number),
                          "width": image.width, "height": image.height,
                          "points": [image.width, image.height], "symbols": []})
    return pages


def _add_symbols(path: Path, pages: list[dict]) -> None:
    """The flowchart symbols measure_pdf recognised, moved from the stacked surface to their
    page (the heights of the pages above are taken off y)."""
    from alur.importers.pdf import measure_pdf

    measured = measure_pdf(path.read_bytes(), file=path.name, max_pages=len(pages))
    tops, top = [], 0.0
    for page in pages:
        tops.append(top)
        top += page["points"][1]
    for surface in measured.surfaces:
        for drawn in surface.drawn:
            number = drawn.place.page
            if drawn.kind not in SHOWN_KINDS or not number or number > len(pages):
                continue
            dy = tops[number - 1]
            box = drawn.box
            pages[number - 1]["symbols"].append({
                "kind": drawn.kind,
                "box": [round(box.x0, 1), round(box.y0 - dy, 1), round(box.x1, 1),
                        round(box.y1 - dy, 1)]})


def discard_pages(job) -> None:
    for entry in job.pages:
        for page in entry.get("pages", []):
            if page.get("image"):
                default_storage.delete(page["image"])


def step_symbols(steps, entry: dict) -> dict[int, tuple[int, int]]:
    """Which outlined symbol is which step, where it can be told: on each page, the steps
    drawn with a symbol and the symbols, both top to bottom, when there are as many of each
    (a flowchart column reads downwards). Step index → (page number, symbol index)."""
    found: dict[int, tuple[int, int]] = {}
    by_page: dict[int, list[int]] = {}
    for index, step in enumerate(steps):
        page = step.source.page if step.source else None
        if page:
            by_page.setdefault(page, []).append(index)
    for page in entry.get("pages", []):
        symbols = [i for i, s in enumerate(page["symbols"])
                   if s["kind"] in ("terminator", "process", "decision")]
        indexes = by_page.get(page["number"], [])
        if symbols and len(symbols) == len(indexes):
            symbols.sort(key=lambda i: page["symbols"][i]["box"][1])
            for step_index, symbol in zip(indexes, symbols, strict=True):
                found[step_index] = (page["number"], symbol)
    return found
