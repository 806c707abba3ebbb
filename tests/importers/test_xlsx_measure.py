"""The Excel reader measures cells and drawn shapes on one coordinate system per sheet.

Workbooks are built here with openpyxl; the flowchart shapes, which openpyxl cannot write, are
injected as DrawingML into the saved package the way Excel stores them (a drawing part related
to the sheet). Expected positions are computed from the column widths and row heights the test
sets, with Excel's own conversion, not read back from the reader.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.styles import Border, Side

from alur.importers.cells import cell_items, cell_text
from alur.importers.grid import SYMBOL_KINDS, Drawn, Grid, Line, Surface
from alur.importers.office import IMPORT_OFFICE_UNREADABLE
from alur.importers.xlsx import (
    IMPORT_XLSX_DRAWING,
    IMPORT_XLSX_HIDDEN_SHEET,
    IMPORT_XLSX_UNCALCULATED,
    measure_xlsx,
)
from alur.sop.findings import Severity

OFFICE_FIXTURES = Path(__file__).parent / "fixtures" / "office"
EMU = 12700  # per point

XDR = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DRAWING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/drawing"


def excel_points(width: float) -> float:
    """A column of stored width w in points: trunc(7w + 0.49) pixels at 0.75 pt each."""
    return math.trunc(width * 7 + 18 / 256 * 7) * 0.75


WIDTHS = {"A": 5, "B": 30, "C": 15, "D": 15, "E": 15, "F": 12, "G": 10, "H": 14, "I": 20}
STEP_HEIGHT = 40.0


def column_start(letter: str) -> float:
    return sum(excel_points(WIDTHS[c]) for c in "ABCDEFGHI"[:"ABCDEFGHI".index(letter)])


def row_start(row: int) -> float:
    """Rows 1–3 are 15 pt (default), rows 4–6 hold steps."""
    return sum(15.0 if r < 4 else STEP_HEIGHT for r in range(1, row))


# -- building workbooks -----------------------------------------------------------------------
def procedure_workbook() -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = "Prosedur"
    ws["A1"] = "SOP PENERIMAAN SURAT MASUK"
    header = {"A2": "No", "B2": "Kegiatan", "C2": "Pelaksana", "F2": "Mutu Baku",
              "I2": "Keterangan", "C3": "Staf", "D3": "Kasubag", "E3": "Kepala Dinas",
              "F3": "Kelengkapan", "G3": "Waktu", "H3": "Output"}
    for ref, text in header.items():
        ws[ref] = text
    for merged in ("A2:A3", "B2:B3", "C2:E2", "F2:H2", "I2:I3"):
        ws.merge_cells(merged)
    steps = [
        (1, "Menerima surat masuk", "Surat", 10, "Surat diterima", "Lanjutan SOP Arsip"),
        (2, "Memeriksa surat:\n- kelengkapan\n- tanda tangan", "Surat diterima", 2.0,
         "Surat diperiksa", None),
        (3, "Mengarsipkan & mencatat <penting>", "Surat diperiksa", "1 hari",
         dt.datetime(2024, 4, 1), None),
    ]
    for offset, (number, activity, inputs, time, output, note) in enumerate(steps):
        row = 4 + offset
        ws.cell(row, 1, number)
        ws.cell(row, 2, activity)
        ws.cell(row, 6, inputs)
        ws.cell(row, 7, time)
        ws.cell(row, 8, output)
        if note:
            ws.cell(row, 9, note)
        ws.row_dimensions[row].height = STEP_HEIGHT
    ws["G4"].number_format = '0 "menit"'
    thin = Side(style="thin")
    for row in ws["A2:I6"]:
        for cell in row:
            cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A8"] = "Catatan: surat rahasia langsung ke Kepala Dinas"
    for letter, width in WIDTHS.items():
        ws.column_dimensions[letter].width = width

    identity = wb.create_sheet("Identitas")
    identity["A1"], identity["B1"] = "Nomor SOP", "001/SOP/SEKRE/2024"
    identity["A2"], identity["B2"] = "Tanggal Pembuatan", dt.date(2024, 4, 1)
    identity["A3"], identity["B3"] = "Dasar Hukum", "1. UU 30/2014\n2. Permenpan RB 35/2012"
    hidden = wb.create_sheet("Catatan")
    hidden["A1"] = "lembar tersembunyi"
    hidden.sheet_state = "hidden"
    return wb


def saved(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def with_drawing(data: bytes, drawing_xml: str, sheet: int = 1) -> bytes:
    """The package with a drawing part related to sheet N, as Excel stores one."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    sheet_part = f"xl/worksheets/sheet{sheet}.xml"
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == sheet_part:
                content = content.replace(
                    b"</worksheet>",
                    f'<drawing xmlns:r="{R}" r:id="rIdDrawing1"/></worksheet>'.encode())
            elif info.filename == "[Content_Types].xml":
                content = content.replace(b"</Types>", (
                    b'<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/'
                    b'vnd.openxmlformats-officedocument.drawing+xml"/></Types>'))
            target.writestr(info, content)
        target.writestr(f"xl/worksheets/_rels/sheet{sheet}.xml.rels", (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rIdDrawing1" Type="{DRAWING_REL}" '
            'Target="../drawings/drawing1.xml"/></Relationships>'))
        target.writestr("xl/drawings/drawing1.xml", drawing_xml)
    return out.getvalue()


