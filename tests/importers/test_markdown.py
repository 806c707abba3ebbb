"""Markdown documents: SOPs on wiki pages and in README-style notes, read through markdown-it's
HTML and the one reader; every step, actor and identity field checked against the page."""

from alur.importers.markdown import markdown_html, only_mermaid, read_markdown
from alur.render.mermaid import to_mermaid
from alur.sop import load
from alur.sop.findings import Severity

from .conftest import FIXTURES

MARKDOWN = FIXTURES / "markdown"


def read(name: str):
    return read_markdown((MARKDOWN / name).read_text(encoding="utf-8"), file=name)


def test_wiki_page_with_identity_table_and_tick_marks():
    sops, findings = read("wiki-cuti.md")
    (sop,) = sops
    assert sop.id == "pemberian-izin-cuti-pegawai"
    assert sop.name == "Pemberian Izin Cuti Pegawai"  # the heading's own case, not capitals
    assert sop.number == "800/045/UMUM/2024"
    assert sop.organization == ["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH",
                                "BAGIAN UMUM"]
    assert (sop.dates.created, sop.dates.revised, sop.dates.effective) == (
        "2024-01-02", None, "2024-01-15")
    assert (sop.approved_by.title, sop.approved_by.name, sop.approved_by.nip) == (
        "Kepala Bagian Umum", "Drs. Budi Santoso, M.Si.", "197001011995031002")
    assert sop.legal_basis == [
        "Peraturan Pemerintah Nomor 11 Tahun 2017 tentang Manajemen PNS",
        "Peraturan BKN Nomor 24 Tahun 2017 tentang Tata Cara Pemberian Cuti PNS"]
    assert sop.equipment == ["Komputer", "Printer"]
    assert [(a.id, a.name) for a in sop.actors] == [
        ("pns", "PNS"), ("pengelola-kepegawaian", "Pengelola Kepegawaian"),
        ("kabag-umum", "Kabag Umum")]
    rows = [(s.number, s.activity, s.actors, s.kind, s.inputs, s.time, s.outputs, s.notes)
            for s in sop.steps]
    assert rows == [
        (1, "Mengajukan permohonan cuti", ["pns"], "process",
         ["Formulir cuti", "Surat keterangan dokter"], "10 menit", ["Berkas permohonan"], ""),
        (2, "Memeriksa kelengkapan berkas", ["pengelola-kepegawaian"], "decision",
         ["Berkas permohonan"], "15 menit", ["Berkas lengkap"], ""),
        (3, "Menandatangani surat izin cuti", ["kabag-umum"], "process", ["Konsep surat"],
         "1 hari", ["Surat izin cuti"], "Paraf Kasubag lebih dulu"),
        (4, "Mencatat di buku ekspedisi dan menyerahkan surat", ["pengelola-kepegawaian"],
         "process", ["Surat izin cuti", "Buku ekspedisi"], "10 menit", ["Tanda terima"], ""),
        (5, "Menerima surat izin cuti", ["pns"], "process", ["Surat izin cuti"], "5 menit",
         ["Surat izin cuti"], ""),
    ]
    assert (sop.step(2).on_yes, sop.step(2).on_no) == (3, 1)
    # Lines are the page's own, not the rendered HTML's.
    assert [s.source.line for s in sop.steps] == [23, 24, 25, 26, 27]
    assert {s.source.file for s in sop.steps} == {"wiki-cuti.md"}
    # The note under the table is not an SOP field: said, with its line, not dropped.
    (note,) = [f for f in findings if f.code == "import.unrecognised"]
    assert note.line == 29 and "Catatan" in note.message
    # "## Identitas" and the table's "Unsur | Isi" header are structure, not content.
    assert not any("Identitas" in f.message or "Unsur" in f.message for f in findings)
    assert not any(f.severity is Severity.ERROR for f in findings)


def test_readme_with_bold_label_lines_and_symbols():
    sops, findings = read("readme-surat-masuk.md")
    (sop,) = sops
    assert findings == []
    assert (sop.id, sop.name, sop.number) == (
        "pengelolaan-surat-masuk", "Pengelolaan Surat Masuk", "045/012/SETDA/2023")
    assert (sop.dates.created, sop.dates.effective) == ("2023-03-03", "2023-04-01")
    assert sop.approved_by.title == "Sekretaris Daerah"
    assert sop.legal_basis == ["Peraturan Menteri PANRB Nomor 35 Tahun 2012",
                               "Peraturan Bupati Nomor 5 Tahun 2020 tentang Tata Naskah Dinas"]
    assert sop.qualifications == ["Memahami tata naskah dinas"]
    assert [a.name for a in sop.actors] == ["Pengadm. Umum", "Sekretaris", "Kabag Umum"]
    rows = [(s.number, s.activity, s.actors, s.kind, s.inputs, s.time, s.outputs)
            for s in sop.steps]
    assert rows == [
        (1, ["Menerima surat masuk", "Mencatat di buku agenda"], ["pengadm-umum"], "process",
         ["Surat masuk", "Buku agenda"], "15 menit", ["Surat tercatat"]),
        (2, "Memberi disposisi", ["sekretaris"], "process", ["Surat tercatat"], "1 hari",
         ["Disposisi"]),
        (3, "Menindaklanjuti disposisi", ["kabag-umum"], "process", ["Disposisi"], "2 hari",
         ["Surat balasan"]),
        (4, "Mengarsipkan surat", ["pengadm-umum"], "process", ["Surat masuk"], "10 menit",
         ["Arsip"]),
    ]


