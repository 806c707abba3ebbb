"""The DOCX writer: every example reopens with python-docx, holds every activity and the identity
values, and draws each layout page as one table with the layout's grid and exact row heights,
with one native DrawingML shape per symbol, arrow, label and connector at the layout's place."""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

import docx
import pytest
from docx.document import Document
from docx.oxml.ns import qn

from alur.render import PageSetup, layout
from alur.render.content import cell_paragraphs
from alur.render.docx import PRESETS, to_docx
from alur.render.geometry import Layout
from alur.render.identity import indonesian_date
from alur.render.text import wrap
from alur.sop import Sop, load

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))
A4 = PageSetup()
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
      "wp": "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing",
      "a": "http://schemas.openxmlformats.org/drawingml/2006/main",
      "wps": "http://schemas.microsoft.com/office/word/2010/wordprocessingShape"}
SYMBOL_PRESETS = set(PRESETS.values())


@cache
def built(path: Path, setup: PageSetup = A4) -> tuple[Sop, Layout, Document]:
    sop = load(path).sop
    result = layout(sop, setup)
    return sop, result, docx.Document(io.BytesIO(to_docx(sop, result)))


def example(name: str) -> Path:
    return next(p for p in LIBRARY if p.stem == name)


def squeeze(text: str) -> str:
    return "".join(text.split())


def cell_texts(table) -> list[str]:
    return ["".join(t.text or "" for t in tc.iter(qn("w:t")))
            for tc in table.iter(qn("w:tc"))]


def flowchart_tables(document) -> list:
    """Tables whose rows have exact heights: the bagan alir pages (the identity table has none)."""
    body = document.element.body
    return [tbl for tbl in body.findall("w:tbl", NS)
            if tbl.find("w:tr/w:trPr/w:trHeight", NS) is not None and
            tbl.find("w:tr/w:trPr/w:trHeight", NS).get(qn("w:hRule")) == "exact"]


def drawn(paragraph) -> dict[str, int]:
    """Shapes anchored in a page's paragraph, counted by what they are."""
    counts = {"symbol": 0, "arrow": 0, "label": 0, "connector": 0}
    for wsp in paragraph.iterfind(".//wps:wsp", NS):
        preset = wsp.find("wps:spPr/a:prstGeom", NS)
        text_box = wsp.find("wps:cNvSpPr", NS).get("txBox") == "1"
        if preset is None:
            counts["arrow"] += 1
        elif text_box:
            counts["label"] += 1
        elif preset.get("prst") == "flowChartOffpageConnector":
            counts["connector"] += 1
        elif preset.get("prst") in SYMBOL_PRESETS:
            counts["symbol"] += 1
    return counts


ids = [p.stem for p in LIBRARY]


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_every_activity_is_in_the_flowchart_tables(path):
    sop, _, document = built(path)
    text = squeeze(" ".join(t for tbl in flowchart_tables(document) for t in cell_texts(tbl)))
    for step in sop.steps:
        for item in step.activity_lines:
            assert squeeze(item) in text, (step.number, item)


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_identity_values_are_in_the_identity_table(path):
    sop, _, document = built(path)
    identity = document.element.body.find("w:tbl", NS)
    text = squeeze(" ".join(cell_texts(identity)))
    for value in (sop.number, sop.name, sop.approved_by.name, sop.approved_by.nip,
                  *sop.organization, *sop.legal_basis, *sop.records):
        assert squeeze(value) in text, value


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_one_table_per_page_with_exact_step_rows(path):
    _, result, document = built(path)
    tables = flowchart_tables(document)
    assert len(tables) == len(result.pages)
    for page, tbl in zip(result.pages, tables, strict=True):
        rows = tbl.findall("w:tr", NS)
        first_step = 2 + (page.top_strip is not None)
        steps = rows[first_step:first_step + len(page.rows)]
        assert len(rows) == first_step + len(page.rows) + (page.bottom_strip is not None)
        for row_box, tr in zip(page.rows, steps, strict=True):
            height = tr.find("w:trPr/w:trHeight", NS)
            assert height.get(qn("w:hRule")) == "exact"
            assert abs(int(height.get(qn("w:val"))) - row_box.rect.h * 20) <= 1
            number = "".join(t.text for t in tr.find("w:tc", NS).iter(qn("w:t")))
            assert number == str(row_box.step)


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_shapes_per_page_match_the_layout(path):
    _, result, document = built(path)
    for page, tbl in zip(result.pages, flowchart_tables(document), strict=True):
        anchor = tbl.getprevious()
        assert anchor.tag == qn("w:p")
        assert drawn(anchor) == {
            "symbol": len(page.shapes), "arrow": len(page.arrows),
            "label": sum(1 for a in page.arrows if a.label and a.label_box),
            "connector": len(page.connectors)}


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_shapes_float_in_front_with_unique_ids(path):
    _, _, document = built(path)
    anchors = list(document.element.body.iter(qn("wp:anchor")))
    doc_ids = [a.find("wp:docPr", NS).get("id") for a in anchors]
    assert len(doc_ids) == len(set(doc_ids))
    for anchor in anchors:
        assert anchor.get("behindDoc") == "0"
        assert anchor.find("wp:wrapNone", NS) is not None
        assert anchor.find("wp:positionH", NS).get("relativeFrom") == "page"
        assert anchor.find("wp:positionV", NS).get("relativeFrom") == "page"


