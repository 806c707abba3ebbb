"""One PDF page's painted objects (pdfplumber's lines, rectangles, curves, images, words) as
plain data in surface coordinates: the only module that reads pdfplumber's page objects.

Rectangles and straight-sided filled shapes thinner than `THIN` are ruling drawn as filled
bars (Chromium paints each side of an HTML table's border as a thin filled quadrilateral, left
unclosed: a fill closes a path); a small filled closed curve is an arrowhead, a small picture
too; white fills paint nothing and are dropped.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .grid import Box, Place, Point
from .pdf_geometry import Path, Segment, Shape, Word, bbox_of, deduped, distance
from .pdf_shapes import arrow_tip, closed_kind, distinct, outline_corners

if TYPE_CHECKING:
    from pdfplumber.page import Page

THIN = 2.0               # a rectangle thinner than this is a ruled line
ARROWHEAD = 12.0         # an arrowhead fits in a box this size
WORD_GAP = 0.15          # a gap wider than this share of the font size splits a word


@dataclass
class PageObjects:
    """A page's objects in surface coordinates (shifted down by the pages above it)."""

    number: int
    dy: float
    width: float
    height: float
    segments: list[Segment] = field(default_factory=list)
    rect_edges: dict[int, list[Segment]] = field(default_factory=dict)
    shapes: list[Shape] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    heads: list[tuple[Box, Point]] = field(default_factory=list)
    pictures: list[Box] = field(default_factory=list)
    words: list[Word] = field(default_factory=list)

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


def _bar(box: Box, owner: int) -> list[Segment]:
    """A thin filled shape as the ruled line it draws (nothing for a dot)."""
    if box.w < THIN and box.h < THIN:
        return []
    vertical = box.w < box.h
    at = (box.x0 + box.x1) / 2 if vertical else (box.y0 + box.y1) / 2
    lo, hi = (box.y0, box.y1) if vertical else (box.x0, box.x1)
    return [Segment(vertical, at, lo, hi, owner)]


def collect(page: Page, number: int, dy: float) -> PageObjects:
    found = PageObjects(number, dy, float(page.width), float(page.height))
    owners = itertools.count()

    def shift(point: tuple[float, float]) -> Point:
        return float(point[0]), float(point[1]) + dy

    for line in page.lines:
        points = deduped([shift(p) for p in line.get("pts", [])])
        if len(points) >= 2:
            found.paths.append(Path(points, next(owners)))
    for rect in page.rects:
        box = Box(float(rect["x0"]), float(rect["top"]) + dy, float(rect["x1"]),
                  float(rect["bottom"]) + dy)
        owner = next(owners)
        stroked, filled = bool(rect.get("stroke")), bool(rect.get("fill"))
        if filled and not stroked and _is_white(rect.get("non_stroking_color")):
            continue        # a white background paints nothing
        if box.w < THIN or box.h < THIN:
            found.segments.extend(_bar(box, owner))
            continue
        corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
        found.shapes.append(Shape("process", box, corners, owner, stroked, filled,
                                   "rectangle"))
    for curve in page.curves:
        path = curve.get("path") or []
        points = deduped([shift(p) for p in curve.get("pts", [])])
        if len(points) < 2:
            continue
        owner = next(owners)
        # A filled path is closed by its fill even without a closing `h` (Chromium draws
        # each bevelled side of a table border as an unclosed filled quadrilateral).
        filled_area = bool(curve.get("fill")) and len(points) >= 3
        closed = filled_area or any(op[0] == "h" for op in path) or (
            len(curve.get("pts", [])) > 3 and distance(shift(curve["pts"][0]),
                                                        shift(curve["pts"][-1])) <= 0.5)
        if not closed:
            found.paths.append(Path(points, owner))
            continue
        box = bbox_of(points)
        stroked, filled = bool(curve.get("stroke")), bool(curve.get("fill"))
        if filled and max(box.w, box.h) <= ARROWHEAD and len(points) <= 4 and \
                not _is_white(curve.get("non_stroking_color")):
            found.heads.append((box, arrow_tip(points)))
            continue
        curved = any(op[0] == "c" for op in path)
        if not curved and (box.w < THIN or box.h < THIN):
            found.segments.extend(_bar(box, owner))     # a border side drawn as a polygon
            continue
        if not curved:
            points = outline_corners(points)
        kind, geometry = closed_kind(points, curved, box)
        found.shapes.append(Shape(kind, box, points, owner, stroked, filled, geometry))
    found.shapes = distinct(found.shapes)
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
