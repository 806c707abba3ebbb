"""Source pages of an import, for reviewing the recovered SOP beside the document it came from.

A reviewer checks a PDF's recovered steps best against the page itself: the job renders each
page of a PDF (or each frame of a scanned image) as a PNG kept in the default storage with the
job's other files, and records where the importer recognised the flowchart symbols on each
page, so the review can outline them over the picture. The images are served only to the
job's owner (`imports.page_image`) and deleted with the job.

The symbols come from `alur.importers.outlines.page_symbols` — a PDF's vector symbols, those
found in a flowchart pasted as one picture, and on scanned pages (a PDF without text, or an
image) those the scan reader finds in the pixels — measured in a limited child of its own
(`isolated.symbols_isolated`, the import's time and memory limits), after the file was read.
A child that fails or runs out of its limits costs the review its outlines, nothing else: the
pages are still shown. Each symbol's box is in its own page's points; an image's page size is
its pixels at the resolution the scan reader assumes, so the outlines fall on the picture.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from alur.importers import IMAGE_SUFFIXES, PDF_SUFFIXES

if TYPE_CHECKING:
    from PIL.Image import Image as PilImage

    from alur.sop.model import Step

    from .models import ImportJob

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


def render_pages(path: Path, folder: str, *, with_symbols: bool) -> list[dict[str, Any]]:
    """Each page as a stored PNG: [{"number", "image", "width", "height" (pixels),
    "points": [w, h], "symbols": [{"kind", "box": [x0, y0, x1, y1] in page points,
    "inferred"}]}]."""
    try:
        if path.suffix.lower() in PDF_SUFFIXES:
            pages = _pdf_pages(path, folder)
        else:
            pages = _image_pages(path, folder)
    except Exception:  # a picture is a help, never a reason for the import to fail
        logger.exception("could not render the pages of %s", path.name)
        return []
    if with_symbols and pages:
        _add_symbols(path, pages)
    return pages


def _store(image: PilImage, folder: str, number: int) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return default_storage.save(f"{folder}/{number}.png", ContentFile(buffer.getvalue()))


def _pdf_pages(path: Path, folder: str) -> list[dict[str, Any]]:
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


def _image_pages(path: Path, folder: str) -> list[dict[str, Any]]:
    from PIL import Image, ImageSequence

    from alur.importers.outlines import image_dpi
    from alur.importers.scan_image import DPI as SCAN_DPI

    pages = []
    with Image.open(path) as picture:
        for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            points = 72 / image_dpi(frame, SCAN_DPI)
            size = [round(frame.width * points, 2), round(frame.height * points, 2)]
            image = frame.convert("RGB")
            if image.width > MAX_WIDTH:
                image = image.resize((MAX_WIDTH, round(image.height * MAX_WIDTH / image.width)))
            pages.append({"number": number, "image": _store(image, folder, number),
                          "width": image.width, "height": image.height,
                          "points": size, "symbols": []})
    return pages


def _add_symbols(path: Path, pages: list[dict[str, Any]]) -> None:
    """The symbols the importer recognised, each on its page, measured in a limited child; a
    child that fails leaves the pages without outlines."""
    from alur.importers.isolated import symbols_isolated

    from .jobs import document_limits

    symbols = symbols_isolated(path, limits=document_limits(), max_pages=len(pages))
    if symbols is None:
        logger.warning("no symbol outlines for %s: their measuring stopped", path.name)
        return
    for symbol in symbols:
        number = symbol.get("page")
        if symbol.get("kind") not in SHOWN_KINDS or not isinstance(number, int) or \
                not 0 < number <= len(pages):
            continue
        pages[number - 1]["symbols"].append({"kind": symbol["kind"], "box": symbol["box"],
                                             "inferred": bool(symbol.get("inferred"))})


def discard_pages(job: ImportJob) -> None:
    for entry in job.pages:
        for page in entry.get("pages", []):
            if page.get("image"):
                default_storage.delete(page["image"])


def step_symbols(steps: Sequence[Step], entry: dict[str, Any]
                 ) -> dict[int, tuple[int, int]]:
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