def drawing(*anchors: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<xdr:wsDr xmlns:xdr="{XDR}" xmlns:a="{A}" xmlns:r="{R}" xmlns:mc="{MC}">'
            + "".join(anchors) + "</xdr:wsDr>")


def marker(tag: str, col: int, col_off: float, row: int, row_off: float) -> str:
    """A cell marker; col and row from 0, offsets in points."""
    return (f"<xdr:{tag}><xdr:col>{col}</xdr:col><xdr:colOff>{round(col_off * EMU)}"
            f"</xdr:colOff><xdr:row>{row}</xdr:row><xdr:rowOff>{round(row_off * EMU)}"
            f"</xdr:rowOff></xdr:{tag}>")


def two_cell(start: tuple[int, float, int, float], end: tuple[int, float, int, float],
             body: str) -> str:
    return (f'<xdr:twoCellAnchor>{marker("from", *start)}{marker("to", *end)}{body}'
            "<xdr:clientData/></xdr:twoCellAnchor>")


def one_cell(start: tuple[int, float, int, float], size: tuple[float, float], body: str) -> str:
    return (f'<xdr:oneCellAnchor>{marker("from", *start)}<xdr:ext cx="{round(size[0] * EMU)}" '
            f'cy="{round(size[1] * EMU)}"/>{body}<xdr:clientData/></xdr:oneCellAnchor>')


def absolute(position: tuple[float, float], size: tuple[float, float], body: str) -> str:
    return (f'<xdr:absoluteAnchor><xdr:pos x="{round(position[0] * EMU)}" '
            f'y="{round(position[1] * EMU)}"/><xdr:ext cx="{round(size[0] * EMU)}" '
            f'cy="{round(size[1] * EMU)}"/>{body}<xdr:clientData/></xdr:absoluteAnchor>')


def xfrm(x: float = 0, y: float = 0, w: float = 100, h: float = 50, extra: str = "",
         attributes: str = "") -> str:
    return (f"<a:xfrm{attributes}><a:off x=\"{round(x)}\" y=\"{round(y)}\"/>"
            f"<a:ext cx=\"{round(w)}\" cy=\"{round(h)}\"/>{extra}</a:xfrm>")


def shape(ident: int, preset: str, text: str = "", *, text_box: bool = False,
          frame: str | None = None, line: str = "") -> str:
    body = (f"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{text}</a:t></a:r></a:p></xdr:txBody>"
            if text else "")
    box_flag = ' txBox="1"' if text_box else ""
    return (f'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="{ident}" name="Shape {ident}"/>'
            f"<xdr:cNvSpPr{box_flag}/></xdr:nvSpPr>"
            f'<xdr:spPr>{frame or xfrm()}<a:prstGeom prst="{preset}"><a:avLst/></a:prstGeom>'
            f"{line}</xdr:spPr>{body}</xdr:sp>")


def connector(ident: int, preset: str, start: int | None, end: int | None, *,
              head: bool = False, tail: bool = True, flips: str = "",
              frame: str | None = None) -> str:
    links = (f'<a:stCxn id="{start}" idx="2"/>' if start else "") + \
        (f'<a:endCxn id="{end}" idx="0"/>' if end else "")
    ends = ('<a:headEnd type="triangle"/>' if head else "") + \
        ('<a:tailEnd type="triangle"/>' if tail else "")
    return (f'<xdr:cxnSp macro=""><xdr:nvCxnSpPr><xdr:cNvPr id="{ident}" name="Connector '
            f'{ident}"/><xdr:cNvCxnSpPr>{links}</xdr:cNvCxnSpPr></xdr:nvCxnSpPr>'
            f'<xdr:spPr>{frame or xfrm(attributes=flips)}<a:prstGeom prst="{preset}">'
            f'<a:avLst/></a:prstGeom><a:ln w="9525">{ends}</a:ln></xdr:spPr></xdr:cxnSp>')


def group(ident: int, frame: str, *children: str) -> str:
    return (f'<xdr:grpSp><xdr:nvGrpSpPr><xdr:cNvPr id="{ident}" name="Group {ident}"/>'
            f"<xdr:cNvGrpSpPr/></xdr:nvGrpSpPr><xdr:grpSpPr>{frame}</xdr:grpSpPr>"
            + "".join(children) + "</xdr:grpSp>")


