"""DOCX of an SOP: the identity sheet, the narrative sections and the bagan alir, with the
flowchart drawn as native Word shapes over the table, all placed from the computed layout.

Each bagan alir page is one Word table whose grid and exact row heights are the layout's, and
whose top-left corner is the layout's; the symbols, arrows, Ya/Tidak labels and off-page
connectors are DrawingML shapes (`wps:wsp`) anchored to the page at the layout's coordinates,
in front of the table. Word units: twips = pt × 20, EMU = pt × 12700.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from itertools import pairwise
from typing import Any
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_ROW_HEIGHT_RULE
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Pt, Twips
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from alur.sop.model import Sop, Step

from .content import cell_paragraphs
from .geometry import (
    ARROW_WIDTH,
    SYMBOL_WIDTH,
    Arrow,
    Cell,
    Column,
    Connector,
    Layout,
    Page,
    Rect,
    RowBox,
    Shape,
    TextBox,
)
from .identity import PAIRS, TOP, identity_rows, section_letter
from .layout import BODY_SIZE, HEADER_SIZE, LINE, PAD
from .routing import LABEL_SIZE
from .text import wrap

FONT = "Arial"  # narrower than the DejaVu Sans the layout measures with, so text always fits
STROKE = "1A1A1A"
GRID = "555555"
HEADER_FILL = "EEF1F4"
EMU = 12700
ANCHOR_LINE = 1.0  # height of the paragraph that holds a page's shapes, in pt
PRESETS = {"terminator": "flowChartTerminator", "process": "rect",
           "decision": "flowChartDecision"}
_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')
_WPS_URI = "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"


def to_docx(sop: Sop, result: Layout) -> bytes:
    document = Document()
    _prepare(document)
    _page_setup(document.sections[0], result, flowchart=False)
    _identity(document, sop, result)
    for index, section in enumerate(sop.sections):
        _narrative(document, f"{section_letter(index)}. {section.title}", section.text)
    ids = _Ids()
    for index, page in enumerate(result.pages):
        if index == 0:
            _page_setup(document.add_section(WD_SECTION.NEW_PAGE), result, flowchart=True)
        anchor = _styled(document.add_paragraph(), "Alur Jangkar")
        if index > 0:
            anchor.paragraph_format.page_break_before = True
        _draw(anchor, page, ids)
        _flowchart_table(document, sop, result, page)
    _styled(document.add_paragraph(), "Alur Jangkar")  # a body must end with a paragraph
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- document set-up ------------------------------------------------------------------------

def _prepare(document: DocxDocument) -> None:
    """Styles used throughout, and Word 2013+ table placement (the grid edge at the indent)."""
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(10)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.space_after = Pt(0)
    _paragraph_style(document, "Alur Sel", BODY_SIZE, BODY_SIZE * LINE)
    _paragraph_style(document, "Alur Kepala", HEADER_SIZE, HEADER_SIZE * LINE, bold=True,
                     align=WD_ALIGN_PARAGRAPH.CENTER)
    _paragraph_style(document, "Alur Jangkar", 1, ANCHOR_LINE)
    _paragraph_style(document, "Alur Identitas", 9, None)
    for setting in document.settings.element.iter(qn("w:compatSetting")):
        if setting.get(qn("w:name")) == "compatibilityMode":
            setting.set(qn("w:val"), "15")


def _paragraph_style(document: DocxDocument, name: str, size: float, line: float | None, *,
                     bold: bool = False, align: WD_ALIGN_PARAGRAPH | None = None) -> None:
    style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(size)
    style.font.bold = bold
    fmt = style.paragraph_format
    fmt.space_before = fmt.space_after = Pt(0)
    if line is not None:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(round(line * 20))
    if align is not None:
        fmt.alignment = align


def _page_setup(section: Section, result: Layout, *, flowchart: bool) -> None:
    """Paper, orientation and margins. A flowchart page's table must start exactly at the
    layout's top margin, below the 1 pt paragraph holding the shapes; the bottom margin gets
    slack so the paragraph after a full-height table does not spill onto an empty page."""
    setup = result.setup
    section.orientation = WD_ORIENT.LANDSCAPE if setup.landscape else WD_ORIENT.PORTRAIT
    section.page_width = Twips(round(setup.width * 20))
    section.page_height = Twips(round(setup.height * 20))
    margin = round(setup.margin * 20)
    section.left_margin = section.right_margin = Twips(margin)
    section.top_margin = Twips(margin - round(ANCHOR_LINE * 20) if flowchart else margin)
    section.bottom_margin = Twips(margin // 2 if flowchart else margin)
    section.header_distance = section.footer_distance = Twips(margin // 2)


# -- identity sheet -------------------------------------------------------------------------

def _identity(document: DocxDocument, sop: Sop, result: Layout) -> None:
    """Top block: agency heading (left, spanning) | label | value for the six identity rows;
    below it the three label/content pairs, left | right, lists numbered."""
    rows = dict(identity_rows(sop))
    width = round(result.setup.content.w * 20)
    widths = [width // 2, round(width * 0.17)]
    widths.append(width - sum(widths))
    table = document.add_table(rows=len(TOP) + 2 * len(PAIRS), cols=3)
    _table_frame(table, widths, outer=8, inner=6, margin=80)
    heading = table.cell(0, 0).merge(table.cell(len(TOP) - 1, 0))
    heading.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _logo_room(heading.paragraphs[0])
    for line in sop.organization:
        _line(heading.add_paragraph(), line, bold=True, center=True)
    for index, label in enumerate(TOP):
        row = table.rows[index]
        row.cells[1].vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        _line(row.cells[1].paragraphs[0], label)
        value = row.cells[2]
        value.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        if label == "Disahkan oleh":
            _approval(value, sop)
        else:
            _line(value.paragraphs[0], " ".join(rows[label]), bold=label == "Nama SOP")
    for pair_index, pair in enumerate(PAIRS):
        label_row = len(TOP) + 2 * pair_index
        for side, label in enumerate(pair):
            cells = [table.cell(label_row, 0), table.cell(label_row + 1, 0)] if side == 0 else \
                [table.cell(label_row, 1).merge(table.cell(label_row, 2)),
                 table.cell(label_row + 1, 1).merge(table.cell(label_row + 1, 2))]
            _shade(cells[0], HEADER_FILL)
            _line(cells[0].paragraphs[0], label, bold=True, center=True)
            _numbered(cells[1], rows[label])
    for row in table.rows:
        _cant_split(row._tr)


def _logo_room(paragraph: Paragraph) -> None:
    """An empty line of logo height above the agency heading: no logo file is known."""
    _styled(paragraph, "Alur Identitas")
    paragraph.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    paragraph.paragraph_format.line_spacing = Pt(56)


def _approval(cell: _Cell, sop: Sop) -> None:
    approver = sop.approved_by
    _line(cell.paragraphs[0], approver.title, center=True)
    room = _styled(cell.add_paragraph(), "Alur Identitas")
    room.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    room.paragraph_format.line_spacing = Pt(42)  # room for the signature
    name = _line(cell.add_paragraph(), approver.name, bold=True, center=True)
    for run in name.runs:
        run.font.underline = True
    _line(cell.add_paragraph(), f"NIP. {approver.nip}" if approver.nip else "", center=True)


def _numbered(cell: _Cell, items: Sequence[str]) -> None:
    if not items:
        _line(cell.paragraphs[0], "-")
        return
    for index, item in enumerate(items):
        paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
        _line(paragraph, f"{index + 1}.\t{item}")
        fmt = paragraph.paragraph_format
        fmt.left_indent = Pt(16)
        fmt.first_line_indent = Pt(-16)
        fmt.tab_stops.add_tab_stop(Pt(16))


def _styled(paragraph: Paragraph, name: str) -> Paragraph:
    """Set a paragraph style by id (python-docx's lookup by name scans all styles)."""
    paragraph._p.get_or_add_pPr().style = name.replace(" ", "")
    return paragraph


def _line(paragraph: Paragraph, text: str, *, bold: bool = False,
          center: bool = False) -> Paragraph:
    _styled(paragraph, "Alur Identitas")
    if center:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if text:
        paragraph.add_run(text).bold = bold or None
    return paragraph


def _narrative(document: DocxDocument, title: str, text: str) -> None:
    heading = document.add_paragraph()
    heading.paragraph_format.space_before = Pt(10)
    heading.paragraph_format.space_after = Pt(4)
    heading.paragraph_format.keep_with_next = True
    heading.add_run(title).bold = True
    for line in text.split("\n"):
        paragraph = document.add_paragraph(line.strip())
        paragraph.paragraph_format.space_after = Pt(2)


# -- bagan alir table -----------------------------------------------------------------------

def _twips(value: float) -> int:
    return round(value * 20)


def _flowchart_table(document: DocxDocument, sop: Sop, result: Layout, page: Page) -> Table:
    """Header rows, the optional top strip, one row per step, the optional bottom strip. Row
    boundaries are rounded from absolute y, so no rounding error accumulates down the page."""
    columns = result.columns
    edges = [_twips(c.x) for c in columns] + [_twips(columns[-1].x + columns[-1].width)]
    widths = [b - a for a, b in pairwise(edges)]
    actors = [i for i, c in enumerate(columns) if c.role == "actor"]
    standard = [i for i, c in enumerate(columns) if c.role in ("inputs", "time", "outputs")]
    top_h = next(c.rect.h for c in page.header if c.role == "group")
    header_y = page.table.y
    bands: list[tuple[str, RowBox | None, float, float]] = [
        ("group", None, header_y, header_y + top_h),
        ("sub", None, header_y + top_h, header_y + max(c.rect.h for c in page.header))]
    if page.top_strip is not None:
        bands.append(("strip", None, page.top_strip.y, page.top_strip.bottom))
    bands += [("step", row, row.rect.y, row.rect.bottom) for row in page.rows]
    if page.bottom_strip is not None:
        bands.append(("strip", None, page.bottom_strip.y, page.bottom_strip.bottom))

    table: Table = document.add_table(rows=len(bands), cols=len(columns))
    _table_frame(table, widths, outer=8, inner=4, margin=_twips(PAD), top=_twips(PAD))
    for (kind, _, y0, y1), row in zip(bands, table.rows, strict=True):
        row.height = Twips(_twips(y1) - _twips(y0))
        row.height_rule = WD_ROW_HEIGHT_RULE.EXACTLY
        _cant_split(row._tr)
        if kind in ("group", "sub"):
            _tr_header(row._tr)
    _fill_header(table, page, columns, actors, standard)
    for index, (kind, payload, _, _) in enumerate(bands):
        if kind == "strip":
            table.cell(index, actors[0]).merge(table.cell(index, actors[-1]))
        elif payload is not None:
            _fill_step(table, index, sop.step(payload.step), payload, columns)
    return table


def _fill_header(table: Table, page: Page, columns: list[Column], actors: list[int],
                 standard: list[int]) -> None:
    def find(role: str, x: float) -> Cell | None:
        return next((c for c in page.header if c.role == role and abs(c.rect.x - x) < 0.01),
                    None)

    for index, column in enumerate(columns):
        if column.role in ("no", "activity", "notes"):
            merged = table.cell(0, index).merge(table.cell(1, index))
            _header_cell(merged, find(column.role, column.x), column.title)
    for group in (actors, standard):
        merged = table.cell(0, group[0]).merge(table.cell(0, group[-1]))
        _header_cell(merged, find("group", columns[group[0]].x), None)
        for index in group:
            column = columns[index]
            _header_cell(table.cell(1, index), find(column.role, column.x), column.title)


def _header_cell(cell: _Cell, source: Cell | None, title: str | None) -> None:
    _shade(cell, HEADER_FILL)
    cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
    _styled(cell.paragraphs[0], "Alur Kepala")
    if source is not None and source.text is not None:
        text = title if title is not None else " ".join(source.text.lines)
        _write_lines(cell, [text], source.text, "Alur Kepala")


def _fill_step(table: Table, index: int, step: Step | None, row: RowBox,
               columns: list[Column]) -> None:
    """A step row has one `w:tc` per grid column (no merges), so cells are taken directly."""
    by_role = {c.role: c for c in row.cells}
    tcs = table.rows[index]._tr.tc_lst
    for tc, column in zip(tcs, columns, strict=True):
        target = _Cell(tc, table)
        _styled(target.paragraphs[0], "Alur Sel")
        source = by_role.get(column.role) if column.role != "actor" else None
        if source is None or source.text is None:
            continue
        box = source.text
        parts = cell_paragraphs(step, column.role) if step is not None else []
        _write_lines(target, parts, box, "Alur Sel")
        if box.align == "center":
            target.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER


def _write_lines(cell: _Cell, parts: list[str], box: TextBox, style: str) -> None:
    """Write the cell as paragraphs Word wraps itself when they wrap to exactly the layout's
    lines; otherwise keep the layout's lines as they are, one line break each."""
    rewrapped = [line for part in parts for line in wrap(part, box.rect.w, box.size,
                                                         bold=box.bold)]
    if rewrapped == list(box.lines):
        paragraphs: list[list[str]] = [[p] for p in parts]
    else:
        paragraphs = [list(box.lines)]
    for number, lines in enumerate(paragraphs):
        paragraph = _styled(cell.paragraphs[0] if number == 0 else cell.add_paragraph(), style)
        if box.align == "center":
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for index, line in enumerate(lines):
            run = paragraph.add_run(line)
            if index < len(lines) - 1:
                run.add_break()


# -- table helpers --------------------------------------------------------------------------

def _table_frame(table: Table, widths: list[int], *, outer: int, inner: int, margin: int,
                 top: int = 40) -> None:
    """Fixed grid in twips, no autofit, no indent, borders and cell margins."""
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    for old in tbl_pr.findall(qn("w:tblStyle")):
        tbl_pr.remove(old)
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:type"), "dxa")
    tbl_w.set(qn("w:w"), str(sum(widths)))
    _replace(tbl_pr, _element(
        "w:tblInd", **{"w:w": "0", "w:type": "dxa"}))
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        size = outer if side in ("top", "left", "bottom", "right") else inner
        borders.append(_element(f"w:{side}", **{"w:val": "single", "w:sz": str(size),
                                                "w:space": "0", "w:color": STROKE if size ==
                                                outer else GRID}))
    _replace(tbl_pr, borders)
    margins = OxmlElement("w:tblCellMar")
    for side, value in (("top", top), ("left", margin), ("bottom", 0), ("right", margin)):
        margins.append(_element(f"w:{side}", **{"w:w": str(value), "w:type": "dxa"}))
    _replace(tbl_pr, margins)
    _order_tbl_pr(tbl_pr)
    for column, width in zip(table.columns, widths, strict=True):
        column.width = Twips(width)
    for tr in table._tbl.tr_lst:  # before any merge: one w:tc per grid column
        for tc, width in zip(tr.tc_lst, widths, strict=True):
            _Cell(tc, table).width = Twips(width)


_TBL_PR_ORDER = ("tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                 "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                 "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription")


def _order_tbl_pr(tbl_pr: Any) -> None:
    """Children of w:tblPr in schema order (Word rejects them out of order)."""
    children = list(tbl_pr)
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TBL_PR_ORDER)}
    children.sort(key=lambda e: rank.get(e.tag, len(rank)))
    for child in children:
        tbl_pr.append(child)


