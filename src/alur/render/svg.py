"""SVG of the bagan alir, drawn from the layout: the table grid, its text, the five symbols,
arrows with their Ya/Tidak labels, and off-page connectors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from .geometry import (
    ARROW_WIDTH,
    SYMBOL_WIDTH,
    Arrow,
    Connector,
    Layout,
    Page,
    Rect,
    Shape,
    TextBox,
)
from .routing import LABEL_SIZE
from .text import FONT_STACK, text_width

STROKE = "#1a1a1a"
GRID = "#555555"
HEADER_FILL = "#eef1f4"
# A running case's progress drawn on its SOP: done, waiting now, waiting and late, done late.
PROGRESS_FILLS = {"done": "#cfe9d5", "current": "#fff0a8", "late": "#f6c3bd",
                  "done-late": "#f3dcb5"}


def _n(value: float) -> str:
    """Numbers with two decimals at most, so files are small and diffs stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _rect(r: Rect, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{v}"' for k, v in attrs.items())
    return f'<rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}"{extra}/>'


@dataclass(frozen=True)
class TextRun:
    """One line of text on a page, where the SVG draws it: the left end of its baseline (or its
    middle, `centred`). The HTML/PDF writer draws the same runs as HTML over the SVG, because
    WeasyPrint draws SVG text letter by letter without the spaces, and a PDF whose words are
    glued together cannot be searched or copied."""

    x: float
    baseline: float
    size: float
    text: str
    bold: bool = False
    italic: bool = False
    centred: bool = False
    css_class: str = ""
    # data-* attributes (name, value) for the browser: which exit a label belongs to.
    data: tuple[tuple[str, str], ...] = ()

    def svg(self) -> str:
        attrs = ""
        if self.css_class:
            attrs += f' class="{self.css_class}"'
        attrs += "".join(f' data-{name}="{escape(value)}"' for name, value in self.data)
        attrs += f' x="{_n(self.x)}" y="{_n(self.baseline)}" font-size="{_n(self.size)}"'
        if self.bold:
            attrs += ' font-weight="bold"'
        if self.italic:
            attrs += ' font-style="italic"'
        if self.centred:
            attrs += ' text-anchor="middle"'
        return f"<text{attrs}>{escape(self.text)}</text>"

    @property
    def left(self) -> float:
        """The x where the run starts, for a writer without text anchors."""
        if not self.centred:
            return self.x
        return self.x - text_width(self.text, self.size, bold=self.bold) / 2


def _box_runs(box: TextBox) -> list[TextRun]:
    return [TextRun(box.line_x(line), baseline, box.size, line, bold=box.bold)
            for line, baseline in zip(box.lines, box.baselines, strict=True) if line]


def _text(box: TextBox) -> str:
    return "".join(run.svg() for run in _box_runs(box))


def _shape(shape: Shape, progress: str | None = None, mark: str | None = None) -> str:
    r = shape.rect
    fill = PROGRESS_FILLS.get(progress or "", "#ffffff")
    common = f'fill="{fill}" stroke="{STROKE}" stroke-width="{"1.6" if progress else SYMBOL_WIDTH}"'
    state = f" step-{progress}" if progress else ""
    if mark:
        state += " " + escape(mark, {'"': "&quot;"})
    if shape.kind == "terminator":
        return (f'<rect class="symbol terminator{state}" data-step="{shape.step}" x="{_n(r.x)}" '
                f'y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" rx="{_n(r.h / 2)}" '
                f'{common}/>')
    if shape.kind == "decision":
        points = f"{_n(r.cx)},{_n(r.y)} {_n(r.right)},{_n(r.cy)} {_n(r.cx)},{_n(r.bottom)} " \
                 f"{_n(r.x)},{_n(r.cy)}"
        return (f'<polygon class="symbol decision{state}" data-step="{shape.step}" '
                f'points="{points}" {common}/>')
    return (f'<rect class="symbol process{state}" data-step="{shape.step}" x="{_n(r.x)}" '
            f'y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" {common}/>')


def _arrow(arrow: Arrow, text: bool = True) -> str:
    points = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow.shaft())
    out = (f'<g class="arrow {arrow.kind}" data-from="{arrow.source}" '
           f'data-to="{arrow.target}"><polyline points="{points}" fill="none" '
           f'stroke="{STROKE}" stroke-width="{ARROW_WIDTH}"/>')
    if arrow.head:
        head = " ".join(f"{_n(x)},{_n(y)}" for x, y in arrow.head_points())
        out += f'<polygon points="{head}" fill="{STROKE}"/>'
    out += "</g>"
    if text:
        out += "".join(run.svg() for run in _arrow_runs(arrow))
    return out


def _arrow_runs(arrow: Arrow) -> list[TextRun]:
    if not (arrow.label and arrow.label_box):
        return []
    box = arrow.label_box
    return [TextRun(box.x + 1, box.y + LABEL_SIZE, LABEL_SIZE, arrow.label, italic=True,
                    css_class="label", data=(("from", str(arrow.source)),
                                             ("exit", arrow.kind)))]


def _connector_runs(connector: Connector) -> list[TextRun]:
    r = connector.rect
    return [TextRun(r.cx, r.y + r.h * 0.5, 7, connector.letter, bold=True, centred=True)]


