"""HTML documents: SOPs published as web pages, with spans, lists and stray markup."""

from alur.importers import read_document, read_text
from alur.importers.html import _CELLS_PER_CELL, html_blocks

from .conftest import FIXTURES


def test_kartu_pns_page():
    result = read_document(FIXTURES / "kartu-pns.html")
    (sop,) = result.sops
    assert sop.id == "pengajuan-kartu-pns-dan-kartu-istri-suami"
    assert sop.name == "Pengajuan Kartu PNS dan Kartu Istri/Suami"
    assert sop.number == "800/012/ORG/2023"
    assert sop.organization == ["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH",
                                "BAGIAN ORGANISASI"]
    assert sop.dates.created == "2023-01-02" and sop.dates.effective == "2023-01-16"
    assert sop.dates.revised is None  # "-" means none, and is not reported as a bad date
    assert (sop.approved_by.title, sop.approved_by.name, sop.approved_by.nip) == (
        "Kepala Bagian Organisasi", "Drs. Contoh Saja, M.Si.", "197001011995031002")
    assert sop.legal_basis == ["Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen PNS",
                               "Peraturan Kepala BKN Nomor 7 Tahun 2017."]
    assert sop.equipment == ["Komputer", "Printer"]
    assert [a.name for a in sop.actors] == ["PNS", "Pengelola Kepegawaian", "Pengadm. Umum",
                                            "Kabag"]
    assert [(s.number, s.kind, s.actors) for s in sop.steps] == [
        (1, "process", ["pns"]),
        (2, "decision", ["pengelola-kepegawaian"]),
        (3, "process", ["pengadm-umum"]),
        (4, "process", ["kabag"]),
        (5, "process", ["pengadm-umum"]),
        (6, "process", ["pengelola-kepegawaian"]),
        (7, "end", []),
    ]
    assert (sop.step(2).on_yes, sop.step(2).on_no) == (3, 1)
    assert sop.step(4).inferred == ["actors"]  # "… oleh Kabag"
    assert sop.step(2).inputs == ["Surat & berkas permohonan kartu PNS dan Kartu Istri/Suami"]
    assert "alert" not in sop.step(5).activity_text  # script content is not text
    assert sop.step(1).source.line == 38
    codes = [f.code for f in result.findings]
    assert "import.date" not in codes
    (note,) = [f for f in result.findings if f.code == "import.unrecognised"]
    assert note.line == 47 and "Catatan" in note.message


def test_rowspan_colspan_grid():
    page = """<html><body><table>
    <tr><th rowspan=2>No</th><th rowspan=2>Kegiatan</th><th colspan=2>Pelaksana</th>
        <th colspan=3>Mutu Baku</th></tr>
    <tr><th>Kasubag</th><th>Kabag</th><th>Kelengkapan</th><th>Waktu</th><th>Output</th></tr>
    <tr><td>1</td><td>Menyusun konsep</td><td rowspan=2>□</td><td></td><td>Data</td>
        <td>2 jam</td><td>Konsep</td></tr>
    <tr><td>2</td><td>Kasubag memeriksa konsep</td><td>□</td><td>Konsep</td><td>1 jam</td>
        <td>Konsep final</td></tr>
    </table></body></html>"""
    (sop,) = read_text(page, kind="html").sops
    # The rowspan's mark belongs to row 1 only; row 2's mark is in Kabag's column.
    assert [s.actors for s in sop.steps] == [["kasubag"], ["kabag"]]
    assert sop.step(2).outputs == ["Konsep final"]


def test_html_is_sniffed_from_content():
    page = "<table><tr><td>No</td><td>Kegiatan</td><td>Kabag</td><td>Waktu</td></tr>" \
           "<tr><td>1</td><td>Menandatangani</td><td>□</td><td>5 menit</td></tr></table>"
    result = read_text(page)
    assert result.sops[0].steps[0].actors == ["kabag"]


def test_empty_and_broken_html_give_findings_not_exceptions():
    for page in ("", "<html>", "<table><tr><td>", "<<<>>>", "<html><body>\x00</body></html>"):
        result = read_text(page, kind="html")
        assert result.sops == []
        assert result.findings[-1].code == "import.no-sop"
        assert {f.code for f in result.findings} <= {"import.no-sop", "import.unrecognised"}


def test_text_that_shows_markup_is_kept_as_text():
    page = ("<table><tr><td>No</td><td>Kegiatan</td><td>Kabag</td><td>Waktu</td></tr>"
            "<tr><td>1</td><td>Menulis &lt;script&gt; &amp; tanda &lt;b&gt;</td><td>□</td>"
            "<td>5 menit</td></tr></table>")
    (sop,) = read_text(page, kind="html").sops
    assert sop.steps[0].activity == "Menulis <script> & tanda <b>"


def test_crafted_spans_are_cut_to_the_table_and_said():
    """rowspan=65534 colspan=1000 in every row would ask for billions of cells: a table is
    never wider than its fullest row nor longer than its rows, every cell's text is kept in
    order, and past a budget the spans are read as one, with a finding."""
    row = "<tr>" + '<td rowspan="65534" colspan="1000">isi {n}</td>' * 3 + "</tr>"
    text = "<table>" + "".join(row.replace("{n}", str(n)) for n in range(400)) + "</table>"
    findings: list = []
    blocks = html_blocks(text, findings)
    assert len(blocks) == 400
    assert sum(len(b.cells) for b in blocks) <= _CELLS_PER_CELL * (3 * 400 + 400) + 3 * 400
    assert max(len(b.cells) for b in blocks) <= 3 * 400
    kept = [c for b in blocks for c in b.cells if c]
    assert kept == [f"isi {n}" for n in range(400) for _ in range(3)]
    assert [f.code for f in findings] == ["import.html-spans"] and findings[0].line
    result = read_text(text, file="x.html")
    assert "import.html-spans" in [f.code for f in result.findings]
    assert {f.file for f in result.findings if f.code == "import.html-spans"} == {"x.html"}


def test_ordinary_spans_give_no_finding():
    findings: list = []
    html_blocks("<table><tr><td rowspan=2>No</td><td colspan=3>Pelaksana</td></tr>"
                "<tr><td>A</td><td>B</td><td>C</td></tr></table>", findings)
    assert findings == []