# The group over E4:E5 maps its child space (twice its own frame) onto the anchor's box.
GROUP_FRAME = xfrm(1_000_000, 2_000_000, 400_000, 200_000,
                   '<a:chOff x="50000" y="70000"/><a:chExt cx="800000" cy="400000"/>')


def procedure_drawing() -> str:
    return drawing(
        # a process rectangle inside C4
        two_cell((2, 10, 3, 5), (2, 80, 3, 35), shape(2, "flowChartProcess", "Menerima")),
        # a decision diamond inside D5, by one cell and a size
        one_cell((3, 10, 4, 5), (60, 30), shape(3, "flowChartDecision", "Lengkap?")),
        # an elbow arrow glued from the rectangle (top left) to the diamond (bottom right)
        two_cell((2, 45, 3, 35), (3, 40, 4, 5), connector(4, "bentConnector3", 2, 3)),
        # the end capsule in E6, placed in absolute sheet coordinates
        absolute((column_start("E") + 20, row_start(6) + 8), (50, 20),
                 shape(5, "flowChartTerminator", "Selesai")),
        # a group over E4:E5: a rectangle in its top-left quarter, a "Ya" label in the other
        two_cell((4, 0, 3, 0), (5, 0, 5, 0), group(
            6, GROUP_FRAME,
            shape(7, "rect", "Paraf", frame=xfrm(50_000, 70_000, 400_000, 200_000)),
            shape(8, "rect", "Ya", text_box=True,
                  frame=xfrm(450_000, 270_000, 400_000, 200_000)))),
        # a line drawn bottom-left → top-right, flipped, with its head at the start: it points
        # from the capsule (E6) back up to the diamond (D5)
        two_cell((3, 50, 4, 20), (4, 30, 5, 15),
                 connector(9, "straightConnector1", 3, 5, head=True, tail=False,
                           flips=' flipV="1"')),
        # a plain line shape with an arrowhead at its end, from B6 to C6
        two_cell((1, 100, 5, 20), (2, 20, 5, 20),
                 shape(10, "line", line='<a:ln><a:tailEnd type="arrow"/></a:ln>')),
        # a rectangle wrapped in mc:AlternateContent, as newer Excel writes some shapes
        two_cell((5, 5, 3, 5), (5, 40, 3, 30),
                 '<mc:AlternateContent><mc:Choice Requires="a14">'
                 + shape(11, "rect", "Arsip") + "</mc:Choice><mc:Fallback/>"
                 "</mc:AlternateContent>"),
        # a picture (a logo) over A1
        two_cell((0, 0, 0, 0), (1, 0, 0, 10),
                 '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="12" name="Logo"/><xdr:cNvPicPr/>'
                 f"</xdr:nvPicPr><xdr:blipFill><a:blip/></xdr:blipFill><xdr:spPr>{xfrm()}"
                 '<a:prstGeom prst="rect"/></xdr:spPr></xdr:pic>'),
    )


@pytest.fixture(scope="module")
def measured():
    return measure_xlsx(with_drawing(saved(procedure_workbook()), procedure_drawing()),
                        file="sop.xlsx")


@pytest.fixture(scope="module")
def procedure(measured) -> Surface:
    return measured.surfaces[0]


def by_id(surface: Surface) -> dict[str, Drawn]:
    return {d.id.split(".", 1)[1]: d for d in surface.drawn}


def cell_of(grid: Grid, drawn: Drawn) -> str:
    """The sheet cell under a shape's centre, by the grid's own extents."""
    located = grid.locate(drawn.box.centre)
    assert located is not None, drawn
    row, col = located
    return f"{'ABCDEFGHI'[col]}{grid.row_places[row].cell[1:]}"


# -- the sheets -------------------------------------------------------------------------------
def test_one_surface_per_worksheet_with_its_title(measured):
    assert [s.place.sheet for s in measured.surfaces] == ["Prosedur", "Identitas", "Catatan"]
    hidden = [f for f in measured.findings if f.code == IMPORT_XLSX_HIDDEN_SHEET.code]
    assert [(f.sheet, f.severity, f.file) for f in hidden] == [
        ("Catatan", Severity.INFO, "sop.xlsx")]
    assert not [f for f in measured.findings if f.code != IMPORT_XLSX_HIDDEN_SHEET.code]


def test_title_and_note_are_lines_and_the_table_one_grid_in_reading_order(procedure):
    kinds = [type(item).__name__ for item in procedure.items]
    assert kinds == ["Line", "Grid", "Line"]
    title, _, note = procedure.items
    assert isinstance(title, Line) and title.raw == "SOP PENERIMAAN SURAT MASUK"
    assert (title.place.sheet, title.place.cell) == ("Prosedur", "A1")
    assert isinstance(note, Line) and note.place.cell == "A8"


