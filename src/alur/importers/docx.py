"""Word documents (.docx) measured into the import middle: paragraphs, table grids, and every
shape drawn over them, on one continuous surface.

Word stores no layout: where a row or a page really ends is decided only when Word prints.
The reader therefore lays the body out itself, as Word would for a plain SOP document —
paragraphs by their estimated lines, table rows by their exact height (`w:trHeight
hRule="exact"`, which alur's own documents and most flowchart tables use) or the larger of the
given height and their estimated text, explicit page breaks and section breaks starting a new
page. Pages are stacked on one surface (y = page × page height + y on the page), so a shape
anchored to the page and a shape anchored to a paragraph inside a cell land on the same axis.

Shapes come in three encodings, all read: DrawingML (`wps:wsp`, grouped as `wpg:wgp`, in
`mc:AlternateContent` whose `mc:Choice` is read and whose VML `mc:Fallback` is skipped), and
VML alone (`w:pict` with `v:shape`, `v:rect`, `v:roundrect`, `v:line`, `v:group`) from Word
2007 and converters. A shape anchored in a table cell (`layoutInCell`) is placed from that cell;
one anchored to the page, the margin or a paragraph from that.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace

from lxml import etree

from .grid import Box, Drawn, Grid, GridCell, Line, Measured, Place, Point, Surface
from .package import Package, PackageError, open_package
from .shapes import preset_kind, vml_kind

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {
    "w": W,
    "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
    "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
    "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape",
    "wpg": "http://schemas.microsoft.com/office/word/2010/wordprocessingGroup",
    "mc": "http://schemas.openxmlformats.org/markup-compatibility/2006",
    "v": "urn:schemas-microsoft-com:vml",
    "o": "urn:schemas-microsoft-com:office:office",
    "pic": "http://schemas.openxmlformats.org/drawingml/2006/picture",
    "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}
EMU_PER_PT = 12700.0
_W = f"{{{W}}}"
_DEFAULT_PAGE = (595.3, 841.9)        # A4 portrait, points
_DEFAULT_MARGIN = 72.0
_FONT_SIZE = 11.0                      # Word's default body size
_CHAR_WIDTH = 0.5                      # an average character, as a share of the font size
_LINE = 1.16                           # line height as a share of the font size
_CELL_MARGIN = 5.4                     # Word's default left/right cell margin (108 twips)


def _q(path: str) -> str:
    """'w:tblGrid/w:gridCol' in Clark notation, for lxml's find and iter."""
    return "/".join(f"{{{NS[prefix]}}}{name}" for prefix, name in
                    (step.split(":") for step in path.split("/")))


def _twips(value: str | None, default: float = 0.0) -> float:
    try:
        return float(value) / 20.0 if value is not None else default
    except ValueError:
        return default


def _emu(value: str | None) -> float:
    try:
        return float(value or 0) / EMU_PER_PT
    except ValueError:
        return 0.0


# -- page geometry ---------------------------------------------------------------------------

@dataclass(frozen=True)
class PageSetup:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @staticmethod
    def of(sect_pr: etree._Element | None) -> PageSetup:
        width, height = _DEFAULT_PAGE
        top = bottom = left = right = _DEFAULT_MARGIN
        if sect_pr is not None:
            size = sect_pr.find(_q("w:pgSz"))
            if size is not None:
                width = _twips(size.get(_W + "w"), width)
                height = _twips(size.get(_W + "h"), height)
            margin = sect_pr.find(_q("w:pgMar"))
            if margin is not None:
                top = abs(_twips(margin.get(_W + "top"), top))
                bottom = abs(_twips(margin.get(_W + "bottom"), bottom))
                left = _twips(margin.get(_W + "left"), left)
                right = _twips(margin.get(_W + "right"), right)
        return PageSetup(width, height, top, bottom, left, right)


@dataclass
class Anchor:
    """Where the paragraph holding a drawing stands: its page, its top, and the box it lays
    out in (the page's text column, or a table cell)."""

    page: int
    page_top: float           # y of the page on the surface
    setup: PageSetup
    y: float                  # paragraph top on the surface
    column: tuple[float, float]   # x-extent the paragraph lays out in
    cell: tuple[int, int] | None = None   # (table index, grid row) when inside a table
    place: Place = field(default_factory=Place)


# -- the body laid out -----------------------------------------------------------------------

