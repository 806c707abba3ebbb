"""The geometry of a bagan alir page, as `layout` computes it and every writer draws it.

All coordinates are in points (1/72 inch) from the top-left corner of the page, y downwards.
Writers never compute positions: they only translate these objects into their own format.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

MM = 72 / 25.4
Point = tuple[float, float]


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def cy(self) -> float:
        return self.y + self.h / 2

    def inset(self, d: float) -> Rect:
        return Rect(self.x + d, self.y + d, self.w - 2 * d, self.h - 2 * d)

    def intersects(self, other: Rect) -> bool:
        return (self.x < other.right and other.x < self.right and
                self.y < other.bottom and other.y < self.bottom)

    def contains(self, other: Rect, tolerance: float = 0.01) -> bool:
        return (other.x >= self.x - tolerance and other.y >= self.y - tolerance and
                other.right <= self.right + tolerance and other.bottom <= self.bottom + tolerance)


PAPERS: dict[str, tuple[float, float]] = {
    "a4": (210 * MM, 297 * MM),
    "f4": (215 * MM, 330 * MM),  # Folio/F4 as used in Indonesian offices
}


Paper = Literal["a4", "f4"]


def overlap_length(a: tuple[Point, Point], b: tuple[Point, Point]) -> float:
    """Length two axis-parallel segments share when they lie on the same line (negative or
    zero when they do not meet)."""
    (ax0, ay0), (ax1, ay1) = a
    (bx0, by0), (bx1, by1) = b
    if abs(ax0 - ax1) < 0.01 and abs(bx0 - bx1) < 0.01 and abs(ax0 - bx0) < 0.5:
        return min(max(ay0, ay1), max(by0, by1)) - max(min(ay0, ay1), min(by0, by1))
    if abs(ay0 - ay1) < 0.01 and abs(by0 - by1) < 0.01 and abs(ay0 - by0) < 0.5:
        return min(max(ax0, ax1), max(bx0, bx1)) - max(min(ax0, ax1), min(bx0, bx1))
    return 0.0


@dataclass(frozen=True)
class PageSetup:
    """Paper and orientation. Landscape is the SOP AP norm; portrait on request."""

    paper: Paper = "a4"
    landscape: bool = True
    margin: float = 10 * MM

    @property
    def width(self) -> float:
        short, long = PAPERS[self.paper]
        return long if self.landscape else short

    @property
    def height(self) -> float:
        short, long = PAPERS[self.paper]
        return short if self.landscape else long

    @property
    def content(self) -> Rect:
        return Rect(self.margin, self.margin, self.width - 2 * self.margin,
                    self.height - 2 * self.margin)

    @property
    def css_size(self) -> str:
        size = {"a4": "A4", "f4": "215mm 330mm"}[self.paper]
        if self.paper == "f4":
            return "330mm 215mm" if self.landscape else size
        return f"{size} {'landscape' if self.landscape else 'portrait'}"


def symbol_width(column_width: float) -> float:
    """A symbol's width in an actor column: wide enough to read as a symbol, narrow enough
    to leave lanes for jumps on either side."""
    share = 0.56 if column_width >= 56 else 0.46
    return min(max(column_width * share, 16.0), 46.0)


ColumnRole = Literal["no", "activity", "actor", "inputs", "time", "outputs", "notes"]


@dataclass(frozen=True)
class Column:
    role: ColumnRole
    title: str
    x: float
    width: float
    actor_id: str | None = None

    @property
    def center(self) -> float:
        return self.x + self.width / 2


Align = Literal["left", "center"]


@dataclass(frozen=True)
class TextBox:
    """Wrapped lines placed in a rectangle; `baselines` are the y of each line's baseline."""

    rect: Rect
    lines: tuple[str, ...]
    size: float
    line_height: float
    bold: bool = False
    align: Align = "left"

    @property
    def baselines(self) -> list[float]:
        top = self.rect.y + (self.rect.h - self.line_height * len(self.lines)) / 2 \
            if self.align == "center" else self.rect.y
        return [top + self.line_height * (i + 0.78) for i in range(len(self.lines))]

    def line_x(self, line: str) -> float:
        if self.align == "center":
            from .text import text_width

            return self.rect.cx - text_width(line, self.size, bold=self.bold) / 2
        return self.rect.x


@dataclass(frozen=True)
class Cell:
    rect: Rect
    text: TextBox | None = None
    role: str = ""


@dataclass
class RowBox:
    """One step's row of the table."""

    step: int
    rect: Rect
    cells: list[Cell] = field(default_factory=list)


ShapeKind = Literal["terminator", "process", "decision"]


