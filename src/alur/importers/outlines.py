"""Where the importer recognised flowchart symbols on each page of a PDF or a scanned image, for
the review page to outline them over the page's picture.

A reviewer checks an import best against the page itself, with the symbols alur took as steps
marked on it. The places come from the same measuring the import does:

- a PDF with a text layer: the vector symbols `pdf.measure_pdf` found, and those found in a
  flowchart pasted as one picture (`picture.py`), the latter marked inferred;
- a scanned page (a PDF page without text, or an image file): the symbols `scan_shapes` finds
  in the page's pixels, after the same clean-up and deskew as the scan reader. OCR is not
  needed to outline a symbol, so none is run: outlining a scan costs a second or two a page,
  not the tens of seconds its reading took; all of them are inferred.

Boxes are in points on their own page (y down, from the page's top), the PDF's stacked surface
undone. A deskewed scan is outlined as measured, so on a page fed a degree askew an outline may
stand a point or two off its symbol at the page's edges.

This runs in the limited child of `isolated.py` (`symbols_isolated`): a crafted file costs
the review its outlines, never the worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypedDict

from .grid import JUMP_KINDS, SYMBOL_KINDS, Box, Drawn, Grid

SHOWN_KINDS = SYMBOL_KINDS | JUMP_KINDS
SCAN_DPI = 200.0  # enough for a symbol's outline; the reader's 300 dpi is for OCR


class Outline(TypedDict):
    """One recognised symbol as the review page draws it (JSON, through the limited child)."""

    page: int
    kind: str
    box: list[float]  # [x0, y0, x1, y1] in points on its own page
    inferred: bool


def page_symbols(path: str | Path, *, max_pages: int = 300) -> list[Outline]:
    """[{"page", "kind", "box": [x0, y0, x1, y1], "inferred"}] for a PDF or an image file."""
    from . import IMAGE_SUFFIXES

    path = Path(path)
    data = path.read_bytes()
    if path.suffix.lower() in IMAGE_SUFFIXES and data[:5] != b"%PDF-":
        return _image_symbols(data)
    return _pdf_symbols(data, max_pages)


def _pdf_symbols(data: bytes, max_pages: int) -> list[Outline]:
    from .pdf import IMPORT_PDF_NO_TEXT, measure_pdf
    from .picture import picture_reader

    measured = measure_pdf(data, max_pages=max_pages)
    scanned = {f.page for f in measured.findings if f.code == IMPORT_PDF_NO_TEXT.code}
    tops = _page_tops(data, max_pages)
    found: list[Outline] = []
    pictures = picture_reader(data)
    for surface in measured.surfaces:
        grids = [item for item in surface.items if isinstance(item, Grid)]
        for drawn in surface.drawn:
            if drawn.kind in SHOWN_KINDS:
                found.append(_entry(drawn, tops, inferred=False))
            elif drawn.geometry == "image" and pictures is not None and \
                    any(g.box.contains(drawn.box.centre) for g in grids):
                found.extend(_entry(d, tops, inferred=True) for d in pictures(drawn, grids)
                             if d.kind in SHOWN_KINDS)
    if scanned:
        found.extend(_scanned_pages(data, sorted(p for p in scanned if p)))
    return [entry for entry in found if entry["page"]]


def _page_tops(data: bytes, max_pages: int) -> list[float]:
    """Where each page starts on measure_pdf's stacked surface (the heights above it)."""
    import io

    import pdfplumber

    tops, top = [], 0.0
    with pdfplumber.open(io.BytesIO(data)) as document:
        for page in document.pages[:max_pages]:
            tops.append(top)
            top += float(page.height)
    return tops


def _entry(drawn: Drawn, tops: list[float], *, inferred: bool) -> Outline:
    number = drawn.place.page or 0
    dy = tops[number - 1] if 0 < number <= len(tops) else 0.0
    box = drawn.box
    return {"page": number if 0 < number <= len(tops) else 0, "kind": drawn.kind,
            "box": [round(box.x0, 1), round(box.y0 - dy, 1), round(box.x1, 1),
                    round(box.y1 - dy, 1)],
            "inferred": inferred}


def _scanned_pages(data: bytes, numbers: list[int]) -> list[Outline]:
    import pypdfium2 as pdfium

    found: list[Outline] = []
    document = pdfium.PdfDocument(data)
    try:
        for number in numbers:
            page = document[number - 1]
            image = page.render(scale=SCAN_DPI / 72, grayscale=True).to_pil()
            found.extend(_scan_entries(number, image, SCAN_DPI))
            page.close()
    finally:
        document.close()
    return found


def _image_symbols(data: bytes) -> list[Outline]:
    import io

    from PIL import Image, ImageSequence

    from .scan_image import DPI

    found: list[Outline] = []
    with Image.open(io.BytesIO(data)) as picture:
        for number, frame in enumerate(ImageSequence.Iterator(picture), start=1):
            found.extend(_scan_entries(number, frame.copy(), image_dpi(frame, DPI)))
    return found


def image_dpi(image: Any, default: float) -> float:
    """An image's resolution as the scan reader takes it: its own when it says, else
    `default` (a page's size in points is its pixels × 72 / this)."""
    info = image.info.get("dpi")
    if info and info[0] and float(info[0]) > 50:
        return float(info[0])
    return default


def _scan_entries(number: int, image: Any, dpi: float) -> Iterable[Outline]:
    for kind, box in scan_symbols(image, dpi):
        yield {"page": number, "kind": kind,
               "box": [round(box.x0, 1), round(box.y0, 1), round(box.x1, 1), round(box.y1, 1)],
               "inferred": True}


def scan_symbols(image: Any, dpi: float) -> list[tuple[str, Box]]:
    """The symbols in a scanned page (PIL image at `dpi`), boxes in points: what the scan
    reader finds, without its OCR."""
    import numpy as np

    from . import scan_image, scan_shapes, scan_tables

    grey = np.asarray(image.convert("L"), dtype=np.uint8)
    if grey.size > scan_image.MAX_PIXELS:
        return []
    grey, _angle = scan_image.deskewed(grey, dpi)
    ink = scan_image.binary(grey)
    horizontal, vertical = scan_tables.ruling(ink, dpi)
    tables, rules = scan_tables.find_tables(horizontal, vertical, dpi)
    if not tables:
        return []
    scale = 72.0 / dpi
    return [(shape.kind, Box(shape.box.x0 * scale, shape.box.y0 * scale,
                             shape.box.x1 * scale, shape.box.y1 * scale))
            for shape in scan_shapes.find_drawing(ink, rules, tables, dpi).shapes
            if shape.kind in SHOWN_KINDS]


__all__ = ["image_dpi", "page_symbols", "scan_symbols"]
