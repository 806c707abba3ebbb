"""Closed paths as flowchart symbols: what a PDF outline draws, by its corners.

Real PDFs draw symbols however their writer likes: Word and LibreOffice start a rectangle in
the middle of a side, WeasyPrint and Chromium round a capsule with Bézier curves, a diamond is
four points round the middle of its box, an off-page connector five. This module decides the
symbol from the outline alone; whether a shape is a symbol at all (not a cell's fill) is the
page reader's question.
"""

from __future__ import annotations

from .grid import Box, Point, ShapeKind
from .pdf_geometry import Shape, SpatialIndex, bbox_of, distance


def outline_corners(points: list[Point]) -> list[Point]:
    """A closed outline's corners: points on a straight run between their neighbours dropped
    (LibreOffice starts a rectangle in the middle of a side: five points, four corners)."""
    corners = list(points)
    changed = True
    while changed and len(corners) > 3:
        changed = False
        for i, (x, y) in enumerate(corners):
            (x0, y0), (x1, y1) = corners[i - 1], corners[(i + 1) % len(corners)]
            cross = (x1 - x0) * (y - y0) - (y1 - y0) * (x - x0)
            length = distance((x0, y0), (x1, y1)) or 1.0
            if abs(cross) / length < 0.3:
                del corners[i]
                changed = True
                break
    return corners


def _axis_rectangle(points: list[Point]) -> bool:
    if len(points) != 4:
        return False
    box = bbox_of(points)
    return all(min(abs(x - box.x0), abs(x - box.x1)) < 0.3 and
               min(abs(y - box.y0), abs(y - box.y1)) < 0.3 for x, y in points)


def _diamond(points: list[Point]) -> bool:
    if len(points) != 4:
        return False
    box = bbox_of(points)
    cx, cy = box.centre
    reach = max(box.w, box.h) * 0.08 + 0.5
    on_sides = 0
    for x, y in points:
        if (abs(x - cx) <= reach and min(abs(y - box.y0), abs(y - box.y1)) <= reach) or \
                (abs(y - cy) <= reach and min(abs(x - box.x0), abs(x - box.x1)) <= reach):
            on_sides += 1
    return on_sides == 4


def closed_kind(points: list[Point], curved: bool, box: Box) -> tuple[ShapeKind | None, str]:
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


def arrow_tip(points: list[Point]) -> Point:
    """An arrowhead's tip: the corner facing its shortest side (or its centre)."""
    if len(points) != 3:
        return bbox_of(points).centre
    sides = [(distance(points[(i + 1) % 3], points[(i + 2) % 3]), i) for i in range(3)]
    return points[min(sides)[1]]


def distinct(shapes: list[Shape]) -> list[Shape]:
    """One shape per outline: a filled path and its stroked twin (LibreOffice paints both)
    are one shape, filled and stroked (twins would otherwise line up as table ruling)."""
    kept: list[Shape] = []
    index: SpatialIndex[Shape] = SpatialIndex()
    for shape in shapes:
        twin = next((other for other in index.near(shape.box, 1.0)
                     if isinstance(other, Shape) and other.kind == shape.kind and
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
