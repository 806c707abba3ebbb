"""Ruling into table grids: straight strokes, thin bars and rectangles that line up with other
ruling are grouped where their ends meet; each group's distinct x and y positions are a grid's
columns and rows, and a border missing between two positions makes a merged cell.
"""

from __future__ import annotations

import bisect
import itertools
from dataclasses import dataclass

from .grid import Box, Point
from .pdf_geometry import ALIGN, TOUCH, Segment, SpatialIndex
from .pdf_objects import PageObjects
from .unionfind import DisjointSet

SPACING = 2.6            # rulings this close are one grid line (see `_positions`)
MIN_COVER = 0.6          # share of a cell side a border must cover to separate two cells


def ruling(page: PageObjects) -> tuple[list[Segment], set[int]]:
    """The page's ruling, and the owners of rectangles that belong to it (cell borders and
    fills line up with other ruling; a symbol's sides line up with nothing)."""
    segments = list(page.segments)
    for path in page.paths:
        if not path.flow:
            (x0, y0), (x1, y1) = path.points[0], path.points[-1]
            if abs(x0 - x1) < 0.5:
                segments.append(Segment(True, (x0 + x1) / 2, min(y0, y1), max(y0, y1),
                                         path.owner))
            else:
                segments.append(Segment(False, (y0 + y1) / 2, min(x0, x1), max(x0, x1),
                                         path.owner))
    edges: dict[int, list[Segment]] = {}
    for shape in page.shapes:
        if shape.geometry != "rectangle":
            continue
        b = shape.box
        edges[shape.owner] = [Segment(True, b.x0, b.y0, b.y1, shape.owner),
                              Segment(True, b.x1, b.y0, b.y1, shape.owner),
                              Segment(False, b.y0, b.x0, b.x1, shape.owner),
                              Segment(False, b.y1, b.x0, b.x1, shape.owner)]
    index: SpatialIndex[Segment] = SpatialIndex()
    for segment in itertools.chain(segments, *edges.values()):
        index.add(segment.box, segment)
    table_rects: set[int] = set()
    for owner, sides in edges.items():
        for side in sides:
            if any(isinstance(o, Segment) and o.owner != owner and o.vertical == side.vertical
                   and abs(o.at - side.at) <= ALIGN for o in index.near(side.box, TOUCH)):
                table_rects.add(owner)
                break
    for owner in table_rects:
        segments.extend(edges[owner])
    return segments, table_rects


def touching_groups(segments: list[Segment]) -> list[list[Segment]]:
    """Ruling segments grouped where one's end touches another."""
    joined = DisjointSet(len(segments))
    index: SpatialIndex[int] = SpatialIndex()
    for i, segment in enumerate(segments):
        index.add(segment.box, i)
    for i, segment in enumerate(segments):
        for point in segment.ends:
            for j in index.near(Box(*point, *point), TOUCH):
                joined.union(j, i)
    return [[segments[i] for i in group] for group in joined.groups()]


def _positions(values: list[float]) -> list[float]:
    """Distinct ruling positions. Two rulings closer than `SPACING` are one grid line: an HTML
    table with separate borders draws each cell's own box, the boxes a cell spacing apart."""
    values = sorted(values)
    clusters: list[list[float]] = []
    for value in values:
        if clusters and (value - clusters[-1][-1] <= ALIGN or
                         value - clusters[-1][0] <= SPACING):
            clusters[-1].append(value)
        else:
            clusters.append([value])
    return [sum(c) / len(c) for c in clusters]


def _by_position(segments: list[Segment], positions: list[float]) -> list[list[Segment]]:
    """The segments at each position (so coverage is checked against a few, not all)."""
    found: list[list[Segment]] = [[] for _ in positions]
    for segment in segments:
        index = bisect.bisect_left(positions, segment.at - ALIGN)
        for i in range(index, min(index + 2, len(positions))):
            if abs(positions[i] - segment.at) <= ALIGN:
                found[i].append(segment)
    return found


def _covered(segments: list[Segment], at: float, lo: float, hi: float) -> bool:
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
class Table:
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


def table_of(group: list[Segment]) -> Table | None:
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
    return Table(xs, ys, spans)