class _Layout:
    """Walks the body in order, estimating where each paragraph and row falls."""

    def __init__(self, body: etree._Element, sections: list[PageSetup]) -> None:
        self.body = body
        self.sections = sections
        self.section = 0
        self.page = 0
        self.page_top = 0.0
        self.setup = sections[0]
        self.y = self.setup.top
        self.surface = Surface()
        self.anchors: list[tuple[etree._Element, Anchor]] = []
        self.tables = 0

    # pages
    def _new_page(self) -> None:
        self.page_top += self.setup.height
        self.page += 1
        self.y = self.page_top + self.setup.top

    def _fits(self, height: float) -> None:
        if self.y + height > self.page_top + self.setup.height - self.setup.bottom and \
                self.y > self.page_top + self.setup.top + 1:
            self._new_page()

    def run(self) -> Surface:
        for child in self.body:
            if child.tag == _q("w:p"):
                self._paragraph(child)
            elif child.tag == _q("w:tbl"):
                self._table(child)
            elif child.tag == _q("w:sdt"):
                content = child.find(_q("w:sdtContent"))
                for inner in content if content is not None else []:
                    if inner.tag == _q("w:p"):
                        self._paragraph(inner)
                    elif inner.tag == _q("w:tbl"):
                        self._table(inner)
        return self.surface

    def _paragraph(self, p: etree._Element) -> None:
        ppr = p.find(_q("w:pPr"))
        if ppr is not None and ppr.find(_q("w:pageBreakBefore")) is not None and \
                _on(ppr.find(_q("w:pageBreakBefore"))):
            self._new_page()
        text = paragraph_text(p)
        column = (self.setup.left, self.setup.width - self.setup.right)
        height = paragraph_height(p, text, column[1] - column[0])
        self._fits(height)
        place = Place(page=self.page + 1)
        self._collect_drawings(p, Anchor(self.page, self.page_top, self.setup, self.y, column,
                                         place=place))
        if text.strip():
            self.surface.items.append(Line(html.escape(text.strip()), place))
        self.y += height
        if any(br.get(_W + "type") == "page" for br in p.iter(_q("w:br"))):
            self._new_page()
        if ppr is not None and ppr.find(_q("w:sectPr")) is not None:
            self.section = min(self.section + 1, len(self.sections) - 1)
            self.setup = self.sections[self.section]
            self._new_page()

    def _collect_drawings(self, p: etree._Element, anchor: Anchor) -> None:
        for drawing in _drawings_of(p):
            self.anchors.append((drawing, anchor))

    def _table(self, tbl: etree._Element) -> None:
        self.tables += 1
        number = self.tables
        grid_cols = [_twips(c.get(_W + "w")) for c in tbl.findall(_q("w:tblGrid/w:gridCol"))]
        rows = tbl.findall(_q("w:tr"))
        if not grid_cols:
            width = max((sum(1 for _ in r.findall(_q("w:tc"))) for r in rows), default=1)
            grid_cols = [(self.setup.width - self.setup.left - self.setup.right) / width] * width
        tbl_pr = tbl.find(_q("w:tblPr"))
        indent = 0.0
        if tbl_pr is not None and (ind := tbl_pr.find(_q("w:tblInd"))) is not None and \
                ind.get(_W + "type") in (None, "dxa"):
            indent = _twips(ind.get(_W + "w"))
        x = self.setup.left + indent
        columns = []
        for column_width in grid_cols:
            columns.append((x, x + column_width))
            x += column_width
        cells: list[GridCell] = []
        row_extents: list[tuple[float, float]] = []
        row_places: list[Place] = []
        open_merges: dict[int, GridCell] = {}  # grid column → the vMerge origin above
        origin_index: dict[tuple[int, int], int] = {}
        for r, tr in enumerate(rows):
            tr_pr = tr.find(_q("w:trPr"))
            col = 0
            if tr_pr is not None and (before := tr_pr.find(_q("w:gridBefore"))) is not None:
                col = int(before.get(_W + "val") or 0)
            row_cells: list[tuple[int, int, etree._Element]] = []
            for tc in _row_cells(tr):
                tc_pr = tc.find(_q("w:tcPr"))
                span = 1
                merge = None
                if tc_pr is not None:
                    if (grid_span := tc_pr.find(_q("w:gridSpan"))) is not None:
                        span = max(1, int(grid_span.get(_W + "val") or 1))
                    if (v_merge := tc_pr.find(_q("w:vMerge"))) is not None:
                        merge = v_merge.get(_W + "val") or "continue"
                span = min(span, max(1, len(columns) - col))
                if merge == "continue" and col in open_merges:
                    origin = open_merges[col]
                    key = (origin.row, origin.col)
                    cells[origin_index[key]] = GridCell(
                        origin.row, origin.col, origin.raw, r - origin.row + 1, origin.colspan,
                        origin.place)
                    open_merges[col] = cells[origin_index[key]]
                else:
                    row_cells.append((col, span, tc))
                    if merge != "restart":
                        open_merges.pop(col, None)
                col += span
            height = _row_height(tr, row_cells, columns)
            if not (tr_pr is not None and tr_pr.find(_q("w:tblHeader")) is not None and r == 0):
                self._fits(height)
            top = self.y
            row_extents.append((top, top + height))
            place = Place(table=number, row=r + 1)
            row_places.append(place)
            for col, span, tc in row_cells:
                cell = GridCell(r, col, cell_raw(tc), 1, span, place)
                origin_index[(r, col)] = len(cells)
                cells.append(cell)
                tc_pr = tc.find(_q("w:tcPr"))
                v_merge = tc_pr.find(_q("w:vMerge")) if tc_pr is not None else None
                if v_merge is not None and (v_merge.get(_W + "val") or "continue") == "restart":
                    open_merges[col] = cell
                cell_x = (columns[col][0], columns[min(col + span, len(columns)) - 1][1])
                self._cell_drawings(tc, Anchor(self.page, self.page_top, self.setup, top,
                                               (cell_x[0] + _CELL_MARGIN, cell_x[1]),
                                               (number, r), place))
            self.y = top + height
        grid = Grid(columns, row_extents, cells, Place(table=number), row_places)
        self.surface.items.append(grid)

    def _cell_drawings(self, tc: etree._Element, anchor: Anchor) -> None:
        y = anchor.y
        for p in tc.iter(_q("w:p")):
            if _inside_drawing(p, tc):
                continue
            width = anchor.column[1] - anchor.column[0]
            self._collect_drawings(p, Anchor(anchor.page, anchor.page_top, anchor.setup, y,
                                             anchor.column, anchor.cell, anchor.place))
            y += paragraph_height(p, paragraph_text(p), width)


