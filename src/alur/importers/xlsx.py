"""Measuring an Excel workbook (.xlsx) into the import middle layer (`alur.importers.grid`).

Agencies keep SOPs in Excel as a bordered step table with the flowchart drawn as shapes over the
Pelaksana columns. The cells say what each step is; only the shapes' positions say who does it.
This reader measures both on one coordinate system per sheet — points from the sheet's top-left
corner, y downwards — and interprets nothing: the mapper decides what is an SOP.

- Cells come from openpyxl (cached formula results; a formula Excel never calculated reads
  empty). A sheet's rows group into blocks: consecutive rows with several filled cells or with
  borders form a `Grid` that spans every sheet column between its first and last, so a shape's
  x maps to exactly one column; a row with a single filled cell outside a table is a `Line`.
  Merged ranges are read from the sheet's XML, not by openpyxl (see `_cells_only`).
- Shapes come from the drawing part with lxml, because openpyxl keeps only pictures and charts.
  An anchor names a cell and an offset in EMU (12,700 per point), so a shape's box is measured
  with the same column and row extents as the grid (`_Axis`): a shape anchored in D5 lands in
  the grid's D5 whatever fonts Excel measured with. (An absolute anchor is in Excel's own
  points and may drift by the difference; Excel writes few.)
- Column widths are Excel's stored widths, which already include the cell padding: a width w is
  trunc(7w + 0.49) pixels of a 7-pixel maximum digit (Calibri 11, the default), and a sheet with
  no width uses 64 pixels (8.43 characters). Row heights are in points (15 by default).

The package is checked (`alur.importers.package`, then `_check_package`) before openpyxl sees a
byte; every problem of the file becomes a finding in `Measured.findings`, and whatever was read
before it is kept. Nothing here raises on a document's content.
"""

from __future__ import annotations

import datetime as dt
import html
import io
import math
import posixpath
import re
import warnings
import zipfile
import zlib
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, replace
from itertools import accumulate

from lxml import etree
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string, get_column_letter, range_boundaries
from openpyxl.worksheet.worksheet import Worksheet

from alur.i18n import N_
from alur.sop.codes import INFO, Np_, W, register
from alur.sop.findings import Finding

from .grid import (
    JUMP_KINDS,
    SYMBOL_KINDS,
    Box,
    Drawn,
    Grid,
    GridCell,
    Line,
    Measured,
    Place,
    Point,
    ShapeKind,
    Surface,
)
from .office import IMPORT_OFFICE_UNREADABLE
from .package import Package, PackageError, open_package
from .shapes import preset_kind

# -- findings ---------------------------------------------------------------------------------
# A file that cannot be opened at all is reported with the Office readers' shared code
# (`office.IMPORT_OFFICE_UNREADABLE`, by `PackageError.reason`); these are the workbook's own.
IMPORT_XLSX_DRAWING = register(
    "import.xlsx-drawing", W, "a sheet's drawing cannot be read; its shapes are not imported",
    N_("The shapes drawn on sheet '{sheet}' cannot be read; the flowchart symbols of that sheet "
       "are not imported."))
IMPORT_XLSX_UNCALCULATED = register(
    "import.xlsx-uncalculated", W,
    "formula cells whose result was never saved (a workbook written by a program, not Excel) "
    "read empty",
    Np_("Sheet '{sheet}' has {count} formula cell whose result was not saved in the file; it "
        "is read as empty. Open the file in Excel, save it, and import it again.",
        "Sheet '{sheet}' has {count} formula cells whose results were not saved in the file; "
        "they are read as empty. Open the file in Excel, save it, and import it again."))
IMPORT_XLSX_HIDDEN_SHEET = register(
    "import.xlsx-hidden-sheet", INFO, "a hidden sheet, read like the others",
    N_("Sheet '{sheet}' is hidden in the workbook; it is read like the other sheets."))

# -- units ------------------------------------------------------------------------------------
EMU_PER_POINT = 12700
POINTS_PER_PIXEL = 0.75            # 96 dpi
MAX_DIGIT_PIXELS = 7               # Calibri 11, Excel's default font
DEFAULT_ROW_POINTS = 15.0
MAX_COLUMN = 16384
MAX_ROW = 1048576
# openpyxl holds every cell as a Python object of a few hundred bytes: 10 MB of sheet XML is
# up to half a million cells, past that a server's memory is at stake. An agency's workbook
# of a hundred SOP sheets is a few MB.
MAX_CELL_XML_BYTES = 10 * 1024 * 1024

_NS = {
    "xdr": "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "rel": "http://schemas.openxmlformats.org/package/2006/relationships",
}
_XDR, _A, _MC, _REL, _MAIN, _R = (f"{{{_NS[key]}}}"
                                  for key in ("xdr", "a", "mc", "rel", "main", "r"))
_ANCHORS = {_XDR + "twoCellAnchor", _XDR + "oneCellAnchor", _XDR + "absoluteAnchor"}
_OBJECTS = {_XDR + name for name in ("sp", "cxnSp", "grpSp", "pic", "graphicFrame")}
_TEXT_PARTS = (".xml", ".rels", ".vml")
# What reading a damaged zip entry raises (a bad CRC, a broken deflate stream, an unknown
# compression method); `Package.read` passes them through, so they are caught as a damaged file.
_DAMAGED_ZIP = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError,
                RuntimeError, ValueError)
_PROLOG_ITEM = re.compile(rb"\s+|<\?.*?\?>|<!--.*?-->", re.DOTALL)


