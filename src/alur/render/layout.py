"""`layout(sop, setup)`: the bagan alir of an SOP as pages of positioned cells, shapes and
arrows. Computed once; every writer (SVG, HTML/PDF, DOCX, XLSX, BPMN DI) draws from it.

The table follows Permenpan RB 35/2012: No | Kegiatan | one column per actor (Pelaksana) |
Mutu Baku: Kelengkapan, Waktu, Output | Keterangan. Each step's symbol stands in its actor's
column; `routing` connects them with orthogonal arrows and off-page connectors.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from alur.sop.model import Sop, Step

from .content import cell_text
from .faults import layout_faults
from .geometry import (
    Align,
    Cell,
    Column,
    ColumnRole,
    Layout,
    Page,
    PageSetup,
    Rect,
    RowBox,
    Shape,
    ShapeKind,
    TextBox,
    symbol_width,
)
from .routing import route
from .text import text_width, wrap

BODY_SIZE = 7.5
HEADER_SIZE = 7.5
LINE = 1.22
PAD = 3.0
STRIP = 24.0  # room above and below the rows of a page for off-page connectors
SHAPE_H = 16.0
DECISION_H = 24.0
MIN_ROW = DECISION_H + 18
MIN_ACTOR_WIDTH = 40.0

# The text columns: title, least width, and a weight for the primary reading column.
_TEXT_COLUMNS = [
    ("no", "No", 18.0, 0.0),
    ("activity", "Kegiatan", 110.0, 1.6),
    ("inputs", "Kelengkapan", 55.0, 1.0),
    ("time", "Waktu", 36.0, 0.0),
    ("outputs", "Output", 55.0, 1.0),
    ("notes", "Keterangan", 42.0, 1.0),
]
MAX_ACTOR_WIDTH = 64.0


def layout(sop: Sop, setup: PageSetup | None = None) -> Layout:
    setup = setup or PageSetup()
    columns = _columns(sop, setup)
    header, header_height = _header(columns, setup)
    rows = [_row(sop, step, columns) for step in sop.steps]

    def drawn(set_aside: frozenset[int]) -> Layout:
        strip = STRIP
        while True:
            pages = _paginate(rows, header, header_height, setup, strip)
            result = Layout(sop.id, setup, columns, pages)
            _place_shapes(sop, result)
            # Many jumps arriving from other pages need more room in the strips for their jogs.
            if route(sop, result, set_aside) or strip >= 3 * STRIP:
                return result
            strip += STRIP / 2

    result = drawn(frozenset())
    hinted = [s.number for s in sop.steps if s.kind == "decision" and s.layout.routes()]
    if hinted and layout_faults(result):
        result = _keeping_what_holds(drawn, hinted)
    for page in result.pages:
        _compact(page)
    return result


def _keeping_what_holds(drawn: Callable[[frozenset[int]], Layout], hinted: list[int]) -> Layout:
    """The chosen exit sides break a rule: set them all aside, then take back one step's
    choices at a time, keeping each that adds no fault, so one choice that cannot hold does
    not cost the others theirs (the steps set aside are reported)."""
    set_aside = frozenset(hinted)
    result = drawn(set_aside)
    faults = len(layout_faults(result))
    for number in hinted:
        trial = drawn(set_aside - {number})
        if len(layout_faults(trial)) <= faults:
            set_aside, result = set_aside - {number}, trial
    return result


def _demand(sop: Sop, role: str) -> float:
    """How much text a column holds (its total width at body size, in points)."""
    return sum(text_width(line, BODY_SIZE) for step in sop.steps
               for line in cell_text(step, role).split("\n"))


def _columns(sop: Sop, setup: PageSetup) -> list[Column]:
    """Actor columns get a fixed share; the text columns split the rest by how much text
    each holds (square root, so one long note cannot starve the others)."""
    area = setup.content
    actors = max(len(sop.actors), 1)
    least = {key: width for key, _, width, _ in _TEXT_COLUMNS}
    time_width = max([least["time"]] + [text_width(s.time or "", BODY_SIZE) + 2 * PAD + 2
                                        for s in sop.steps])
    least["time"] = min(time_width, 70.0)
    actor_width = min(MAX_ACTOR_WIDTH, max(MIN_ACTOR_WIDTH, 0.36 * area.w / actors))
    flexible = area.w - actor_width * actors - least["no"] - least["time"]
    text_least = sum(least[k] for k, _, _, weight in _TEXT_COLUMNS if weight)
    if flexible < text_least:  # many actors on narrow paper: actors give way, to a point
        actor_width = max(24.0, (area.w - least["no"] - least["time"] - text_least) / actors)
        flexible = area.w - actor_width * actors - least["no"] - least["time"]
    weights = {key: weight * max(_demand(sop, key), 400.0) ** 0.5
               for key, _, _, weight in _TEXT_COLUMNS if weight}
    widths = dict(least)
    spare = flexible - text_least
    total = sum(weights.values())
    for key, weight in weights.items():
        widths[key] = least[key] + spare * weight / total
    titles = {key: title for key, title, _, _ in _TEXT_COLUMNS}
    columns: list[Column] = []
    x = area.x

    def add(role: ColumnRole, title: str, width: float, actor_id: str | None = None) -> None:
        nonlocal x
        columns.append(Column(role, title, x, width, actor_id))
        x += width

    add("no", titles["no"], widths["no"])
    add("activity", titles["activity"], widths["activity"])
    for actor in sop.actors:
        add("actor", actor.name, actor_width, actor.id)
    if not sop.actors:
        add("actor", "Pelaksana", actor_width)
    trailing: tuple[ColumnRole, ...] = ("inputs", "time", "outputs", "notes")
    for key in trailing:
        add(key, titles[key], widths[key])
    return columns


def _box(text: str, rect: Rect, size: float, *, bold: bool = False,
         align: Align = "left") -> TextBox:
    inner = rect.inset(PAD)
    size = fitting_size(text, inner.w, size, bold=bold)
    lines = wrap(text, inner.w, size, bold=bold)
    return TextBox(inner, tuple(lines), size, size * LINE, bold, align)


def fitting_size(text: str, width: float, size: float, *, bold: bool = False,
                 smallest: float = 5.5) -> float:
    """The largest size up to `size` at which the longest word fits the width, so a header
    such as 'Sekretaris' shrinks instead of breaking inside the word."""
    longest = max((text_width(w, 1.0, bold=bold) for w in text.split()), default=0.0)
    if longest * size <= width or longest == 0:
        return size
    return max(smallest, width / longest)


def _text_height(lines: int, size: float) -> float:
    return lines * size * LINE + 2 * PAD


def _header(columns: list[Column], setup: PageSetup) -> tuple[list[Cell], float]:
    """Two header rows: group titles (Pelaksana, Mutu Baku) above actor names and sub-titles."""
    actors = [c for c in columns if c.role == "actor"]
    standard = [c for c in columns if c.role in ("inputs", "time", "outputs")]
    sub_lines = max(len(wrap(c.title, c.width - 2 * PAD, fitting_size(
        c.title, c.width - 2 * PAD, HEADER_SIZE, bold=True), bold=True))
        for c in actors + standard)
    top_h = _text_height(1, HEADER_SIZE)
    sub_h = max(_text_height(sub_lines, HEADER_SIZE), top_h)
    y = setup.content.y
    cells: list[Cell] = []

    def cell(title: str, x: float, yy: float, w: float, h: float, role: str) -> None:
        rect = Rect(x, yy, w, h)
        cells.append(Cell(rect, _box(title, rect, HEADER_SIZE, bold=True, align="center"), role))

    for column in columns:
        if column.role in ("no", "activity", "notes"):
            cell(column.title, column.x, y, column.width, top_h + sub_h, column.role)
    cell("Pelaksana", actors[0].x, y, sum(c.width for c in actors), top_h, "group")
    cell("Mutu Baku", standard[0].x, y, sum(c.width for c in standard), top_h, "group")
    for column in actors + standard:
        cell(column.title, column.x, y + top_h, column.width, sub_h, column.role)
    return cells, top_h + sub_h


def _row(sop: Sop, step: Step, columns: list[Column]) -> RowBox:
    """A row at y=0 sized to its text; pagination moves it into place."""
    boxes = []
    height = MIN_ROW
    for column in columns:
        if column.role == "actor":
            continue
        text = cell_text(step, column.role)
        if not text:
            continue
        rect = Rect(column.x, 0, column.width, 0)
        inner_w = column.width - 2 * PAD
        lines = [line for part in text.split("\n") for line in
                 wrap(part, inner_w, BODY_SIZE)]
        height = max(height, _text_height(len(lines), BODY_SIZE))
        boxes.append((column, rect, lines))
    cells = [Cell(Rect(c.x, 0, c.width, height), TextBox(
        Rect(c.x + PAD, PAD, c.width - 2 * PAD, height - 2 * PAD), tuple(lines), BODY_SIZE,
        BODY_SIZE * LINE, align="center" if c.role in ("no", "time") else "left"), c.role)
        for c, _, lines in boxes]
    return RowBox(step.number, Rect(columns[0].x, 0, columns[-1].x + columns[-1].width -
                                    columns[0].x, height), cells)


def _moved(row: RowBox, dy: float) -> RowBox:
    """The row, its cells and their text `dy` lower on the page."""
    def shift(rect: Rect) -> Rect:
        return Rect(rect.x, rect.y + dy, rect.w, rect.h)

    cells = [Cell(shift(c.rect), replace(c.text, rect=shift(c.text.rect)) if c.text else None,
                  c.role) for c in row.cells]
    return RowBox(row.step, shift(row.rect), cells)


def _paginate(rows: list[RowBox], header: list[Cell], header_height: float,
              setup: PageSetup, strip: float = STRIP) -> list[Page]:
    area = setup.content
    top = area.y + header_height + strip
    limit = area.bottom - strip
    pages: list[Page] = []
    current: list[RowBox] = []
    y = top
    for row in rows:
        height = min(row.rect.h, limit - top)  # a row taller than a page is clipped to it
        if current and y + height > limit:
            pages.append(_page(len(pages) + 1, header, current, setup, header_height, strip))
            current, y = [], top
        current.append(_moved(row, y) if height == row.rect.h else _clipped(row, y, height))
        y += height
    pages.append(_page(len(pages) + 1, header, current, setup, header_height, strip))
    return pages


def _clipped(row: RowBox, y: float, height: float) -> RowBox:
    moved = _moved(row, y)
    rect = Rect(moved.rect.x, moved.rect.y, moved.rect.w, height)
    return RowBox(row.step, rect, [Cell(Rect(c.rect.x, c.rect.y, c.rect.w, height), c.text,
                                        c.role) for c in moved.cells])


def _page(number: int, header: list[Cell], rows: list[RowBox], setup: PageSetup,
          header_height: float, strip: float) -> Page:
    area = setup.content
    header_bottom = area.y + header_height
    bottom = rows[-1].rect.bottom + strip if rows else header_bottom + 2 * strip
    table = Rect(area.x, area.y, area.w, bottom - area.y)
    return Page(number, list(header), rows, table,
                top_strip=Rect(area.x, header_bottom, area.w, strip),
                bottom_strip=Rect(area.x, bottom - strip, area.w, strip))


def _compact(page: Page) -> None:
    """Drop the connector strips a page does not use, so no empty band stays in the table."""
    if page.top_strip is not None and not any(c.direction == "in" for c in page.connectors):
        _shift_up(page, page.top_strip.y, page.top_strip.h)
        page.top_strip = None
    if page.bottom_strip is not None and not any(c.direction == "out" for c in page.connectors):
        page.table = Rect(page.table.x, page.table.y, page.table.w,
                          page.table.h - page.bottom_strip.h)
        page.bottom_strip = None


def _shift_up(page: Page, below: float, by: float) -> None:
    def up(rect: Rect) -> Rect:
        return Rect(rect.x, rect.y - by, rect.w, rect.h) if rect.y >= below - 0.01 else rect

    page.rows = [_moved(r, -by) for r in page.rows]  # every row lies below the strip
    page.shapes = [replace(s, rect=up(s.rect)) for s in page.shapes]
    page.connectors = [replace(c, rect=up(c.rect)) for c in page.connectors]
    for arrow in page.arrows:
        arrow.points = [(x, y - by if y >= below - 0.01 else y) for x, y in arrow.points]
        if arrow.label_box:
            arrow.label_box = up(arrow.label_box)
    if page.bottom_strip is not None:
        page.bottom_strip = up(page.bottom_strip)
    page.table = Rect(page.table.x, page.table.y, page.table.w, page.table.h - by)


def terminal_steps(sop: Sop) -> set[int]:
    """Steps drawn as capsules: start/end rows, else the first and the last activity."""
    marked = {s.number for s in sop.steps if s.kind in ("start", "end")}
    if not sop.steps:
        return marked
    if not any(s.kind == "start" for s in sop.steps):
        marked.add(sop.steps[0].number)
    last = sop.steps[-1]
    if not any(s.kind == "end" for s in sop.steps) and last.kind != "decision":
        marked.add(last.number)
    return marked


def shape_actors(sop: Sop, step: Step) -> list[str]:
    """The actor columns a step's symbol stands in; marker rows borrow their neighbour's."""
    known = [a.id for a in sop.actors]
    actors = [a for a in step.actors if a in known]
    if actors:
        return actors
    index = sop.steps.index(step)
    order = range(index + 1, len(sop.steps)) if step.kind == "start" else \
        range(index - 1, -1, -1)
    for other in order:
        found = [a for a in sop.steps[other].actors if a in known]
        if found:
            return found[:1]
    return known[:1]


def _place_shapes(sop: Sop, result: Layout) -> None:
    capsules = terminal_steps(sop)
    for page in result.pages:
        for row in page.rows:
            step = sop.step(row.step)
            if step is None:
                continue
            kind: ShapeKind = "decision" if step.kind == "decision" else (
                "terminator" if step.number in capsules else "process")
            for actor_id in shape_actors(sop, step):
                column = result.actor_column(actor_id) if actor_id else result.columns[2]
                width = symbol_width(column.width)
                height = DECISION_H if kind == "decision" else SHAPE_H
                rect = Rect(column.center - width / 2, row.rect.cy - height / 2, width, height)
                page.shapes.append(Shape(kind, step.number, actor_id, rect))