def test_grid_columns_and_rows_are_the_sheet_extents(procedure):
    grid = next(procedure.grids)
    assert len(grid.columns) == 9 and len(grid.rows) == 5
    for index, letter in enumerate("ABCDEFGHI"):
        start = column_start(letter)
        assert grid.columns[index] == pytest.approx((start, start + excel_points(WIDTHS[letter])))
    assert grid.rows[0] == pytest.approx((15.0, 30.0))
    assert grid.rows[2] == pytest.approx((45.0, 85.0))
    assert grid.rows[4] == pytest.approx((125.0, 165.0))
    assert grid.place.cell == "A2"
    assert [p.cell for p in grid.row_places] == ["A2", "A3", "A4", "A5", "A6"]


def test_merged_header_cells_span_at_their_origin(procedure):
    grid = next(procedure.grids)
    spans = {c.raw: (c.row, c.col, c.rowspan, c.colspan, c.place.cell) for c in grid.cells
             if c.rowspan > 1 or c.colspan > 1}
    assert spans == {"No": (0, 0, 2, 1, "A2"), "Kegiatan": (0, 1, 2, 1, "B2"),
                     "Pelaksana": (0, 2, 1, 3, "C2"), "Mutu Baku": (0, 5, 1, 3, "F2"),
                     "Keterangan": (0, 8, 2, 1, "I2")}
    assert grid.row_raw(0) == ("No", "Kegiatan", "Pelaksana", "", "", "Mutu Baku", "", "",
                               "Keterangan")
    assert grid.row_raw(1)[2:5] == ("Staf", "Kasubag", "Kepala Dinas")


def test_cell_text_as_the_sheet_shows_it(procedure):
    grid = next(procedure.grids)
    first, second, third = grid.row_raw(2), grid.row_raw(3), grid.row_raw(4)
    assert first[0] == "1" and first[6] == "10 menit"   # the number format's words
    assert second[6] == "2"                              # no trailing .0
    assert cell_items(second[1]) == ["Memeriksa surat:", "kelengkapan", "tanda tangan"]
    assert second[1].startswith("<p>") and "<p>- kelengkapan</p>" in second[1]
    assert cell_text(third[1]) == "Mengarsipkan & mencatat <penting>"
    assert third[7] == "2024-04-01"
    assert grid.cell_at(2, 8).place.cell == "I4"


def test_label_value_rows_without_borders_are_a_grid(measured):
    identity = measured.surfaces[1]
    (grid,) = list(identity.grids)
    assert [grid.row_raw(r) for r in range(3)] == [
        ("Nomor SOP", "001/SOP/SEKRE/2024"), ("Tanggal Pembuatan", "2024-04-01"),
        ("Dasar Hukum", "<p>1. UU 30/2014</p><p>2. Permenpan RB 35/2012</p>")]
    assert grid.columns[0] == pytest.approx((0.0, 48.0))   # the default width: 64 px


# -- the shapes -------------------------------------------------------------------------------
def test_symbols_have_their_kind_text_and_cell(procedure):
    grid = next(procedure.grids)
    shapes = by_id(procedure)
    expected = {"2": ("process", "Menerima", "C4", "flowChartProcess"),
                "3": ("decision", "Lengkap?", "D5", "flowChartDecision"),
                "5": ("terminator", "Selesai", "E6", "flowChartTerminator"),
                "11": ("process", "Arsip", "F4", "rect")}
    for ident, (kind, text, cell, geometry) in expected.items():
        drawn = shapes[ident]
        assert (drawn.kind, drawn.text, drawn.geometry) == (kind, text, geometry), ident
        assert cell_of(grid, drawn) == cell, ident
        assert drawn.place.cell == cell and drawn.place.sheet == "Prosedur"
    assert all(d.id.startswith("s1.") for d in procedure.drawn)


def test_anchor_boxes_in_points(procedure):
    shapes = by_id(procedure)
    rect = shapes["2"].box
    assert (rect.x0, rect.y0) == pytest.approx((column_start("C") + 10, row_start(4) + 5))
    assert (rect.x1, rect.y1) == pytest.approx((column_start("C") + 80, row_start(4) + 35))
    diamond = shapes["3"].box
    assert (diamond.x0, diamond.y0, diamond.w, diamond.h) == pytest.approx(
        (column_start("D") + 10, row_start(5) + 5, 60, 30))
    capsule = shapes["5"].box
    assert (capsule.x0, capsule.y0) == pytest.approx((column_start("E") + 20, row_start(6) + 8))