def _on(element: etree._Element | None) -> bool:
    return element is not None and element.get(_W + "val") not in ("0", "false", "off")


def _row_cells(tr: etree._Element) -> Iterator[etree._Element]:
    """A row's cells, including those inside content controls."""
    for child in tr:
        if child.tag == _q("w:tc"):
            yield child
        elif child.tag == _q("w:sdt"):
            yield from child.iter(_q("w:tc"))


def _row_height(tr: etree._Element, cells: list[tuple[int, int, etree._Element]],
                columns: list[tuple[float, float]]) -> float:
    tr_pr = tr.find(_q("w:trPr"))
    given, rule = 0.0, "atLeast"
    if tr_pr is not None and (height := tr_pr.find(_q("w:trHeight"))) is not None:
        given = _twips(height.get(_W + "val"))
        rule = height.get(_W + "hRule") or "atLeast"
    if rule == "exact" and given > 0:
        return given
    text_height = 0.0
    for col, span, tc in cells:
        width = columns[min(col + span, len(columns)) - 1][1] - columns[col][0] - 2 * _CELL_MARGIN
        text_height = max(text_height, sum(paragraph_height(p, paragraph_text(p), width)
                                           for p in tc.findall(_q("w:p"))))
    return max(given, text_height, 12.0)


def paragraph_height(p: etree._Element, text: str, width: float) -> float:
    """Estimated height: lines at the paragraph's size (exact spacing where it says so)."""
    size = _font_size(p)
    line = size * _LINE
    spacing = p.find(_q("w:pPr/w:spacing"))
    before = after = 0.0
    if spacing is not None:
        before = _twips(spacing.get(_W + "before"))
        after = _twips(spacing.get(_W + "after"))
        if spacing.get(_W + "lineRule") == "exact" and spacing.get(_W + "line"):
            line = _twips(spacing.get(_W + "line"))
    chars_per_line = max(1.0, width / (size * _CHAR_WIDTH)) if width > 0 else 1.0
    lines = sum(max(1, math.ceil(len(part) / chars_per_line)) for part in text.split("\n"))
    return before + lines * line + after


def _font_size(p: etree._Element) -> float:
    for sz in p.iter(_q("w:sz")):
        try:
            return float(sz.get(_W + "val") or 22) / 2
        except ValueError:
            break
    return _FONT_SIZE