def _element(tag: str, **attrs: str) -> Any:
    element = OxmlElement(tag)
    for key, value in attrs.items():
        element.set(qn(key), value)
    return element


def _replace(parent: Any, element: Any) -> None:
    for old in parent.findall(element.tag):
        parent.remove(old)
    parent.append(element)


def _shade(cell: _Cell, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()
    shd = _element("w:shd", **{"w:val": "clear", "w:color": "auto", "w:fill": fill})
    _replace(tc_pr, shd)
    _order_tc_pr(tc_pr)


_TC_PR_ORDER = ("cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd",
                "noWrap", "tcMar", "textDirection", "tcFitText", "vAlign", "hideMark")


def _order_tc_pr(tc_pr: Any) -> None:
    rank = {qn(f"w:{name}"): i for i, name in enumerate(_TC_PR_ORDER)}
    for child in sorted(tc_pr, key=lambda e: rank.get(e.tag, len(rank))):
        tc_pr.append(child)


def _cant_split(tr: Any) -> None:
    tr.get_or_add_trPr().insert(0, OxmlElement("w:cantSplit"))


def _tr_header(tr: Any) -> None:
    tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))


# -- DrawingML shapes -----------------------------------------------------------------------

class _Ids:
    """Unique `wp:docPr` ids and a rising z-order for every shape of the document."""

    def __init__(self) -> None:
        self.last = 0

    def next(self) -> int:
        self.last += 1
        return self.last


