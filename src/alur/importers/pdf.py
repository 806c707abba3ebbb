"""PDF documents with a text layer, measured into the import middle (`grid.Measured`).

A PDF keeps no tables and no flowchart symbols, only what was painted: characters, straight
lines, rectangles, paths and pictures with their coordinates (pdfplumber gives each as plain
data). This reader recovers the middle layer from them, and nothing more:

- Every page goes on ONE surface, each below the previous one (y = the heights of the pages
  before it + y on the page), so a step table that continues on the next page stays one
  sequence of grids and off-page connector pairs can be joined; every place names its page.
- Tables come from ruled lines: straight lines, rectangles thinner than `THIN` (ruling drawn as
  filled bars) and rectangles that line up with other ruling (cell borders and fills). The
  ruling is grouped by where segments meet; each group's distinct x and y positions are the
  grid's columns and rows, and a border missing between two positions makes a merged cell.
- Flowchart shapes are the closed paths that are not ruling: a rectangle is a process, four
  points round the middle of their box a diamond, a path with Bézier corners a capsule, five
  points a pentagon (off-page connector), a small filled triangle an arrowhead. Open paths that
  lead to an arrowhead (or join one that does) are the flow's lines, split into segments whose
  last end is the arrowhead's tip.
- Text inside a symbol is its text; text in a cell of a table with symbols, over a column that
  holds symbols, is a label (Ya/Tidak or a remark) for the mapper; any other text in a cell is
  the cell's, its lines rejoined into paragraphs where the line was broken only for width;
  text outside tables is read as lines, top to bottom.

The drawing is interpreted once, for every format, by `drawing.measured_blocks`.
"""

from __future__ import annotations

import bisect
import html
import io
import itertools
import logging
import math
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from alur.i18n import N_
from alur.sop.codes import E, W, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .grid import Box, Drawn, Grid, GridCell, Line, Measured, Place, Point, ShapeKind, Surface

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
TOUCH = 2.0              # ends of ruling or lines this close (points) meet
ALIGN = 1.5              # positions this close are one ruling line
THIN = 2.0               # a rectangle thinner than this is a ruled line
ARROWHEAD = 12.0         # an arrowhead fits in a box this size
HEAD_REACH = 3.0         # how far a line may stop short of its arrowhead
BEND_REACH = 10.0        # a bend this close to a symbol is straightened (see `_lines`)
MIN_COVER = 0.6          # share of a cell side a border must cover to separate two cells
WORD_GAP = 0.15          # a gap wider than this share of the font size splits a word
_BUCKET = 24.0           # bucket size of the spatial index, in points
_LARGE = 2_000           # a box over more buckets than this is kept apart (a frame, a stray)

logging.getLogger("pdfminer").setLevel(logging.ERROR)


# -- geometry ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Segment:
    """An axis-parallel piece of ruling: `at` is its x (vertical) or y (horizontal)."""

    vertical: bool
    at: float
    lo: float
    hi: float
    owner: int

    @property
    def box(self) -> Box:
        if self.vertical:
            return Box(self.at, self.lo, self.at, self.hi)
        return Box(self.lo, self.at, self.hi, self.at)

    @property
    def ends(self) -> tuple[Point, Point]:
        if self.vertical:
            return (self.at, self.lo), (self.at, self.hi)
        return (self.lo, self.at), (self.hi, self.at)


@dataclass
class _Shape:
    """A closed path or rectangle: what it is, where, and its outline."""

    kind: ShapeKind | None
    box: Box
    points: list[Point]
    owner: int
    stroked: bool
    filled: bool
    geometry: str
    words: list[dict] = field(default_factory=list)

    def holds(self, point: Point) -> bool:
        if not self.box.contains(point, 0.5):
            return False
        if self.kind == "decision":
            cx, cy = self.box.centre
            hw, hh = self.box.w / 2 or 1, self.box.h / 2 or 1
            return abs(point[0] - cx) / hw + abs(point[1] - cy) / hh <= 1.05
        return True


@dataclass
class _Path:
    """An open path: a flow line when it leads to an arrowhead or joins one that does."""

    points: list[Point]
    owner: int
    flow: bool = False
    head: Point | None = None       # the arrowhead's tip at the last point, once known