# -- geometry: one offset table per sheet axis ------------------------------------------------
class _Axis:
    """Where each column (or row) of a sheet starts, in points, from the sizes that differ from
    the default. Sparse, so a stray cell at row 1,048,576 costs nothing; lookups are
    logarithmic, so thousands of shapes measure in linear time."""

    def __init__(self, default: float, sizes: dict[int, float], limit: int) -> None:
        self.default = default
        self.limit = limit
        self._indices = sorted(sizes)
        self._sizes = [sizes[i] for i in self._indices]
        # _extra[k]: how much the first k custom sizes add to the default layout
        self._extra = [0.0, *accumulate(size - default for size in self._sizes)]
        self._starts = [(index - 1) * default + extra
                        for index, extra in zip(self._indices, self._extra, strict=False)]

    def size(self, index: int) -> float:
        k = bisect_left(self._indices, index)
        if k < len(self._indices) and self._indices[k] == index:
            return self._sizes[k]
        return self.default

    def start(self, index: int) -> float:
        """Points from the origin to the start of a 1-based column or row."""
        k = bisect_left(self._indices, index)
        return (index - 1) * self.default + self._extra[k]

    def extent(self, index: int) -> tuple[float, float]:
        start = self.start(index)
        return start, start + self.size(index)

    def index_at(self, position: float) -> int:
        """The column or row holding a position (the visible one where hidden ones share it)."""
        k = bisect_right(self._starts, position) - 1
        if k < 0:
            base, end = 0, 0.0
        else:
            base, end = self._indices[k], self._starts[k] + self._sizes[k]
            if position < end:
                return base
        if self.default <= 0:
            return max(base, 1)
        return max(1, min(self.limit, base + 1 + int((position - end) // self.default)))


@dataclass(frozen=True)
class _Sheet:
    """A worksheet's identity and its two axes, shared by its grids and its drawing."""

    title: str
    number: int          # 1-based position among the workbook's worksheets, for Drawn ids
    columns: _Axis
    rows: _Axis

    def point(self, column: int, column_offset: float, row: int, row_offset: float) -> Point:
        """A 0-based anchor cell plus EMU offsets, in points."""
        return (self.columns.start(column + 1) + column_offset / EMU_PER_POINT,
                self.rows.start(row + 1) + row_offset / EMU_PER_POINT)

    def cell_at(self, point: Point) -> str:
        column = self.columns.index_at(point[0])
        row = self.rows.index_at(point[1])
        return f"{get_column_letter(column)}{row}"

    def place(self, cell: str | None = None) -> Place:
        return Place(sheet=self.title, cell=cell)


def _column_points(width: float) -> float:
    pixels = math.trunc((256 * width + math.trunc(128 / MAX_DIGIT_PIXELS)) / 256
                        * MAX_DIGIT_PIXELS)
    return max(pixels, 0) * POINTS_PER_PIXEL


def _axes(ws: Worksheet) -> tuple[_Axis, _Axis]:
    fmt = ws.sheet_format
    if fmt.defaultColWidth:
        default_width = _column_points(float(fmt.defaultColWidth))
    else:
        base = float(fmt.baseColWidth or 8)  # Excel rounds the padded base up to 8 pixels
        default_width = math.ceil((base * MAX_DIGIT_PIXELS + 5) / 8) * 8 * POINTS_PER_PIXEL
    widths: dict[int, float] = {}
    # .items(), never [letter]: the dimension dictionaries create an entry on a missing key.
    for letter, dim in ws.column_dimensions.items():
        first = dim.min or _column_index(letter)
        last = max(dim.max or first, first)
        width = 0.0 if dim.hidden else (_column_points(dim.width) if dim.width is not None
                                        else default_width)
        for index in range(max(first, 1), min(last, MAX_COLUMN) + 1):
            widths[index] = width
    default_height = 0.0 if fmt.zeroHeight else float(fmt.defaultRowHeight or DEFAULT_ROW_POINTS)
    heights: dict[int, float] = {}
    for index, dim in ws.row_dimensions.items():
        if dim.hidden:
            heights[index] = 0.0
        elif dim.ht is not None:
            heights[index] = float(dim.ht)
        elif fmt.zeroHeight:  # listed, so shown, at the default height
            heights[index] = float(fmt.defaultRowHeight or DEFAULT_ROW_POINTS)
    return (_Axis(default_width, widths, MAX_COLUMN),
            _Axis(default_height, heights, MAX_ROW))


def _column_index(letter: str) -> int:
    try:
        return int(column_index_from_string(letter))
    except ValueError:
        return 1


# -- cells ------------------------------------------------------------------------------------
_FORMAT_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|_.|\*.|([0#?.,%]+)|(.)', re.DOTALL)


def _number_text(value: float | int, number_format: str) -> str:
    """A number as the sheet shows it where that matters to an SOP: no trailing .0, and the
    words of a custom format kept (`0 "menit"` shows 10 as "10 menit"). Other formats (dates
    aside, which openpyxl already returns as dates) show the bare number."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        value = int(value)
    text = str(value)
    section = number_format.split(";")[0] if number_format else ""
    if '"' not in section and "\\" not in section:
        return text
    before: list[str] = []
    after: list[str] = []
    digits = ""
    for match in _FORMAT_TOKEN.finditer(section):
        quoted, escaped, placeholder, other = match.groups()
        if placeholder is not None:
            digits += placeholder
            continue
        literal = quoted if quoted is not None else escaped if escaped is not None else other
        if literal is None:
            continue  # [colour] and [$-locale] codes, _x padding, *x fill
        (after if digits else before).append(literal)
    if not digits or "%" in digits or ("0" not in digits and "#" not in digits):
        return text
    decimals = len(digits.split(".", 1)[1].rstrip(",")) if "." in digits else 0
    if decimals:
        text = f"{value:.{decimals}f}"
    return "".join(before) + text + "".join(after)


def _cell_text(value: object, number_format: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="minutes" if value.second == 0 else "seconds")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, (int, float)):
        return _number_text(value, number_format)
    return str(value)


def _raw(text: str) -> str:
    """A cell's text as the middle layer's raw content: one paragraph as escaped text, several
    (Alt+Enter line breaks) as `<p>` elements that `cells.cell_items` splits."""
    paragraphs = [p.strip() for p in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs = [p for p in paragraphs if p]
    if len(paragraphs) <= 1:
        return html.escape(paragraphs[0] if paragraphs else "", quote=False)
    return "".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paragraphs)


def _bordered(cell: object) -> bool:
    border = getattr(cell, "border", None)
    if border is None:
        return False
    return any(getattr(side, "style", None) for side in
               (border.left, border.right, border.top, border.bottom))


@dataclass
class _Row:
    filled: dict[int, str]         # column → text of the cells with content
    bordered: set[int]             # columns of bordered cells, filled or not


def _sheet_rows(ws: Worksheet) -> dict[int, _Row]:
    rows: dict[int, _Row] = {}
    # The worksheet's own cell store: iter_rows() would visit (and create) every position of
    # the used range, which one stray cell far away makes millions.
    for (row, column), cell in ws._cells.items():
        text = _cell_text(cell.value, getattr(cell, "number_format", "General") or "")
        bordered = _bordered(cell)
        if not text.strip() and not bordered:
            continue
        entry = rows.setdefault(row, _Row({}, set()))
        if text.strip():
            entry.filled[column] = text
        if bordered:
            entry.bordered.add(column)
    return rows


@dataclass(frozen=True)
class _Merge:
    min_row: int
    min_col: int
    max_row: int
    max_col: int


def _blocks(rows: dict[int, _Row], merges: dict[int, list[_Merge]],
            drawn_rows: set[int]) -> Iterator[tuple[str, int, int]]:
    """The sheet's rows in reading order as ("grid", first, last) and ("line", row, row).

    A row belongs to a table when it has two or more filled cells or any border; a single
    filled row between table rows (an activity whose actor is drawn, not written) belongs to
    the table too, and so does every row a merged cell of the table reaches down to. A row
    holding a drawn symbol (`drawn_rows`) continues a table it follows, never starts one. A
    table's leading and trailing rows with borders but no content and no symbol (a template's
    empty lines) are cut.
    """
    reach = {row: max(m.max_row for m in starting) for row, starting in merges.items()}
    # the rows a filled merged cell covers: row r is covered when some filled range starting
    # at or above r reaches down to it (a running maximum, so a tall range costs nothing)
    filled_starts: list[int] = []
    filled_reach: list[int] = []
    for row in sorted(merges):
        origin = rows.get(row)
        ends = [m.max_row for m in merges[row] if origin is not None and m.min_col in origin.filled]
        if ends:
            filled_starts.append(row)
            filled_reach.append(max(max(ends), filled_reach[-1] if filled_reach else 0))

    def tabular(row: int) -> bool:
        entry = rows.get(row)
        return entry is not None and (len(entry.filled) >= 2 or bool(entry.bordered))

    def single(row: int) -> bool:
        entry = rows.get(row)
        return entry is not None and len(entry.filled) == 1 and not entry.bordered

    def has_content(row: int) -> bool:
        entry = rows.get(row)
        if (entry is not None and entry.filled) or row in drawn_rows:
            return True
        k = bisect_right(filled_starts, row) - 1
        return k >= 0 and filled_reach[k] >= row

    ordered = sorted(rows.keys() | drawn_rows)
    # after_singles[row]: the first row after a run of single-cell rows starting at `row`
    after_singles: dict[int, int] = {}
    for row in reversed(ordered):
        after_singles[row] = after_singles.get(row + 1, row + 1) if single(row) else row

    start = last = 0
    in_table = False

    def close() -> Iterator[tuple[str, int, int]]:
        first, final = start, last
        while first <= final and not has_content(first):
            first += 1
        while final >= first and not has_content(final):
            final -= 1
        if first <= final:
            yield "grid", first, final

    for row in ordered:
        # `last` is the table's last row so far, including rows its merged cells reach
        joins = in_table and (row <= last or (row == last + 1 and (
            tabular(row) or row in drawn_rows
            or (single(row) and tabular(after_singles[row])))))
        if joins:
            last = max(last, reach.get(row, row))
            continue
        if in_table:
            yield from close()
            in_table = False
        if tabular(row):
            start, last = row, reach.get(row, row)
            in_table = True
        elif single(row):
            yield "line", row, row
    if in_table:
        yield from close()


def _grid(sheet: _Sheet, rows: dict[int, _Row], merges: dict[int, list[_Merge]],
          first: int, last: int) -> Grid | None:
    """The rows first..last as a grid over every column they use; None when they hold no
    cell at all (only a drawn symbol)."""
    columns: set[int] = set()
    for row in range(first, last + 1):
        entry = rows.get(row)
        if entry is not None:
            columns.update(entry.filled)
            columns.update(entry.bordered)
        for spanning in merges.get(row, ()):
            columns.update((spanning.min_col, spanning.max_col))
    if not columns:
        return None
    left, right = min(columns), max(columns)
    cells: list[GridCell] = []
    for row in range(first, last + 1):
        entry = rows.get(row)
        filled = entry.filled if entry is not None else {}
        origins = {m.min_col: m for m in merges.get(row, ())}
        for column in sorted(filled.keys() | origins.keys()):
            merge = origins.get(column)
            coordinate = f"{get_column_letter(column)}{row}"
            cells.append(GridCell(
                row=row - first, col=column - left, raw=_raw(filled.get(column, "")),
                rowspan=min(merge.max_row, last) - row + 1 if merge else 1,
                colspan=min(merge.max_col, right) - column + 1 if merge else 1,
                place=sheet.place(coordinate)))
    first_letter = get_column_letter(left)
    return Grid(
        columns=[sheet.columns.extent(c) for c in range(left, right + 1)],
        rows=[sheet.rows.extent(r) for r in range(first, last + 1)],
        cells=cells,
        place=sheet.place(f"{first_letter}{first}"),
        row_places=[sheet.place(f"{first_letter}{r}") for r in range(first, last + 1)])


def _items(sheet: _Sheet, ws: Worksheet, merged_ranges: list[_Merge],
           drawn: list[Drawn]) -> list[Line | Grid]:
    rows = _sheet_rows(ws)
    drawn_rows = {sheet.rows.index_at(d.box.centre[1]) for d in drawn
                  if d.kind in SYMBOL_KINDS or d.kind in JUMP_KINDS}
    # A merged range reaching past the used cells (a whole column merged) is cut there, so a
    # few bytes cannot ask for a grid of a million rows.
    last_row = max(rows.keys() | drawn_rows, default=0)
    last_column = max((c for entry in rows.values() for c in (*entry.filled, *entry.bordered)),
                      default=0)
    origins: dict[tuple[int, int], _Merge] = {}
    for merged in merged_ranges:
        if merged.min_row <= last_row and merged.min_col <= last_column:
            origins[(merged.min_row, merged.min_col)] = _Merge(
                merged.min_row, merged.min_col, min(merged.max_row, last_row),
                min(merged.max_col, last_column))
    merges: dict[int, list[_Merge]] = {}
    for merge in origins.values():
        merges.setdefault(merge.min_row, []).append(merge)
    _hide_covered(rows, list(origins.values()))
    items: list[Line | Grid] = []
    for kind, first, last in _blocks(rows, merges, drawn_rows):
        if kind == "grid":
            if (grid := _grid(sheet, rows, merges, first, last)) is not None:
                items.append(grid)
        else:
            column, text = next(iter(rows[first].filled.items()))
            items.append(Line(_raw(text), sheet.place(f"{get_column_letter(column)}{first}")))
    return items


def _hide_covered(rows: dict[int, _Row], merges: list[_Merge]) -> None:
    """Drop values under a merged cell, which Excel does not show (only its own files never
    have them). Valid ranges do not overlap, so this visits each used row a few times; the
    budget stops a file of overlapping ranges from asking for billions of visits."""
    used = sorted(rows)
    budget = 1_000_000
    for merge in merges:
        for row in used[bisect_left(used, merge.min_row):bisect_right(used, merge.max_row)]:
            budget -= 1
            if budget < 0:
                return
            entry = rows[row]
            for column in [c for c in entry.filled if merge.min_col <= c <= merge.max_col
                           and (row, c) != (merge.min_row, merge.min_col)]:
                del entry.filled[column]


# -- drawings ---------------------------------------------------------------------------------
def _number(text: str | None, default: float = 0.0) -> float:
    if text is None:
        return default
    try:
        value = float(text)
    except ValueError:
        return default
    return value if math.isfinite(value) else default


@dataclass(frozen=True)
class _Transform:
    """Maps a drawing's coordinates (EMU, or a group's child space) to sheet points."""

    sx: float
    tx: float
    sy: float
    ty: float

    def box(self, x: float, y: float, w: float, h: float) -> Box:
        x0, x1 = sorted((self.tx + x * self.sx, self.tx + (x + w) * self.sx))
        y0, y1 = sorted((self.ty + y * self.sy, self.ty + (y + h) * self.sy))
        return Box(x0, y0, x1, y1)

    def then(self, off: Point, ext: Point, child_off: Point, child_ext: Point) -> _Transform:
        """The transform of a group's children: child space → the group's frame → points."""
        gx = ext[0] / child_ext[0] if child_ext[0] else 1.0
        gy = ext[1] / child_ext[1] if child_ext[1] else 1.0
        return _Transform(self.sx * gx, self.tx + self.sx * (off[0] - child_off[0] * gx),
                          self.sy * gy, self.ty + self.sy * (off[1] - child_off[1] * gy))


@dataclass(frozen=True)
class _Frame:
    """An object's a:xfrm: offset, extent, rotation (degrees) and flips."""

    off: Point
    ext: Point
    rotation: float = 0.0
    flip_h: bool = False
    flip_v: bool = False
    child_off: Point = (0.0, 0.0)
    child_ext: Point = (0.0, 0.0)

    @staticmethod
    def of(xfrm: etree._Element | None) -> _Frame | None:
        if xfrm is None:
            return None
        off, ext = xfrm.find(_A + "off"), xfrm.find(_A + "ext")
        if off is None or ext is None:
            return None
        child_off, child_ext = xfrm.find(_A + "chOff"), xfrm.find(_A + "chExt")
        return _Frame(
            (_number(off.get("x")), _number(off.get("y"))),
            (_number(ext.get("cx")), _number(ext.get("cy"))),
            _number(xfrm.get("rot")) / 60000,
            xfrm.get("flipH") in ("1", "true"), xfrm.get("flipV") in ("1", "true"),
            (_number(child_off.get("x")), _number(child_off.get("y")))
            if child_off is not None else (0.0, 0.0),
            (_number(child_ext.get("cx")), _number(child_ext.get("cy")))
            if child_ext is not None else (0.0, 0.0))


def _anchor_box(sheet: _Sheet, anchor: etree._Element) -> Box | None:
    def cell_point(element: etree._Element | None) -> Point | None:
        if element is None:
            return None
        values = {child.tag: child.text for child in element}
        column = min(max(int(_number(values.get(_XDR + "col"))), 0), MAX_COLUMN - 1)
        row = min(max(int(_number(values.get(_XDR + "row"))), 0), MAX_ROW - 1)
        return sheet.point(column, _number(values.get(_XDR + "colOff")),
                           row, _number(values.get(_XDR + "rowOff")))

    def size(element: etree._Element | None) -> Point | None:
        if element is None:
            return None
        return (_number(element.get("cx")) / EMU_PER_POINT,
                _number(element.get("cy")) / EMU_PER_POINT)

    tag = anchor.tag
    if tag == _XDR + "twoCellAnchor":
        start, end = cell_point(anchor.find(_XDR + "from")), cell_point(anchor.find(_XDR + "to"))
        if start is None or end is None:
            return None
        return Box(min(start[0], end[0]), min(start[1], end[1]),
                   max(start[0], end[0]), max(start[1], end[1]))
    if tag == _XDR + "oneCellAnchor":
        start, extent = cell_point(anchor.find(_XDR + "from")), size(anchor.find(_XDR + "ext"))
    else:
        position = anchor.find(_XDR + "pos")
        start = None if position is None else (_number(position.get("x")) / EMU_PER_POINT,
                                               _number(position.get("y")) / EMU_PER_POINT)
        extent = size(anchor.find(_XDR + "ext"))
    if start is None or extent is None:
        return None
    return Box.of(start[0], start[1], extent[0], extent[1])


def _objects(parent: etree._Element) -> Iterator[etree._Element]:
    """The drawing objects directly in an anchor or group, looking through the
    mc:AlternateContent wrappers newer Excel writes (the first choice, else the fallback)."""
    for child in parent:
        if child.tag in _OBJECTS:
            yield child
        elif child.tag == _MC + "AlternateContent":
            chosen = child.find(_MC + "Choice")
            if chosen is None or not any(c.tag in _OBJECTS for c in chosen):
                chosen = child.find(_MC + "Fallback")
            if chosen is not None:
                yield from _objects(chosen)


def _anchors(root: etree._Element) -> Iterator[etree._Element]:
    for child in root:
        if child.tag in _ANCHORS:
            yield child
        elif child.tag == _MC + "AlternateContent":
            for branch in (child.find(_MC + "Choice"), child.find(_MC + "Fallback")):
                found = list(_anchors(branch)) if branch is not None else []
                if found:
                    yield from found
                    break


def _turned_quarter(degrees: float) -> bool:
    """Whether Excel anchors a shape turned by this angle by its turned outline: between 45°
    and 135° (and 225°–315°) the anchor's cells are those of the shape turned a quarter, with
    width and height swapped (LibreOffice's import reads it so too)."""
    angle = degrees % 180
    return 45 <= angle < 135


def _swapped(box: Box) -> Box:
    """The same centre with width and height exchanged: a quarter-turned anchor's frame."""
    cx, cy = box.centre
    return Box(cx - box.h / 2, cy - box.w / 2, cx + box.h / 2, cy + box.w / 2)


def _rotated(points: list[Point], centre: Point, degrees: float) -> list[Point]:
    if not degrees % 360:
        return points
    angle = math.radians(degrees)  # clockwise on screen, as y grows downwards
    cos, sin = math.cos(angle), math.sin(angle)
    cx, cy = centre
    return [(cx + (x - cx) * cos - (y - cy) * sin, cy + (x - cx) * sin + (y - cy) * cos)
            for x, y in points]


# Arrow-shaped presets point along their box; the two-headed ones point both ways.
_ARROW_DIRECTIONS = {"rightarrow": "east", "leftarrow": "west", "downarrow": "south",
                     "uparrow": "north", "leftrightarrow": "east", "updownarrow": "south"}


def _line_ends(box: Box, preset: str, frame: _Frame | None) -> tuple[Point, Point] | None:
    """A line's start and end: the frame's corners (or an arrow shape's axis), mirrored by
    its flips and turned by its rotation about the box's centre."""
    direction = _ARROW_DIRECTIONS.get(preset.lower())
    cx, cy = box.centre
    if direction == "east":
        ends = [(box.x0, cy), (box.x1, cy)]
    elif direction == "west":
        ends = [(box.x1, cy), (box.x0, cy)]
    elif direction == "south":
        ends = [(cx, box.y0), (cx, box.y1)]
    elif direction == "north":
        ends = [(cx, box.y1), (cx, box.y0)]
    elif preset.lower() in ("", "line") or "connector" in preset.lower():
        ends = [(box.x0, box.y0), (box.x1, box.y1)]
    else:
        return None  # bent and U-turn arrows: where their ends are depends on adjustments
    if frame is not None:
        if frame.flip_h:
            ends = [(2 * cx - x, y) for x, y in ends]
        if frame.flip_v:
            ends = [(x, 2 * cy - y) for x, y in ends]
        ends = _rotated(ends, (cx, cy), frame.rotation)
    return ends[0], ends[1]


def _heads(properties: etree._Element | None) -> tuple[bool, bool]:
    """Whether the line's a:ln draws an arrowhead at its start (headEnd) and its end (tailEnd)."""
    line = properties.find(_A + "ln") if properties is not None else None
    if line is None:
        return False, False

    def drawn(tag: str) -> bool:
        end = line.find(_A + tag)
        return end is not None and end.get("type", "none") != "none"

    return drawn("headEnd"), drawn("tailEnd")


def _text(body: etree._Element | None) -> str:
    if body is None:
        return ""
    paragraphs = ("".join(t.text or "" for t in p.iter(_A + "t")) for p in body.iter(_A + "p"))
    return "\n".join(p.strip() for p in paragraphs if p.strip())


# LibreOffice, converting an .xls (which alur asks it to do for old workbooks), writes every
# shape as a plain `rect` and keeps only its name, which Excel gave it by its kind ("Flowchart:
# Decision 4", "TextBox 18"; Indonesian Excel "Keputusan", "Kotak Teks"). For such files the
# name is the only record of the symbol. The more specific words come first: "Flowchart:
# Off-page Connector" is a pentagon, "Elbow Connector" a line.
_NAMED_KINDS: tuple[tuple[ShapeKind, tuple[str, ...]], ...] = (
    ("page-connector", ("off-page connector", "offpage connector", "luar halaman",
                        "pentagon")),
    ("connector", ("flowchart: connector", "alur: konektor")),
    ("decision", ("decision", "diamond", "keputusan", "belah ketupat")),
    ("terminator", ("terminator", "alternate process", "rounded rectangle", "oval",
                    "ellipse", "terminal", "elips", "bulat")),
    ("line", ("connector", "konektor", "arrow", "line", "panah", "garis", "penghubung")),
    ("text", ("textbox", "text box", "kotak teks")),
    ("process", ("process", "proses", "rectangle", "persegi")),
)


def _named_kind(name: str) -> ShapeKind | None:
    lowered = name.lower()
    for kind, words in _NAMED_KINDS:
        if any(word in lowered for word in words):
            return kind
    return None


def _written_by_libreoffice(package: Package) -> bool:
    if not package.has("docProps/app.xml"):
        return False
    try:
        application = package.xml("docProps/app.xml").findtext(
            "{http://schemas.openxmlformats.org/officeDocument/2006/extended-properties}"
            "Application") or ""
    except PackageError:
        return False
    return application.startswith("LibreOffice")


class _DrawingReader:
    """Turns one sheet's drawing part into `Drawn` objects; `by_name` reads a plain rectangle's
    kind from its name (a workbook LibreOffice converted, see `_NAMED_KINDS`)."""

    def __init__(self, sheet: _Sheet, *, by_name: bool = False) -> None:
        self.sheet = sheet
        self.by_name = by_name
        self.drawn: list[Drawn] = []
        self._seen: set[str] = set()
        self._anonymous = 0

    def read(self, root: etree._Element) -> list[Drawn]:
        for anchor in _anchors(root):
            box = _anchor_box(self.sheet, anchor)
            if box is None:
                continue
            for element in _objects(anchor):
                self._object(element, box, None)
        ids = {d.id for d in self.drawn}
        return [replace(d, glued=(d.glued[0] if d.glued[0] in ids else None,
                                  d.glued[1] if d.glued[1] in ids else None))
                if d.glued != (None, None) else d for d in self.drawn]

    def _id(self, raw: str | None) -> str:
        if raw is None:
            self._anonymous += 1
            raw = f"anon{self._anonymous}"
        ident = f"s{self.sheet.number}.{raw}"
        if ident in self._seen:  # a damaged drawing may repeat an id: keep both objects
            self._anonymous += 1
            ident = f"{ident}~{self._anonymous}"
        self._seen.add(ident)
        return ident

    def _ref(self, raw: str | None) -> str | None:
        return None if raw is None else f"s{self.sheet.number}.{raw}"

    def _object(self, element: etree._Element, anchor_box: Box,
                transform: _Transform | None) -> None:
        """One object: at its anchor's box when top-level, else at its frame mapped through
        the enclosing groups (`transform`)."""
        name = etree.QName(element).localname
        if name == "graphicFrame":
            frame = _Frame.of(element.find(_XDR + "xfrm"))
            properties = None
        else:
            properties = element.find(_XDR + ("grpSpPr" if name == "grpSp" else "spPr"))
            frame = _Frame.of(properties.find(_A + "xfrm")) if properties is not None else None
        if transform is None:
            box = anchor_box
            if frame is not None and _turned_quarter(frame.rotation):
                box = _swapped(box)
            if frame is not None:  # the frame's own coordinates, mapped onto the anchor
                sx = box.w / frame.ext[0] if frame.ext[0] else 1 / EMU_PER_POINT
                sy = box.h / frame.ext[1] if frame.ext[1] else 1 / EMU_PER_POINT
                own = _Transform(sx, box.x0 - frame.off[0] * sx, sy, box.y0 - frame.off[1] * sy)
            else:
                own = _Transform(1 / EMU_PER_POINT, box.x0, 1 / EMU_PER_POINT, box.y0)
        else:
            if frame is None:
                return  # a child without a frame has no place
            box = transform.box(*frame.off, *frame.ext)
            own = transform
        if name == "grpSp":
            if frame is not None:
                inner = own.then(frame.off, frame.ext, frame.child_off, frame.child_ext)
                for child in _objects(element):
                    self._object(child, anchor_box, inner)
            return
        non_visual = element.find(".//" + _XDR + "cNvPr")
        ident = self._id(non_visual.get("id") if non_visual is not None else None)
        if name == "sp":
            self._shape(element, ident, box, frame, properties)
        elif name == "cxnSp":
            self._connector(element, ident, box, frame, properties)
        else:
            self._add(Drawn(id=ident, kind="other", box=box, geometry=name,
                            place=self._place(box)))

    def _place(self, box: Box) -> Place:
        return self.sheet.place(self.sheet.cell_at((box.x0, box.y0)))

    def _add(self, drawn: Drawn) -> None:
        self.drawn.append(drawn)

    def _turned(self, box: Box, frame: _Frame | None) -> Box:
        if frame is None or not frame.rotation % 360:
            return box
        corners = [(box.x0, box.y0), (box.x1, box.y0), (box.x1, box.y1), (box.x0, box.y1)]
        return Box.around(_rotated(corners, box.centre, frame.rotation))

    def _shape(self, element: etree._Element, ident: str, box: Box, frame: _Frame | None,
               properties: etree._Element | None) -> None:
        geometry = properties.find(_A + "prstGeom") if properties is not None else None
        preset = geometry.get("prst", "") if geometry is not None else ""
        if geometry is None and properties is not None and \
                properties.find(_A + "custGeom") is not None:
            preset = "custGeom"
        shape_props = element.find(_XDR + "nvSpPr/" + _XDR + "cNvSpPr")
        text_box = shape_props is not None and shape_props.get("txBox") in ("1", "true")
        kind: ShapeKind = preset_kind(preset if preset != "custGeom" else None,
                                      text_box=text_box)
        text = _text(element.find(_XDR + "txBody"))
        if self.by_name and preset.lower() == "rect" and not text_box:
            non_visual = element.find(_XDR + "nvSpPr/" + _XDR + "cNvPr")
            named = _named_kind(non_visual.get("name", "") if non_visual is not None else "")
            if named is not None:
                kind = named
        if kind == "line":
            self._line(ident, box, frame, properties, preset if preset != "rect" else "line",
                       text, (None, None))
            return
        outline = self._turned(box, frame)
        self._add(Drawn(id=ident, kind=kind, box=outline, text=text,
                        place=self._place(outline), geometry=preset))

    def _connector(self, element: etree._Element, ident: str, box: Box, frame: _Frame | None,
                   properties: etree._Element | None) -> None:
        geometry = properties.find(_A + "prstGeom") if properties is not None else None
        preset = geometry.get("prst", "") if geometry is not None else ""
        links = element.find(_XDR + "nvCxnSpPr/" + _XDR + "cNvCxnSpPr")
        start = links.find(_A + "stCxn") if links is not None else None
        end = links.find(_A + "endCxn") if links is not None else None
        glued = (self._ref(start.get("id")) if start is not None else None,
                 self._ref(end.get("id")) if end is not None else None)
        self._line(ident, box, frame, properties, preset, "", glued)

    def _line(self, ident: str, box: Box, frame: _Frame | None,
              properties: etree._Element | None, preset: str, text: str,
              glued: tuple[str | None, str | None]) -> None:
        ends = _line_ends(box, preset, frame)
        head_at_start, head_at_end = _heads(properties)
        arrow = head_at_start or head_at_end or preset.lower() in _ARROW_DIRECTIONS \
            or preset.lower().endswith("arrow")
        if head_at_start and not head_at_end and ends is not None:
            ends = (ends[1], ends[0])  # the arrowhead's end last
            glued = (glued[1], glued[0])
        drawn_box = Box.around(list(ends)) if ends is not None else self._turned(box, frame)
        self._add(Drawn(id=ident, kind="line", box=drawn_box, text=text, ends=ends,
                        arrow=arrow, glued=glued, place=self._place(drawn_box),
                        geometry=preset))


# -- the package ------------------------------------------------------------------------------
def _has_doctype(data: bytes) -> bool:
    """Whether an XML part declares a DTD (the only place entities live). Office never writes
    one; the prolog is scanned exactly, so padding cannot push the declaration out of view."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            data = data.decode("utf-16").encode("utf-8")
        except UnicodeDecodeError:
            return True
    position = 3 if data.startswith(b"\xef\xbb\xbf") else 0
    while (match := _PROLOG_ITEM.match(data, position)) is not None:
        position = match.end()
    return data.startswith(b"<!DOCTYPE", position) or data.startswith(b"<!doctype", position)


def _check_package(package: Package) -> None:
    """Refuse what openpyxl must not parse: declared DTDs in any XML part, and cell data too
    large to hold (openpyxl's own parser is not ours to configure)."""
    cell_bytes = 0
    for info in package.archive.infolist():
        name = info.filename
        lowered = name.lower()
        if (lowered.startswith("xl/worksheets/") and lowered.endswith(".xml")) or \
                lowered == "xl/sharedstrings.xml":
            cell_bytes += info.file_size
        if lowered.endswith(_TEXT_PARTS) and _has_doctype(package.read(name)):
            raise PackageError("entities", name)
    if cell_bytes > MAX_CELL_XML_BYTES:
        raise PackageError("too-large", str(cell_bytes))


def _part_rels(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _relations(package: Package, part: str) -> dict[str, tuple[str, str]]:
    """A part's relationships: id → (type's last word, target part path)."""
    name = _part_rels(part)
    if not package.has(name):
        return {}
    found: dict[str, tuple[str, str]] = {}
    for relation in package.xml(name).iter(_REL + "Relationship"):
        target = relation.get("Target") or ""
        if relation.get("TargetMode") == "External" or not target:
            continue
        if target.startswith("/"):
            path = target.lstrip("/")
        else:
            path = posixpath.normpath(posixpath.join(posixpath.dirname(part), target))
        found[relation.get("Id") or ""] = ((relation.get("Type") or "").rsplit("/", 1)[-1],
                                           path)
    return found


def _sheet_parts(package: Package) -> dict[str, tuple[str, str]]:
    """Each sheet's title → its kind (worksheet, chartsheet) and part, from the workbook's
    relationships."""
    workbook = next((path for kind, path in _relations(package, "").values()
                     if kind == "officeDocument"), "xl/workbook.xml")
    relations = _relations(package, workbook)
    parts: dict[str, tuple[str, str]] = {}
    for sheet in package.xml(workbook).iter(_MAIN + "sheet"):
        relation = relations.get(sheet.get(_R + "id") or "")
        if relation is not None and relation[0] in ("worksheet", "chartsheet"):
            parts[sheet.get("name") or ""] = relation
    return parts


_EMPTY_RELATIONS = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
                    b'relationships"/>')


_MERGE_CELLS = re.compile(rb"<(?:[\w.-]+:)?mergeCells\b(?:[^>]*/>|.*?</(?:[\w.-]+:)?mergeCells>)",
                         re.DOTALL)
_MERGE_REF = re.compile(rb"<(?:[\w.-]+:)?mergeCell\b[^>]*?\bref=[\"']([A-Za-z0-9:$]+)[\"']")


_CELL = re.compile(rb"<(?:[\w.-]+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:[\w.-]+:)?c>", re.DOTALL)
_FORMULA = re.compile(rb"<(?:[\w.-]+:)?f\b")
_VALUE = re.compile(rb"<(?:[\w.-]+:)?v>([^<]*)<|<(?:[\w.-]+:)?is\b")
_TEXT_RESULT = re.compile(rb"\bt=[\"']str[\"']")


def _uncalculated(sheet_xml: bytes) -> int:
    """How many formula cells have no saved result. openpyxl does not calculate, so they read
    empty; Excel always saves the result (an empty text result as an empty value of type
    "str"), programs that write workbooks often save none or an empty value."""
    if not _FORMULA.search(sheet_xml):
        return 0
    count = 0
    for cell in _CELL.finditer(sheet_xml):
        attributes, body = cell.groups()
        if not _FORMULA.search(body):
            continue
        value = _VALUE.search(body)
        if value is None or (value.group(1) == b"" and not _TEXT_RESULT.search(attributes)):
            count += 1
    return count


def _merges(sheet_xml: bytes) -> list[_Merge]:
    """A sheet's merged ranges, read from its mergeCells element."""
    merges = []
    for block in _MERGE_CELLS.finditer(sheet_xml):
        for ref in _MERGE_REF.findall(block.group(0)):
            try:
                min_col, min_row, max_col, max_row = range_boundaries(ref.decode("ascii"))
            except (ValueError, TypeError):
                continue
            if None not in (min_col, min_row, max_col, max_row):
                merges.append(_Merge(min_row, min_col, max_row, max_col))
    return merges


@dataclass
class _CellsOnly:
    """The package as openpyxl should see it, the merged ranges taken out of it, and how many
    formula cells of each sheet have no saved result."""

    data: bytes
    uncalculated: dict[str, int]
    merges: dict[str, list[_Merge]]


def _cells_only(package: Package, sheets: list[tuple[str, str]]) -> _CellsOnly:
    """The package with its XML parts only, the sheets' relationships cut down to hyperlinks
    and their merged ranges taken out. openpyxl then never opens drawings, comments, tables or
    pivots (it would drop the shapes anyway, spend seconds on a drawing of thousands of them,
    and fail the whole workbook on one it cannot parse), and never makes an object for every
    cell a merged range covers (one range over a whole column is a million)."""
    rewritten: dict[str, bytes] = {}
    merges: dict[str, list[_Merge]] = {}
    uncalculated: dict[str, int] = {}
    for kind, part in sheets:
        name = _part_rels(part)
        if kind == "chartsheet":
            rewritten[name] = _EMPTY_RELATIONS  # openpyxl needs the part to exist
            continue
        if package.has(part):
            content = package.read(part)
            merges[part] = _merges(content)
            uncalculated[part] = _uncalculated(content)
            rewritten[part] = _MERGE_CELLS.sub(b"", content)
        if not package.has(name):
            continue
        root = package.xml(name)
        for relation in list(root):
            if not (relation.get("Type") or "").endswith("/hyperlink"):
                root.remove(relation)
        rewritten[name] = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                         standalone=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as target:
        for name in package.names():
            if name in rewritten or not name.lower().endswith((".xml", ".rels")):
                continue
            target.writestr(name, package.read(name))
        for name, content in rewritten.items():
            target.writestr(name, content)
    return _CellsOnly(buffer.getvalue(), uncalculated, merges)


def _drawing_parts(package: Package, sheet_part: str) -> list[str]:
    return [path for kind, path in _relations(package, sheet_part).values()
            if kind == "drawing" and package.has(path)]


def _package_finding(error: PackageError, file: str | None) -> Finding:
    """A package refused or unreadable, in the words every Office reader uses for it."""
    reason = {"too-large": "bomb"}.get(error.reason, error.reason)
    if reason not in IMPORT_OFFICE_UNREADABLE.messages:
        reason = "xml"
    return IMPORT_OFFICE_UNREADABLE(reason, detail=error.detail).at(file=file)


def _surface(ws: Worksheet, number: int, package: Package, part: str | None,
             cells: _CellsOnly, *, by_name: bool, file: str | None,
             findings: list[Finding]) -> Surface:
    """One worksheet: its drawing first (a row holding a symbol stays in its table), then its
    cells; what cannot be read is added to `findings`."""
    columns, rows = _axes(ws)
    sheet = _Sheet(ws.title, number, columns, rows)
    where = {"file": file, "sheet": ws.title}
    if ws.sheet_state != "visible":
        findings.append(IMPORT_XLSX_HIDDEN_SHEET(sheet=ws.title).at(**where))
    if part is not None and (count := cells.uncalculated.get(part, 0)):
        findings.append(IMPORT_XLSX_UNCALCULATED(sheet=ws.title, count=count).at(**where))
    surface = Surface(place=sheet.place())
    if part is not None:
        try:
            for drawing in _drawing_parts(package, part):
                surface.drawn.extend(
                    _DrawingReader(sheet, by_name=by_name).read(package.xml(drawing)))
        except (PackageError, TypeError, *_DAMAGED_ZIP) as error:
            if isinstance(error, PackageError) and error.reason == "bomb":
                findings.append(_package_finding(error, file))
            findings.append(IMPORT_XLSX_DRAWING(sheet=ws.title).at(**where))
    merges = cells.merges.get(part, []) if part is not None else []
    surface.items = _items(sheet, ws, merges, surface.drawn)
    return surface


def measure_xlsx(data: bytes, *, file: str | None = None) -> Measured:
    """Measure a workbook: one `Surface` per worksheet (chart sheets have no cells and are
    skipped), its cells as lines and grids in reading order and its shapes as `Drawn`."""
    measured = Measured()
    try:
        package = open_package(data)
        _check_package(package)
        parts = _sheet_parts(package)
        cells = _cells_only(package, list(parts.values()))
        by_name = _written_by_libreoffice(package)
    except PackageError as error:
        measured.findings.append(_package_finding(error, file))
        return measured
    except _DAMAGED_ZIP as error:
        measured.findings.append(_package_finding(PackageError("not-zip", str(error)), file))
        return measured
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            workbook = load_workbook(io.BytesIO(cells.data), data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises anything at all on a damaged file
        measured.findings.append(_package_finding(PackageError("xml", str(error)), file))
        return measured
    for number, ws in enumerate(workbook.worksheets, start=1):
        kind, part = parts.get(ws.title, ("", ""))
        measured.surfaces.append(_surface(
            ws, number, package, part if kind == "worksheet" else None, cells,
            by_name=by_name, file=file, findings=measured.findings))
    return measured
