"""PDFs made the way offices make them (see fixtures/pdf/make_pdfs.py): exported by LibreOffice,
printed by Chromium, joined, stamped, long. Each is imported through the ordinary entry point
and every step, actor, kind, decision exit and time is compared with its truth, the same way
as the Word and Excel fixtures (test_office_fixtures.py)."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
import yaml

from alur.importers import read_document

from .test_office_fixtures import _read_step, _truth_step

FIXTURES = Path(__file__).parent / "fixtures" / "pdf"
DOCUMENTS = sorted(FIXTURES.glob("*.pdf"))

# Known misreadings, strict so they fail loudly once the reader gets them right.
# Fixtures still misread, by name, with why (strict xfail: a fix makes the test say so).
KNOWN: dict[str, str] = {}


def _truth(path: Path) -> list[dict]:
    return yaml.safe_load((FIXTURES / f"{path.name}.truth.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def imported():
    cache: dict[Path, object] = {}

    def read(path: Path):
        if path not in cache:
            cache[path] = read_document(path)
        return cache[path]
    return read


def test_every_fixture_has_its_truth():
    assert len(DOCUMENTS) >= 8
    for path in DOCUMENTS:
        assert (FIXTURES / f"{path.name}.truth.yaml").exists(), path.name


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason=KNOWN[p.name]))
    if p.name in KNOWN else p for p in DOCUMENTS], ids=lambda p: p.name)
def test_fixture_matches_its_truth(path, imported):
    truth = _truth(path)
    result = imported(path)
    assert [s.name.casefold() for s in result.sops] == [t["name"].casefold() for t in truth]
    for sop, expected in zip(result.sops, truth, strict=True):
        assert [a.name for a in sop.actors] == expected["actors"], sop.name
        truths = expected["steps"]
        read = [_read_step(sop, s, truths[i] if i < len(truths) else {})
                for i, s in enumerate(sop.steps)]
        assert read == [_truth_step(s) for s in truths], sop.name
        if expected.get("number"):
            assert sop.number == expected["number"]


def test_two_sops_in_one_file_are_two_sops(imported):
    result = imported(FIXTURES / "dua-sop.joined.pdf")
    assert [s.name for s in result.sops] == ["LAPORAN KINERJA", "Pengkoordinir Penyusunan SKP"]
    first, second = result.sops
    assert first.id != second.id
    # Each keeps its own identity: the second's approver is not the first's.
    assert second.approved_by.name and second.approved_by.name != first.approved_by.name


def test_long_sop_runs_over_pages_without_connector_rows_or_repeated_headers(imported):
    path = FIXTURES / "layanan-kepegawaian.long.pdf"
    with pdfplumber.open(path) as pdf:
        assert len(pdf.pages) >= 4           # identity page + the step table over 3+ pages
        headers = sum("Kegiatan" in (page.extract_text() or "") for page in pdf.pages)
    assert headers >= 3                       # the header row is printed again on each page
    (sop,) = imported(path).sops
    assert [s.number for s in sop.steps] == list(range(1, 37))
    activities = [" ".join(s.activity) if isinstance(s.activity, list) else s.activity
                  for s in sop.steps]
    assert all(a.strip() and "Kegiatan" not in a for a in activities)
    assert all(s.actors for s in sop.steps)


def test_stamp_is_reported_and_fills_the_empty_approver(imported):
    path = FIXTURES / "surat-ijin-cuti.stamped.pdf"
    (truth,) = _truth(path)
    with pdfplumber.open(path) as pdf:     # the fixture carries the stamp's QR code on top
        (qr,) = pdf.pages[-1].images
        assert 28 <= qr["width"] <= 160 and abs(qr["width"] - qr["height"]) < 1
    result = imported(path)
    (sop,) = result.sops
    assert sop.approved_by.name == truth["approver"]
    stamps = [f for f in result.findings if f.code == "import.signature-stamp"]
    assert len(stamps) == 1 and stamps[0].severity == "info"
    assert truth["approver"] in stamps[0].message
    assert "ditandatangani secara elektronik" in stamps[0].message
    assert stamps[0].page == 2
    # The footer line is not read into the SOP anywhere.
    assert "ditandatangani" not in sop.model_dump_json()


def test_chromium_svg_paths_come_through_as_symbols_and_arrows():
    """Chromium prints alur's inline SVG with its own paths (not WeasyPrint's): each step's
    rectangle, the two Bézier capsules, the diamond and every arrow with its head are found."""
    from collections import Counter

    from alur.importers.pdf import measure_pdf

    sop = yaml.safe_load((FIXTURES / "surat-keluar.chromium.pdf.truth.yaml").read_text())[0]
    measured = measure_pdf((FIXTURES / "surat-keluar.chromium.pdf").read_bytes())
    drawn = [d for surface in measured.surfaces for d in surface.drawn]
    kinds = Counter((d.kind, d.geometry) for d in drawn if d.kind != "line")
    # alur draws the first and the last activity as capsules, every other one as a rectangle.
    assert kinds[("terminator", "rounded")] == 2
    assert kinds[("decision", "diamond")] == sum(1 for s in sop["steps"]
                                                 if s.get("kind") == "decision")
    steps = sum(1 for s in sop["steps"] if s.get("kind", "process") == "process")
    assert kinds[("process", "rectangle")] == steps - 2
    # One arrowhead per flow into a step, the decision's two exits included.
    assert sum(1 for d in drawn if d.kind == "line" and d.arrow) >= len(sop["steps"])


def test_each_page_is_reported_as_it_is_read():
    """A long PDF feeds the page progress (the CLI's bar, an import job's page)."""
    from alur.importers.pdf import measure_pdf
    from alur.importers.progress import reporting

    seen: list[tuple[int, int]] = []
    with reporting(lambda done, total: seen.append((done, total))):
        measure_pdf((FIXTURES / "dua-sop.joined.pdf").read_bytes())
    assert seen == [(page, 6) for page in range(1, 7)]