def test_glued_connector_runs_from_the_rectangle_to_the_diamond(procedure):
    line = by_id(procedure)["4"]
    assert (line.kind, line.arrow, line.geometry) == ("line", True, "bentConnector3")
    assert line.glued == ("s1.2", "s1.3")
    (x0, y0), (x1, y1) = line.ends
    assert (x0, y0) == pytest.approx((column_start("C") + 45, row_start(4) + 35))
    assert (x1, y1) == pytest.approx((column_start("D") + 40, row_start(5) + 5))


def test_flipped_connector_with_head_at_start_points_to_its_arrowhead(procedure):
    line = by_id(procedure)["9"]
    left, right = column_start("D") + 50, column_start("E") + 30
    top, bottom = row_start(5) + 20, row_start(6) + 15
    # drawn bottom-left → top-right (flipV), arrowhead at the start: it points bottom-left
    assert line.ends == (pytest.approx((right, top)), pytest.approx((left, bottom)))
    assert line.arrow
    assert line.glued == ("s1.5", "s1.3")  # swapped with the ends


def test_group_children_are_mapped_from_child_coordinates(procedure):
    shapes = by_id(procedure)
    left, right = column_start("E"), column_start("F")
    top, bottom = row_start(4), row_start(6)
    paraf, label = shapes["7"], shapes["8"]
    assert (paraf.kind, label.kind, label.text) == ("process", "text", "Ya")
    assert (paraf.box.x0, paraf.box.y0, paraf.box.x1, paraf.box.y1) == pytest.approx(
        (left, top, (left + right) / 2, (top + bottom) / 2))
    assert (label.box.x0, label.box.y0, label.box.x1, label.box.y1) == pytest.approx(
        ((left + right) / 2, (top + bottom) / 2, right, bottom))
    assert "6" not in shapes  # a group is a container, not a symbol


def test_plain_line_and_picture(procedure):
    shapes = by_id(procedure)
    line = shapes["10"]
    assert (line.kind, line.arrow, line.geometry) == ("line", True, "line")
    assert line.ends == (pytest.approx((column_start("B") + 100, row_start(6) + 20)),
                         pytest.approx((column_start("C") + 20, row_start(6) + 20)))
    logo = shapes["12"]
    assert (logo.kind, logo.place.cell) == ("other", "A1")


def test_widths_heights_and_hidden_columns_and_rows():
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["C1"], ws["D1"] = "a", "b", "c", "d"
    ws["A2"], ws["B2"] = "e", "f"
    ws["A3"], ws["B3"] = "g", "h"
    ws.column_dimensions["A"].width = 20
    ws.column_dimensions["B"].hidden = True
    ws.row_dimensions[2].height = 30
    ws.row_dimensions[3].hidden = True
    grid = next(measure_xlsx(saved(wb)).surfaces[0].grids)
    assert [x for extent in grid.columns for x in extent] == pytest.approx(
        [0, 105, 105, 105, 105, 153, 153, 201])      # width 20: 140 px; hidden: 0; default
    assert [y for extent in grid.rows for y in extent] == pytest.approx([0, 15, 15, 45, 45, 45])


def test_single_rows_inside_a_table_stay_in_it_and_blank_rows_split():
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Kegiatan", "Staf"])
    ws.append([1, "Menerima"])
    ws.append([None, "lanjutan kegiatan"])          # one cell, between table rows
    ws.append([2, "Memeriksa"])
    ws.append([])
    ws.append(["Disahkan oleh"])
    ws.append(["Kepala", "Sekretaris"])
    items = measure_xlsx(saved(wb)).surfaces[0].items
    assert [type(i).__name__ for i in items] == ["Grid", "Line", "Grid"]
    assert len(items[0].rows) == 4 and items[0].row_raw(2) == ("", "lanjutan kegiatan", "")


def test_rows_a_merged_cell_reaches_belong_to_its_table():
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Kegiatan", "Staf"])
    ws.append([1, "Satu langkah pada dua baris"])
    ws.merge_cells("B2:B3")
    ws["A4"], ws["B4"], ws["C4"] = 2, "Berikutnya", "x"
    (grid,) = list(measure_xlsx(saved(wb)).surfaces[0].grids)
    assert len(grid.rows) == 4
    assert grid.cell_at(1, 1).rowspan == 2


# -- bad input --------------------------------------------------------------------------------
def refusals(measured) -> list[str]:
    """The error findings, each as the variant of the shared Office code whose words it has."""
    variants = {IMPORT_OFFICE_UNREADABLE.message(v, detail="x").split("(")[0]: v
                for v in IMPORT_OFFICE_UNREADABLE.messages}
    found = []
    for finding in measured.findings:
        if finding.severity is Severity.ERROR:
            assert finding.code == IMPORT_OFFICE_UNREADABLE.code
            found.append(variants.get(finding.message.split("(")[0], finding.message))
    return found