class _Index:
    """Boxes in buckets, so a page with thousands of objects is matched in linear time."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[int, int], list[tuple[Box, object]]] = defaultdict(list)
        self.large: list[tuple[Box, object]] = []   # boxes over too many buckets: always seen

    def add(self, box: Box, item: object) -> None:
        if (box.w + _BUCKET) * (box.h + _BUCKET) > _LARGE * _BUCKET * _BUCKET:
            self.large.append((box, item))
            return
        for key in self._keys(box, 0.0):
            self.buckets[key].append((box, item))

    @staticmethod
    def _keys(box: Box, reach: float) -> Iterable[tuple[int, int]]:
        x0, x1 = int((box.x0 - reach) // _BUCKET), int((box.x1 + reach) // _BUCKET)
        y0, y1 = int((box.y0 - reach) // _BUCKET), int((box.y1 + reach) // _BUCKET)
        return itertools.product(range(x0, x1 + 1), range(y0, y1 + 1))

    def near(self, box: Box, reach: float) -> Iterator[object]:
        seen: set[int] = set()
        if (box.w + 2 * reach + _BUCKET) * (box.h + 2 * reach + _BUCKET) > \
                _LARGE * _BUCKET * _BUCKET:
            candidates: Iterable[tuple[Box, object]] = itertools.chain(
                *self.buckets.values(), self.large)
        else:
            candidates = itertools.chain(
                *(self.buckets.get(key, ()) for key in self._keys(box, reach)), self.large)
        for other, item in candidates:
            if id(item) in seen:
                continue
            if other.x0 - reach <= box.x1 and box.x0 <= other.x1 + reach and \
                    other.y0 - reach <= box.y1 and box.y0 <= other.y1 + reach:
                seen.add(id(item))
                yield item


def _distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def _dedupe(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for point in points:
        if not out or _distance(out[-1], point) > 0.05:
            out.append(point)
    if len(out) > 1 and _distance(out[0], out[-1]) <= 0.05:
        out.pop()
    return out


def _corners(points: list[Point]) -> list[Point]:
    """A closed outline's corners: points on a straight run between their neighbours dropped
    (LibreOffice starts a rectangle in the middle of a side: five points, four corners)."""
    corners = list(points)
    changed = True
    while changed and len(corners) > 3:
        changed = False
        for i, (x, y) in enumerate(corners):
            (x0, y0), (x1, y1) = corners[i - 1], corners[(i + 1) % len(corners)]
            cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)
            length = _distance((x0, y0), (x1, y1)) or 1.0
            if abs(cross) / length < 0.3:
                del corners[i]
                changed = True
                break
    return corners


def _bbox(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return Box(min(xs), min(ys), max(xs), max(ys))


def _axis_rectangle(points: list[Point]) -> bool:
    if len(points) != 4:
        return False
    box = _bbox(points)
    return all(min(abs(x - box.x0), abs(x - box.x1)) < 0.3 and
               min(abs(y - box.y0), abs(y - box.y1)) < 0.3 for x, y in points)


def _diamond(points: list[Point]) -> bool:
    if len(points) != 4:
        return False
    box = _bbox(points)
    cx, cy = box.centre
    reach = max(box.w, box.h) * 0.08 + 0.5
    on_sides = 0
    for x, y in points:
        if (abs(x - cx) <= reach and min(abs(y - box.y0), abs(y - box.y1)) <= reach) or \
                (abs(y - cy) <= reach and min(abs(x - box.x0), abs(x - box.x1)) <= reach):
            on_sides += 1
    return on_sides == 4


def _closed_kind(points: list[Point], curved: bool, box: Box) -> tuple[ShapeKind | None, str]:
    """The symbol a closed outline draws, by its corners."""
    if curved:
        if box.w <= 30 and box.h <= 30 and abs(box.w - box.h) <= max(box.w, box.h) * 0.25:
            return "connector", "circle"
        return "terminator", "rounded"
    if _axis_rectangle(points):
        return "process", "rectangle"
    if _diamond(points):
        return "decision", "diamond"
    if len(points) == 5:
        return "page-connector", "pentagon"
    if len(points) == 4:
        return "process", "quadrilateral"   # a parallelogram (input/output) is an activity
    return None, f"polygon ({len(points)})"


def _tip(points: list[Point]) -> Point:
    """An arrowhead's tip: the corner facing its shortest side (or its centre)."""
    if len(points) != 3:
        return _bbox(points).centre
    sides = [(_distance(points[(i + 1) % 3], points[(i + 2) % 3]), i) for i in range(3)]
    return points[min(sides)[1]]


# -- one page's objects -----------------------------------------------------------------------

