"""The documents people read: SVG (golden files), HTML, PDF, the SOP book, and `alur render`."""

import io
import os
import re
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from alur.cli.main import main
from alur.render import PageSetup, layout
from alur.render.book import book_html
from alur.render.html import to_html
from alur.render.pdf import html_to_pdf, to_pdf
from alur.render.svg import layout_svg
from alur.sop import Actor, Sop, Step, load

ROOT = Path(__file__).parents[2]
LIBRARY = ROOT / "examples" / "library"
GOLDEN = Path(__file__).parent / "golden"
GOLDEN_SOPS = ["surat-keluar", "penyusunan-renja", "pengkoordinir-penyusunan-skp"]


def _sop(name: str) -> Sop:
    return load(LIBRARY / f"{name}.yaml").sop


@pytest.mark.parametrize("name", GOLDEN_SOPS)
def test_svg_matches_golden_file(name):
    """Any change to the drawing shows up here; regenerate deliberately with
    ALUR_UPDATE_GOLDEN=1 after looking at the new rendering."""
    svg = layout_svg(layout(_sop(name)))
    golden = GOLDEN / f"{name}.svg"
    if os.environ.get("ALUR_UPDATE_GOLDEN"):
        golden.write_text(svg, encoding="utf-8")
    assert svg == golden.read_text(encoding="utf-8")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _pdf_text(data: bytes) -> tuple[int, str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return len(pdf.pages), "".join(p.extract_text(x_tolerance=1) or "" for p in pdf.pages)


@pytest.mark.parametrize("path", sorted(LIBRARY.glob("*.yaml")), ids=lambda p: p.stem)
def test_pdf_contains_every_step_and_identity(path):
    sop = load(path).sop
    result = layout(sop)
    pages, text = _pdf_text(to_pdf(sop, result))
    squashed = _squash(text)
    # Every wrapped line of every cell (activity, inputs, time, outputs, notes) is in the PDF;
    # lines, not whole cells, because text extraction reads across columns.
    for page in result.pages:
        for row in page.rows:
            for cell in row.cells:
                for line in cell.text.lines if cell.text else ():
                    assert _squash(line) in squashed, (row.step, cell.role, line)
    words = {w for step in sop.steps for line in step.activity_lines for w in line.split()}
    assert all(w in squashed for w in words)
    assert _squash(sop.name) in squashed
    if sop.approved_by.nip:
        assert sop.approved_by.nip in squashed
    # The identity part takes at least one page, then one page per layout page.
    assert pages >= len(result.pages) + 1
    assert "Halaman" in text


@pytest.mark.parametrize(("name", "expected"), [
    ("surat-keluar", 2), ("penyusunan-renja", 3), ("pengkoordinir-penyusunan-skp", 4)])
def test_pdf_page_counts(name, expected):
    sop = _sop(name)
    pages, _ = _pdf_text(to_pdf(sop, layout(sop)))
    assert pages == expected


def test_f4_portrait_pdf_has_folio_pages():
    sop = _sop("surat-keluar")
    data = to_pdf(sop, layout(sop, PageSetup(paper="f4", landscape=False)))
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        width, height = pdf.pages[-1].width, pdf.pages[-1].height
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (215, 330)


HOSTILE = "<script>alert('x')</script> & <b>tebal</b>"


def _hostile_sop() -> Sop:
    return Sop(id="uji", name=HOSTILE, number="1/2", organization=[HOSTILE],
               actors=[Actor(id="a", name="<i>Kabag</i>")],
               steps=[Step(number=1, activity=HOSTILE, actors=["a"], inputs=[HOSTILE],
                           time="5 menit", outputs=["x"], notes=HOSTILE)])


def test_text_from_documents_is_never_markup():
    sop = _hostile_sop()
    result = layout(sop)
    for document in (to_html(sop, result), layout_svg(result)):
        assert "<script>" not in document and "<b>tebal" not in document
        assert "&lt;script&gt;" in document
    _, text = _pdf_text(to_pdf(sop, result))
    assert "<script>alert" in text.replace(" ", "")  # shown as text, not run


def test_book_has_cover_contents_and_every_sop():
    sops = [load(p).sop for p in sorted(LIBRARY.glob("*.yaml"))[:4]]
    document = book_html(sops, title="Buku SOP Uji")
    pages, text = _pdf_text(html_to_pdf(document))
    squashed = _squash(text)
    assert "BukuSOPUji" in squashed and "DaftarSOP" in squashed
    for sop in sops:
        assert squashed.count(_squash(sop.name)) >= 2  # in the contents and in the SOP
    assert pages >= 2 + sum(len(layout(s).pages) + 1 for s in sops)
    assert re.search(r"Halaman\s*\d+", text)


def test_render_command_writes_every_format(tmp_path):
    runner = CliRunner()
    path = LIBRARY / "surat-ijin-cuti.yaml"
    for fmt, ext in [("pdf", "pdf"), ("docx", "docx"), ("xlsx", "xlsx"), ("svg", "svg"),
                     ("html", "html"), ("bpmn", "bpmn"), ("mermaid", "mmd")]:
        result = runner.invoke(main, ["render", str(path), "-f", fmt, "-o", str(tmp_path)])
        assert result.exit_code == 0, result.output
        written = tmp_path / f"surat-ijin-cuti.{ext}"
        assert written.stat().st_size > 100
    stdout = runner.invoke(main, ["render", str(path), "-f", "svg"]).stdout
    assert stdout.startswith("<svg")
    many = runner.invoke(main, ["render", *map(str, sorted(LIBRARY.glob("surat-*.yaml"))),
                                "-f", "svg", "-o", str(tmp_path / "banyak")])
    assert many.exit_code == 0
    assert len(list((tmp_path / "banyak").glob("*.svg"))) == 4


def test_render_reports_bad_files_and_continues(tmp_path):
    bad = tmp_path / "rusak.yaml"
    bad.write_text("id: rusak\nsteps: [\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["render", str(bad), str(LIBRARY / "surat-masuk.yaml"),
                                       "-f", "svg", "-o", str(tmp_path)])
    assert result.exit_code == 1
    assert "YAML tidak valid" in result.output
    assert (tmp_path / "surat-masuk.svg").exists()


def test_book_command(tmp_path):
    folder = tmp_path / "pustaka"
    folder.mkdir()
    for name in ("surat-masuk", "surat-keluar"):
        (folder / f"{name}.yaml").write_text((LIBRARY / f"{name}.yaml").read_text("utf-8"),
                                             encoding="utf-8")
    target = tmp_path / "buku.pdf"
    result = CliRunner().invoke(main, ["book", str(folder), "-o", str(target)])
    assert result.exit_code == 0, result.output
    pages, text = _pdf_text(target.read_bytes())
    assert pages >= 6 and "SURATKELUAR" in _squash(text)
    missing = CliRunner().invoke(main, ["book", str(tmp_path / "tidak-ada")])
    assert missing.exit_code == 2


def test_internal_comments_are_never_printed():
    import io

    import docx

    from alur.render.docx import to_docx
    from alur.render.html import sop_html

    sop = _sop("surat-keluar")
    [noted] = [s for s in sop.steps if s.comment.startswith("Catatan penyunting")][:1]
    assert "penyunting" not in noted.notes  # moved out of Keterangan
    result = layout(sop)
    assert "penyunting" not in layout_svg(result)
    assert "penyunting" not in sop_html(sop, result)
    document = docx.Document(io.BytesIO(to_docx(sop, result)))
    assert all("penyunting" not in cell.text for table in document.tables
               for row in table.rows for cell in row.cells)