def test_symbols_stand_at_the_layout_positions():
    _, result, document = built(example("surat-keluar"))
    anchors = [a for a in document.element.body.iter(qn("wp:anchor"))
               if a.find(".//a:prstGeom", NS) is not None and
               a.find(".//a:prstGeom", NS).get("prst") in SYMBOL_PRESETS and
               a.find(".//wps:cNvSpPr", NS).get("txBox") != "1"]
    shapes = [s for page in result.pages for s in page.shapes]
    assert len(anchors) == len(shapes)
    for anchor, shape in zip(anchors, shapes, strict=True):
        assert anchor.find(".//a:prstGeom", NS).get("prst") == PRESETS[shape.kind]
        x = int(anchor.find("wp:positionH/wp:posOffset", NS).text)
        y = int(anchor.find("wp:positionV/wp:posOffset", NS).text)
        cx = int(anchor.find("wp:extent", NS).get("cx"))
        assert (x, y, cx) == (round(shape.rect.x * 12700), round(shape.rect.y * 12700),
                              round(shape.rect.w * 12700))


def test_arrows_end_in_a_triangle_head():
    _, result, document = built(example("surat-keluar"))
    lines = [ln for ln in document.element.body.iter(qn("a:ln"))
             if ln.getparent().find("a:custGeom", NS) is not None]
    arrows = [a for page in result.pages for a in page.arrows]
    assert len(lines) == len(arrows)
    for line, arrow in zip(lines, arrows, strict=True):
        assert (line.find("a:tailEnd", NS) is not None) == arrow.head


def test_grid_is_the_layout_columns_and_table_starts_at_the_margin():
    _, result, document = built(example("penyusunan-renja"))
    for tbl in flowchart_tables(document):
        widths = [int(c.get(qn("w:w"))) for c in tbl.findall("w:tblGrid/w:gridCol", NS)]
        assert len(widths) == len(result.columns)
        for width, column in zip(widths, result.columns, strict=True):
            assert abs(width - column.width * 20) <= 1
        assert tbl.find("w:tblPr/w:tblLayout", NS).get(qn("w:type")) == "fixed"
        assert tbl.find("w:tblPr/w:tblInd", NS).get(qn("w:w")) == "0"
    section = document.sections[-1]
    anchor_line = 20  # the 1 pt paragraph holding the shapes stands above the table
    assert section.top_margin.twips + anchor_line == round(result.setup.margin * 20)
    assert section.left_margin.twips == round(result.setup.margin * 20)


@pytest.mark.parametrize("setup", [PageSetup(paper="f4", landscape=False),
                                   PageSetup(paper="a4", landscape=True)], ids=["f4", "a4"])
def test_sections_follow_the_page_setup(setup):
    _, result, document = built(example("penyusunan-renja"), setup)
    assert len(flowchart_tables(document)) == len(result.pages)
    for section in document.sections:
        assert section.page_width.twips == round(setup.width * 20)
        assert section.page_height.twips == round(setup.height * 20)
        assert (section.orientation == 1) == setup.landscape


def test_dates_are_written_in_indonesian():
    assert indonesian_date("2019-10-03") == "3 Oktober 2019"
    assert indonesian_date("2024-04") == "April 2024"
    assert indonesian_date(None) == ""
    _, _, document = built(example("penyusunan-renja"))
    text = " ".join(cell_texts(document.element.body.find("w:tbl", NS)))
    assert "3 Oktober 2019" in text and "3 Oktober 2020" in text
    _, _, document = built(example("penyusunan-sakip"))
    assert "April 2024" in " ".join(cell_texts(document.element.body.find("w:tbl", NS)))


@pytest.mark.parametrize("path", LIBRARY, ids=ids)
def test_cell_paragraphs_wrap_to_the_layout_lines(path):
    """The writer lets Word wrap a cell's paragraphs; they must be the text the layout wrapped
    (else the writer falls back to the layout's lines, which still fits but is harder to edit)."""
    sop, result, _ = built(path)
    for page in result.pages:
        for row in page.rows:
            for cell in row.cells:
                box = cell.text
                parts = cell_paragraphs(sop.step(row.step), cell.role)
                assert [ln for p in parts for ln in wrap(p, box.rect.w, box.size)] == \
                    list(box.lines), (row.step, cell.role)