@dataclass
class _Page:
    """A page's objects in surface coordinates (shifted down by the pages above it)."""

    number: int
    dy: float
    width: float
    height: float
    segments: list[_Segment] = field(default_factory=list)
    rect_edges: dict[int, list[_Segment]] = field(default_factory=dict)
    shapes: list[_Shape] = field(default_factory=list)
    paths: list[_Path] = field(default_factory=list)
    heads: list[tuple[Box, Point]] = field(default_factory=list)
    pictures: list[Box] = field(default_factory=list)
    words: list[dict] = field(default_factory=list)

    @property
    def place(self) -> Place:
        return Place(page=self.number)


def _is_white(colour: object) -> bool:
    if colour is None:
        return True
    values = colour if isinstance(colour, (tuple, list)) else (colour,)
    try:
        numbers = [float(v) for v in values]
    except (TypeError, ValueError):
        return False
    if len(numbers) == 4:       # CMYK
        return all(v <= 0.02 for v in numbers)
    return all(v >= 0.98 for v in numbers)


def _collect(page, number: int, dy: float) -> _Page:
    found = _Page(number, dy, float(page.width), float(page.height))
    owners = itertools.count()

    def shift(point: tuple[float, float]) -> Point:
        return float(point[0]), float(point[1]) + dy

    for line in page.lines:
        points = _dedupe([shift(p) for p in line.get("pts", [])])
        if len(points) >= 2:
            found.paths.append(_Path(points, next(owners)))
    for rect in page.rects:
        box = Box(float(rect["x0"]), float(rect["top"]) + dy, float(rect["x1"]),
                  float(rect["bottom"]) + dy)
        owner = next(owners)
        stroked, filled = bool(rect.get("stroke")), bool(rect.get("fill"))
        if filled and not stroked and _is_white(rect.get("non_stroking_color")):
            continue        # a white background paints nothing
        if box.w < THIN or box.h < THIN:
            if box.w < THIN and box.h < THIN:
                continue
            vertical = box.w < box.h
            at = (box.x0 + box.x1) / 2 if vertical else (box.y0 + box.y1) / 2
            lo, hi = (box.y0, box.y1) if vertical else (box.x0, box.x1)
            found.segments.append(_Segment(vertical, at, lo, hi, owner))
            continue
        corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
        found.shapes.append(_Shape("process", box, corners, owner, stroked, filled,
                                   "rectangle"))
    for curve in page.curves:
        path = curve.get("path") or []
        points = _dedupe([shift(p) for p in curve.get("pts", [])])
        if len(points) < 2:
            continue
        owner = next(owners)
        closed = any(op[0] == "h" for op in path) or (
            len(curve.get("pts", [])) > 3 and _distance(shift(curve["pts"][0]),
                                                        shift(curve["pts"][-1])) <= 0.5)
        if not closed:
            found.paths.append(_Path(points, owner))
            continue
        box = _bbox(points)
        stroked, filled = bool(curve.get("stroke")), bool(curve.get("fill"))
        if filled and max(box.w, box.h) <= ARROWHEAD and len(points) <= 4 and \
                not _is_white(curve.get("non_stroking_color")):
            found.heads.append((box, _tip(points)))
            continue
        curved = any(op[0] == "c" for op in path)
        if not curved:
            points = _corners(points)
        kind, geometry = _closed_kind(points, curved, box)
        found.shapes.append(_Shape(kind, box, points, owner, stroked, filled, geometry))
    found.shapes = _distinct(found.shapes)
    for image in page.images:
        box = Box(float(image["x0"]), float(image["top"]) + dy, float(image["x1"]),
                  float(image["bottom"]) + dy)
        if max(box.w, box.h) <= ARROWHEAD:
            found.heads.append((box, box.centre))
        else:
            found.pictures.append(box)
    found.words = [
        {**word, "top": float(word["top"]) + dy, "bottom": float(word["bottom"]) + dy}
        for word in page.extract_words(x_tolerance_ratio=WORD_GAP, y_tolerance=2,
                                       keep_blank_chars=False, use_text_flow=False,
                                       extra_attrs=["size"])
        if word["text"].strip()]
    return found


# -- ruling and flow lines ---------------------------------------------------------------------

