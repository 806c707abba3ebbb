"""A flowchart pasted as one picture over the step table, read as a scan is read.

People often draw the flowchart elsewhere (Visio, another document, a scan) and paste a
screenshot of it over the Pelaksana columns. The document then holds no symbol a reader can
measure, only an image. Where the picture's pixels can be had, they are searched with the
scan reader's shape, segment and arrowhead finder (`scan_shapes.find_drawing`): the symbols and
flow lines found are mapped from picture pixels to the document's points and handed to the one
mapper (`drawing.py`) as ordinary drawn objects, with a geometry starting `picture-` so that
every actor, kind and exit they decide is marked inferred (`office.read_measured`). The words
written in the picture (Ya/Tidak on a decision's exits, Mulai/Selesai in a capsule) are read
by Tesseract when it is installed; without it the symbols are still found.

Pixels come from the document itself, never from anywhere else:

- PDF: the region of the page the picture covers, rendered by pdfium at `DPI` (an image object
  may be a JPEG, a masked PNG, a CMYK stream …: rendering gives what the reader sees, and the
  table rules under the picture are removed like the picture's own).
- DOCX: the embedded image part the picture refers to (its relationship id is kept in the
  drawn object's id by the DOCX reader), stretched over the box Word lays it out in.

The picture's own table rules (a screenshot of a drawn table) and the document's grid lines
that run through it are removed before the search, and a symbol must fit inside one cell of
the document's grid, as on a scan. When nothing usable is found — a photo, a logo, a picture
of a cat, a format PIL cannot decode (EMF) — the caller keeps today's behaviour: a warning,
and actors only from the text, never guessed from the picture.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import scan_image, scan_ocr, scan_shapes, scan_tables
from .grid import SYMBOL_KINDS, Box, Drawn, Grid, Place

DPI = 200.0                   # pixels per inch the search runs at
MAX_PIXELS = 25_000_000       # a picture larger than this is searched scaled down
OCR_DPI = 300.0               # the words in it are read at this resolution
MIN_LETTER = 3.0              # points: a written word is at least this tall
MIN_SYMBOLS = 2               # fewer symbols than this is no flowchart
PICTURE = "picture-"          # geometry prefix of what was found in a picture
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_RID = re.compile(r"-(rId[\w]+)$")

PictureReader = Callable[[Drawn, list[Grid]], list[Drawn]]


@dataclass(frozen=True)
class Picture:
    """A picture's pixels (grey, uint8) and the box on the surface they are spread over."""

    pixels: Any
    box: Box


def from_picture(drawn: Drawn) -> bool:
    """Whether a drawn object was found in a pasted picture (its values are inferred)."""
    return drawn.geometry.startswith(PICTURE)


def picture_reader(data: bytes) -> PictureReader | None:
    """A function reading the flowchart out of a picture drawn in this document (a PDF or a
    Word document), or None for formats whose pictures are not read."""
    if data[:5] == b"%PDF-":
        return _Reader(_PdfPixels(data))
    if data[:2] == b"PK":
        return _Reader(_DocxPixels(data))
    return None


class _Reader:
    def __init__(self, pixels: Callable[[Drawn], Picture | None]) -> None:
        self.pixels = pixels

    def __call__(self, drawn: Drawn, grids: list[Grid]) -> list[Drawn]:
        try:
            picture = self.pixels(drawn)
        except MemoryError:
            raise  # the isolated reader's memory limit, reported as such
        except Exception:  # a damaged or undecodable image is no flowchart, never a crash
            return []
        if picture is None or not picture.pixels.size or picture.box.w <= 0 or \
                picture.box.h <= 0:
            return []
        try:
            return find_flowchart(picture, grids, place=drawn.place, prefix=drawn.id)
        except MemoryError:
            raise
        except Exception:  # OpenCV on a degenerate image: nothing found
            return []