@dataclass(frozen=True)
class Shape:
    kind: ShapeKind
    step: int
    actor_id: str
    rect: Rect

    def port(self, side: Literal["top", "bottom", "left", "right"]) -> Point:
        r = self.rect
        return {"top": (r.cx, r.y), "bottom": (r.cx, r.bottom), "left": (r.x, r.cy),
                "right": (r.right, r.cy)}[side]

    def half_width_at(self, dy: float) -> float:
        """Half the symbol's width on a horizontal line `dy` from its centre (0 outside)."""
        r = self.rect
        dy = abs(dy)
        if dy >= r.h / 2:
            return 0.0
        if self.kind == "decision":
            return r.w / 2 * (1 - dy / (r.h / 2))
        if self.kind == "terminator":
            radius = r.h / 2
            return r.w / 2 - radius + math.sqrt(radius * radius - dy * dy)
        return r.w / 2

    def half_height_at(self, dx: float) -> float:
        """Half the symbol's height on a vertical line `dx` from its centre (0 outside)."""
        r = self.rect
        dx = abs(dx)
        if dx >= r.w / 2:
            return 0.0
        if self.kind == "decision":
            return r.h / 2 * (1 - dx / (r.w / 2))
        if self.kind == "terminator":
            radius = r.h / 2
            straight = r.w / 2 - radius
            if dx <= straight:
                return radius
            return math.sqrt(radius * radius - (dx - straight) ** 2)
        return r.h / 2

    def crossed_by(self, a: Point, b: Point, margin: float = 0.6) -> bool:
        """True when an axis-parallel segment passes through the symbol's inside."""
        r = self.rect
        if abs(a[1] - b[1]) < 0.01:  # horizontal
            half = self.half_width_at(a[1] - r.cy) - margin
            x0, x1 = sorted((a[0], b[0]))
            return half > 0 and x0 < r.cx + half and x1 > r.cx - half
        if abs(a[0] - b[0]) < 0.01:  # vertical
            half = self.half_height_at(a[0] - r.cx) - margin
            y0, y1 = sorted((a[1], b[1]))
            return half > 0 and y0 < r.cy + half and y1 > r.cy - half
        return r.inset(margin).intersects(Rect(min(a[0], b[0]), min(a[1], b[1]),
                                               abs(a[0] - b[0]), abs(a[1] - b[1])))

    def overlaps(self, rect: Rect, margin: float = 0.6) -> bool:
        """True when a rectangle (a label) covers part of the drawn outline's inside: a label
        may sit in the corner of a diamond's or capsule's bounding box, beside the outline."""
        r = self.rect
        if not r.inset(margin).intersects(rect):
            return False
        # The rectangle's point nearest the centre decides: the symbol's width shrinks
        # monotonically away from its middle, so if that point is outside, all are.
        px = min(max(r.cx, rect.x), rect.right)
        py = min(max(r.cy, rect.y), rect.bottom)
        return self.half_width_at(py - r.cy) - margin > abs(px - r.cx)

    def side_point(self, side: Literal["left", "right"], y: float) -> Point:
        """Where a horizontal line at `y` meets the symbol's outline on that side."""
        r = self.rect
        half = self.half_width_at(min(abs(y - r.cy), r.h / 2 - 0.01))
        return (r.cx - half, y) if side == "left" else (r.cx + half, y)


ArrowKind = Literal["flow", "yes", "no", "jump", "joint"]


# Line weights in points, the same in every writer: heavy enough to read on a screen at 100 %
# (0.8 pt looked faint there) and light enough not to blot in print. The arrowhead grows with
# the line.
ARROW_WIDTH = 1.1
SYMBOL_WIDTH = 1.2
ARROWHEAD_LENGTH = 6.0
ARROWHEAD_HALF_WIDTH = 2.6


@dataclass
class Arrow:
    """An orthogonal polyline; the arrowhead is at the last point unless `head` is False."""

    points: list[Point]
    source: int
    target: int | None
    kind: ArrowKind = "flow"
    label: str | None = None
    label_box: Rect | None = None
    head: bool = True

    def segments(self) -> list[tuple[Point, Point]]:
        return list(zip(self.points, self.points[1:], strict=False))

    def head_points(self, length: float = ARROWHEAD_LENGTH,
                    half_width: float = ARROWHEAD_HALF_WIDTH) -> list[Point]:
        """The arrowhead triangle at the last point, along the last segment."""
        (ax, ay), (bx, by) = self.points[-2], self.points[-1]
        dx, dy = bx - ax, by - ay
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        ux, uy = dx / norm, dy / norm
        base = (bx - ux * length, by - uy * length)
        return [(bx, by), (base[0] - uy * half_width, base[1] + ux * half_width),
                (base[0] + uy * half_width, base[1] - ux * half_width)]

    def shaft(self, length: float = ARROWHEAD_LENGTH) -> list[Point]:
        """The points with the last one pulled back under the arrowhead."""
        if not self.head:
            return list(self.points)
        (ax, ay), (bx, by) = self.points[-2], self.points[-1]
        dx, dy = bx - ax, by - ay
        norm = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        cut = min(length * 0.8, norm)
        return [*self.points[:-1], (bx - dx / norm * cut, by - dy / norm * cut)]


@dataclass(frozen=True)
class Connector:
    """An off-page connector (pentagon): 'out' at the bottom of a page, 'in' at the top."""

    letter: str
    rect: Rect
    direction: Literal["out", "in"]
    source: int
    target: int


@dataclass
class Page:
    number: int
    header: list[Cell]
    rows: list[RowBox]
    table: Rect
    shapes: list[Shape] = field(default_factory=list)
    arrows: list[Arrow] = field(default_factory=list)
    connectors: list[Connector] = field(default_factory=list)
    top_strip: Rect | None = None
    bottom_strip: Rect | None = None


@dataclass
class Layout:
    sop_id: str
    setup: PageSetup
    columns: list[Column]
    pages: list[Page]
    # Decisions whose chosen exit sides (the step's `layout`) could not be kept: the drawing
    # rules would break, so the exits were routed as if no side had been chosen.
    unhonoured: list[int] = field(default_factory=list)

    def actor_column(self, actor_id: str) -> Column:
        return next(c for c in self.columns if c.actor_id == actor_id)

    def page_of(self, step: int) -> Page | None:
        for page in self.pages:
            if any(r.step == step for r in page.rows):
                return page
        return None