def test_paragraph_lines_become_separate_blocks_with_their_lines():
    html, titles = markdown_html("# SOP Surat Keluar\n\n**Nomor SOP**: 1\n**Tanggal**: x\n")
    assert '<h1 data-line="1">SOP SURAT KELUAR</h1>' in html
    assert '<p data-line="3"><strong>Nomor SOP</strong>: 1</p>' in html
    assert '<p data-line="4"><strong>Tanggal</strong>: x</p>' in html
    assert titles == {"SURAT KELUAR": "Surat Keluar"}


def test_two_sops_on_one_page_keep_unique_ids():
    page = "\n".join([
        "# SOP Surat Masuk", "",
        "| No | Kegiatan | Staf | Kabag |", "|---|---|---|---|",
        "| 1 | Menerima surat | ✓ | |", "| 2 | Memberi disposisi | | ✓ |", "",
        "# SOP Surat Keluar", "",
        "| No | Kegiatan | Staf | Kabag |", "|---|---|---|---|",
        "| 1 | Mengetik surat | ✓ | |", "| 2 | Menandatangani | | ✓ |", ""])
    taken = {"surat-masuk"}
    sops, _ = read_markdown(page, taken_ids=taken)
    assert [(s.id, s.name) for s in sops] == [("surat-masuk-2", "Surat Masuk"),
                                              ("surat-keluar", "Surat Keluar")]
    assert [[st.activity for st in s.steps] for s in sops] == [
        ["Menerima surat", "Memberi disposisi"], ["Mengetik surat", "Menandatangani"]]
    assert [st.actors for st in sops[1].steps] == [["staf"], ["kabag"]]
    assert "surat-keluar" in taken


def test_a_mermaid_block_on_a_page_is_read_as_a_flowchart():
    text = (MARKDOWN / "diagram-cuti.md").read_text(encoding="utf-8")
    assert only_mermaid(text) is None  # a heading stands beside it
    sops, findings = read_markdown(text, file="diagram-cuti.md")
    (sop,) = sops
    assert findings == []
    assert (sop.id, sop.name) == ("pengajuan-cuti-tahunan", "Pengajuan Cuti Tahunan")
    assert [(s.activity, s.kind, s.actors) for s in sop.steps] == [
        ("Mengajukan permohonan cuti", "process", ["pegawai"]),
        ("Memeriksa sisa cuti", "decision", ["kasubag-kepegawaian"]),
        ("Menerbitkan surat cuti", "process", ["kasubag-kepegawaian"])]
    assert (sop.step(2).on_yes, sop.step(2).on_no) == (3, 1)
    assert (sop.step(2).labels.yes, sop.step(2).labels.no) == ("Cukup", "Tidak cukup")
    assert sop.step(2).source.line == 9  # the line in the Markdown file


def test_mermaid_finding_lines_are_the_pages():
    text = "# Catatan\n\n```mermaid\nflowchart TD\n  a[Satu] --> b[Dua]\n  ??? rusak\n```\n"
    _, findings = read_markdown(text)
    assert [(f.code, f.line) for f in findings if f.code == "import.mermaid-unreadable"] == [
        ("import.mermaid-unreadable", 6)]


def test_only_mermaid_finds_a_file_that_is_just_a_diagram():
    sop = load(sorted((FIXTURES.parents[2] / "examples" / "library").glob("*.yaml"))[0]).sop
    diagram = to_mermaid(sop)
    assert only_mermaid(f"```mermaid\n{diagram}```\n") == diagram
    assert only_mermaid(f"Teks\n\n```mermaid\n{diagram}```\n") is None
    assert only_mermaid("```python\nprint(1)\n```\n") is None


def test_text_without_an_sop_gives_findings_not_exceptions():
    for text in ["", "Hanya catatan rapat.", "| a | b |\n|---|---|\n| 1 | 2 |",
                 "# SOP\n\n| No | Kegiatan |\n|---|---|\n| x |", "<div><table>"]:
        sops, findings = read_markdown(text)
        assert all(f.message for f in findings)
        assert len(sops) <= 1


def test_a_diagram_beside_a_table_is_its_drawing_not_a_second_sop():
    table = (MARKDOWN / "readme-surat-masuk.md").read_text(encoding="utf-8")
    diagram = (MARKDOWN / "diagram-cuti.md").read_text(encoding="utf-8").split("\n", 2)[2]
    sops, findings = read_markdown(table + "\n## Bagan alir\n\n" + diagram)
    assert [s.name for s in sops] == ["Pengelolaan Surat Masuk"]
    (beside,) = [f for f in findings if f.code == "import.markdown-diagram-beside-table"]
    assert beside.line == table.count("\n") + 4 and beside.severity is Severity.INFO