def _connector(connector: Connector, text: bool = True) -> str:
    r = connector.rect
    tip = r.y + r.h * 0.62
    points = f"{_n(r.x)},{_n(r.y)} {_n(r.right)},{_n(r.y)} {_n(r.right)},{_n(tip)} " \
             f"{_n(r.cx)},{_n(r.bottom)} {_n(r.x)},{_n(tip)}"
    return (f'<g class="connector {connector.direction}" data-letter="{connector.letter}">'
            f'<polygon points="{points}" fill="#ffffff" stroke="{STROKE}" '
            f'stroke-width="{SYMBOL_WIDTH}"/>'
            f'{"".join(run.svg() for run in _connector_runs(connector)) if text else ""}</g>')


def page_texts(page: Page) -> list[TextRun]:
    """Every line of text the page's drawing holds, for writers that draw text themselves."""
    runs: list[TextRun] = []
    for cell in page.header:
        if cell.text:
            runs.extend(_box_runs(cell.text))
    for row in page.rows:
        for cell in row.cells:
            if cell.text:
                runs.extend(_box_runs(cell.text))
    for arrow in page.arrows:
        runs.extend(_arrow_runs(arrow))
    for connector in page.connectors:
        runs.extend(_connector_runs(connector))
    return runs


def page_body(page: Page, layout: Layout, progress: Mapping[int, str] | None = None, *,
              text: bool = True, marks: Mapping[int, str] | None = None) -> str:
    """The drawing of one page without the <svg> element (for embedding). `progress` colours
    symbols by step number ("done", "current", "late", "done-late") for a running case;
    without `text` the page's text is left out (see `page_texts`); `marks` adds a CSS class
    to the symbols of the given step numbers (a page's stylesheet then styles them)."""
    progress = progress or {}
    marks = marks or {}
    parts = [f'<g font-family="{FONT_STACK}" fill="{STROKE}">']
    table = page.table
    for cell in page.header:
        parts.append(_rect(cell.rect, fill=HEADER_FILL, stroke=GRID, stroke_width="0.6"))
    for row in page.rows:
        for column in layout.columns:
            parts.append(_rect(Rect(column.x, row.rect.y, column.width, row.rect.h),
                               fill="none", stroke=GRID, stroke_width="0.5"))
    for strip in (page.top_strip, page.bottom_strip):
        if strip is not None:
            actors = [c for c in layout.columns if c.role == "actor"]
            for column in layout.columns:
                if column.role != "actor":
                    parts.append(_rect(Rect(column.x, strip.y, column.width, strip.h),
                                       fill="none", stroke=GRID, stroke_width="0.5"))
            parts.append(_rect(Rect(actors[0].x, strip.y, sum(c.width for c in actors),
                                    strip.h), fill="none", stroke=GRID, stroke_width="0.5"))
    parts.append(_rect(table, fill="none", stroke=STROKE, stroke_width="1"))
    if text:
        for cell in page.header:
            if cell.text:
                parts.append(_text(cell.text))
        for row in page.rows:
            for cell in row.cells:
                if cell.text:
                    parts.append(_text(cell.text))
    parts.extend(_arrow(a, text) for a in page.arrows)
    parts.extend(_shape(s, progress.get(s.step), marks.get(s.step)) for s in page.shapes)
    parts.extend(_connector(c, text) for c in page.connectors)
    parts.append("</g>")
    return "".join(parts)


def page_svg(page: Page, layout: Layout, *, crop: bool = False,
             progress: Mapping[int, str] | None = None,
             marks: Mapping[int, str] | None = None) -> str:
    """One page; `crop` trims it to the table (for screens, where paper margins are noise);
    `progress` and `marks` as for `page_body`."""
    x, y, w, h = 0.0, 0.0, layout.setup.width, layout.setup.height
    if crop:
        x, y = page.table.x - 4, page.table.y - 4
        w, h = page.table.w + 8, page.table.h + 8
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(w)}pt" height="{_n(h)}pt" '
            f'viewBox="{_n(x)} {_n(y)} {_n(w)} {_n(h)}">'
            f'<rect width="100%" height="100%" fill="#ffffff"/>'
            f'{page_body(page, layout, progress, marks=marks)}</svg>')


def layout_svg(layout: Layout) -> str:
    """All pages stacked vertically in one SVG document, a thin gap between them."""
    w, h = layout.setup.width, layout.setup.height
    gap = 12
    total = len(layout.pages) * h + (len(layout.pages) - 1) * gap
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{_n(w)}pt" '
             f'height="{_n(total)}pt" viewBox="0 0 {_n(w)} {_n(total)}">',
             '<rect width="100%" height="100%" fill="#d9d9d9"/>']
    for index, page in enumerate(layout.pages):
        y = index * (h + gap)
        parts.append(f'<g class="page" data-page="{page.number}" '
                     f'transform="translate(0 {_n(y)})">'
                     f'<rect width="{_n(w)}" height="{_n(h)}" fill="#ffffff"/>'
                     f'{page_body(page, layout)}</g>')
    parts.append("</svg>")
    return "".join(parts)