def _draw(paragraph: Paragraph, page: Page, ids: _Ids) -> None:
    """Arrows first, then symbols, then connectors: later shapes lie on top, as in the SVG."""
    for arrow in page.arrows:
        _add(paragraph, _arrow_xml(arrow, ids.next()))
        if arrow.label and arrow.label_box:
            _add(paragraph, _label_xml(arrow.label, arrow.label_box, ids.next()))
    for shape in page.shapes:
        _add(paragraph, _symbol_xml(shape, ids.next()))
    for connector in page.connectors:
        _add(paragraph, _connector_xml(connector, ids.next()))


def _add(paragraph: Paragraph, xml: str) -> None:
    paragraph._p.append(parse_xml(xml))


def _emu(value: float) -> int:
    return round(value * EMU)


def _anchor(rect: Rect, shape_id: int, name: str, wsp: str) -> str:
    """A floating drawing at an absolute page position, in front of the text, no wrapping."""
    x, y, cx, cy = _emu(rect.x), _emu(rect.y), max(_emu(rect.w), 1), max(_emu(rect.h), 1)
    return (
        f'<w:r {_NS}><w:drawing><wp:anchor distT="0" distB="0" distL="0" distR="0" '
        f'simplePos="0" relativeHeight="{251658240 + shape_id}" behindDoc="0" locked="0" '
        f'layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
        f'<wp:positionH relativeFrom="page"><wp:posOffset>{x}</wp:posOffset></wp:positionH>'
        f'<wp:positionV relativeFrom="page"><wp:posOffset>{y}</wp:posOffset></wp:positionV>'
        f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/>'
        f'<wp:wrapNone/><wp:docPr id="{shape_id}" name="{escape(name, {chr(34): "&quot;"})}"/>'
        f'<wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri="{_WPS_URI}">{wsp}'
        f'</a:graphicData></a:graphic></wp:anchor></w:drawing></w:r>')


