"""Scanned SOP pages (images, or PDF pages with no text layer) measured into the import middle
(`grid.Measured`) by image analysis and OCR.

Offices often keep only a scan of the signed SOP. Nothing in an image says where a table or a
symbol is, so this reader measures what a PDF would have recorded:

- **Deskew.** A sheet is rarely fed straight: the angle of the long ruled lines is estimated
  (median of their Hough angles) and the page rotated back before anything is measured. A
  page whose writing runs up the page (a landscape SOP fed as a portrait sheet), or that OCR
  reads badly, is turned upright by Tesseract's orientation detection (once; ~2.5 s).
- **Table grid.** Morphological opening with long horizontal and vertical kernels keeps only
  the ruling; each connected group of ruling is a table, its distinct line positions the column
  x-extents and row y-extents, and a grid position whose inner rule is missing is merged with
  its neighbour (the merged cells of a header such as "Pelaksana" over the actor columns).
- **Shapes.** The ruling is removed; an enclosed hole that is clearly smaller than the one cell
  holding it is a symbol: four corners axis-parallel a process, four corners rotated 45° a
  decision, rounded ends (many corners, area close to but below its box) a terminator, five
  corners an off-page connector. Using the holes, not the outlines, keeps the arrows that touch
  a symbol out of its geometry. The remaining strokes are split into horizontal and vertical
  segments; a segment whose end is markedly thicker (a filled arrowhead) points there, others
  are left without direction (`arrow=False`) and the mapper chains them.
- **Text.** Tesseract (`--oem 1`, LSTM; `--psm 11`, sparse text: a table's cells are scattered
  blocks, not one column of prose) reads the page once, in black and white without dust, with
  the ruling, the symbol outlines and the long flow lines erased so they are not read as
  letters. Sparse text skips lone characters, so a narrow, mostly empty column (the step
  numbers) is read again as one block (`--psm 6`) and a connector's letter as one word
  (`--psm 8`). Scans under 250 dpi are enlarged to 300 dpi first. Each word goes to the cell
  (or symbol) holding its centre; a cell's lines are rejoined into `<p>` paragraphs. Words in
  a cell of a column that holds symbols are labels (Ya/Tidak) for the mapper, as the PDF
  reader does; words outside every table are `Line`s.

**Why pytesseract and not ocrmypdf:** this reader needs each word's box and confidence to
place it in the grid and to say which values were guessed; pytesseract's `image_to_data` gives
exactly that from the Tesseract CLI, with no other dependency. ocrmypdf would add a text layer
to the PDF (pulling in Ghostscript, a PDF/A pipeline and many packages) only for the PDF reader
to take the words out again, and it cannot help with images, nor measure shapes.

Every value is inferred: each page gets one finding saying it was read by OCR, and each cell
with words read below `LOW_CONFIDENCE` gets one finding listing them at its place. Tesseract
missing is one error finding saying how to install it. Coordinates are points (1/72 in), y
downwards, pages stacked on one surface as in the PDF reader.
"""

from __future__ import annotations

import difflib
import html
import io
import math
import os
import re
import shutil
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from alur.i18n import N_
from alur.sop.codes import INFO, E, Message, W, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .cells import branch_of
from .grid import JUMP_KINDS, Box, Drawn, Grid, GridCell, Line, Measured, Place, ShapeKind, Surface

IMPORT_SCAN_NO_OCR = register(
    "import.scan-no-ocr", E,
    "a scanned page (no text layer) and no Tesseract OCR installed to read it",
    N_("This document is a scan (an image without text), which is read by the Tesseract OCR "
       "program, not installed on this server. Ask the administrator to install it (Debian/"
       "Ubuntu: apt-get install tesseract-ocr tesseract-ocr-ind), or import the original Word, "
       "Excel or PDF file instead of the scan."))
IMPORT_SCAN_NO_INDONESIAN = register(
    "import.scan-no-indonesian", W,
    "Tesseract is installed without its Indonesian language data; scans are read as English",
    N_("The OCR program on this server has no Indonesian language data, so the scan is read "
       "with {languages} only and Indonesian words are misread more often. Ask the "
       "administrator to install it (Debian/Ubuntu: apt-get install tesseract-ocr-ind)."))
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

DPI = 300                 # rendering resolution of scanned PDF pages
MIN_DPI = 250             # images scanned coarser than this are enlarged to DPI
LANGUAGES = "ind+eng"
OCR_CONFIG = "--oem 1 --psm 11"
OCR_TIMEOUT = 120         # seconds per page
LOW_CONFIDENCE = 60.0     # percent: words below are reported
MAX_SKEW = 5.0            # degrees: larger angles are not scan skew but a rotated drawing
MAX_PIXELS = 40_000_000   # an image larger than this is scaled down before measuring


def tesseract_command() -> str | None:
    """The Tesseract executable pytesseract will run, when installed."""
    try:
        import pytesseract
    except ImportError:
        return None
    configured = pytesseract.pytesseract.tesseract_cmd
    return shutil.which(configured) or shutil.which("tesseract")


# -- image preparation --------------------------------------------------------------------------