# -- text -------------------------------------------------------------------------------------

def paragraph_text(p: etree._Element) -> str:
    """The paragraph's visible text: runs, tabs and breaks; drawings' own text left out."""
    parts: list[str] = []
    for node in p.iter(_q("w:t"), _q("w:tab"), _q("w:br"), _q("w:cr"), _q("w:txbxContent"),
                       _q("mc:Fallback"), _q("w:pict"), _q("w:drawing")):
        if _inside_drawing(node, p):
            continue
        if node.tag == _q("w:t"):
            parts.append(node.text or "")
        elif node.tag == _q("w:tab"):
            parts.append("\t")
        elif node.tag in (_q("w:br"), _q("w:cr")) and node.get(_W + "type") != "page":
            parts.append("\n")
    return "".join(parts)


def _inside_drawing(node: etree._Element, stop: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not stop:
        if parent.tag in (_q("w:drawing"), _q("w:pict"), _q("mc:AlternateContent"),
                          _q("w:txbxContent"), _q("w:object")):
            return True
        parent = parent.getparent()
    return False


def _is_list_item(p: etree._Element) -> bool:
    ppr = p.find(_q("w:pPr"))
    if ppr is None:
        return False
    if ppr.find(_q("w:numPr")) is not None:
        return True
    style = ppr.find(_q("w:pStyle"))
    return style is not None and "list" in (style.get(_W + "val") or "").lower()


def cell_raw(tc: etree._Element) -> str:
    """A cell as the text importer reads cells: paragraphs as `<p>`, list paragraphs as `<li>`,
    line breaks as `<br>`, text escaped; nested tables' paragraphs in order."""
    parts: list[str] = []
    in_list = False
    for p in tc.iter(_q("w:p")):
        if _inside_drawing(p, tc):
            continue  # a text box's own words belong to its shape, not to the cell
        text = paragraph_text(p).strip()
        if not text:
            continue
        body = "<br>".join(html.escape(line.strip()) for line in text.split("\n") if line.strip())
        if _is_list_item(p):
            if not in_list:
                parts.append("<ul>")
                in_list = True
            parts.append(f"<li>{body}</li>")
        else:
            if in_list:
                parts.append("</ul>")
                in_list = False
            parts.append(f"<p>{body}</p>")
    if in_list:
        parts.append("</ul>")
    return "".join(parts)


def shape_text(element: etree._Element) -> str:
    """Text inside a shape (DrawingML text box or VML text box), lines joined by spaces."""
    lines = []
    for content in element.iter(_q("w:txbxContent")):
        for p in content.iter(_q("w:p")):
            text = "".join(t.text or "" for t in p.iter(_q("w:t"))).strip()
            if text:
                lines.append(text)
    if not lines:
        lines = [t.text.strip() for t in element.iter(_q("a:t")) if t.text and t.text.strip()]
    return " ".join(lines)


# -- drawings ---------------------------------------------------------------------------------

def _drawings_of(p: etree._Element) -> Iterator[etree._Element]:
    """The drawings anchored in a paragraph: one choice of each AlternateContent (DrawingML
    when offered, else its VML fallback), and plain `w:drawing` / `w:pict`. Text boxes inside
    shapes hold paragraphs of their own; their drawings belong to the shape and are skipped."""
    for run in p.iter(_q("w:r")):
        if _inside_drawing(run, p):
            continue
        for child in run:
            if child.tag == _q("mc:AlternateContent"):
                choice = child.find(_q("mc:Choice"))
                chosen = choice if choice is not None and len(choice) else \
                    child.find(_q("mc:Fallback"))
                if chosen is not None:
                    yield from (c for c in chosen if c.tag in (_q("w:drawing"), _q("w:pict")))
            elif child.tag in (_q("w:drawing"), _q("w:pict")):
                yield child


class _Shapes:
    """Turns anchored drawings into `Drawn` objects on the surface."""

    def __init__(self) -> None:
        self.drawn: list[Drawn] = []
        self.count = 0

    def _id(self) -> str:
        self.count += 1
        return f"d{self.count}"

    # DrawingML
    def drawing(self, drawing: etree._Element, anchor: Anchor) -> None:
        for holder in drawing:
            if holder.tag not in (_q("wp:anchor"), _q("wp:inline")):
                continue
            origin = self._origin(holder, anchor)
            extent = holder.find(_q("wp:extent"))
            size = (_emu(extent.get("cx")), _emu(extent.get("cy"))) if extent is not None \
                else (0.0, 0.0)
            data = holder.find(_q("a:graphic/a:graphicData"))
            if data is None:
                continue
            box = Box.of(origin[0], origin[1], *size)
            for content in data:
                self._content(content, box, anchor.place)

    def _origin(self, holder: etree._Element, anchor: Anchor) -> Point:
        if holder.tag == _q("wp:inline"):
            return anchor.column[0], anchor.y
        setup = anchor.setup
        x = y = 0.0
        h = holder.find(_q("wp:positionH"))
        v = holder.find(_q("wp:positionV"))
        if h is not None:
            relative = h.get("relativeFrom") or "column"
            offset = _emu(h.findtext(_q("wp:posOffset")))
            base = {"page": 0.0, "margin": setup.left, "leftMargin": 0.0,
                    "rightMargin": setup.width - setup.right,
                    "insideMargin": 0.0, "outsideMargin": 0.0}.get(relative, anchor.column[0])
            align = h.findtext(_q("wp:align"))
            x = base + offset if align is None else _aligned(align, base, anchor, setup)
        if v is not None:
            relative = v.get("relativeFrom") or "paragraph"
            offset = _emu(v.findtext(_q("wp:posOffset")))
            base = {"page": anchor.page_top, "margin": anchor.page_top + setup.top,
                    "topMargin": anchor.page_top,
                    "bottomMargin": anchor.page_top + setup.height - setup.bottom}.get(
                relative, anchor.y)
            y = base + offset
        return x, y

    def _content(self, element: etree._Element, box: Box, place: Place) -> None:
        if element.tag == _q("wps:wsp"):
            self._wsp(element, box, place)
        elif element.tag == _q("wpg:wgp"):
            self._group(element, box, place)
        elif element.tag == _q("pic:pic"):
            # The image part's relationship id rides in the id, for `picture.py` to read the
            # pixels of a flowchart pasted as one picture.
            blip = element.find(_q("pic:blipFill/a:blip"))
            rid = blip.get(f"{{{NS['r']}}}embed") if blip is not None else None
            identifier = f"{self._id()}-{rid}" if rid else self._id()
            self.drawn.append(Drawn(identifier, "other", box, place=place, geometry="picture"))

    def _group(self, group: etree._Element, box: Box, place: Place) -> None:
        """Children are placed in the group's child coordinates (chOff/chExt), scaled to the
        group's own box."""
        xfrm = group.find(_q("wpg:grpSpPr/a:xfrm"))
        ch_off, ch_ext = (0.0, 0.0), (box.w, box.h)
        if xfrm is not None:
            off = xfrm.find(_q("a:chOff"))
            ext = xfrm.find(_q("a:chExt"))
            if off is not None:
                ch_off = (_emu(off.get("x")), _emu(off.get("y")))
            if ext is not None:
                ch_ext = (_emu(ext.get("cx")) or box.w, _emu(ext.get("cy")) or box.h)
        sx = box.w / ch_ext[0] if ch_ext[0] else 1.0
        sy = box.h / ch_ext[1] if ch_ext[1] else 1.0
        for child in group:
            if child.tag not in (_q("wps:wsp"), _q("wpg:grpSp"), _q("pic:pic")):
                continue
            props = child.find(_q("wps:spPr")) if child.tag == _q("wps:wsp") else \
                child.find(_q("wpg:grpSpPr")) if child.tag == _q("wpg:grpSp") else \
                child.find(_q("pic:spPr"))
            child_xfrm = props.find(_q("a:xfrm")) if props is not None else None
            if child_xfrm is None:
                continue
            off = child_xfrm.find(_q("a:off"))
            ext = child_xfrm.find(_q("a:ext"))
            cx = _emu(off.get("x")) if off is not None else 0.0
            cy = _emu(off.get("y")) if off is not None else 0.0
            cw = _emu(ext.get("cx")) if ext is not None else 0.0
            ch = _emu(ext.get("cy")) if ext is not None else 0.0
            child_box = Box.of(box.x0 + (cx - ch_off[0]) * sx, box.y0 + (cy - ch_off[1]) * sy,
                               cw * sx, ch * sy)
            if child.tag == _q("wpg:grpSp"):
                self._group(child, child_box, place)
            else:
                self._content(child, child_box, place)

    def _wsp(self, wsp: etree._Element, box: Box, place: Place) -> None:
        props = wsp.find(_q("wps:spPr"))
        preset = None
        xfrm = None
        if props is not None:
            geometry = props.find(_q("a:prstGeom"))
            preset = geometry.get("prst") if geometry is not None else None
            xfrm = props.find(_q("a:xfrm"))
        connector = wsp.find(_q("wps:cNvCnPr")) is not None
        text_box = (wsp.find(_q("wps:cNvSpPr")) is not None
                    and wsp.find(_q("wps:cNvSpPr")).get("txBox") == "1")
        text = shape_text(wsp)
        custom = props is not None and props.find(_q("a:custGeom")) is not None
        if custom:
            self._custom(props, box, place)
            return
        kind = "line" if connector else preset_kind(preset, text_box=text_box)
        if kind not in ("line", "text") and props is not None and _unfilled_and_unlined(props) \
                and text:
            kind = "text"  # a frame with no outline and no fill shows only its words
        if kind == "line":
            start, end = _line_ends(box, xfrm)
            self.drawn.append(_line(self._id(), box, start, end, props, text, place,
                                    preset or "connector"))
            return
        self.drawn.append(Drawn(self._id(), kind, box, text=text, place=place,
                                geometry=preset or ""))

    def _custom(self, props: etree._Element, box: Box, place: Place) -> None:
        """A free-form path: an open path is a line (alur's own arrows are polylines), a closed
        one a shape we cannot name."""
        path = props.find(_q("a:custGeom/a:pathLst/a:path"))
        points: list[Point] = []
        closed = False
        if path is not None:
            pw = float(path.get("w") or 0) / EMU_PER_PT or box.w or 1.0
            ph = float(path.get("h") or 0) / EMU_PER_PT or box.h or 1.0
            for step in path:
                if step.tag == _q("a:close"):
                    closed = True
                for pt in step.findall(_q("a:pt")):
                    points.append((box.x0 + _emu(pt.get("x")) * box.w / pw,
                                   box.y0 + _emu(pt.get("y")) * box.h / ph))
        if len(points) >= 2 and not closed:
            self.drawn.append(self._polyline(points, props, place))
        else:
            self.drawn.append(Drawn(self._id(), "other", box, place=place, geometry="custGeom"))

    def _polyline(self, points: list[Point], props: etree._Element, place: Place) -> Drawn:
        """An open path: a line from its first point to its last, through its corners."""
        line = _line(self._id(), Box.around(points), points[0], points[-1], props, "", place,
                     "custGeom")
        corners = points[1:-1] if line.ends == (points[0], points[-1]) else points[-2:0:-1]
        return replace(line, bends=tuple(corners))

    # VML
    def pict(self, pict: etree._Element, anchor: Anchor) -> None:
        for element in pict:
            self._vml(element, anchor, None)

    def _vml(self, element: etree._Element, anchor: Anchor,
             group: tuple[Box, tuple[float, float, float, float]] | None) -> None:
        tag = etree.QName(element).localname if isinstance(element.tag, str) else ""
        if etree.QName(element).namespace != NS["v"] or tag in ("shapetype", "stroke", "fill",
                                                                 "textbox", "path",
                                                                 "shadow", "imagedata"):
            return
        style = _style(element.get("style") or "")
        box = self._vml_box(element, style, anchor, group)
        if tag == "group":
            origin = _pair(element.get("coordorigin"), (0.0, 0.0))
            size = _pair(element.get("coordsize"), (box.w or 1.0, box.h or 1.0))
            for child in element:
                self._vml(child, anchor, (box, (origin[0], origin[1], size[0] or 1.0,
                                                size[1] or 1.0)))
            return
        text = shape_text(element)
        kind = vml_kind(tag, element.get("type"))
        if element.get(_q("o:connectortype")) or element.get("connectortype"):
            kind = "line"
        if tag == "line" or kind == "line":
            start, end = self._vml_line_ends(element, box, anchor, group)
            stroke = element.find(_q("v:stroke"))
            head_end = stroke is not None and (stroke.get("endarrow") or "none") != "none"
            head_start = stroke is not None and (stroke.get("startarrow") or "none") != "none"
            if head_start and not head_end:
                start, end = end, start
            self.drawn.append(Drawn(self._id(), "line", box, text=text, ends=(start, end),
                                    arrow=head_end or head_start, place=anchor.place,
                                    geometry=f"v:{tag}"))
            return
        if kind == "process" and text and (element.get("stroked") == "f"):
            kind = "text"
        self.drawn.append(Drawn(self._id(), kind, box, text=text, place=anchor.place,
                                geometry=element.get("type") or f"v:{tag}"))

    def _vml_box(self, element: etree._Element, style: dict[str, str], anchor: Anchor,
                 group: tuple[Box, tuple[float, float, float, float]] | None) -> Box:
        if group is not None:
            outer, (ox, oy, cw, ch) = group
            left = _number(style.get("left"))
            top = _number(style.get("top"))
            width = _number(style.get("width"))
            height = _number(style.get("height"))
            sx, sy = outer.w / cw, outer.h / ch
            return Box.of(outer.x0 + (left - ox) * sx, outer.y0 + (top - oy) * sy,
                          width * sx, height * sy)
        setup = anchor.setup
        x = _length(style.get("margin-left") or style.get("left"))
        y = _length(style.get("margin-top") or style.get("top"))
        width = _length(style.get("width"))
        height = _length(style.get("height"))
        h_rel = style.get("mso-position-horizontal-relative", "text")
        v_rel = style.get("mso-position-vertical-relative", "text")
        x += {"page": 0.0, "margin": setup.left, "left-margin-area": 0.0}.get(
            h_rel, anchor.column[0])
        y += {"page": anchor.page_top, "margin": anchor.page_top + setup.top,
              "top-margin-area": anchor.page_top}.get(v_rel, anchor.y)
        return Box.of(x, y, width, height)

    def _vml_line_ends(self, element: etree._Element, box: Box, anchor: Anchor,
                       group: tuple[Box, tuple[float, float, float, float]] | None
                       ) -> tuple[Point, Point]:
        start_text, end_text = element.get("from"), element.get("to")
        points = _points(element.get("points"))
        if len(points) >= 2 and not (start_text and end_text):
            # A polyline's points count from its own position (margin-left/top).
            origin = (box.x0, box.y0)
            if group is not None:
                outer, (ox, oy, cw, ch) = group
                sx, sy = outer.w / cw, outer.h / ch
                return ((origin[0] + points[0][0] * sx, origin[1] + points[0][1] * sy),
                        (origin[0] + points[-1][0] * sx, origin[1] + points[-1][1] * sy))
            return ((origin[0] + points[0][0], origin[1] + points[0][1]),
                    (origin[0] + points[-1][0], origin[1] + points[-1][1]))
        if start_text and end_text:
            start, end = _pair(start_text, (0, 0), length=True), _pair(end_text, (0, 0),
                                                                         length=True)
            if group is not None:
                outer, (ox, oy, cw, ch) = group
                sx, sy = outer.w / cw, outer.h / ch
                return ((outer.x0 + (start[0] - ox) * sx, outer.y0 + (start[1] - oy) * sy),
                        (outer.x0 + (end[0] - ox) * sx, outer.y0 + (end[1] - oy) * sy))
            setup = anchor.setup
            style = _style(element.get("style") or "")
            bx = {"page": 0.0, "margin": setup.left}.get(
                style.get("mso-position-horizontal-relative", "text"), anchor.column[0])
            by = {"page": anchor.page_top, "margin": anchor.page_top + setup.top}.get(
                style.get("mso-position-vertical-relative", "text"), anchor.y)
            return (bx + start[0], by + start[1]), (bx + end[0], by + end[1])
        style = _style(element.get("style") or "")
        flip = style.get("flip", "")
        return _flipped(box, "x" in flip, "y" in flip)


def _aligned(align: str, base: float, anchor: Anchor, setup: PageSetup) -> float:
    return {"left": anchor.column[0], "center": (anchor.column[0] + anchor.column[1]) / 2,
            "right": anchor.column[1]}.get(align, base)


def _unfilled_and_unlined(props: etree._Element) -> bool:
    line = props.find(_q("a:ln"))
    no_line = line is not None and line.find(_q("a:noFill")) is not None
    no_fill = props.find(_q("a:noFill")) is not None
    return no_line and no_fill


def _line_ends(box: Box, xfrm: etree._Element | None) -> tuple[Point, Point]:
    flip_h = xfrm is not None and xfrm.get("flipH") in ("1", "true")
    flip_v = xfrm is not None and xfrm.get("flipV") in ("1", "true")
    return _flipped(box, flip_h, flip_v)


def _flipped(box: Box, flip_h: bool, flip_v: bool) -> tuple[Point, Point]:
    x0, x1 = (box.x1, box.x0) if flip_h else (box.x0, box.x1)
    y0, y1 = (box.y1, box.y0) if flip_v else (box.y0, box.y1)
    return (x0, y0), (x1, y1)


def _line(identifier: str, box: Box, start: Point, end: Point, props: etree._Element | None,
          text: str, place: Place, geometry: str) -> Drawn:
    """A line with its arrowhead: `tailEnd` is a head at the end, `headEnd` one at the start
    (then the ends are swapped so that the line points to its second end)."""
    head_end = head_start = False
    if props is not None and (ln := props.find(_q("a:ln"))) is not None:
        tail = ln.find(_q("a:tailEnd"))
        head = ln.find(_q("a:headEnd"))
        head_end = tail is not None and (tail.get("type") or "none") != "none"
        head_start = head is not None and (head.get("type") or "none") != "none"
    if head_start and not head_end:
        start, end = end, start
    return Drawn(identifier, "line", box, text=text, ends=(start, end),
                 arrow=head_end or head_start, place=place, geometry=geometry)


_UNITS = {"pt": 1.0, "in": 72.0, "cm": 72 / 2.54, "mm": 72 / 25.4, "px": 0.75, "pc": 12.0,
          "emu": 1 / EMU_PER_PT}
_LENGTH = re.compile(r"^\s*(-?[\d.]+)\s*([a-z]*)\s*$")


def _length(text: str | None) -> float:
    """A VML length ('12.5pt', '1in', '3cm', or a bare number of EMU-free pixels)."""
    if not text:
        return 0.0
    match = _LENGTH.match(text.lower())
    if not match:
        return 0.0
    try:
        value = float(match.group(1))
    except ValueError:
        return 0.0
    return value * _UNITS.get(match.group(2) or "px", 0.75 if not match.group(2) else 1.0)


def _number(text: str | None) -> float:
    try:
        return float(text) if text else 0.0
    except ValueError:
        return _length(text)


def _pair(text: str | None, default: tuple[float, float], *, length: bool = False
          ) -> tuple[float, float]:
    if not text:
        return default
    parts = text.split(",")
    if len(parts) != 2:
        return default
    read = _length if length else _number
    return read(parts[0]), read(parts[1])


def _points(text: str | None) -> list[Point]:
    """A VML polyline's 'x1,y1,x2,y2 …' (commas or spaces) as points."""
    if not text:
        return []
    values = [_length(v) if re.search(r"[a-z]", v) else _number(v)
              for v in re.split(r"[\s,]+", text.strip()) if v]
    return list(zip(values[0::2], values[1::2], strict=False))


def _style(text: str) -> dict[str, str]:
    style: dict[str, str] = {}
    for item in text.split(";"):
        key, sep, value = item.partition(":")
        if sep:
            style[key.strip().lower()] = value.strip()
    return style


# -- entry ------------------------------------------------------------------------------------

def measure_docx(data: bytes) -> Measured:
    """The document's body as one surface; raises `PackageError` for what cannot be opened
    (the caller turns it into a finding)."""
    package = open_package(data)
    root = _main_part(package)
    body = root.find(_q("w:body"))
    if body is None:
        raise PackageError("xml", "no w:body")
    sections = [PageSetup.of(s) for s in body.iter(_q("w:sectPr"))] or \
        [PageSetup.of(None)]
    layout = _Layout(body, sections)
    surface = layout.run()
    shapes = _Shapes()
    for drawing, anchor in layout.anchors:
        if drawing.tag == _q("w:drawing"):
            shapes.drawing(drawing, anchor)
        else:
            shapes.pict(drawing, anchor)
    surface.drawn = shapes.drawn
    return Measured([surface])


def _main_part(package: Package) -> etree._Element:
    """The main document part, found through the package relationships as Word does."""
    name = "word/document.xml"
    if package.has("_rels/.rels"):
        rels = package.xml("_rels/.rels")
        for rel in rels:
            if (rel.get("Type") or "").endswith("/officeDocument"):
                name = (rel.get("Target") or name).lstrip("/")
                break
    if not package.has(name):
        raise PackageError("missing", name)
    return package.xml(name)


def looks_like_docx(data: bytes) -> bool:
    return data[:2] == b"PK" and b"word/" in data[:65536]


__all__ = ["cell_raw", "measure_docx", "paragraph_text", "shape_text"]
