"""The XLSX writer: an Identitas sheet and a Bagan Alir sheet with merged group headers, one row
per step, each symbol as a character in its actor columns and a decision's exits written."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import openpyxl
import pytest

from alur.render import PageSetup, layout
from alur.render.geometry import Layout
from alur.render.identity import section_letter
from alur.render.xlsx import SYMBOLS, to_xlsx
from alur.sop import Sop, load

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))
A4 = PageSetup()
ids = [p.stem for p in LIBRARY]


@cache
def built(path: Path, setup: PageSetup = A4) -> tuple[Sop, Layout, openpyxl.Workbook]:
    sop = load(path).sop
    result = layout(sop, setup)
    return sop, result, openpyxl.load_workbook(io.BytesIO(to_xlsx(sop, result)))


def example(name: str) -> Path:
    return next(p for p in LIBRARY if p.stem == name)


def squeeze(text: object) -> str:
    return "".join(str(text).split()) if text is not None else ""


def step_rows(sheet) -> dict[int, int]:
    """Step number → sheet row, read from the No column under the two header rows."""
    return {sheet.cell(row, 1).value: row for row in range(3, sheet.max_row + 1)}


def column_of(sheet, title: str) -> int:
    for row in (1, 2):
        for cell in sheet[row]:
            if cell.value == title:
                return cell.column
    raise KeyError(title)


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_sheets_reopen_with_every_activity_and_identity_value(path):
    sop, _, book = built(path)
    assert book.sheetnames == ["Identitas", "Bagan Alir"]
    sheet = book["Bagan Alir"]
    rows = step_rows(sheet)
    activity = column_of(sheet, "Kegiatan")
    for step in sop.steps:
        text = squeeze(sheet.cell(rows[step.number], activity).value)
        for item in step.activity_lines:
            assert squeeze(item) in text, (step.number, item)
    identity = squeeze(" ".join(str(c.value) for row in book["Identitas"].iter_rows()
                                for c in row if c.value is not None))
    for value in (sop.number, sop.name, sop.approved_by.name, sop.approved_by.nip):
        assert squeeze(value) in identity, value


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_header_rows_are_merged_groups(path):
    sop, result, book = built(path)
    sheet = book["Bagan Alir"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    actors = [i for i, c in enumerate(result.columns, start=1) if c.role == "actor"]
    letter = openpyxl.utils.get_column_letter
    assert {"A1:A2", "B1:B2", f"{letter(actors[0])}1:{letter(actors[-1])}1"} <= merged
    last = len(result.columns)
    assert f"{letter(last)}1:{letter(last)}2" in merged
    assert sheet.cell(1, actors[0]).value == "Pelaksana"
    assert sheet.cell(1, actors[-1] + 1).value == "Mutu Baku"
    assert f"{letter(actors[-1] + 1)}1:{letter(actors[-1] + 3)}1" in merged
    assert [sheet.cell(2, i).value for i in actors] == [c.title for c in result.columns
                                                         if c.role == "actor"]
    assert [sheet.cell(2, actors[-1] + k).value for k in (1, 2, 3)] == \
        ["Kelengkapan", "Waktu", "Output"]
    assert sheet.freeze_panes == "A3"
    assert sheet.print_title_rows == "$1:$2"
    assert sheet.max_row == 2 + len(sop.steps)


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_symbols_stand_in_the_layout_actor_columns(path):
    sop, result, book = built(path)
    sheet = book["Bagan Alir"]
    rows = step_rows(sheet)
    column = {c.actor_id: i for i, c in enumerate(result.columns, start=1) if c.role == "actor"}
    # A Mulai/Selesai row without an actor is drawn in its neighbour's column; the sheet, which
    # is data, names no actor for it.
    unowned = {s.number for s in sop.steps if not s.actors and s.kind in ("start", "end")}
    expected = {(rows[s.step], column[s.actor_id], SYMBOLS[s.kind])
                for page in result.pages for s in page.shapes if s.step not in unowned}
    found = {(cell.row, cell.column, cell.value) for row in sheet.iter_rows(min_row=3)
             for cell in row if cell.column in column.values() and cell.value}
    assert found == expected


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_decision_exits_are_written(path):
    sop, _, book = built(path)
    sheet = book["Bagan Alir"]
    rows = step_rows(sheet)
    notes = column_of(sheet, "Keterangan")
    for step in sop.steps:
        if step.kind != "decision":
            continue
        text = sheet.cell(rows[step.number], notes).value or ""
        if step.on_yes is not None:
            assert f"Ya → {step.on_yes}" in text
        if step.on_no is not None:
            assert f"Tidak → {step.on_no}" in text


def test_surat_keluar_symbols_and_exits():
    _, _, book = built(example("surat-keluar"))
    sheet = book["Bagan Alir"]
    rows = step_rows(sheet)
    umum = column_of(sheet, "Pengadm. Umum")
    assert sheet.cell(rows[2], umum).value == "◇"
    assert sheet.cell(rows[1], column_of(sheet, "Pengelola")).value == "⬭"
    assert sheet.cell(rows[3], column_of(sheet, "Kasubag")).value == "▭"
    assert sheet.cell(rows[6], column_of(sheet, "Ptgs. Caraka")).value == "⬭"
    actor_cells = [sheet.cell(rows[2], c).value for c in range(3, 8)]
    assert actor_cells.count(None) == 4
    assert "Ya → 3 / Tidak → 1" in sheet.cell(rows[2], column_of(sheet, "Keterangan")).value
    activity = sheet.cell(rows[2], column_of(sheet, "Kegiatan"))
    assert activity.value.split("\n")[0] == "- Menghimpun dan meneliti draf surat"
    assert activity.alignment.wrap_text and activity.alignment.vertical == "top"
    assert activity.border.left.style == "thin"


def test_print_setup_follows_the_layout():
    setup = PageSetup(paper="f4", landscape=True)
    _, _, book = built(example("surat-keluar"), setup)
    for sheet in book.worksheets:
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert str(sheet.page_setup.paperSize) == "14"


def test_identity_sheet_rows_in_official_order():
    _, _, book = built(example("penyusunan-renja"))
    sheet = book["Identitas"]
    labels = [sheet.cell(r, 1).value for r in range(1, sheet.max_row + 1)]
    order = ["Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif",
             "Disahkan oleh", "Nama SOP", "Dasar Hukum", "Kualifikasi Pelaksana",
             "Keterkaitan", "Peralatan/Perlengkapan", "Peringatan", "Pencatatan dan Pendataan"]
    assert [label for label in labels if label in order] == order
    value = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)}
    assert value["Tanggal Pembuatan"] == "3 Oktober 2019"
    assert value["Disahkan oleh"].split("\n") == ["Kepala Badan", "Drs. H. Tarmin, M.Si.",
                                                  "NIP. 196312231986031006"]
    assert value["Keterkaitan"].split("\n") == ["1. SOP Pengumpulan Data",
                                                "2. SOP Pelaksanaan Rapat"]
    assert sheet.column_dimensions["B"].width > sheet.column_dimensions["A"].width


def test_narrative_sections_follow_the_identity_rows():
    sop, _, book = built(example("pengkoordinir-penyusunan-skp"))
    sheet = book["Identitas"]
    found = {sheet.cell(r, 1).value: sheet.cell(r, 2).value for r in range(1, sheet.max_row + 1)}
    for index, section in enumerate(sop.sections):
        assert found[f"{section_letter(index)}. {section.title}"] == (section.text or None)


def test_text_that_looks_like_a_formula_is_written_as_text(tmp_path):
    """Spreadsheet formula injection: every user text is a string cell, shown as typed."""
    from alur.render import layout
    from alur.render.xlsx import to_xlsx
    from alur.sop.model import Actor, Sop, Step

    hostile = ["=HYPERLINK(\"http://x\",\"klik\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1+1"]
    sop = Sop(id="x", name=hostile[0], number=hostile[1], organization=[hostile[2]],
              legal_basis=[hostile[3]], actors=[Actor(id="a", name=hostile[4])],
              steps=[Step(number=1, activity=hostile[0], actors=["a"], inputs=[hostile[1]],
                          time=hostile[2], outputs=[hostile[3]], notes=hostile[4])])
    path = tmp_path / "x.xlsx"
    path.write_bytes(to_xlsx(sop, layout(sop)))
    book = openpyxl.load_workbook(path)
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row if c.value]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    written = {str(c.value) for c in cells}
    assert hostile[0] in written and "+1+1" in written
