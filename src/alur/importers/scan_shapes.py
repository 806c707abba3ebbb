"""Flowchart symbols, line segments and arrowheads found in an image's strokes: used for
scanned pages (`scan.py`) and for a flowchart pasted as one picture (`picture.py`).

- **Shapes.** The ruling is removed; an enclosed hole that is clearly smaller than the one
  cell holding it is a symbol: four corners axis-parallel a process, four corners rotated 45°
  a decision, rounded ends (many corners, area close to but below its box) a terminator, five
  corners an off-page connector. Using the holes, not the outlines, keeps the arrows that touch
  a symbol out of its geometry.
- **Lines.** The remaining strokes are split into horizontal and vertical segments; a segment
  whose end is markedly thicker (a filled arrowhead) points there, others are left without
  direction (`arrow=False`) and the mapper chains them.

Everything is in pixels, with `dpi` saying how many make an inch of the document.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .grid import Box, ShapeKind
from .scan_tables import Table, cell_box


@dataclass
class Drawing:
    """What is drawn in an image besides its table rules, in pixels: the symbols, the flow's
    segments (those along a table rule left out), the pixels of those segments long enough to
    be erased before OCR, and the mask of the rules themselves (thickened a little)."""

    shapes: list[Shape]
    segments: list[Segment]
    segment_pixels: Any
    ruling: Any


def find_drawing(ink: Any, rules: Any, tables: list[Table], dpi: float, *,
                 labels_touch: bool = False) -> Drawing:
    """Symbols and flow lines from an image's ink (255 on 0), given the mask of its table
    rules and the tables they make (a symbol must fit in one of their cells); `labels_touch`
    as for `find_segments`."""
    import cv2

    ruling = cv2.dilate(rules, cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    strokes = cv2.bitwise_and(ink, cv2.bitwise_not(ruling))
    strokes = cv2.morphologyEx(strokes, cv2.MORPH_CLOSE,
                               cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3)))
    shapes = find_shapes(strokes, tables, dpi)
    # The flow: strokes that are neither ruling nor symbol outlines. (A symbol's contour is its
    # inner edge: the band erased covers its stroke and little more, so the arrowheads that
    # touch it stay.)
    flow = strokes.copy()
    for shape in shapes:
        cv2.drawContours(flow, [shape.contour], -1, 0, max(int(dpi / 72 * 1.6), 2) * 2)
        cv2.drawContours(flow, [shape.contour], -1, 0, -1)
    segments, segment_pixels = find_segments(flow, dpi, labels_touch=labels_touch)
    segments = [segment for segment in segments if not on_rule(segment, tables, dpi)]
    return Drawing(shapes, segments, segment_pixels, ruling)


@dataclass
class Shape:
    kind: ShapeKind
    box: Box          # pixels
    geometry: str
    contour: Any


def shape_kind(contour: Any) -> tuple[ShapeKind, str] | None:
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


def find_shapes(strokes: Any, tables: list[Table], dpi: float) -> list[Shape]:
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
    shapes: list[Shape] = []
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


def _fitting_shape(contour: Any, tables: list[Table], dpi: float) -> Shape | None:
    """A symbol from a contour that fits well inside one table cell, or None."""
    import cv2

    smallest = dpi / 72 * 10  # points
    x, y, w, h = cv2.boundingRect(contour)
    if w < smallest or h < smallest * 0.6:
        return None
    box = Box.of(x, y, w, h)
    cell = cell_box(tables, box.centre)
    if cell is None or box.w > cell.w * 0.92 or box.h > cell.h * 0.92 or \
            not (cell.contains((box.x0, box.y0), 3) and cell.contains((box.x1, box.y1), 3)):
        return None
    kind = shape_kind(contour)
    return None if kind is None else Shape(kind[0], box, kind[1], contour)


@dataclass
class Segment:
    ends: tuple[tuple[float, float], tuple[float, float]]  # pixels, head last when arrow
    arrow: bool


def find_segments(flow: Any, dpi: float, *, labels_touch: bool = False
                  ) -> tuple[list[Segment], Any]:
    """Horizontal and vertical strokes of the flow's lines, and their pixels. A segment whose
    one end has ink spreading to both sides of the stroke (a filled arrowhead, not the corner
    where the next segment turns off to one side) points there.

    A line is at most 3 pt thick: by its box on a scan, where a bold word's strokes must not
    pass for a line; by its own stroke width where `labels_touch` (a pasted screenshot, whose
    small labels touch the lines they are written against and widen their box)."""
    import cv2
    import numpy as np

    length = max(int(dpi / 72 * 5), 6)
    gap = max(int(dpi / 72 * 3), 5)  # where a table rule crossing the line was removed
    found: list[Segment] = []
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
            # The stroke's own width: an arrowhead's base, or a label's letters touching the
            # line ("Ya" written against it), widen its box.
            stroke = max(round(_area / max(w if horizontal else h, 1)), 1)
            across = stroke if labels_touch else (h if horizontal else w)
            if (w if horizontal else h) < length * 1.4 or across > dpi / 72 * 3 or \
                    (h if horizontal else w) > dpi / 72 * 6 or \
                    not _isolated(flow, x, y, w, h, horizontal, dpi):
                continue
            # Where the line itself runs: the rows (columns) of the run holding most of its
            # ink; letters touching it add a little ink above or below.
            own = labels[y:y + h, x:x + w] == label
            counts = own.sum(axis=1 if horizontal else 0)
            line = np.flatnonzero(counts >= counts.max() * 0.5)
            lo, hi = int(line.min()), int(line.max())
            if (w if horizontal else h) >= dpi / 72 * 12:
                # Long enough never to be a letter's stroke (a bold T's bar is): erased
                # before OCR, so the flow's lines are not read as letters (only the line:
                # a label written against it stays to be read).
                if horizontal:
                    band = pixels[y + lo:y + hi + 1, x:x + w]
                    band[own[lo:hi + 1, :]] = 255
                else:
                    band = pixels[y:y + h, x + lo:x + hi + 1]
                    band[own[:, lo:hi + 1]] = 255
            if horizontal:
                span = np.flatnonzero(own[lo:hi + 1, :].any(axis=0))
                middle = y + (lo + hi + 1) / 2
                a, b = (float(x + span[0]), middle), (float(x + span[-1]), middle)
            else:
                span = np.flatnonzero(own[:, lo:hi + 1].any(axis=1))
                middle = x + (lo + hi + 1) / 2
                a, b = (middle, float(y + span[0])), (middle, float(y + span[-1]))
            head_a = _arrowhead(flow, a, b, horizontal, stroke, dpi)
            head_b = _arrowhead(flow, b, a, horizontal, stroke, dpi)
            if head_a and not head_b:
                found.append(Segment((b, a), True))
            elif head_b and not head_a:
                found.append(Segment((a, b), True))
            else:
                found.append(Segment((a, b), False))
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


def on_rule(segment: Segment, tables: list[Table], dpi: float) -> bool:
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