def _head_choices(page: _Page) -> list[tuple[float, int, int, int]]:
    """(gap, path, end, head) for every path end that an arrowhead continues: the head lies at
    that end and points on in the path's direction. `gap` is how far the tip stands beyond
    the end: a shaft that stops at the head's base beats one that runs on under it (where
    one arrow ends at a symbol and the next leaves it, both touch the first one's head)."""
    heads = _Index()
    for h, (box, _tip) in enumerate(page.heads):
        heads.add(box, h)
    choices = []
    for p, path in enumerate(page.paths):
        for end in (0, -1):
            point = path.points[end]
            before = path.points[1] if end == 0 else path.points[-2]
            for h in heads.near(Box(*point, *point), HEAD_REACH):
                box, tip = page.heads[int(h)]  # type: ignore[call-overload]
                middle = box.centre
                pointing = (tip[0] - middle[0], tip[1] - middle[1])
                going = (point[0] - before[0], point[1] - before[1])
                norm = math.hypot(*pointing) * math.hypot(*going)
                if norm > 0 and (pointing[0] * going[0] + pointing[1] * going[1]) / norm < 0.5:
                    continue
                choices.append((_distance(point, tip), p, end, int(h)))  # type: ignore[call-overload]
    return sorted(choices, reverse=True)


def _mark_flow(page: _Page) -> None:
    """Open paths that end at an arrowhead are flow lines (each head taken by one path, each
    path by one head, see `_head_choices`); so are paths joined to them end to end, and every
    path that is not one straight axis-parallel stroke."""
    taken: set[int] = set()
    for _gap, p, end, h in _head_choices(page):
        path = page.paths[p]
        if h in taken or path.head is not None:
            continue
        taken.add(h)
        if end == 0:
            path.points.reverse()
        path.head = page.heads[h][1]
    ends = _Index()
    for path in page.paths:
        for point in (path.points[0], path.points[-1]):
            ends.add(Box(*point, *point), path)
    queue: list[_Path] = []
    for path in page.paths:
        straight = len(path.points) == 2 and (
            abs(path.points[0][0] - path.points[1][0]) < 0.5 or
            abs(path.points[0][1] - path.points[1][1]) < 0.5)
        if path.head is not None or not straight:
            path.flow = True
            queue.append(path)
    while queue:
        path = queue.pop()
        for point in (path.points[0], path.points[-1]):
            for other in ends.near(Box(*point, *point), TOUCH):
                assert isinstance(other, _Path)
                if not other.flow:
                    other.flow = True
                    queue.append(other)


def _ruling(page: _Page) -> tuple[list[_Segment], set[int]]:
    """The page's ruling, and the owners of rectangles that belong to it (cell borders and
    fills line up with other ruling; a symbol's sides line up with nothing)."""
    segments = list(page.segments)
    for path in page.paths:
        if not path.flow:
            (x0, y0), (x1, y1) = path.points[0], path.points[-1]
            if abs(x0 - x1) < 0.5:
                segments.append(_Segment(True, (x0 + x1) / 2, min(y0, y1), max(y0, y1),
                                         path.owner))
            else:
                segments.append(_Segment(False, (y0 + y1) / 2, min(x0, x1), max(x0, x1),
                                         path.owner))
    edges: dict[int, list[_Segment]] = {}
    for shape in page.shapes:
        if shape.geometry != "rectangle":
            continue
        b = shape.box
        edges[shape.owner] = [_Segment(True, b.x0, b.y0, b.y1, shape.owner),
                              _Segment(True, b.x1, b.y0, b.y1, shape.owner),
                              _Segment(False, b.y0, b.x0, b.x1, shape.owner),
                              _Segment(False, b.y1, b.x0, b.x1, shape.owner)]
    index = _Index()
    for segment in itertools.chain(segments, *edges.values()):
        index.add(segment.box, segment)
    table_rects: set[int] = set()
    for owner, sides in edges.items():
        for side in sides:
            if any(isinstance(o, _Segment) and o.owner != owner and o.vertical == side.vertical
                   and abs(o.at - side.at) <= ALIGN for o in index.near(side.box, TOUCH)):
                table_rects.add(owner)
                break
    for owner in table_rects:
        segments.extend(edges[owner])
    return segments, table_rects