def test_corrupt_and_foreign_files_are_findings():
    valid = saved(procedure_workbook())
    for data in (b"", b"not a workbook", valid[: len(valid) // 2]):
        result = measure_xlsx(data, file="x.xlsx")
        assert refusals(result) == ["not-zip"]
        assert result.surfaces == [] and result.findings[0].file == "x.xlsx"
    # a zip that is not a workbook
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refusals(measure_xlsx(buffer.getvalue())) == ["missing"]
    # a workbook whose sheet openpyxl cannot parse
    with zipfile.ZipFile(io.BytesIO(valid)) as source:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w") as target:
            for info in source.infolist():
                content = source.read(info.filename)
                if info.filename == "xl/worksheets/sheet1.xml":
                    content = content.replace(b"</sheetData>", b"</sheetDat>")
                target.writestr(info, content)
    damaged = buffer.getvalue()
    assert refusals(measure_xlsx(damaged)) == ["xml"]


def test_encrypted_and_old_xls_files():
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    encrypted = ole + "EncryptedPackage".encode("utf-16-le") + b"EncryptionInfo"
    result = measure_xlsx(encrypted)
    assert refusals(result) == ["encrypted"]
    assert "kata sandi" in result.findings[0].message  # in Indonesian by default
    assert refusals(measure_xlsx(ole + b"Workbook")) == ["ole"]


def test_zip_bomb_is_refused_before_inflating():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            zeros = b"\x00" * (1024 * 1024)
            for _ in range(110):  # 110 MB: over one part's limit, ~110 kB compressed
                part.write(zeros)
    assert len(buffer.getvalue()) < 2 * 1024 * 1024
    assert refusals(measure_xlsx(buffer.getvalue())) == ["bomb"]


def test_entity_expansion_is_refused():
    data = saved(procedure_workbook())
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
              f'<xdr:wsDr xmlns:xdr="{XDR}"><x>&lol2;</x></xdr:wsDr>')
    assert refusals(measure_xlsx(with_drawing(data, laughs))) == ["entities"]
    # the same declaration pushed behind a long comment is still seen
    padded = laughs.replace("<!DOCTYPE", "<!--" + "x" * 100_000 + "--><!DOCTYPE")
    assert refusals(measure_xlsx(with_drawing(data, padded))) == ["entities"]


def test_a_broken_drawing_loses_only_the_shapes():
    data = with_drawing(saved(procedure_workbook()), "<xdr:wsDr><unclosed></xdr:wsDr>")
    result = measure_xlsx(data)
    warnings = [f for f in result.findings if f.code == IMPORT_XLSX_DRAWING.code]
    assert [(f.severity, f.sheet) for f in warnings] == [(Severity.WARNING, "Prosedur")]
    assert len(result.surfaces) == 3 and result.surfaces[0].drawn == []
    assert len(list(result.surfaces[0].grids)) == 1


def test_five_thousand_shapes_are_all_measured():
    anchors = [two_cell((i % 9, 2, i // 9, 2), (i % 9, 30, i // 9, 12),
                        shape(i + 2, "rect", f"L{i}")) for i in range(5000)]
    wb = Workbook()
    wb.active["A1"] = "banyak bentuk"
    result = measure_xlsx(with_drawing(saved(wb), drawing(*anchors)))
    assert refusals(result) == []
    drawn = result.surfaces[0].drawn
    assert len(drawn) == 5000 and len({d.id for d in drawn}) == 5000
    assert drawn[-1].place.cell == f"{'ABCDEFGHI'[4999 % 9]}{4999 // 9 + 1}"


# -- realistic workbooks from the fixtures ----------------------------------------------------
OFFICE_WORKBOOKS = sorted(OFFICE_FIXTURES.glob("*.xlsx")) if OFFICE_FIXTURES.is_dir() else []


@pytest.mark.skipif(not OFFICE_WORKBOOKS, reason="no .xlsx fixtures yet")
@pytest.mark.parametrize("path", OFFICE_WORKBOOKS, ids=lambda p: p.name)
def test_fixture_workbooks_measure_with_their_shapes_on_their_table(path):
    """Every flowchart symbol stands inside a table (or above all tables: a letterhead's logo),
    and every glued connector's ends touch the shapes it is glued to: columns, rows, anchors,
    flips and arrowheads all measured on one coordinate system."""
    result = measure_xlsx(path.read_bytes(), file=path.name)
    assert [f for f in result.findings if f.severity is Severity.ERROR] == []
    assert any(surface.drawn for surface in result.surfaces)
    for surface in result.surfaces:
        boxes = [grid.box for grid in surface.grids]
        top = min((box.y0 for box in boxes), default=0.0)
        by_ident = {d.id: d for d in surface.drawn}
        for drawn in surface.drawn:
            if drawn.kind in SYMBOL_KINDS and drawn.box.y1 > top:
                assert any(box.contains(drawn.box.centre, slack=1.0) for box in boxes), (
                    surface.place.sheet, drawn.id, drawn.text)
            if drawn.kind == "line" and drawn.ends:
                for end, glued in zip(drawn.ends, drawn.glued, strict=True):
                    if glued is not None:
                        assert by_ident[glued].box.distance(end) < 2.0, (drawn.id, glued)


def test_drawing_ids_are_per_sheet():
    """Two sheets' drawings with the same shape ids give distinct Drawn ids."""
    data = saved(procedure_workbook())
    data = with_drawing(data, drawing(two_cell((0, 0, 0, 0), (1, 0, 1, 0), shape(2, "rect"))),
                        sheet=2)
    surfaces = measure_xlsx(data).surfaces
    assert [d.id for d in surfaces[1].drawn] == ["s2.2"]
    assert re.fullmatch(r"s\d+\.\d+", surfaces[1].drawn[0].id)


def test_quarter_turned_shapes_are_read_from_their_turned_anchor():
    """Excel anchors a shape turned 45°–135° by its turned outline (width and height swapped);
    a connector turned a quarter clockwise runs from the anchor's top right to bottom left."""
    wb = Workbook()
    wb.active["A1"] = "diputar"
    turned = xfrm(w=100 * EMU, h=40 * EMU, attributes=' rot="5400000"')
    data = with_drawing(saved(wb), drawing(
        absolute((100, 200), (40, 100), connector(2, "straightConnector1", None, None,
                                                  frame=turned)),
        absolute((300, 200), (40, 100), shape(3, "flowChartDecision", frame=turned)),
        absolute((400, 200), (40, 100), shape(4, "rect", frame=xfrm(
            w=40 * EMU, h=100 * EMU, attributes=' rot="1800000"')))))   # 30°
    shapes = by_id(measure_xlsx(data).surfaces[0])
    assert shapes["2"].ends == (pytest.approx((140, 200)), pytest.approx((100, 300)))
    diamond = shapes["3"].box
    assert (diamond.x0, diamond.y0, diamond.x1, diamond.y1) == pytest.approx((300, 200, 340, 300))
    leaning = shapes["4"].box   # turned 30° about its centre: a wider, taller outline
    half_w = (40 * math.cos(math.pi / 6) + 100 * math.sin(math.pi / 6)) / 2
    assert (leaning.x0, leaning.x1) == pytest.approx((420 - half_w, 420 + half_w))


def test_chart_sheets_are_skipped():
    wb = procedure_workbook()
    wb.create_chartsheet("Grafik")   # openpyxl writes it without a drawing
    result = measure_xlsx(saved(wb))
    assert [s.place.sheet for s in result.surfaces] == ["Prosedur", "Identitas", "Catatan"]
    assert refusals(result) == []


def test_a_row_holding_a_symbol_continues_the_table_above_it():
    """An end capsule drawn in an empty row under the last step (bordered or not) stays in the
    table; an empty bordered row with nothing drawn is cut, and nothing drawn starts a table."""
    wb = Workbook()
    ws = wb.active
    ws.append(["No", "Kegiatan", "Staf", "Kepala"])
    ws.append([1, "Menerima", None, None])
    ws.append([2, "Memeriksa", None, None])
    thin = Side(style="thin")
    for row in ws["A1:D6"]:                      # rows 4–6 bordered and empty
        for cell in row:
            cell.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    ws["B9"] = "Dasar Hukum:"
    data = with_drawing(saved(wb), drawing(
        two_cell((2, 5, 3, 2), (2, 40, 3, 13), shape(2, "flowChartTerminator", "Selesai")),
        two_cell((1, 5, 8, 1), (1, 40, 8, 12), shape(3, "rect", "LOGO"))))
    items = measure_xlsx(data).surfaces[0].items
    assert [type(item).__name__ for item in items] == ["Grid", "Line"]
    assert [p.cell for p in items[0].row_places] == ["A1", "A2", "A3", "A4"]


def patched(data: bytes, part: str, change) -> bytes:
    """The package with one part's bytes changed."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            target.writestr(info, change(content) if info.filename == part else content)
    return out.getvalue()


def test_a_merged_range_past_the_used_cells_is_cut_there():
    """A whole column merged is a few bytes; it must not become a million rows (nor a million
    objects inside openpyxl, which is why the reader reads merged ranges itself)."""
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["B1"], ws["B2"], ws["C3"] = "Langkah", "Pelaksana", "Staf", "tertutup"
    merged = (b'<mergeCells count="2"><mergeCell ref="A1:A1048576"/><mergeCell ref="B1:XFD1"/>'
              b'<mergeCell ref="B3:C3"/></mergeCells>')
    data = patched(saved(wb), "xl/worksheets/sheet1.xml",
                   lambda xml: re.sub(rb"(</sheetData>)", rb"\1" + merged, xml, count=1))
    (grid,) = list(measure_xlsx(data).surfaces[0].grids)
    assert len(grid.rows) == 3 and len(grid.columns) == 3
    assert (grid.cell_at(0, 0).rowspan, grid.cell_at(0, 1).colspan) == (3, 2)
    assert grid.row_raw(2) == ("", "", "")   # C3 lies under B3's merge: Excel does not show it


def test_cell_data_past_the_limit_is_refused(monkeypatch):
    import alur.importers.xlsx as reader

    data = saved(procedure_workbook())
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        size = sum(info.file_size for info in archive.infolist()
                   if info.filename.startswith("xl/worksheets/"))
    monkeypatch.setattr(reader, "MAX_CELL_XML_BYTES", size - 1)
    assert refusals(measure_xlsx(data)) == ["bomb"]
    monkeypatch.setattr(reader, "MAX_CELL_XML_BYTES", size + 10_000)
    assert refusals(measure_xlsx(data)) == []


def test_a_damaged_zip_entry_is_a_finding():
    """A bit flipped inside a part (bad CRC) is a damaged file, not a traceback."""
    stored = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(saved(procedure_workbook()))) as source, \
            zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            target.writestr(info.filename, source.read(info.filename))
    data = bytearray(stored.getvalue())
    position = data.index(b"<sheetData>")
    data[position + 1] = ord("S")
    assert refusals(measure_xlsx(bytes(data))) == ["not-zip"]


def test_libreoffice_rectangles_are_read_by_their_names():
    """LibreOffice converting an .xls writes every shape as a `rect` and keeps its name; for
    such a workbook the name is the symbol. An Excel workbook's rectangle stays a rectangle."""
    wb = Workbook()
    wb.active["A1"] = "dikonversi"
    data = with_drawing(saved(wb), drawing(
        two_cell((1, 0, 1, 0), (2, 0, 2, 0), shape(2, "rect", "").replace(
            'name="Shape 2"', 'name="Flowchart: Decision 4"')),
        two_cell((1, 0, 3, 0), (2, 0, 4, 0), shape(3, "rect", "Ya").replace(
            'name="Shape 3"', 'name="TextBox 18"')),
        two_cell((1, 0, 5, 0), (2, 0, 6, 0), shape(4, "rect", "Mulai").replace(
            'name="Shape 4"', 'name="Bagan Alur: Terminator 2"')),
        two_cell((1, 0, 7, 0), (2, 0, 8, 0), shape(5, "rect", "Arsip").replace(
            'name="Shape 5"', 'name="Flowchart: Process 3"'))))
    kinds = {d.id: d.kind for d in measure_xlsx(data).surfaces[0].drawn}
    assert kinds == {"s1.2": "process", "s1.3": "process", "s1.4": "process",
                     "s1.5": "process"}
    converted = patched(data, "docProps/app.xml", lambda xml: re.sub(
        rb"<Application>[^<]*</Application>",
        b"<Application>LibreOffice/7.4.7.2$Linux_X86_64</Application>", xml))
    kinds = {d.id: d.kind for d in measure_xlsx(converted).surfaces[0].drawn}
    assert kinds == {"s1.2": "decision", "s1.3": "text", "s1.4": "terminator",
                     "s1.5": "process"}


def test_formulas_without_saved_results_are_reported():
    """openpyxl does not calculate: a formula whose result the writing program did not save
    reads empty, and the reader says so (Excel's own files always carry the result)."""
    wb = procedure_workbook()
    ws = wb["Prosedur"]
    ws["F5"] = "=H4"                 # Kelengkapan = the previous row's Output
    ws["F6"] = "=H5"
    result = measure_xlsx(saved(wb), file="rumus.xlsx")
    (finding,) = [f for f in result.findings if f.code == IMPORT_XLSX_UNCALCULATED.code]
    assert (finding.severity, finding.sheet, finding.file) == (
        Severity.WARNING, "Prosedur", "rumus.xlsx")
    assert "2" in finding.message
    grid = next(result.surfaces[0].grids)
    assert grid.row_raw(3)[5] == ""  # read as empty, as the finding says
    calculated = patched(saved(wb), "xl/worksheets/sheet1.xml", lambda xml: xml.replace(
        b"<f>H4</f><v></v>", b"<f>H4</f><v>Surat diterima</v>").replace(
        b"<f>H5</f><v></v>", b'<f>H5</f><v>Surat diperiksa</v>').replace(
        b'<c r="F5"', b'<c t="str" r="F5"').replace(b'<c r="F6"', b'<c t="str" r="F6"'))
    result = measure_xlsx(calculated)
    assert [f for f in result.findings if f.code == IMPORT_XLSX_UNCALCULATED.code] == []
    assert next(result.surfaces[0].grids).row_raw(3)[5] == "Surat diterima"
