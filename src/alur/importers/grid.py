"""The format-neutral middle of the Word, Excel and PDF readers: table grids and drawn objects
on one surface, in one coordinate system.

An SOP's flowchart is drawn over its step table: the shape's position over the Pelaksana
columns is the only record of who does a step, and its geometry the only record of a decision.
Each reader (DOCX, XLSX, later PDF) only *measures* its document into this form — a table as
rows and columns with their extents and merged cells, and every drawn object with its kind (from
its geometry), box, text and line ends, in points on the same page or sheet. One mapper
(`alur.importers.drawing`) interprets it; nothing format-specific reaches it. Like pdfplumber's
page objects, these are plain data with coordinates (y grows downwards).
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from alur.sop.findings import Finding, Location

Point = tuple[float, float]

# What a drawn object is, from its geometry alone. A symbol's meaning in the SOP (a start row,
# the first activity, a joint step) is decided by the mapper, which also sees the table.
ShapeKind = Literal[
    "terminator",       # capsule, rounded rectangle, ellipse: Mulai/Selesai or first/last step
    "process",          # rectangle
    "decision",         # diamond
    "page-connector",   # pentagon / home plate: the flow continues on another page
    "connector",        # small circle with a letter: the flow continues elsewhere on the page
    "line",             # a line, arrow or connector: part of the flow
    "text",             # a text box with no symbol: a Ya/Tidak label or a remark
    "other",            # any other geometry (a logo, a picture frame): reported, not read
]
SYMBOL_KINDS: frozenset[str] = frozenset({"terminator", "process", "decision"})
JUMP_KINDS: frozenset[str] = frozenset({"page-connector", "connector"})


@dataclass(frozen=True)
class Box:
    """An axis-parallel rectangle in points."""

    x0: float
    y0: float
    x1: float
    y1: float

    @staticmethod
    def of(x: float, y: float, w: float, h: float) -> Box:
        return Box(x, y, x + w, y + h)

    @staticmethod
    def around(points: list[Point]) -> Box:
        """The smallest box holding the points."""
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        return Box(min(xs), min(ys), max(xs), max(ys))

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def centre(self) -> Point:
        return (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2

    def contains(self, point: Point, slack: float = 0.0) -> bool:
        x, y = point
        return (self.x0 - slack <= x <= self.x1 + slack
                and self.y0 - slack <= y <= self.y1 + slack)

    def distance(self, point: Point) -> float:
        """From a point to the nearest point of the box (0 inside)."""
        x, y = point
        dx = max(self.x0 - x, 0.0, x - self.x1)
        dy = max(self.y0 - y, 0.0, y - self.y1)
        return float((dx * dx + dy * dy) ** 0.5)

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.x0 + dx, self.y0 + dy, self.x1 + dx, self.y1 + dy)


@dataclass(frozen=True)
class Place:
    """Where something stands in the source, as sop-format.md names places: a PDF page, a
    spreadsheet's sheet and cell, a Word table and row (all from 1)."""

    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None

    def location(self) -> Location:
        """The keys that apply, for `Message.at(**location)` and `Source(**location)`."""
        where: Location = {}
        if self.page is not None:
            where["page"] = self.page
        if self.sheet is not None:
            where["sheet"] = self.sheet
        if self.cell is not None:
            where["cell"] = self.cell
        if self.table is not None:
            where["table"] = self.table
        if self.row is not None:
            where["row"] = self.row
        return where


@dataclass(frozen=True)
class GridCell:
    """A cell at its top-left grid position; `raw` is its content as the text importer reads
    cells (plain text, or an HTML fragment for paragraphs and list items)."""

    row: int
    col: int
    raw: str
    rowspan: int = 1
    colspan: int = 1
    place: Place = field(default_factory=Place)


@dataclass
class Grid:
    """A table: column and row extents, and its cells (merged ones once, at their origin).

    Row extents may be estimates where the source does not say (Word lays rows out only when
    it prints); the readers say how they measured in their own docstrings.
    """

    columns: list[tuple[float, float]]
    rows: list[tuple[float, float]]
    cells: list[GridCell]
    place: Place = field(default_factory=Place)
    row_places: list[Place] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._origin = {(c.row, c.col): c for c in self.cells}
        self._col_starts = [x0 for x0, _ in self.columns]
        self._row_starts = [y0 for y0, _ in self.rows]

    def row_raw(self, row: int) -> tuple[str, ...]:
        """The row's cells by grid column; a merged cell's text stays at its first position and
        the positions it covers are empty, as in a text or HTML extract."""
        return tuple(cell.raw if (cell := self._origin.get((row, col))) is not None else ""
                     for col in range(len(self.columns)))

    def row_place(self, row: int) -> Place:
        return self.row_places[row] if row < len(self.row_places) else self.place

    def cell_at(self, row: int, col: int) -> GridCell | None:
        return self._origin.get((row, col))

    def column_of(self, x: float) -> int | None:
        index = bisect_right(self._col_starts, x) - 1
        if index < 0 or x > self.columns[index][1]:
            return None
        return index

    def row_of(self, y: float) -> int | None:
        index = bisect_right(self._row_starts, y) - 1
        if index < 0 or y > self.rows[index][1]:
            return None
        return index

    def locate(self, point: Point) -> tuple[int, int] | None:
        """(row, column) of the grid position holding a point, or None outside the table."""
        col = self.column_of(point[0])
        row = self.row_of(point[1])
        return None if col is None or row is None else (row, col)

    @property
    def box(self) -> Box:
        return Box(self.columns[0][0], self.rows[0][0], self.columns[-1][1], self.rows[-1][1])


@dataclass(frozen=True)
class Drawn:
    """One drawn object on a surface.

    `ends` is a line's start and end in the direction it points (the arrowhead's end last);
    `arrow` says whether it has a head at all. `glued` names the objects a connector is attached
    to at its start and end, where the source records it (Excel's stCxn/endCxn). `bends` are a
    bent line's corners between its ends, in order, where the source draws it as one path:
    what it passes by (a label beside it) is judged along them, not along a straight cut.
    """

    id: str
    kind: ShapeKind
    box: Box
    text: str = ""
    ends: tuple[Point, Point] | None = None
    bends: tuple[Point, ...] = ()
    arrow: bool = False
    glued: tuple[str | None, str | None] = (None, None)
    place: Place = field(default_factory=Place)
    geometry: str = ""  # the source's own name for it (prstGeom, VML type), for findings


@dataclass(frozen=True)
class Line:
    """A paragraph of text outside any table, in reading order."""

    raw: str
    place: Place = field(default_factory=Place)


@dataclass
class Surface:
    """One page or sheet: its text and tables in reading order, and what is drawn on it."""

    items: list[Line | Grid] = field(default_factory=list)
    drawn: list[Drawn] = field(default_factory=list)
    place: Place = field(default_factory=Place)

    @property
    def grids(self) -> Iterator[Grid]:
        return (item for item in self.items if isinstance(item, Grid))


@dataclass
class Measured:
    """A whole document as its reader measured it, with what the reader itself could not
    read (as findings made by the reader)."""

    surfaces: list[Surface] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