def _groups(segments: list[_Segment]) -> list[list[_Segment]]:
    """Ruling segments grouped where one's end touches another."""
    parent = list(range(len(segments)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    index = _Index()
    for i, segment in enumerate(segments):
        index.add(segment.box, i)
    for i, segment in enumerate(segments):
        for point in segment.ends:
            for j in index.near(Box(*point, *point), TOUCH):
                parent[find(int(j))] = find(i)  # type: ignore[call-overload]
    groups: dict[int, list[_Segment]] = defaultdict(list)
    for i, segment in enumerate(segments):
        groups[find(i)].append(segment)
    return list(groups.values())


def _positions(values: list[float]) -> list[float]:
    values = sorted(values)
    clusters: list[list[float]] = []
    for value in values:
        if clusters and value - clusters[-1][-1] <= ALIGN:
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def _by_position(segments: list[_Segment], positions: list[float]) -> list[list[_Segment]]:
    """The segments at each position (so coverage is checked against a few, not all)."""
    found: list[list[_Segment]] = [[] for _ in positions]
    for segment in segments:
        index = bisect.bisect_left(positions, segment.at - ALIGN)
        for i in range(index, min(index + 2, len(positions))):
            if abs(positions[i] - segment.at) <= ALIGN:
                found[i].append(segment)
    return found


def _covered(segments: list[_Segment], at: float, lo: float, hi: float) -> bool:
    """Whether ruling at `at` covers most of [lo, hi]."""
    spans = sorted((max(s.lo, lo), min(s.hi, hi)) for s in segments
                   if abs(s.at - at) <= ALIGN and s.hi > lo and s.lo < hi)
    total, reach = 0.0, lo
    for start, end in spans:
        if end > reach:
            total += end - max(start, reach)
            reach = end
    return total >= MIN_COVER * (hi - lo)


@dataclass
class _Table:
    """A grid in the making: positions and the cells' spans (no text yet)."""

    xs: list[float]
    ys: list[float]
    spans: list[tuple[int, int, int, int]]        # row, col, rowspan, colspan

    @property
    def box(self) -> Box:
        return Box(self.xs[0], self.ys[0], self.xs[-1], self.ys[-1])

    def cell_box(self, span: tuple[int, int, int, int]) -> Box:
        r, c, rs, cs = span
        return Box(self.xs[c], self.ys[r], self.xs[c + cs], self.ys[r + rs])

    def span_at(self, point: Point) -> tuple[int, int, int, int] | None:
        x, y = point
        if not self.box.contains(point):
            return None
        col = max(i for i, v in enumerate(self.xs[:-1]) if v <= x)
        row = max(i for i, v in enumerate(self.ys[:-1]) if v <= y)
        return self._owner[(row, col)]

    def __post_init__(self) -> None:
        self._owner = {}
        for span in self.spans:
            r, c, rs, cs = span
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    self._owner[(rr, cc)] = span


def _table(group: list[_Segment]) -> _Table | None:
    verticals = [s for s in group if s.vertical]
    horizontals = [s for s in group if not s.vertical]
    xs = _positions([s.at for s in verticals])
    ys = _positions([s.at for s in horizontals])
    if len(xs) < 2 or len(ys) < 2 or xs[-1] - xs[0] < 8 or ys[-1] - ys[0] < 6:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    at_x = _by_position(verticals, xs)
    at_y = _by_position(horizontals, ys)
    wall = [[_covered(at_x[c], xs[c], ys[r], ys[r + 1]) for c in range(cols + 1)]
            for r in range(rows)]
    floor = [[_covered(at_y[r], ys[r], xs[c], xs[c + 1]) for c in range(cols)]
             for r in range(rows + 1)]
    taken = [[False] * cols for _ in range(rows)]
    spans: list[tuple[int, int, int, int]] = []
    for r in range(rows):
        for c in range(cols):
            if taken[r][c]:
                continue
            cs = 1
            while c + cs < cols and not wall[r][c + cs] and not taken[r][c + cs]:
                cs += 1
            rs = 1
            while r + rs < rows and all(not floor[r + rs][cc] and not taken[r + rs][cc]
                                        for cc in range(c, c + cs)):
                rs += 1
            for rr in range(r, r + rs):
                for cc in range(c, c + cs):
                    taken[rr][cc] = True
            spans.append((r, c, rs, cs))
    return _Table(xs, ys, spans)


# -- text ---------------------------------------------------------------------------------------

def _text_lines(words: list[dict]) -> list[list[dict]]:
    """Words grouped into lines (by their vertical middle), top to bottom, left to right."""
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if lines:
            last = lines[-1]
            last_middle = sum((w["top"] + w["bottom"]) / 2 for w in last) / len(last)
            if abs(middle - last_middle) <= 0.35 * max(float(word.get("size") or 8), 1.0):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _joined(line: list[dict]) -> str:
    return " ".join(w["text"] for w in line)


_PARAGRAPH_START = re.compile(r"^(?:[-•·▪◦*]|\d{1,2}[.)]|[a-zA-Z][.)])(?:\s|$)")


def _centred(lines: list[list[dict]]) -> bool:
    middles = [(line[0]["x0"] + line[-1]["x1"]) / 2 for line in lines]
    lefts = [line[0]["x0"] for line in lines]
    return len(lines) > 1 and max(middles) - min(middles) < 1.0 and max(lefts) - min(lefts) > 1.0


def _continues(previous: list[dict], line: list[dict], box: Box, pad: float, listed: bool,
               centred: bool) -> bool:
    """Whether `line` goes on with the paragraph of `previous`. In a cell whose items are
    marked ('- ', '1.'), every unmarked line does; otherwise a line does when the one before
    was full — its next word would not have fitted — and no wider gap stands between them.
    (Two unmarked items, the first filling its line, look the same as one item wrapped: the
    PDF cannot tell them apart, and they are read as one.)"""
    if _PARAGRAPH_START.match(_joined(line)):
        return False
    size = float(previous[-1].get("size") or 8)
    if line[0]["top"] - previous[-1]["bottom"] > 0.8 * size:
        return False
    if listed:
        return True
    first = line[0]["x1"] - line[0]["x0"]
    space = 0.318 * size
    if centred:     # the next word would widen the line on both sides
        return previous[-1]["x1"] - previous[0]["x0"] + space + first > box.w - 2 * pad + 0.05
    return previous[-1]["x1"] + space + first > box.x1 - pad + 0.05


def _broken_word(previous: list[dict], line: list[dict], box: Box, pad: float) -> bool:
    """Whether a word too long for its column was broken between the letters: the line
    before is that one word, filling the column to its edge, and this line goes on in lower
    case ("Pengadministras" / "i Umum" in a narrow header)."""
    if len(previous) != 1 or not line[0]["text"][:1].islower():
        return False
    word = previous[0]
    return word["text"][-1:].isalpha() and \
        word["x1"] - word["x0"] >= box.w - 2 * pad - 1.5 - 0.7 * float(word.get("size") or 8)


def _paragraphs(lines: list[list[dict]], box: Box) -> list[str]:
    """Lines rejoined into paragraphs where a line was broken only for width."""
    if not lines:
        return []
    pad = min(6.0, max(0.0, min(line[0]["x0"] for line in lines) - box.x0))
    listed = bool(_PARAGRAPH_START.match(_joined(lines[0])))
    centred = _centred(lines)
    paragraphs: list[str] = []
    previous: list[dict] | None = None
    for line in lines:
        text = _joined(line)
        if previous is not None and _continues(previous, line, box, pad, listed, centred):
            # A line broken after a hyphen ("masing-" / "masing") goes on without a space.
            glue = "" if _broken_word(previous, line, box, pad) or \
                paragraphs[-1].endswith("-") else " "
            paragraphs[-1] += glue + text
        else:
            paragraphs.append(text)
        previous = line
    return paragraphs


# A page number ("Halaman 2", "- 3 -", "2 dari 5"); three digits at most, so a year is kept.
_PAGE_NUMBER = re.compile(
    r"^(?:(?:halaman|hal\.?|page)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:dari|/|of)\s*\d{1,3})?$",
    re.IGNORECASE)


def _raw(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


# -- a page into the surface ---------------------------------------------------------------------

class _PageReader:
    def __init__(self, page: _Page, surface: Surface, ids: Iterator[int]) -> None:
        self.page = page
        self.surface = surface
        self.ids = ids
        self._symbols: _Index | None = None

    def read(self) -> list[tuple[float, Line | Grid]]:
        page = self.page
        _mark_flow(page)
        segments, table_rects = _ruling(page)
        tables: list[_Table] = []
        loose_boxes: list[_Table] = []
        for group in _groups(segments):
            table = _table(group)
            if table is None:
                continue
            (loose_boxes if len(table.spans) == 1 and len(group) <= 8 else tables).append(table)
        symbols = [s for s in page.shapes if s.owner not in table_rects and s.kind is not None
                   and (s.stroked or s.filled)]
        # Four loose strokes round a box inside a table's cell: a rectangle drawn by hand.
        for box_table in loose_boxes:
            if any(t.span_at(box_table.box.centre) is not None for t in tables):
                b = box_table.box
                symbols.append(_Shape("process", b, [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1),
                                                     (b.x0, b.y1)], -1, True, False,
                                      "four lines"))
            else:
                tables.append(box_table)
        symbols = [s for s in symbols if self._is_symbol(s, tables)]
        others = [s for s in page.shapes if s.owner not in table_rects and s.kind is None]
        drawn_columns = self._drawn_columns(tables, symbols)
        cell_words: dict[tuple[int, tuple[int, int, int, int]], list[dict]] = defaultdict(list)
        labels: dict[tuple[int, tuple[int, int, int, int]], list[dict]] = defaultdict(list)
        outside: list[dict] = []
        in_symbols = _Index()
        for symbol in symbols:
            in_symbols.add(symbol.box, symbol)
        for word in page.words:
            centre = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
            holder = next((s for s in in_symbols.near(Box(*centre, *centre), 0.5)
                           if isinstance(s, _Shape) and s.holds(centre)), None)
            if holder is not None:
                holder.words.append(word)
                continue
            for t, table in enumerate(tables):
                span = table.span_at(centre)
                if span is None:
                    continue
                if (t, span[1]) in drawn_columns and span[0] > drawn_columns[(t, span[1])]:
                    labels[(t, span)].append(word)
                else:
                    cell_words[(t, span)].append(word)
                break
            else:
                outside.append(word)
        items: list[tuple[float, Line | Grid]] = []
        for t, table in enumerate(tables):
            items.append((table.ys[0], self._grid(t, table, cell_words)))
        for line in _text_lines(outside):
            if self._page_number(line):
                continue
            items.append((min(w["top"] for w in line),
                          Line(html.escape(_joined(line)), page.place)))
        drawn = self.surface.drawn
        for symbol in symbols:
            text = " ".join(_joined(line) for line in _text_lines(symbol.words))
            drawn.append(Drawn(self._id(), symbol.kind or "other", symbol.box, text,
                               place=page.place, geometry=symbol.geometry))
        for shape in others:
            drawn.append(Drawn(self._id(), "other", shape.box, place=page.place,
                               geometry=shape.geometry))
        for picture in page.pictures:
            if any(t.box.contains(picture.centre) for t in tables):
                drawn.append(Drawn(self._id(), "other", picture, place=page.place,
                                   geometry="image"))
        for words in labels.values():
            for line in _text_lines(words):
                for run in _runs(line):
                    box = Box(min(w["x0"] for w in run), min(w["top"] for w in run),
                              max(w["x1"] for w in run), max(w["bottom"] for w in run))
                    drawn.append(Drawn(self._id(), "text", box, _joined(run),
                                       place=page.place))
        for path in page.paths:
            if path.flow:
                drawn.extend(self._lines(path, symbols))
        return items

    def _page_number(self, line: list[dict]) -> bool:
        """A page number in the top or bottom margin ('Halaman 2', '- 3 -', '2 dari 5') is
        the printer's, not the document's."""
        top = min(w["top"] for w in line) - self.page.dy
        margin = 0.08 * self.page.height
        return (top < margin or top > self.page.height - margin) and \
            bool(_PAGE_NUMBER.match(_joined(line)))

    def _id(self) -> str:
        return f"p{self.page.number}-{next(self.ids)}"

    def _is_symbol(self, shape: _Shape, tables: list[_Table]) -> bool:
        """A symbol is clearly smaller than the cell it stands in; a shape as large as its
        cell is the cell's border or fill, a shape as large as the page a frame."""
        if shape.box.w > 0.6 * self.page.width or shape.box.h > 0.6 * self.page.height:
            return False
        if not shape.stroked and shape.kind == "process":
            return False        # a filled band without outline is shading
        for table in tables:
            span = table.span_at(shape.box.centre)
            if span is None:
                continue
            cell = table.cell_box(span)
            return not (shape.box.w >= cell.w - 2 * TOUCH and shape.box.h >= cell.h - 2 * TOUCH)
        return True

    @staticmethod
    def _drawn_columns(tables: list[_Table], symbols: list[_Shape]) -> dict[tuple[int, int], int]:
        """(table, column) → the row above which the column holds headers: columns in which
        symbols stand are the flowchart's, and text below their first symbol is a label."""
        first: dict[tuple[int, int], int] = {}
        for symbol in symbols:
            for t, table in enumerate(tables):
                span = table.span_at(symbol.box.centre)
                if span is None:
                    continue
                row = span[0]
                for t2, col in [(t, span[1])]:
                    first[(t2, col)] = min(first.get((t2, col), row), row)
                break
        # The header ends above the first row with a symbol in any flowchart column.
        by_table: dict[int, int] = {}
        for (t, _col), row in first.items():
            by_table[t] = min(by_table.get(t, row), row)
        return {(t, col): by_table[t] - 1 for (t, col) in first}

    def _grid(self, t: int, table: _Table, words: dict) -> Grid:
        cells = []
        place = self.page.place
        for span in table.spans:
            r, c, rs, cs = span
            lines = _text_lines(words.get((t, span), []))
            raw = _raw(_paragraphs(lines, table.cell_box(span)))
            cells.append(GridCell(r, c, raw, rs, cs, place))
        columns = list(itertools.pairwise(table.xs))
        rows = list(itertools.pairwise(table.ys))
        return Grid(columns, rows, cells, place, [place] * len(rows))

    def _symbol_index(self, symbols: list[_Shape]) -> _Index:
        if self._symbols is None:
            self._symbols = _Index()
            for symbol in symbols:
                self._symbols.add(symbol.box, symbol)
        return self._symbols

    def _lines(self, path: _Path, symbols: list[_Shape]) -> list[Drawn]:
        """A flow path as straight segments, the last ending at its arrowhead's tip. Bends
        close to a symbol are straightened: the mapper takes a line end that near a symbol
        for the symbol's own, and a stub leaving a symbol must still join the rest."""
        points = list(path.points)
        if path.head is not None:
            points[-1] = path.head
        if len(points) > 2:
            near = self._symbol_index(symbols)
            inner = [p for p in points[1:-1]
                     if not any(True for _ in near.near(Box(*p, *p), BEND_REACH))]
            points = [points[0], *inner, points[-1]]
        out = []
        for index, (start, end) in enumerate(itertools.pairwise(points)):
            last = index == len(points) - 2
            out.append(Drawn(self._id(), "line", _bbox([start, end]), ends=(start, end),
                             arrow=last and path.head is not None, place=self.page.place,
                             geometry="path"))
        return out


def _distinct(shapes: list[_Shape]) -> list[_Shape]:
    """One shape per outline: a filled path and its stroked twin (LibreOffice paints both)
    are one shape, filled and stroked (twins would otherwise line up as table ruling)."""
    kept: list[_Shape] = []
    index = _Index()
    for shape in shapes:
        twin = next((other for other in index.near(shape.box, 1.0)
                     if isinstance(other, _Shape) and other.kind == shape.kind and
                     max(abs(a - b) for a, b in zip(
                         (other.box.x0, other.box.y0, other.box.x1, other.box.y1),
                         (shape.box.x0, shape.box.y0, shape.box.x1, shape.box.y1),
                         strict=True)) <= 1.0), None)
        if twin is None:
            kept.append(shape)
            index.add(shape.box, shape)
        else:
            twin.stroked |= shape.stroked
            twin.filled |= shape.filled
    return kept


def _runs(line: list[dict]) -> list[list[dict]]:
    """A line of label words split where a wide gap separates two labels."""
    runs: list[list[dict]] = [[line[0]]]
    for word in line[1:]:
        size = float(word.get("size") or 8)
        if word["x0"] - runs[-1][-1]["x1"] > 1.5 * size:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs


# -- the document ---------------------------------------------------------------------------------

def _scanned(page: _Page) -> bool:
    """A page that is a picture: no text at all, or pictures covering a quarter of it and no
    text but a few words (such as a page number a printer or scanner stamped on it)."""
    if page.pictures and not page.words:
        return True
    pictured = sum(box.w * box.h for box in page.pictures)
    if not page.pictures or pictured < 0.25 * page.width * page.height:
        return False
    lines = _text_lines(page.words)
    return sum(len(line) for line in lines if not _PAGE_NUMBER.match(_joined(line))) < 3


def _unreadable(variant: str, file: str | None, detail: str = "") -> Measured:
    return Measured(findings=[IMPORT_PDF_UNREADABLE(variant, detail=detail).at(file=file)])


def _page_count(document) -> int | None:
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
            for number, page_object in enumerate(page_objects, start=1):
                if number > max_pages:
                    measured.findings.append(IMPORT_PDF_TOO_LONG(
                        count=f"{max_pages}+", limit=max_pages).at(file=file))
                    return Measured(findings=measured.findings)
                page = Page(pdf, page_object, page_number=number, initial_doctop=dy)
                try:
                    collected = _collect(page, number, dy)
                    height = collected.height
                    if _scanned(collected):
                        measured.findings.append(IMPORT_PDF_NO_TEXT(page=number).at(
                            file=file, page=number))
                    elif collected.words:
                        items.extend(_PageReader(collected, surface, ids).read())
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