def find_flowchart(picture: Picture, grids: list[Grid], *, place: Place, prefix: str
                   ) -> list[Drawn]:
    """The symbols, flow lines and labels in a picture, in the surface's points; empty when
    fewer than `MIN_SYMBOLS` symbols are found (no flowchart, say a photo)."""
    import cv2
    import numpy as np

    grey = picture.pixels
    dpi = grey.shape[1] / (picture.box.w / 72.0)
    factor = DPI / dpi
    if grey.size * factor * factor > MAX_PIXELS:
        factor = (MAX_PIXELS / grey.size) ** 0.5
    if abs(factor - 1) > 0.05:
        grey = cv2.resize(grey, None, fx=factor, fy=factor,
                          interpolation=cv2.INTER_CUBIC if factor > 1 else cv2.INTER_AREA)
        dpi *= factor
    height, width = grey.shape
    sx, sy = picture.box.w / width, picture.box.h / height   # points per pixel

    ink = scan_image.binary(grey)
    horizontal, vertical = scan_tables.ruling(ink, dpi)
    _own, rules = scan_tables.find_tables(horizontal, vertical, dpi)
    spanning = _spanning(horizontal, vertical)
    rules |= spanning.mask
    own = spanning.table(width, height)
    tables = [own] if own is not None else []
    # A screenshot is rarely pasted to the point: its rules may stand a few points off the
    # document's own.
    reach = max(int(dpi / 72 * 5), 3)
    for grid in grids:
        table = _table_in_pixels(grid, picture.box, sx, sy)
        if table is None or own is not None:
            # With a table of its own, the picture's rules are known; the document's grid
            # (estimated, for Word) could cut through the symbols' edges.
            continue
        tables.append(table)
        # The document's grid lines under (or drawn into) the picture are rules too.
        for x in table.xs:
            columns = np.s_[:, max(x - reach, 0):max(x + reach + 1, 0)]
            rules[columns] |= vertical[columns]
        for y in table.ys:
            rows = np.s_[max(y - reach, 0):max(y + reach + 1, 0), :]
            rules[rows] |= horizontal[rows]
    if not tables:
        return []
    found = scan_shapes.find_drawing(ink, rules, tables, dpi, labels_touch=True)
    if sum(shape.kind in SYMBOL_KINDS for shape in found.shapes) < MIN_SYMBOLS:
        return []

    def box_of(box: Box) -> Box:
        return Box(picture.box.x0 + box.x0 * sx, picture.box.y0 + box.y0 * sy,
                   picture.box.x0 + box.x1 * sx, picture.box.y0 + box.y1 * sy)

    words = _words(grey, found, dpi)
    drawn: list[Drawn] = []
    taken: set[int] = set()
    for i, shape in enumerate(found.shapes):
        held = [k for k, w in enumerate(words) if k not in taken and
                shape.box.contains(w.centre)]
        taken.update(held)
        lines = scan_ocr.text_lines([words[k] for k in held])
        text = " ".join(" ".join(w.text for w in line) for line in lines)
        drawn.append(Drawn(f"{prefix}-s{i + 1}", shape.kind, box_of(shape.box), text,
                           place=place, geometry=PICTURE + shape.geometry))
    for k, segment in enumerate(found.segments):
        (x0, y0), (x1, y1) = segment.ends
        ends = ((picture.box.x0 + x0 * sx, picture.box.y0 + y0 * sy),
                (picture.box.x0 + x1 * sx, picture.box.y0 + y1 * sy))
        box = Box(min(ends[0][0], ends[1][0]), min(ends[0][1], ends[1][1]),
                  max(ends[0][0], ends[1][0]), max(ends[0][1], ends[1][1]))
        drawn.append(Drawn(f"{prefix}-l{k + 1}", "line", box, ends=ends, arrow=segment.arrow,
                           place=place, geometry=PICTURE + "stroke"))
    # An arrowhead is often read as a letter or two ('uF'): words on a line's head are none.
    heads = [segment.ends[1] for segment in found.segments if segment.arrow]
    rest = [w for k, w in enumerate(words) if k not in taken and
            not any(w.box.distance(head) <= dpi / 72 * 4 for head in heads)]
    for k, line in enumerate(scan_ocr.text_lines(rest)):
        text = scan_ocr.exit_word(" ".join(w.text for w in line))
        if not re.search(r"\w{2}", text):
            continue
        box = Box(min(w.box.x0 for w in line), min(w.box.y0 for w in line),
                  max(w.box.x1 for w in line), max(w.box.y1 for w in line))
        drawn.append(Drawn(f"{prefix}-t{k + 1}", "text", box_of(box), text, place=place,
                           geometry=PICTURE + "ocr-text"))
    return drawn