def _grey(image: Any) -> tuple[Any, float]:
    """A uint8 grey array and the image's resolution (dpi; `DPI` when it does not say)."""
    import numpy as np
    from PIL import Image

    dpi = float(DPI)
    if isinstance(image, Image.Image):
        info = image.info.get("dpi")
        if info and info[0] and float(info[0]) > 50:
            dpi = float(info[0])
        array = np.asarray(image.convert("L"))
    else:
        array = np.asarray(image)
        if array.ndim == 3:
            import cv2

            array = cv2.cvtColor(array[..., :3].astype(np.uint8), cv2.COLOR_RGB2GRAY)
        array = array.astype(np.uint8)
    if dpi < MIN_DPI and array.size * (DPI / dpi) ** 2 <= MAX_PIXELS:
        # Tesseract misses small bold writing (table headers) below ~300 dpi: enlarge.
        import cv2

        factor = DPI / dpi
        array = cv2.resize(array, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
        dpi = float(DPI)
    if array.size > MAX_PIXELS:
        import cv2

        factor = math.sqrt(MAX_PIXELS / array.size)
        array = cv2.resize(array, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
        dpi *= factor
    return array, dpi


def _despeckled(black_on_white: Any, dpi: float) -> Any:
    """Black and white for OCR (Tesseract reads the scan's grey noise as letters and stray
    periods), without dust: blobs smaller than half a point square, far below a full stop."""
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(255 - black_on_white,
                                                               connectivity=8)
    smallest = (dpi / 72) ** 2 * 0.5
    specks = [label for label in range(1, count) if stats[label][4] < smallest]
    if specks:
        import numpy as np

        black_on_white = black_on_white.copy()
        black_on_white[np.isin(labels, specks)] = 255
    return black_on_white


def _binary(grey: Any) -> Any:
    """Ink as 255 on 0, by Otsu's threshold after a light blur (scanner noise)."""
    import cv2

    blurred = cv2.GaussianBlur(grey, (3, 3), 0)
    _, ink = cv2.threshold(blurred, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return ink


def _ruling(ink: Any, dpi: float) -> tuple[Any, Any]:
    """Horizontal and vertical ruling: ink in runs longer than ~0.4 in (no word is).

    A thin rule in a coarse or skewed scan is a staircase of short runs one pixel apart, so the
    ink is first thickened across each direction (never along it: words stay as long as they
    are), then opened along it."""
    import cv2

    length = max(int(dpi * 0.4), 15)
    across = max(int(dpi / 72 * 0.75), 3)
    rect = cv2.getStructuringElement
    tall = cv2.dilate(ink, rect(cv2.MORPH_RECT, (1, across)))
    wide = cv2.dilate(ink, rect(cv2.MORPH_RECT, (across, 1)))
    horizontal = cv2.morphologyEx(tall, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(wide, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, length)))
    # The opening drops a rule's last stretch after a break (shorter than the kernel); grow
    # each rule back along its own line over the ink it continues into.
    # (Against the ink itself, not the thickened ink: the thickening would eat into writing
    # close to a rule, such as a list's dashes.)
    horizontal = cv2.bitwise_and(cv2.dilate(horizontal, rect(cv2.MORPH_RECT, (length, 1))), ink)
    vertical = cv2.bitwise_and(cv2.dilate(vertical, rect(cv2.MORPH_RECT, (1, length))), ink)
    return horizontal, vertical


def _skew(ink: Any, dpi: float) -> float:
    """The page's rotation in degrees (counter-clockwise positive), from its long lines."""
    import cv2
    import numpy as np

    # A tilted rule breaks into short runs, so the kernel here is shorter than for ruling.
    length = max(int(dpi * 0.25), 15)
    runs = cv2.morphologyEx(ink, cv2.MORPH_OPEN,
                            cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    # The standard Hough transform over ±MAX_SKEW around horizontal only, in 0.05° steps: a
    # long rule collects far more votes than any line of text. (HoughLinesP over all angles
    # took 3.5 s on an A4 page at 300 dpi; this takes a fraction of it.)
    slack = math.radians(MAX_SKEW)
    found = cv2.HoughLines(runs, 1, np.pi / 3600, threshold=int(dpi * 1.5),
                           min_theta=np.pi / 2 - slack, max_theta=np.pi / 2 + slack)
    if found is None:
        return 0.0
    # The strongest lines (sorted by votes), as counter-clockwise angles of the page.
    angles = [math.degrees(np.pi / 2 - theta) for _rho, theta in found.reshape(-1, 2)[:25]]
    return float(median(angles)) if angles else 0.0


def _deskewed(grey: Any, dpi: float) -> tuple[Any, float]:
    import cv2

    angle = _skew(_binary(grey), dpi)
    if abs(angle) < 0.05:
        return grey, 0.0
    height, width = grey.shape
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -angle, 1.0)
    straight = cv2.warpAffine(grey, matrix, (width, height), flags=cv2.INTER_CUBIC,
                              borderMode=cv2.BORDER_CONSTANT, borderValue=255)
    return straight, angle


# -- tables -------------------------------------------------------------------------------------

def _positions(profile: Any, minimum: int, gap: int) -> list[int]:
    """Centres of the runs where a projection profile reaches `minimum`."""
    positions: list[int] = []
    start = None
    for index, value in enumerate([*list(profile), 0]):
        if value >= minimum and start is None:
            start = index
        elif value < minimum and start is not None:
            centre = (start + index - 1) // 2
            if positions and centre - positions[-1] <= gap:
                positions[-1] = (positions[-1] + centre) // 2
            else:
                positions.append(centre)
            start = None
    return positions


@dataclass
class _Table:
    """A table in pixels: line positions and its cells as (row, col, rowspan, colspan)."""

    xs: list[int]
    ys: list[int]
    spans: list[tuple[int, int, int, int]]
    cell_of: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def _covered(mask: Any, fixed: int, lo: int, hi: int, vertical: bool, reach: int) -> bool:
    """Whether ruling covers most of the segment between two grid positions."""
    if hi - lo <= 2:
        return True
    inner_lo, inner_hi = lo + (hi - lo) // 8, hi - (hi - lo) // 8
    if vertical:
        band = mask[inner_lo:inner_hi, max(fixed - reach, 0):fixed + reach + 1]
        hit = band.max(axis=1) if band.size else band
    else:
        band = mask[max(fixed - reach, 0):fixed + reach + 1, inner_lo:inner_hi]
        hit = band.max(axis=0) if band.size else band
    return bool(hit.size) and float((hit > 0).mean()) >= 0.6


def _runs(values: Any) -> list[tuple[int, int]]:
    """(start, end) of the runs of true values."""
    runs = []
    start = None
    for index, value in enumerate([*list(values), False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            runs.append((start, index - 1))
            start = None
    return runs


def _rules(mask: Any, candidates: list[int], across: list[int], vertical: bool, reach: int,
           offset: int, lo: int, hi: int) -> list[int]:
    """The candidate positions whose ink runs from one crossing rule to another: a table's
    rules end on other rules, an arrow ends on a symbol or in an arrowhead."""
    kept = []
    slack = reach * 3
    for position in candidates:
        if vertical:
            band = mask[lo:hi, max(position - reach, 0):position + reach + 1].max(axis=1)
        else:
            band = mask[max(position - reach, 0):position + reach + 1, lo:hi].max(axis=0)
        chains: list[list[tuple[int, int]]] = []
        for start, end in _runs(band > 0):
            piece = (start + offset, end + offset)
            # A thin rule in a coarse scan breaks up here and there: bridge short gaps.
            if chains and piece[0] - chains[-1][-1][1] <= slack * 2:
                chains[-1].append(piece)
            else:
                chains.append([piece])
        if any(_spans_between(chain, across, slack) for chain in chains):
            kept.append(position)
    return kept


def _spans_between(pieces: list[tuple[int, int]], across: list[int], slack: int) -> bool:
    """Whether a run of pieces (a rule with small breaks) starts at one crossing rule and
    ends at another, from any of its pieces to any later one."""
    near = [any(abs(position - c) <= slack for c in across)
            for piece in pieces for position in piece]
    starts = [i for i in range(0, len(near), 2) if near[i]]
    ends = [i for i in range(1, len(near), 2) if near[i]]
    flat = [position for piece in pieces for position in piece]
    return any(flat[j] - flat[i] > slack * 2 for i in starts for j in ends if j > i)


def _tables(horizontal: Any, vertical: Any, dpi: float) -> tuple[list[_Table], Any]:
    """The tables found in the ruling, and the mask of their rules (only those: long arrows
    are strokes of the flow, not ruling)."""
    import cv2
    import numpy as np

    ruling = cv2.bitwise_or(horizontal, vertical)
    ruling = cv2.dilate(ruling, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ruling)
    reach = max(int(dpi / 72 * 2), 3)
    tables = []
    rules = np.zeros_like(horizontal)
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        if w < dpi * 0.8 or h < dpi * 0.2:
            continue
        hz = horizontal[y:y + h, x:x + w]
        vt = vertical[y:y + h, x:x + w]
        ys = [y + p for p in _positions((hz > 0).sum(axis=1), int(dpi * 0.3), reach * 2)]
        xs = [x + p for p in _positions((vt > 0).sum(axis=0), int(dpi * 0.1), reach * 2)]
        xs = _rules(vertical, xs, ys, True, reach, y, y, y + h)
        ys = _rules(horizontal, ys, xs, False, reach, x, x, x + w)
        xs = _rules(vertical, xs, ys, True, reach, y, y, y + h)
        if len(xs) < 2 or len(ys) < 2:
            continue
        for position in ys:
            band = np.s_[max(position - reach, 0):position + reach + 1, x:x + w]
            rules[band] |= horizontal[band]
        for position in xs:
            band = np.s_[y:y + h, max(position - reach, 0):position + reach + 1]
            rules[band] |= vertical[band]
        tables.append(_merged(xs, ys, horizontal, vertical, reach))
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return tables, rules


def _merged(xs: list[int], ys: list[int], horizontal: Any, vertical: Any, reach: int) -> _Table:
    """Grid positions joined where the rule between them is missing, as rectangular cells."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(key: tuple[int, int]) -> tuple[int, int]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(vertical, xs[c + 1], ys[r], ys[r + 1], True, reach):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and not _covered(horizontal, ys[r + 1], xs[c], xs[c + 1], False,
                                             reach):
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    table = _Table(xs, ys, [])
    taken: set[tuple[int, int]] = set()
    for members in sorted(groups.values()):
        r0 = min(r for r, _ in members)
        c0 = min(c for _, c in members)
        r1 = max(r for r, _ in members)
        c1 = max(c for _, c in members)
        # A group that is not a rectangle (a rule broken by noise) keeps its bounding cells
        # only where no other cell claims them.
        cells = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                 if (r, c) not in taken]
        taken.update(cells)
        table.spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        for cell in cells:
            table.cell_of[cell] = (r0, c0)
    return table


# -- OCR ----------------------------------------------------------------------------------------

@dataclass
class _Word:
    text: str
    box: Box          # pixels
    confidence: float

    @property
    def centre(self) -> tuple[float, float]:
        return self.box.centre


def _languages() -> tuple[str, Message | None]:
    """`LANGUAGES` as far as Tesseract has their data, and a finding when Indonesian is
    missing (a server with only `tesseract-ocr` installed)."""
    import pytesseract

    try:
        installed = set(pytesseract.get_languages())
    except (OSError, RuntimeError):
        return LANGUAGES, None
    wanted = LANGUAGES.split("+")
    present = [lang for lang in wanted if lang in installed]
    if "ind" in present or not installed:
        return "+".join(present) or LANGUAGES, None
    fallback = "+".join(present) or sorted(installed - {"osd"} or installed)[0]
    return fallback, IMPORT_SCAN_NO_INDONESIAN(languages=fallback)


def _ocr(image: Any, languages: str, config: str = OCR_CONFIG) -> list[_Word]:
    import pytesseract

    # Tesseract's OpenMP threads fight over small machines' cores: one thread is more than
    # twice as fast on two cores (measured: 4 s instead of 10 s a page).
    os.environ.setdefault("OMP_THREAD_LIMIT", "1")
    data = pytesseract.image_to_data(image, lang=languages, config=config,
                                     output_type=pytesseract.Output.DICT, timeout=OCR_TIMEOUT)
    words = []
    for text, left, top, width, height, conf in zip(data["text"], data["left"], data["top"],
                                                    data["width"], data["height"], data["conf"],
                                                    strict=False):
        text = (text or "").strip()
        confidence = float(conf)
        if not text or confidence < 0:
            continue
        if (confidence < 30 and not re.search(r"[0-9A-Za-z]{2}", text)) or (
                confidence < LOW_CONFIDENCE and not re.search(r"[0-9A-Za-z]", text)):
            continue  # a speck or a stroke read as punctuation
        words.append(_Word(text, Box.of(left, top, width, height), confidence))
    return words


def _narrow_columns(clean: Any, tables: list[_Table], words: list[_Word], dpi: float,
                    languages: str) -> list[_Word]:
    """A second look at narrow columns left mostly empty (the step numbers): sparse-text OCR
    skips a lone digit, so each such column is read again as one block (`--psm 6`)."""
    found: list[_Word] = []
    replaced: set[tuple[int, int]] = set()
    for table in tables:
        replaced.clear()
        filled = {table.cell_of.get(loc, loc) for w in words
                  if (loc := _locate(table, w.centre)) is not None}
        for c in range(len(table.xs) - 1):
            if table.xs[c + 1] - table.xs[c] > dpi * 0.6:
                continue
            body = [r for r in range(1, len(table.ys) - 1) if table.cell_of.get((r, c)) == (r, c)]
            empty = [r for r in body if (r, c) not in filled]
            if len(empty) < 2 or len(empty) * 2 < len(body):
                continue
            x0, x1 = table.xs[c] + 4, table.xs[c + 1] - 3
            y0, y1 = table.ys[body[0]] + 3, table.ys[body[-1] + 1] - 3
            for word in _ocr(clean[y0:y1, x0:x1], languages, "--oem 1 --psm 6"):
                word.box = word.box.shifted(x0, y0)
                located = _locate(table, word.centre)
                if located is not None and located[0] in body:
                    found.append(word)
                    replaced.add((located[0], c))
        # The second reading replaces the first's unsure words in the cells it read.
        words[:] = [w for w in words if (loc := _locate(table, w.centre)) is None
                    or table.cell_of.get(loc, loc) not in replaced]
    return found


def _text_lines(words: list[_Word]) -> list[list[_Word]]:
    """Words grouped into lines (their vertical centres within half a word height), top down,
    each left to right."""
    lines: list[list[_Word]] = []
    for word in sorted(words, key=lambda w: (w.centre[1], w.box.x0)):
        for line in lines:
            last = line[-1]
            if abs(last.centre[1] - word.centre[1]) <= max(last.box.h, word.box.h) * 0.5:
                line.append(word)
                break
        else:
            lines.append([word])
    for line in lines:
        line.sort(key=lambda w: w.box.x0)
    lines.sort(key=lambda line: min(w.box.y0 for w in line))
    return lines


_ITEM_START = re.compile(r"^([-–•*·]|\d{1,2}[.)]|[a-z][.)])(\s|$)")


def _paragraphs(lines: list[list[_Word]]) -> list[str]:
    """Lines rejoined where only the width broke them; a bullet or number, or a gap taller
    than half a line, starts a new paragraph."""
    paragraphs: list[str] = []
    previous: list[_Word] | None = None
    for line in lines:
        text = " ".join(w.text for w in line)
        height = median(w.box.h for w in line)
        starts = previous is None or bool(_ITEM_START.match(text)) or (
            min(w.box.y0 for w in line) - max(w.box.y1 for w in previous) > height * 0.8)
        if starts:
            paragraphs.append(text)
        else:
            paragraphs[-1] += " " + text
        previous = line
    return paragraphs


def _raw(paragraphs: list[str]) -> str:
    if len(paragraphs) == 1:
        return html.escape(paragraphs[0], quote=False)
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


# -- shapes and lines ---------------------------------------------------------------------------

@dataclass
class _Shape:
    kind: ShapeKind
    box: Box          # pixels
    geometry: str
    contour: Any


def _shape_kind(contour: Any) -> tuple[ShapeKind, str] | None:
    import cv2

    x, y, w, h = cv2.boundingRect(contour)
    area = cv2.contourArea(contour)
    hull = cv2.contourArea(cv2.convexHull(contour))
    if not area or not hull or area / hull < 0.9:
        return None  # not convex: a region enclosed by arrows, not a symbol
    fill = area / float(w * h)
    perimeter = cv2.arcLength(contour, True)
    corners = cv2.approxPolyDP(contour, 0.04 * perimeter, True)[:, 0, :]
    if len(corners) == 4:
        # Axis-parallel: every corner near a corner of the box; rotated 45°: near the middles.
        near_corner = sum(min(abs(px - x), abs(px - x - w)) < w * 0.15
                          and min(abs(py - y), abs(py - y - h)) < h * 0.15
                          for px, py in corners)
        near_middle = sum(abs(px - x - w / 2) < w * 0.15 or abs(py - y - h / 2) < h * 0.15
                          for px, py in corners)
        if near_corner == 4 and fill > 0.85:
            return "process", "rectangle"
        if near_middle == 4 and 0.35 < fill < 0.65:
            return "decision", "diamond"
    if len(corners) == 5 and 0.6 < fill < 0.92:
        return "page-connector", "pentagon"
    if 0.7 < fill < 0.96 and w > h * 1.2 and len(corners) >= 4:
        return "terminator", "capsule"
    if 0.7 < fill < 0.82 and abs(w - h) < max(w, h) * 0.2:
        return "connector", "circle"
    return None


def _shapes(strokes: Any, tables: list[_Table], dpi: float) -> list[_Shape]:
    """Symbols inside table cells, from two views of the strokes (ruling removed).

    First the holes the strokes enclose: a symbol's inside, whatever lines touch its outline.
    A small symbol whose letter touches its outline (a bold "A" in an off-page connector) has
    its hole cut in pieces, so, second, the strokes are filled solid and opened with a kernel
    wider than a line: the lines fall away and each symbol remains as a blob; a blob counts
    where no hole did and its inside is mostly paper (a filled word is mostly ink)."""
    import cv2
    import numpy as np

    contours, hierarchy = cv2.findContours(strokes, cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return []
    shapes: list[_Shape] = []
    for contour, (_next, _prev, _child, parent) in zip(contours, hierarchy[0], strict=False):
        if parent >= 0:
            shape = _fitting_shape(contour, tables, dpi)
            if shape is not None:
                shapes.append(shape)
    solid = np.zeros_like(strokes)
    cv2.drawContours(solid, [c for c, h in zip(contours, hierarchy[0], strict=False) if h[3] < 0],
                     -1, 255, -1)
    width = max(int(dpi / 72 * 3), 5)
    solid = cv2.morphologyEx(solid, cv2.MORPH_OPEN,
                             cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (width, width)))
    blobs, _ = cv2.findContours(solid, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    for blob in blobs:
        shape = _fitting_shape(blob, tables, dpi)
        if shape is None or any(_overlap(shape.box, other.box) for other in shapes):
            continue
        b = shape.box
        inside = np.zeros_like(strokes[int(b.y0):int(b.y1) + 1, int(b.x0):int(b.x1) + 1])
        cv2.drawContours(inside, [blob - np.array([int(b.x0), int(b.y0)])], -1, 255, -1)
        inside = cv2.erode(inside, cv2.getStructuringElement(cv2.MORPH_RECT, (width, width)))
        region = strokes[int(b.y0):int(b.y1) + 1, int(b.x0):int(b.x1) + 1][inside > 0]
        if region.size and float((region > 0).mean()) < 0.45:
            shapes.append(shape)
    return shapes


def _overlap(a: Box, b: Box) -> bool:
    return a.x0 < b.x1 and b.x0 < a.x1 and a.y0 < b.y1 and b.y0 < a.y1


def _fitting_shape(contour: Any, tables: list[_Table], dpi: float) -> _Shape | None:
    """A symbol from a contour that fits well inside one table cell, or None."""
    import cv2

    smallest = dpi / 72 * 10  # points
    x, y, w, h = cv2.boundingRect(contour)
    if w < smallest or h < smallest * 0.6:
        return None
    box = Box.of(x, y, w, h)
    cell = _cell_box(tables, box.centre)
    if cell is None or box.w > cell.w * 0.92 or box.h > cell.h * 0.92 or \
            not (cell.contains((box.x0, box.y0), 3) and cell.contains((box.x1, box.y1), 3)):
        return None
    kind = _shape_kind(contour)
    return None if kind is None else _Shape(kind[0], box, kind[1], contour)


def _cell_box(tables: list[_Table], point: tuple[float, float]) -> Box | None:
    for table in tables:
        located = _locate(table, point)
        if located is None:
            continue
        r0, c0 = table.cell_of.get(located, located)
        for r, c, rs, cs in table.spans:
            if (r, c) == (r0, c0):
                return Box(table.xs[c], table.ys[r], table.xs[c + cs], table.ys[r + rs])
    return None


def _locate(table: _Table, point: tuple[float, float]) -> tuple[int, int] | None:
    from bisect import bisect_right

    x, y = point
    c = bisect_right(table.xs, x) - 1
    r = bisect_right(table.ys, y) - 1
    if 0 <= c < len(table.xs) - 1 and 0 <= r < len(table.ys) - 1:
        return r, c
    return None


@dataclass
class _Segment:
    ends: tuple[tuple[float, float], tuple[float, float]]  # pixels, head last when arrow
    arrow: bool


def _segments(flow: Any, dpi: float) -> tuple[list[_Segment], Any]:
    """Horizontal and vertical strokes of the flow's lines, and their pixels. A segment whose
    one end has ink spreading to both sides of the stroke (a filled arrowhead, not the corner
    where the next segment turns off to one side) points there."""
    import cv2
    import numpy as np

    length = max(int(dpi / 72 * 5), 6)
    gap = max(int(dpi / 72 * 3), 5)  # where a table rule crossing the line was removed
    found: list[_Segment] = []
    pixels = np.zeros_like(flow)
    for horizontal in (True, False):
        kernel = (length, 1) if horizontal else (1, length)
        bridged = cv2.morphologyEx(flow, cv2.MORPH_CLOSE, cv2.getStructuringElement(
            cv2.MORPH_RECT, (gap, 1) if horizontal else (1, gap)))
        runs = cv2.morphologyEx(bridged, cv2.MORPH_OPEN,
                                cv2.getStructuringElement(cv2.MORPH_RECT, kernel))
        count, labels, stats, _ = cv2.connectedComponentsWithStats(runs)
        for label in range(1, count):
            x, y, w, h, _area = stats[label]
            thickness = h if horizontal else w
            if (w if horizontal else h) < length * 1.4 or thickness > dpi / 72 * 3 or \
                    not _isolated(flow, x, y, w, h, horizontal, dpi):
                continue
            if (w if horizontal else h) >= dpi / 72 * 12:
                # Long enough never to be a letter's stroke (a bold T's bar is): erased
                # before OCR, so the flow's lines are not read as letters.
                pixels[labels == label] = 255
            if horizontal:
                middle = y + h / 2
                a, b = (float(x), middle), (float(x + w - 1), middle)
            else:
                middle = x + w / 2
                a, b = (middle, float(y)), (middle, float(y + h - 1))
            # The stroke's own width, not its box's: an arrowhead's base widens the box.
            stroke = max(round(_area / max(w if horizontal else h, 1)), 1)
            head_a = _arrowhead(flow, a, b, horizontal, stroke, dpi)
            head_b = _arrowhead(flow, b, a, horizontal, stroke, dpi)
            if head_a and not head_b:
                found.append(_Segment((b, a), True))
            elif head_b and not head_a:
                found.append(_Segment((a, b), True))
            else:
                found.append(_Segment((a, b), False))
    return found, pixels


def _isolated(flow: Any, x: int, y: int, w: int, h: int, horizontal: bool, dpi: float) -> bool:
    """A drawn line has blank paper beside it along most of its length; a run through a line
    of (bold, touching) letters has their strokes beside it everywhere."""
    band = max(int(dpi / 72 * 2), 3)
    margin = 2
    if horizontal:
        beside = [flow[max(y - margin - band, 0):max(y - margin, 0), x:x + w],
                  flow[y + h + margin:y + h + margin + band, x:x + w]]
        touched = [(b > 0).any(axis=0) for b in beside if b.size]
    else:
        beside = [flow[y:y + h, max(x - margin - band, 0):max(x - margin, 0)],
                  flow[y:y + h, x + w + margin:x + w + margin + band]]
        touched = [(b > 0).any(axis=1) for b in beside if b.size]
    if not touched:
        return True
    return max(float(t.mean()) for t in touched) < 0.4


def _on_rule(segment: _Segment, tables: list[_Table], dpi: float) -> bool:
    """Whether a stroke lies along a table rule (what removing the rule left of it in a
    coarse scan): no flowchart line is drawn over a cell border."""
    (x0, y0), (x1, y1) = segment.ends
    reach = dpi / 72 * 2
    for table in tables:
        if abs(y0 - y1) < abs(x0 - x1):
            if table.xs[0] - reach <= min(x0, x1) and max(x0, x1) <= table.xs[-1] + reach and \
                    any(abs(y0 - y) <= reach for y in table.ys):
                return True
        elif table.ys[0] - reach <= min(y0, y1) and max(y0, y1) <= table.ys[-1] + reach and \
                any(abs(x0 - x) <= reach for x in table.xs):
            return True
    return False


def _arrowhead(flow: Any, end: tuple[float, float], other: tuple[float, float],
               horizontal: bool, thickness: int, dpi: float) -> bool:
    """Whether ink widens on both sides of the stroke just inside this end."""
    step = dpi / 72
    height, width = flow.shape
    direction = 1 if (other[0] - end[0] if horizontal else other[1] - end[1]) > 0 else -1
    # Arrowheads can be small (3-4 pt long, 1.5 pt either side of the stroke): look just
    # beside the stroke, from near the tip back to where a head's base would be.
    side = int(thickness / 2) + max(int(step * 0.5), 2)
    reach = int(step * 2)
    hits = 0
    for back in range(max(int(step * 0.8), 2), int(step * 5), max(int(step / 2), 1)):
        if horizontal:
            x = int(end[0] + direction * back)
            y = int(end[1])
            if not 0 <= x < width:
                continue
            above = flow[max(y - side - reach, 0):max(y - side, 0), x]
            below = flow[y + side:y + side + reach, x]
        else:
            y = int(end[1] + direction * back)
            x = int(end[0])
            if not 0 <= y < height:
                continue
            above = flow[y, max(x - side - reach, 0):max(x - side, 0)]
            below = flow[y, x + side:x + side + reach]
        if above.size and below.size and above.max() > 0 and below.max() > 0:
            hits += 1
    return hits >= 2


# The words written on a decision's exits, as OCR most often garbles them by one letter.
_EXIT_WORDS = ("Ya", "Tidak", "Lengkap", "Tidak lengkap", "Setuju", "Tidak setuju", "Benar",
               "Salah", "Sesuai", "Tidak sesuai", "Ditolak", "Revisi")


def _exit_word(text: str) -> str:
    """A label over the flowchart one letter off an exit word ("Tidal") is that word; it is
    reported among the page's unsure words anyway when OCR was unsure of it."""
    if branch_of(text) is not None or len(text) < 4:
        return text
    close = difflib.get_close_matches(text.strip(" .:"), _EXIT_WORDS, n=1, cutoff=0.8)
    return close[0] if close else text


# -- one page -----------------------------------------------------------------------------------

@dataclass
class _PageResult:
    items: list[Line | Grid]
    drawn: list[Drawn]
    findings: list[Finding]
    height: float  # points


def _sideways(clean: Any, dpi: float) -> bool:
    """Whether the writing runs up or down the page: letters smeared a little along the line
    join into words, smeared across it they stay apart, so upright text makes fewer blobs when
    smeared sideways than when smeared up and down."""
    import cv2

    ink = 255 - clean
    reach = max(int(dpi / 72 * 1.5), 3)
    along = cv2.connectedComponents(cv2.dilate(ink, cv2.getStructuringElement(
        cv2.MORPH_RECT, (reach, 1))))[0]
    across = cv2.connectedComponents(cv2.dilate(ink, cv2.getStructuringElement(
        cv2.MORPH_RECT, (1, reach))))[0]
    return across < along * 0.7 and along > 50


def _turned(grey: Any) -> Any | None:
    """The page turned upright when Tesseract's orientation detection is sure it lies on its
    side or upside down (a landscape SOP scanned as a portrait sheet), else None."""
    import cv2
    import pytesseract

    try:
        found = pytesseract.image_to_osd(grey, output_type=pytesseract.Output.DICT,
                                         timeout=OCR_TIMEOUT)
    except (RuntimeError, OSError):
        return None  # too little text to tell (a picture), or no orientation data
    turns = {90: cv2.ROTATE_90_CLOCKWISE, 180: cv2.ROTATE_180,
             270: cv2.ROTATE_90_COUNTERCLOCKWISE}
    if found.get("rotate") not in turns or float(found.get("orientation_conf", 0)) < 2.0:
        return None
    return cv2.rotate(grey, turns[found["rotate"]])


def _measure_page(image: Any, number: int, dy: float, file: str | None, languages: str, *,
                  dpi: float | None = None, turned: bool = False) -> _PageResult:
    import cv2
    import numpy as np

    grey, own_dpi = _grey(image)
    dpi = dpi or own_dpi
    grey, _angle = _deskewed(grey, dpi)
    scale = 72.0 / dpi
    place = Place(page=number)
    ink = _binary(grey)
    horizontal, vertical = _ruling(ink, dpi)
    tables, rules = _tables(horizontal, vertical, dpi)
    ruling = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    strokes = cv2.bitwise_and(ink, cv2.bitwise_not(ruling))
    strokes = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    shapes = _shapes(strokes, tables, dpi)

    # The flow: strokes that are neither ruling nor symbol outlines. (A symbol's contour is its
    # inner edge: the band erased covers its stroke and little more, so the arrowheads that
    # touch it stay.)
    outline = max(int(dpi / 72 * 2.5), 3)
    flow = strokes.copy()
    for shape in shapes:
        cv2.drawContours(flow, [shape.contour], -1, 0, max(int(dpi / 72 * 1.6), 2) * 2)
        cv2.drawContours(flow, [shape.contour], -1, 0, -1)
    segments, segment_pixels = _segments(flow, dpi)
    segments = [segment for segment in segments if not _on_rule(segment, tables, dpi)]

    # What OCR sees: the page without its ruling, symbol outlines and flow lines.
    clean = grey.copy()
    clean[ruling > 0] = 255
    clean[cv2.dilate(segment_pixels, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))) > 0] = 255
    for shape in shapes:
        cv2.drawContours(clean, [shape.contour], -1, 255, outline * 2)
    clean = _despeckled(cv2.threshold(cv2.GaussianBlur(clean, (3, 3), 0), 0, 255,
                                      cv2.THRESH_BINARY | cv2.THRESH_OTSU)[1], dpi)
    words = _ocr(clean, languages)
    if not turned and (_sideways(clean, dpi) or not words
                       or median(w.confidence for w in words) < LOW_CONFIDENCE):
        # Writing that runs up the page, or is read this badly, may be on its side: ask
        # Tesseract's orientation detection once.
        upright = _turned(grey)
        if upright is not None:
            return _measure_page(upright, number, dy, file, languages, dpi=dpi, turned=True)
    words += _narrow_columns(clean, tables, words, dpi, languages)
    if words:
        # Specks and arrowheads read as letters are far smaller than the page's writing.
        usual = median(w.box.h for w in words)
        words = [w for w in words if w.box.h >= usual * 0.5 or w.confidence >= 90]

    to_points = lambda box: Box(box.x0 * scale, box.y0 * scale + dy,  # noqa: E731
                                box.x1 * scale, box.y1 * scale + dy)
    findings: list[Finding] = []
    drawn: list[Drawn] = []
    shape_words: dict[int, list[_Word]] = {}
    cell_words: dict[tuple[int, tuple[int, int]], list[_Word]] = {}
    outside: list[_Word] = []
    for word in words:
        holder = next((i for i, s in enumerate(shapes) if s.box.contains(word.centre)), None)
        if holder is not None:
            shape_words.setdefault(holder, []).append(word)
            continue
        for t, table in enumerate(tables):
            located = _locate(table, word.centre)
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
                letter = [w for w in _ocr(crop, languages, "--oem 1 --psm 8")
                          if re.fullmatch(r"\w{1,3}", w.text)]
                shape_words[i] = letter or shape_words.get(i, [])
        text = " ".join(" ".join(w.text for w in line)
                        for line in _text_lines(shape_words.get(i, [])))
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
            located = _locate(table, shape.box.centre)
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
                for line in _text_lines(in_cell):
                    box = Box(min(w.box.x0 for w in line), min(w.box.y0 for w in line),
                              max(w.box.x1 for w in line), max(w.box.y1 for w in line))
                    drawn.append(Drawn(id=f"scan-{number}-t{len(drawn) + 1}", kind="text",
                                       box=to_points(box),
                                       text=_exit_word(" ".join(w.text for w in line)),
                                       place=place, geometry="ocr-text"))
                raw = ""
            else:
                raw = _raw(_paragraphs(_text_lines(in_cell)))
            unsure = [w.text for w in in_cell if w.confidence < LOW_CONFIDENCE]
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
    for line in _text_lines(outside):
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


def measure_scan(images: Iterable[Any], *, file: str | None = None) -> Measured:
    """Scanned pages (PIL images or numpy arrays, one per page) on one surface, each page
    below the previous one."""
    import cv2

    if tesseract_command() is None:
        return _no_ocr(file)
    surface = Surface(place=Place(page=1))
    measured = Measured([surface], [])
    languages, missing = _languages()
    if missing is not None:
        measured.findings.append(missing.at(file=file))
    dy = 0.0
    for number, image in enumerate(images, start=1):
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
    """A PDF of scanned pages: each page rendered at `DPI` and measured as an image."""
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
        images = (document[i].render(scale=DPI / 72, grayscale=True).to_pil()
                  for i in range(len(document)))
        return measure_scan(_with_dpi(images), file=file)
    finally:
        document.close()


def _with_dpi(images: Any) -> Any:
    for image in images:
        image.info["dpi"] = (DPI, DPI)
        yield image


def read_scan(data: bytes, *, file: str | None = None, taken_ids: set[str] | None = None
              ) -> tuple[list[Sop], list[Finding]]:
    """A scanned PDF → SOPs and findings, through the one mapper and reader."""
    from .office import read_measured

    return read_measured(lambda raw: measure_scanned_pdf(raw, file=file), data, file=file,
                        taken_ids=taken_ids)


def read_scan_images(images: Sequence[Any], *, file: str | None = None,
                     taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    """Scanned page images (PIL or numpy) → SOPs and findings."""
    from .office import read_measured

    return read_measured(lambda _raw: measure_scan(images, file=file), b"", file=file,
                         taken_ids=taken_ids)


__all__ = ["measure_scan", "measure_scanned_pdf", "read_scan", "read_scan_images",
           "tesseract_command"]
