"""The plain data a PDF page is measured into, and the spatial index that matches it.

Segments of ruling, closed shapes and open paths are what every later step (shape
classification, flow lines, table grids, the page reader) works on; keeping them here, apart
from pdfplumber, lets each step be read and tested on its own. Coordinates are points on the
one surface all pages are stacked on (see `pdf.py`).
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

from .grid import Box, Point, ShapeKind

# A word as pdfplumber's `extract_words` gives it ("text", "x0", "x1", "top", "bottom", "size",
# ...): a dict whose values are of several types; pdfplumber publishes no types for it.
Word = dict[str, Any]

TOUCH = 2.0              # ends of ruling or lines this close (points) meet
ALIGN = 1.5              # positions this close are one ruling line
_BUCKET = 24.0           # bucket size of the spatial index, in points
_LARGE = 2_000           # a box over more buckets than this is kept apart (a frame, a stray)


@dataclass(frozen=True)
class Segment:
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
class Shape:
    """A closed path or rectangle: what it is, where, and its outline."""

    kind: ShapeKind | None
    box: Box
    points: list[Point]
    owner: int
    stroked: bool
    filled: bool
    geometry: str
    words: list[Word] = field(default_factory=list)

    def holds(self, point: Point) -> bool:
        if not self.box.contains(point, 0.5):
            return False
        if self.kind == "decision":
            cx, cy = self.box.centre
            hw, hh = self.box.w / 2 or 1, self.box.h / 2 or 1
            return abs(point[0] - cx) / hw + abs(point[1] - cy) / hh <= 1.05
        return True


@dataclass
class Path:
    """An open path: a flow line when it leads to an arrowhead or joins one that does."""

    points: list[Point]
    owner: int
    flow: bool = False
    head: Point | None = None       # the arrowhead's tip at the last point, once known


T = TypeVar("T")


class SpatialIndex(Generic[T]):
    """Boxes in buckets, so a page with thousands of objects is matched in linear time."""

    def __init__(self) -> None:
        self.buckets: dict[tuple[int, int], list[tuple[Box, T]]] = defaultdict(list)
        self.large: list[tuple[Box, T]] = []   # boxes over too many buckets: always seen

    def add(self, box: Box, item: T) -> None:
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

    def near(self, box: Box, reach: float) -> Iterator[T]:
        seen: set[int] = set()
        if (box.w + 2 * reach + _BUCKET) * (box.h + 2 * reach + _BUCKET) > \
                _LARGE * _BUCKET * _BUCKET:
            candidates: Iterable[tuple[Box, T]] = itertools.chain(
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


def distance(a: Point, b: Point) -> float:
    return math.hypot(a[0] - b[0], a[1] - b[1])


def deduped(points: list[Point]) -> list[Point]:
    out: list[Point] = []
    for point in points:
        if not out or distance(out[-1], point) > 0.05:
            out.append(point)
    if len(out) > 1 and distance(out[0], out[-1]) <= 0.05:
        out.pop()
    return out


def bbox_of(points: Iterable[Point]) -> Box:
    xs, ys = zip(*points, strict=True)
    return Box(min(xs), min(ys), max(xs), max(ys))