def _wsp(rect: Rect, geometry: str, fill: str, line: str, text: str = "",
         body: str = "<wps:bodyPr/>", *, text_box: bool = False) -> str:
    cx, cy = max(_emu(rect.w), 1), max(_emu(rect.h), 1)
    kind = '<wps:cNvSpPr txBox="1"/>' if text_box else "<wps:cNvSpPr/>"
    return (f'<wps:wsp>{kind}<wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{cx}" cy="{cy}"/></a:xfrm>{geometry}{fill}{line}</wps:spPr>'
            f'{text}{body}</wps:wsp>')


def _preset(name: str) -> str:
    return f'<a:prstGeom prst="{name}"><a:avLst/></a:prstGeom>'


def _solid(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def _outline(width: float, color: str | None, ends: str = "") -> str:
    if color is None:
        return "<a:ln><a:noFill/></a:ln>"
    return f'<a:ln w="{_emu(width)}">{_solid(color)}<a:round/>{ends}</a:ln>'


def _text_box(text: str, size: float, *, bold: bool = False, italic: bool = False,
              center: bool = False) -> str:
    props = f'<w:rFonts w:ascii="{FONT}" w:hAnsi="{FONT}" w:cs="{FONT}"/>'
    props += ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
    props += f'<w:sz w:val="{round(size * 2)}"/><w:szCs w:val="{round(size * 2)}"/>'
    align = '<w:jc w:val="center"/>' if center else ""
    return (f'<wps:txbx><w:txbxContent><w:p><w:pPr><w:spacing w:before="0" w:after="0" '
            f'w:line="{_twips(size * 1.15)}" w:lineRule="exact"/>{align}</w:pPr>'
            f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
            f'</w:p></w:txbxContent></wps:txbx>')


def _body(anchor: str, left: float = 0) -> str:
    return (f'<wps:bodyPr rot="0" vert="horz" wrap="none" lIns="{_emu(left)}" tIns="0" '
            f'rIns="0" bIns="0" anchor="{anchor}" anchorCtr="0"><a:noAutofit/></wps:bodyPr>')


def _symbol_xml(shape: Shape, shape_id: int) -> str:
    wsp = _wsp(shape.rect, _preset(PRESETS[shape.kind]), _solid("FFFFFF"),
               _outline(SYMBOL_WIDTH, STROKE))
    return _anchor(shape.rect, shape_id, f"Simbol langkah {shape.step}", wsp)


def _arrow_xml(arrow: Arrow, shape_id: int) -> str:
    """The polyline as a custom path in its bounding box (at least 1 pt each way, so a straight
    line has no zero-size box); the arrowhead is the line's tail end at the last point."""
    xs = [x for x, _ in arrow.points]
    ys = [y for _, y in arrow.points]
    left, top = min(xs), min(ys)
    w, h = max(xs) - left, max(ys) - top
    if w < 1:
        left, w = left - (1 - w) / 2, 1.0
    if h < 1:
        top, h = top - (1 - h) / 2, 1.0
    box = Rect(left, top, w, h)
    cx, cy = max(_emu(w), 1), max(_emu(h), 1)
    path = "".join(
        f'<a:{"moveTo" if i == 0 else "lnTo"}><a:pt x="{_emu(x - left)}" y="{_emu(y - top)}"/>'
        f'</a:{"moveTo" if i == 0 else "lnTo"}>' for i, (x, y) in enumerate(arrow.points))
    geometry = (f'<a:custGeom><a:avLst/><a:gdLst/><a:ahLst/><a:cxnLst/>'
                f'<a:rect l="0" t="0" r="r" b="b"/><a:pathLst><a:path w="{cx}" h="{cy}" '
                f'fill="none">{path}</a:path></a:pathLst></a:custGeom>')
    ends = '<a:tailEnd type="triangle" w="med" len="med"/>' if arrow.head else ""
    wsp = _wsp(box, geometry, "<a:noFill/>", _outline(ARROW_WIDTH, STROKE, ends))
    target = "" if arrow.target is None else f" ke {arrow.target}"
    return _anchor(box, shape_id, f"Panah {arrow.source}{target}", wsp)


def _label_xml(label: str, rect: Rect, shape_id: int) -> str:
    wsp = _wsp(rect, _preset("rect"), "<a:noFill/>", _outline(0, None),
               _text_box(label, LABEL_SIZE, italic=True), _body("t", left=1), text_box=True)
    return _anchor(rect, shape_id, f"Label {label}", wsp)


def _connector_xml(connector: Connector, shape_id: int) -> str:
    wsp = _wsp(connector.rect, _preset("flowChartOffpageConnector"), _solid("FFFFFF"),
               _outline(SYMBOL_WIDTH, STROKE),
               _text_box(connector.letter, 7, bold=True, center=True),
               _body("ctr"))
    return _anchor(connector.rect, shape_id, f"Penghubung {connector.letter}", wsp)