@dataclass
class _Spanning:
    """Ruling across (nearly) the whole picture, and where its lines stand (pixels)."""

    mask: Any
    xs: list[int]
    ys: list[int]

    def table(self, width: int, height: int) -> scan_tables.Table | None:
        """The screenshot's own table: its spanning rules and the picture's edges. Its cells
        are what a symbol must fit in; the document's estimated rows (Word's layout is only
        estimated) can stand several points off the picture's."""
        if not self.xs or not self.ys:
            return None
        xs = sorted({0, width - 1, *self.xs})
        ys = sorted({0, height - 1, *self.ys})
        spans = [(r, c, 1, 1) for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
        return scan_tables.Table(xs, ys, spans)


def _spanning(horizontal: Any, vertical: Any) -> _Spanning:
    """Ruling that crosses (nearly) the whole picture: the rules of a table in a screenshot
    cropped inside its border, which no flow line does."""
    import cv2
    import numpy as np

    height, width = horizontal.shape
    found = _Spanning(np.zeros_like(horizontal), [], [])
    for mask, along in ((horizontal, width), (vertical, height)):
        count, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
        for label in range(1, count):
            x, y, w, h, _area = stats[label]
            if mask is horizontal and w >= along * 0.9:
                found.ys.append(int(y + h // 2))
            elif mask is vertical and h >= along * 0.9:
                found.xs.append(int(x + w // 2))
            else:
                continue
            found.mask[labels == label] = 255
    return found


def _table_in_pixels(grid: Grid, box: Box, sx: float, sy: float) -> scan_tables.Table | None:
    """The document's grid in the picture's pixels, when the picture overlaps it."""
    if grid.box.x1 <= box.x0 or grid.box.x0 >= box.x1 or grid.box.y1 <= box.y0 or \
            grid.box.y0 >= box.y1:
        return None
    xs = [round((x - box.x0) / sx) for x in [grid.columns[0][0], *(x1 for _, x1 in grid.columns)]]
    ys = [round((y - box.y0) / sy) for y in [grid.rows[0][0], *(y1 for _, y1 in grid.rows)]]
    spans = [(r, c, 1, 1) for r in range(len(ys) - 1) for c in range(len(xs) - 1)]
    return scan_tables.Table(xs, ys, spans)


def _words(grey: Any, found: scan_shapes.Drawing, dpi: float) -> list[scan_ocr.Word]:
    """The words written in the picture (labels, a capsule's Mulai/Selesai), by Tesseract
    when installed, with rules, symbol outlines and flow lines erased first."""
    import cv2

    if scan_ocr.tesseract_command() is None:
        return []
    clean = grey.copy()
    clean[found.ruling > 0] = 255
    lines = cv2.dilate(found.segment_pixels, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    clean[lines > 0] = 255
    outline = max(int(dpi / 72 * 2.5), 3)
    for shape in found.shapes:
        cv2.drawContours(clean, [shape.contour], -1, 255, outline * 2)
    clean = scan_image.despeckled(cv2.threshold(cv2.GaussianBlur(clean, (3, 3), 0), 0, 255,
                                                cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1], dpi)
    # Labels on a flowchart are small (Ya/Tidak in 5-6 pt): Tesseract reads them at 300 dpi.
    factor = max(OCR_DPI / dpi, 1.0)
    if factor > 1.05 and clean.size * factor * factor <= MAX_PIXELS:
        clean = cv2.resize(clean, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    else:
        factor = 1.0
    languages, _missing = scan_ocr.languages()
    try:
        words = scan_ocr.ocr(clean, languages)
    except (RuntimeError, OSError):  # Tesseract's time limit or failure: symbols only
        return []
    smallest = dpi / 72 * MIN_LETTER * factor  # an arrowhead read as 'o' is smaller
    kept = []
    for word in words:
        if word.confidence < scan_ocr.LOW_CONFIDENCE / 2 or word.box.h < smallest:
            continue
        b = word.box
        word.box = Box(b.x0 / factor, b.y0 / factor, b.x1 / factor, b.y1 / factor)
        kept.append(word)
    return kept


# -- where the pixels come from ----------------------------------------------------------------

class _PdfPixels:
    """A picture on a PDF page: the region it covers, rendered. The reader stacks pages on one
    surface (y = the heights of the pages above + y on the page); the image object is the one
    of pdfplumber's `page.images` at the picture's place on its page."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __call__(self, drawn: Drawn) -> Picture | None:
        import pdfplumber
        import pypdfium2 as pdfium

        number = drawn.place.page
        if not number:
            return None
        with pdfplumber.open(io.BytesIO(self.data)) as document:
            if number > len(document.pages):
                return None
            page = document.pages[number - 1]
            above = sum(float(p.height) for p in document.pages[:number - 1])
            match = [image for image in page.images
                     if abs(float(image["x0"]) - drawn.box.x0) < 1.5
                     and abs(float(image["x1"]) - drawn.box.x1) < 1.5
                     and abs(float(image["top"]) + above - drawn.box.y0) < 1.5
                     and abs(float(image["bottom"]) + above - drawn.box.y1) < 1.5]
            if not match:
                return None
            image = match[0]
            left, top = float(image["x0"]), float(image["top"])
            right, bottom = float(image["x1"]), float(image["bottom"])
            width, height = float(page.width), float(page.height)
        document = pdfium.PdfDocument(self.data)
        try:
            pdf_page = document[number - 1]
            scale = DPI / 72
            if (right - left) * (bottom - top) * scale * scale > MAX_PIXELS:
                scale = (MAX_PIXELS / ((right - left) * (bottom - top))) ** 0.5
            # pdfium crops by how much to take off each side, in points, from the mediabox.
            bitmap = pdf_page.render(scale=scale, grayscale=True,
                                     crop=(left, height - bottom, width - right, top))
            pixels = _grey_array(bitmap.to_pil())
        finally:
            document.close()
        return Picture(pixels, drawn.box)


class _DocxPixels:
    """A picture in a Word document: the image part its relationship names, read through the
    same guarded package reader as the document."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def __call__(self, drawn: Drawn) -> Picture | None:
        from PIL import Image

        from .package import open_package

        match = _RID.search(drawn.id)
        if match is None:
            return None
        package = open_package(self.data)
        main = _main_part_name(package)
        folder, _, name = main.rpartition("/")
        rels_name = f"{folder}/_rels/{name}.rels" if folder else f"_rels/{name}.rels"
        if not package.has(rels_name):
            return None
        target = None
        for rel in package.xml(rels_name):
            if rel.get("Id") == match.group(1) and rel.get("TargetMode") != "External":
                target = rel.get("Target")
        if not target:
            return None
        path = _joined(folder, target)
        if not package.has(path):
            return None
        with Image.open(io.BytesIO(package.read(path))) as image:
            if image.width * image.height > MAX_PIXELS * 4:
                return None
            image.load()
            pixels = _grey_array(image)
        return Picture(_cropped(pixels, _source_crop(package, main, match.group(1))),
                       drawn.box)


def _source_crop(package: Any, main: str, rid: str) -> tuple[float, float, float, float]:
    """The share of the image Word crops off each side (`a:srcRect`, in thousandths of a
    percent) for the picture showing this image part: only the rest is laid out in its box."""
    a = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    r = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
    for blip in package.xml(main).iter(f"{a}blip"):
        if blip.get(f"{r}embed") != rid:
            continue
        crop = blip.getparent().find(f"{a}srcRect")
        if crop is None:
            break
        shares = []
        for side in ("l", "t", "r", "b"):
            try:
                shares.append(min(max(float(crop.get(side) or 0) / 100_000, 0.0), 0.45))
            except ValueError:
                shares.append(0.0)
        return shares[0], shares[1], shares[2], shares[3]
    return 0.0, 0.0, 0.0, 0.0


def _cropped(pixels: Any, crop: tuple[float, float, float, float]) -> Any:
    left, top, right, bottom = crop
    height, width = pixels.shape
    return pixels[round(height * top):height - round(height * bottom),
                  round(width * left):width - round(width * right)]


def _main_part_name(package: Any) -> str:
    if package.has("_rels/.rels"):
        for rel in package.xml("_rels/.rels"):
            if rel.get("Type", "").endswith("/officeDocument"):
                return (rel.get("Target") or "word/document.xml").lstrip("/")
    return "word/document.xml"


def _joined(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts = [p for p in folder.split("/") if p]
    for piece in target.split("/"):
        if piece == "..":
            if parts:
                parts.pop()
        elif piece and piece != ".":
            parts.append(piece)
    return "/".join(parts)


def _grey_array(image: Any) -> Any:
    """Grey pixels, a transparent background made white (a pasted PNG often has one)."""
    import numpy as np
    from PIL import Image

    if image.mode in ("RGBA", "LA", "P"):
        image = image.convert("RGBA")
        white = Image.new("RGBA", image.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, image)
    return np.asarray(image.convert("L"), dtype=np.uint8)


__all__ = ["Picture", "PictureReader", "find_flowchart", "from_picture", "picture_reader"]
