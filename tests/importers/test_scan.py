"""Scanned SOP pages read by OCR (`alur.importers.scan`).

The fixture is the example SOP printed by `alur render`, rasterised at 200 dpi, rotated 0.9°
and speckled (`fixtures/scan/make_scans.py`), so the expected values come from the example's
YAML, not from a previous run. OCR is imperfect, so texts are compared with a similarity
threshold (difflib ratio ≥ 0.85 on the folded text) and names by most of their words; numbers,
actors (from the symbols' columns), kinds and a decision's exits must be exact. The scan is read
once per module; with the two continued pages of a longer SOP (off-page connectors) and the cat
page, the OCR takes about 30-50 s on two shared cores.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

from alur.importers import scan_image, scan_ocr, scan_shapes, scan_tables
from alur.importers.office import read_measured
from alur.importers.scan import measure_scan, measure_scanned_pdf, read_scan, tesseract_command
from alur.sop.fileformat import load

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).parent / "fixtures" / "scan"
EXAMPLE = ROOT / "examples" / "library" / "surat-ijin-cuti.yaml"
SIMILAR = 0.85

needs_ocr = pytest.mark.skipif(tesseract_command() is None,
                               reason="Tesseract (tesseract-ocr, tesseract-ocr-ind) not installed")


def _fold(text: object) -> str:
    if isinstance(text, list):
        text = " ".join(text)
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _similar(a: object, b: object) -> float:
    return difflib.SequenceMatcher(None, _fold(a), _fold(b)).ratio()


@pytest.fixture(scope="module")
def scanned():
    return read_scan((FIXTURES / "surat-ijin-cuti-scan.pdf").read_bytes(), file="scan.pdf")


@needs_ocr
def test_a_scanned_sop_reads_back_to_its_steps_actors_and_decision(scanned):
    expected = load(EXAMPLE).sop
    sops, _findings = scanned
    assert len(sops) == 1
    sop = sops[0]
    assert [s.number for s in sop.steps] == [s.number for s in expected.steps]
    # Actor names: OCR may misread a letter ("Kepegawalan"), not the columns.
    assert len(sop.actors) == len(expected.actors)
    for got, want in zip(sop.actors, expected.actors, strict=True):
        assert _similar(got.name, want.name) >= SIMILAR, (got.name, want.name)
    position = {a.id: i for i, a in enumerate(sop.actors)}
    want_position = {a.id: i for i, a in enumerate(expected.actors)}
    for got, want in zip(sop.steps, expected.steps, strict=True):
        assert _similar(got.activity, want.activity) >= SIMILAR, (got.activity, want.activity)
        # The actor comes from the column of the symbol drawn in the row.
        assert [position[a] for a in got.actors] == [want_position[a] for a in want.actors]
        assert got.kind == want.kind, got.number
        assert _fold(got.time) == _fold(want.time)
    decision = next(s for s in sop.steps if s.kind == "decision")
    assert (decision.on_yes, decision.on_no) == (3, 1)
    assert _similar(sop.name, expected.name) >= 0.7


@needs_ocr
def test_every_ocr_page_is_marked_inferred_and_unsure_words_are_listed_by_cell(scanned):
    _sops, findings = scanned
    pages = sorted(f.page for f in findings if f.code == "import.scan-ocr")
    assert pages == [1, 2]
    for finding in (f for f in findings if f.code == "import.scan-low-confidence"):
        assert finding.page in (1, 2) and finding.row is not None
        assert "'" in finding.message  # the words themselves are listed


@needs_ocr
def test_every_value_read_from_a_scan_is_listed_as_inferred(scanned):
    """The review highlights inferred values for checking: on a scan, every value is one."""
    [sop], _findings = scanned
    for step in sop.steps:
        assert {"number", "activity", "actors", "kind", "time"} <= set(step.inferred)
    decision = next(s for s in sop.steps if s.kind == "decision")
    assert {"on_yes", "on_no"} <= set(decision.inferred)


def test_a_scans_symbols_are_outlined_on_their_page_without_ocr(monkeypatch):
    """The review's outlines: the symbols of the flowchart page, in that page's points, found
    without Tesseract (outlining a scan does not read it again)."""
    import pypdfium2 as pdfium

    from alur.importers.outlines import page_symbols

    monkeypatch.setattr(scan_ocr, "tesseract_command", lambda: None)
    path = FIXTURES / "surat-ijin-cuti-scan.pdf"
    symbols = page_symbols(path)
    expected = load(EXAMPLE).sop
    assert {s["page"] for s in symbols} == {2}  # page 1 is the identity sheet
    assert sorted(s["kind"] for s in symbols) == sorted(
        ["terminator", "terminator", *(s.kind for s in expected.steps[1:-1])])
    width, height = pdfium.PdfDocument(path.read_bytes())[1].get_size()
    for symbol in symbols:
        x0, y0, x1, y1 = symbol["box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height and symbol["inferred"]
    assert page_symbols(FIXTURES / "kucing.pdf") == []


@needs_ocr
def test_the_scan_is_deskewed_and_its_shapes_measured():
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    page = pdfium.PdfDocument((FIXTURES / "surat-ijin-cuti-scan.pdf").read_bytes())[1]
    image = page.render(scale=200 / 72, grayscale=True).to_pil()
    grey, dpi = scan_image.grey(image)
    assert abs(scan_image.skew(scan_image.binary(grey), dpi) - 0.9) < 0.2
    # In cells of a table: a square tilted by 45° is a decision, an upright rectangle a
    # process, a rounded one a terminator, a home plate an off-page connector; the cell's own
    # borders are the grid, never a shape.
    canvas = Image.new("L", (1200, 300), 255)
    draw = ImageDraw.Draw(canvas)
    draw.rectangle((10, 10, 1190, 290), outline=0, width=3)
    for x in (300, 600, 900):
        draw.line((x, 10, x, 290), fill=0, width=3)
    draw.polygon([(150, 80), (230, 150), (150, 220), (70, 150)], outline=0, width=3)
    draw.rectangle((370, 110, 530, 190), outline=0, width=3)
    draw.rounded_rectangle((670, 115, 830, 185), radius=35, outline=0, width=3)
    draw.polygon([(990, 100), (1110, 100), (1110, 170), (1050, 210), (990, 170)], outline=0,
                 width=3)
    ink = scan_image.binary(scan_image.grey(canvas)[0])
    horizontal, vertical = scan_tables.ruling(ink, 300.0)
    tables, rules = scan_tables.find_tables(horizontal, vertical, 300.0)
    assert [len(t.xs) for t in tables] == [5]
    strokes = ink & ~rules
    found = scan_shapes.find_shapes(strokes, tables, 300.0)
    shapes = sorted((shape.box.x0, shape.kind) for shape in found)
    assert [kind for _x, kind in shapes] == ["decision", "process", "terminator",
                                             "page-connector"]


@needs_ocr
def test_a_picture_that_is_no_sop_gives_a_finding_not_a_crash():
    sops, findings = read_scan((FIXTURES / "kucing.pdf").read_bytes(), file="kucing.pdf")
    assert sops == []
    assert any(f.code == "import.scan-empty" and f.page == 1 for f in findings)


def test_without_tesseract_one_finding_says_how_to_install_it(monkeypatch):
    monkeypatch.setattr(scan_ocr.shutil, "which", lambda _name: None)
    measured = measure_scan([], file="scan.pdf")
    assert [f.code for f in measured.findings] == ["import.scan-no-ocr"]
    assert "tesseract-ocr-ind" in measured.findings[0].message
    sops, findings = read_scan(b"%PDF-1.4 ...", file="scan.pdf")
    assert sops == [] and [f.code for f in findings] == ["import.scan-no-ocr"]


@needs_ocr
def test_without_indonesian_data_the_scan_is_read_in_english_and_said_so(monkeypatch):
    import pytesseract

    monkeypatch.setattr(pytesseract, "get_languages", lambda *a, **k: ["eng", "osd"])
    measured = measure_scan([], file="scan.pdf")
    assert [f.code for f in measured.findings] == ["import.scan-no-indonesian"]
    assert "eng" in measured.findings[0].message


@needs_ocr
def test_a_flowchart_continued_over_two_scanned_pages_is_joined_at_its_connectors():
    expected = load(ROOT / "examples" / "library" / "penyusunan-renja.yaml").sop
    data = (FIXTURES / "penyusunan-renja-scan.pdf").read_bytes()
    measured = measure_scanned_pdf(data, file="renja.pdf")
    connectors = [d for s in measured.surfaces for d in s.drawn if d.kind == "page-connector"]
    assert sorted(d.place.page for d in connectors) == [1, 2]
    assert {d.text.upper() for d in connectors} == {"A"}
    sops, findings = read_measured(lambda _raw: measured, data, file="renja.pdf",
                                   taken_ids=None)
    assert not [f for f in findings if f.code == "import.connector-unpaired"]
    assert len(sops) == 1
    got = sops[0]
    assert [s.number for s in got.steps] == [s.number for s in expected.steps]
    names = {a.id: _fold(a.name) for a in got.actors}
    want_names = {a.id: _fold(a.name) for a in expected.actors}
    for step, want in zip(got.steps, expected.steps, strict=True):
        assert [names[a] for a in step.actors] == [want_names[a] for a in want.actors], step.number
        assert _similar(step.activity, want.activity) >= SIMILAR, step.number


def test_a_page_scanned_on_its_side_is_noticed():
    """A landscape SOP fed as a portrait sheet: its writing runs up the page (the reader then
    asks Tesseract's orientation detection which way to turn it)."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((FIXTURES / "surat-ijin-cuti-scan.pdf").read_bytes())[1]
    image = page.render(scale=150 / 72, grayscale=True).to_pil()
    upright = scan_image.binary(scan_image.grey(image)[0])
    assert not scan_image.sideways(255 - upright, 150.0)
    assert scan_image.sideways(255 - upright.T.copy(), 150.0)
