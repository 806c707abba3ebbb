"""Text copied out of a PDF: every step of each copy against its truth file.

Fixtures (tests/importers/fixtures/pdfcopy, see make_copies.py there):
- browser-*: browser-viewer copies of seed SOPs (cells joined by single spaces, wrapped cell by
  cell, website text around them); truth from the ordinary TSV reader over the same seed;
- alur-*.layout / .pdfplumber / .plain: alur's own PDFs of two examples through
  `pdftotext -layout`, pdfplumber's `extract_text()` and plain `pdftotext`; truth from the
  example YAML;
- dump-*: the Mutu Baku values printed after the last step, column after column;
- pdf-*: the office-made PDFs of fixtures/pdf copied by `pdftotext -layout`, plain `pdftotext`,
  pdfplumber and pdf.js (Firefox's viewer); truth from the PDF's own truth file.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
import yaml

from alur.importers import read_text
from alur.importers.pdftext import looks_like_pdf_copy, pdf_copy_blocks, read_pdf_copy

from .conftest import SEEDS

HERE = Path(__file__).parent / "fixtures" / "pdfcopy"
FULL = sorted(p.name for p in HERE.glob("*.txt")
              if p.name.startswith(("browser-", "dump-", "alur-")) and
              (p.name.startswith(("browser-", "dump-")) or ".layout." in p.name))
PDFPLUMBER = sorted(p.name for p in HERE.glob("alur-*.pdfplumber.txt"))
PLAIN = sorted(p.name for p in HERE.glob("alur-*.plain.txt"))
PDFS = Path(__file__).parent / "fixtures" / "pdf"
OFFICE = sorted(p.name for p in HERE.glob("pdf-*.txt"))


def _truth(name: str) -> dict:
    stem = re.sub(r"(\.(layout|pdfplumber|plain))?\.txt$", "", name)
    return yaml.safe_load((HERE / f"{stem}.truth.yaml").read_text(encoding="utf-8"))


def _read(name: str):
    text = (HERE / name).read_text(encoding="utf-8")
    result = read_text(text, file=name)
    return text, result


def _activity(step) -> str:
    return step.activity if isinstance(step.activity, str) else \
        " ".join(f"- {a}" for a in step.activity)


def _codes(result) -> list[str]:
    return [f.code for f in result.findings]


def test_fixtures_are_there():
    assert len(FULL) >= 7 and len(PDFPLUMBER) == 2 and len(PLAIN) == 2


@pytest.mark.parametrize("name", FULL)
def test_every_step_matches_the_truth(name):
    text, result = _read(name)
    truth = _truth(name)
    assert looks_like_pdf_copy(text)
    assert len(result.sops) == 1
    sop = result.sops[0]
    numbered = [s for s in sop.steps if "number" not in s.inferred]
    assert [s.number for s in numbered] == [t["number"] for t in truth["steps"]]
    for step, want in zip(numbered, truth["steps"], strict=True):
        got = {"activity": _activity(step), "time": step.time,
               "inputs": " ".join(step.inputs), "outputs": " ".join(step.outputs)}
        assert got == {k: want[k] for k in got}, f"step {step.number}"
    if truth.get("name"):
        assert sop.name == truth["name"]
    assert [a.name for a in sop.actors] == truth["actors"]


def test_rows_start_at_their_source_line():
    name = "browser-penyusunan-sakip.txt"
    text, result = _read(name)
    lines = text.splitlines()
    for step in result.sops[0].steps:
        assert re.match(rf"{step.number}\s", lines[step.source.line - 1])


def test_layout_copy_splits_by_column_positions():
    _, result = _read("alur-surat-keluar.layout.txt")
    steps = {s.number: s for s in result.sops[0].steps}
    assert steps[3].notes.startswith("Catatan penyunting: sumber memuat")
    assert steps[3].notes.endswith("(Kasubag memaraf dan meneruskan ke Kabag).")
    assert steps[4].notes == ""
    assert "import.pdfcopy-read" in _codes(result)


def test_identity_sheet_of_a_copy():
    _, result = _read("browser-renja.txt")
    sop, truth = result.sops[0], _truth("browser-renja.txt")
    assert sop.number == truth["number"]
    assert sop.organization == truth["organization"]
    assert sop.approved_by.model_dump() == truth["approved_by"]
    assert {k: v for k, v in sop.dates.model_dump().items() if v} == truth["dates"]
    for key in ("legal_basis", "related", "equipment", "warnings", "records"):
        assert getattr(sop, key) == truth[key], key
    # alur's own PDF: the agency heading stands left of the fields, the approver below them
    _, layout = _read("alur-penyusunan-renja.layout.txt")
    sop = layout.sops[0]
    assert sop.organization[0] == "PROVINSI KEPULAUAN BANGKA BELITUNG"
    assert (sop.approved_by.title, sop.approved_by.nip) == ("Kepala Badan", "196312231986031006")
    assert sop.name == "Penyusunan Rencana Kerja (Renja)"


def test_boilerplate_dropped_with_one_finding():
    _text, result = _read("browser-penyusunan-sakip.txt")
    dropped = [f for f in result.findings if f.code == "import.pdfcopy-boilerplate"]
    assert len(dropped) == 1
    for shown in ("cookie", "Download", "1 / 2", "Unduh", "You may also like",
                  "SOP PENYUSUNAN RENJA"):
        assert shown in dropped[0].message
    assert dropped[0].line == 1
    # the "you may also like" titles are not read as further SOPs, nor reported again
    assert len(result.sops) == 1
    assert not any("Download" in f.message for f in result.findings
                   if f.code != "import.pdfcopy-boilerplate")


def test_repeated_header_and_page_footer_on_a_new_page():
    _, result = _read("alur-penyusunan-renja.layout.txt")
    message = next(f.message for f in result.findings
                   if f.code == "import.pdfcopy-boilerplate")
    assert "Halaman 2" in message and "'A'" in message
    assert [s.number for s in result.sops[0].steps] == list(range(1, 14))


def test_column_dump_matched_by_order():
    _, result = _read("dump-penataan-kelembagaan.txt")
    assert "import.pdfcopy-column-dump" in _codes(result)
    assert "import.pdfcopy-no-time" not in _codes(result)


def test_column_dump_with_a_missing_value_is_reported_not_guessed():
    text = (HERE / "dump-penataan-kelembagaan.txt").read_text(encoding="utf-8")
    text = text.replace("\n4 jam\n", "\n", 1)
    result = read_text(text, file="dump.txt")
    mismatch = [f for f in result.findings if f.code == "import.pdfcopy-dump-mismatch"]
    assert len(mismatch) == 1 and "Waktu" in mismatch[0].message
    assert "1 bln" in mismatch[0].message and mismatch[0].line is not None
    steps = result.sops[0].steps
    assert all(s.time is None for s in steps)          # none placed by a guess
    assert next(s.inputs for s in steps) == ["SK Tim"]  # the complete columns still are


@pytest.mark.parametrize("name", PDFPLUMBER)
def test_pdfplumber_copies_keep_numbers_and_times(name):
    """pdfplumber interleaves the cells line by line and centres the number: the numbers and
    time standards are recovered; where rows meet is a guess, and said so."""
    text, result = _read(name)
    truth = _truth(name)
    assert looks_like_pdf_copy(text)
    steps = [s for s in result.sops[0].steps if "number" not in s.inferred]
    assert [(s.number, s.time) for s in steps] == \
        [(t["number"], t["time"]) for t in truth["steps"]]
    assert "import.pdfcopy-rows-guessed" in _codes(result)


@pytest.mark.parametrize("name", PLAIN)
def test_plain_pdftotext_in_drawing_order_is_reported_not_guessed(name):
    """Plain `pdftotext` prints alur's table cell by cell in the order WeasyPrint drew it
    (column by column), so no row can be rebuilt: the copy is recognised, the steps are not
    guessed, and a finding at the table's 'No' says why and what to do instead."""
    text, result = _read(name)
    assert looks_like_pdf_copy(text)
    assert all(not sop.steps for sop in result.sops)
    unordered = [f for f in result.findings if f.code == "import.pdfcopy-unordered"]
    assert len(unordered) == 1 and "pdftotext -layout" in unordered[0].message
    assert text.splitlines()[unordered[0].line - 1].strip() == "No"
    assert "import.no-table" in _codes(result)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_tab_separated_seeds_are_not_pdf_copies(seed):
    assert not looks_like_pdf_copy(seed.read_text(encoding="utf-8"))


def test_row_without_time_and_marks_are_reported():
    text = ("Nama SOP Uji\nPelaksana Mutu Baku\nNo Kegiatan Keterangan\n"
            "Kepala Dinas Staf Kelengkapan Waktu Output\n"
            "1 Menerima surat masuk. □ Surat 10 menit Surat\n"
            "2 Mengarsipkan surat. Surat Arsip\n")
    sops, findings = read_pdf_copy(text, file="uji.txt")
    codes = {f.code: f for f in findings}
    assert codes["import.pdfcopy-no-time"].step == 2
    assert codes["import.pdfcopy-no-time"].line == 6
    assert codes["import.pdfcopy-marks"].step == 1
    assert sops[0].steps[0].time == "10 menit"
    assert sops[0].steps[1].activity == "Mengarsipkan surat. Surat Arsip"


def test_blocks_follow_header_order():
    text = (HERE / "browser-penyusunan-sakip.txt").read_text(encoding="utf-8")
    blocks, _ = pdf_copy_blocks(text)
    header = next(b for b in blocks if b.cells[:2] == ("No", "Kegiatan"))
    assert header.cells == ("No", "Kegiatan", "Kepala Dinas", "Sekretaris",
                            "Kasubag Perencanaan", "Kasubag & Kasubid", "Kelengkapan",
                            "Waktu", "Output", "Keterangan")
    first = blocks[blocks.index(header) + 1]
    assert first.cells[0] == "1" and first.cells[7] == "10 menit"


@pytest.mark.parametrize("shape", ["one-row", "many-rows", "no-table", "one-line",
                                   "plain-markers", "plain-blank-rows", "lone-labels"])
def test_large_input_finishes(shape):
    """About 2 MB of text in shapes that could make a careless reader quadratic; only that it
    returns is checked (no timing assertion)."""
    head = "Pelaksana Mutu Baku\nNo Kegiatan Keterangan\nKepala Staf Kelengkapan Waktu Output\n"
    if shape == "one-row":
        text = head + "1 Menyusun laporan\n" + "lanjutan kegiatan tanpa akhir 5 menit x\n" * 50_000
    elif shape == "many-rows":
        text = head + "".join(f"{i} Memeriksa berkas Surat {i % 9 + 1} menit Arsip\n"
                              for i in range(1, 40_000))
    elif shape == "no-table":
        text = "Nomor SOP 1\n" + "kata biasa tanpa tabel sama sekali\n" * 60_000
    elif shape == "plain-markers":   # a plain copy's row of 60,000 Mulai lines
        text = "No\nKegiatan\nPNS\n1.\nWaktu\nMulai\n" + "Mulai\n" * 60_000 + "2.\nIsi\n1 hari\n"
    elif shape == "lone-labels":       # label lines that never make a header
        text = "No\nPelaksana\nKegiatan\n" * 60_000
    elif shape == "plain-blank-rows":  # a plain copy's row broken by blank lines
        text = "No\nKegiatan\nPNS\n1.\nWaktu\nIsi form\n" + "kata\n\n" * 60_000
    else:
        text = head + "1 " + "Surat 1 hari " * 160_000
    start = time.process_time()
    result = read_text(text, file="big.txt")
    assert result.findings is not None
    assert time.process_time() - start >= 0


def test_header_cell_per_line_identity_with_colons_and_marker_rows():
    """A copy whose header puts each label on its own line, identity fields as 'LABEL : value',
    and Mulai/Selesai rows without a time (they need none)."""
    text = ("PEMERINTAH KABUPATEN CONTOH\nNOMOR SOP : 800/12/BKPSDM/2023\n"
            "NAMA SOP : Pengajuan Cuti Tahunan\nPelaksana\nNo.\nKegiatan\nKeterangan\n"
            "PNS Kasubbag Umum Sekretaris Kepala Dinas\nKelengkapan Waktu Output\n"
            "1. Mulai\n"
            "2. PNS mengajukan permohonan cuti tahunan. Formulir cuti 15 menit Formulir cuti "
            "terisi\n"
            "3. Memeriksa kelengkapan berkas permohonan cuti. Formulir cuti terisi 1 jam Berkas "
            "lengkap SOP Kepegawaian\n"
            "4. Menandatangani surat izin cuti. Berkas lengkap 1-2 hari Surat izin cuti\n"
            "5. Selesai\n")
    result = read_text(text, file="cuti.txt")
    sop = result.sops[0]
    assert (sop.name, sop.number) == ("Pengajuan Cuti Tahunan", "800/12/BKPSDM/2023")
    assert sop.organization == ["PEMERINTAH KABUPATEN CONTOH"]
    assert [a.name for a in sop.actors] == ["PNS", "Kasubbag Umum", "Sekretaris",
                                            "Kepala Dinas"]
    assert [s.kind for s in sop.steps] == ["start", "process", "process", "process", "end"]
    third = sop.steps[2]
    assert (third.activity, third.inputs, third.time, third.outputs, third.notes) == (
        "Memeriksa kelengkapan berkas permohonan cuti.", ["Formulir cuti terisi"], "1 jam",
        ["Berkas lengkap"], "SOP Kepegawaian")
    assert sop.steps[3].time == "1-2 hari"
    assert sop.steps[1].actors == ["pns"]  # inferred from the text: the marks are lost
    codes = _codes(result)
    assert "import.pdfcopy-no-time" not in codes
    assert not any(c.startswith("import.unrecognised") for c in codes)


def _dump_head_and_truth() -> tuple[str, list[dict]]:
    text = (HERE / "dump-penataan-kelembagaan.txt").read_text(encoding="utf-8")
    return text.split("\nSK Tim\n")[0], _truth("dump-penataan-kelembagaan.txt")["steps"]


@pytest.mark.parametrize("order", ["rows", "labelled columns"])
def test_other_dump_orders(order):
    """Values printed row by row (Kelengkapan, Waktu, Output of each step in turn), or column
    by column under their own labels."""
    head, truth = _dump_head_and_truth()
    if order == "rows":
        values = [v for t in truth for v in (t["inputs"], t["time"], t["outputs"])]
    else:
        values = [v for label, key in (("Kelengkapan", "inputs"), ("Waktu", "time"),
                                       ("Output", "outputs"))
                  for v in (label, *(t[key] for t in truth))]
    result = read_text(head + "\n" + "\n".join(values) + "\n", file="dump.txt")
    steps = result.sops[0].steps
    assert [(s.time, " ".join(s.inputs), " ".join(s.outputs)) for s in steps] == \
        [(t["time"], t["inputs"], t["outputs"]) for t in truth]
    dump = next(f for f in result.findings if f.code == "import.pdfcopy-column-dump")
    assert ("baris demi baris" in dump.message or "row by row" in dump.message) == \
        (order == "rows")


def test_actor_names_cut_in_the_header_take_their_tails():
    """Without positions, 'Pengadm.' and 'Ptgs.' (names cut short) take the words left on a
    line below the column labels, in order; the column order itself is lost."""
    text = ("Pelaksana Mutu Baku\nNo Kegiatan Pengadm. Ptgs. Keterangan\n"
            "Pengelola Kasubag Kabag Kelengkapan Waktu Output\nUmum Caraka\n"
            "1 Menyampaikan draf surat. Konsep surat 5 menit Konsep surat\n")
    blocks, _ = pdf_copy_blocks(text)
    header = next(b for b in blocks if b.cells[:2] == ("No", "Kegiatan"))
    assert sorted(header.cells[2:-4]) == ["Kabag", "Kasubag", "Pengadm. Umum",
                                          "Pengelola", "Ptgs. Caraka"]


def test_empty_mutu_baku_columns_take_no_words_from_the_activity():
    """Seed 003's copy under a header that names Kelengkapan and Output although no row
    fills them: 'PNS Mengisi Form SKP 2 Jam' keeps 'Form SKP' in its activity."""
    name = "browser-pengkoordinir-penyusunan-skp.txt"
    text = (HERE / name).read_text(encoding="utf-8")
    assert "Kadis Waktu\n" in text
    text = text.replace("Kadis Waktu\n", "Kadis Kelengkapan Waktu Output\n", 1)
    steps = read_text(text, file=name).sops[0].steps
    truth = _truth(name)["steps"]
    assert [(_activity(s), s.inputs, s.time) for s in steps] == \
        [(t["activity"], [], t["time"]) for t in truth]


def test_numbered_list_run_together_on_one_line():
    text = ("NOMOR SOP : 1/2/3\nNAMA SOP : Uji\nDasar Hukum : 1. UU 1/2000 2. PP 3/2001\n"
            "Peralatan/Perlengkapan :\n1. Komputer 2. Printer\n3. Kertas\n"
            "Pelaksana Mutu Baku\nNo Kegiatan Keterangan\nStaf Kelengkapan Waktu Output\n"
            "1. Menerima berkas. Berkas ± 15 menit Tanda terima\n")
    sop = read_text(text, file="u.txt").sops[0]
    assert sop.legal_basis == ["UU 1/2000", "PP 3/2001"]
    assert sop.equipment == ["Komputer", "Printer", "Kertas"]
    assert sop.steps[0].time == "± 15 menit"


# -- copies of the office-made PDFs -------------------------------------------------------------
# Findings that name the step a copy could not read whole.
_LOCATING = {"import.pdfcopy-no-time", "import.pdfcopy-rows-guessed", "import.pdfcopy-stray",
             "import.marker-row"}
# Copies that recover every step's number and time standard.
_WHOLE = ["pdf-dua-sop.joined.layout.txt", "pdf-dua-sop.joined.pdfjs.txt",
          "pdf-layanan-kepegawaian.long.layout.txt", "pdf-layanan-kepegawaian.long.pdfjs.txt",
          "pdf-pengaduan-inspektorat.xlsx.layout.txt", "pdf-pengaduan-inspektorat.xlsx.pdfjs.txt",
          "pdf-skp-perpustakaan.docx.pdfjs.txt", "pdf-skp-perpustakaan.docx.pdfplumber.txt",
          "pdf-surat-ijin-cuti.stamped.layout.txt", "pdf-surat-ijin-cuti.stamped.pdfjs.txt",
          "pdf-surat-ijin-cuti.stamped.pdfplumber.txt", "pdf-surat-keluar.chromium.layout.txt",
          "pdf-surat-keluar.chromium.pdfjs.txt", "pdf-surat-keluar.chromium.pdfplumber.txt",
          "pdf-surat-masuk-keluar.docx.layout.txt", "pdf-surat-masuk-keluar.docx.pdfjs.txt"]


def _office_truth(name: str) -> list[dict]:
    stem = re.sub(r"^pdf-|\.(layout|plain|pdfplumber|pdfjs)\.txt$", "", name)
    return yaml.safe_load((PDFS / f"{stem}.pdf.truth.yaml").read_text(encoding="utf-8"))


def _same_time(found, expected) -> bool:
    return " ".join(str(found or "").split()).lower() == \
        " ".join(str(expected or "").split()).lower()


def _unsaid_misreads(result, truth: list[dict]) -> tuple[int, list[str]]:
    """(steps whose number and time match the truth, the misreads no finding names)."""
    errors = [f for f in result.findings if f.severity.value == "error"]
    exact, unsaid = 0, []
    for index, expected in enumerate(truth):
        if index >= len(result.sops):
            unsaid += [] if errors else [f"SOP {index + 1} missing"]
            continue
        sop = result.sops[index]
        got = {s.number: s for s in sop.steps}
        said = {f.step for f in result.findings if f.code in _LOCATING and f.sop in (None, sop.id)}
        failed = any(f.severity.value == "error" and f.sop == sop.id for f in result.findings)
        numbers = {s["number"] for s in expected["steps"]}
        for step in expected["steps"]:
            found = got.get(step["number"])
            if found is not None and _same_time(found.time, step.get("time")):
                exact += 1
            elif step["number"] not in said and not failed:
                unsaid.append(f"SOP {index + 1} step {step['number']}: "
                              f"{found.time if found else None!r}, truth {step.get('time')!r}")
        unsaid += [f"SOP {index + 1}: step {n} is not in the truth" for n in got
                   if n not in numbers and n not in said and not failed]
    return exact, unsaid


def test_office_pdf_copies_are_there():
    kinds = {re.search(r"\.(\w+)\.txt$", name).group(1) for name in OFFICE}
    assert kinds == {"layout", "plain", "pdfplumber", "pdfjs"}
    assert len(OFFICE) == 4 * len(list(PDFS.glob("*.pdf")))


@pytest.mark.parametrize("name", OFFICE)
def test_office_pdf_copy_reads_each_step_or_says_which_it_could_not(name):
    """Every step of the truth is read with its number and time, or a finding names it (or the
    SOP could not be read at all, with an error); no step is invented without a finding."""
    _, result = _read(name)
    _, unsaid = _unsaid_misreads(result, _office_truth(name))
    assert unsaid == []


@pytest.mark.parametrize("name", _WHOLE)
def test_office_pdf_copy_recovers_every_number_and_time(name):
    _, result = _read(name)
    truth = _office_truth(name)
    exact, _ = _unsaid_misreads(result, truth)
    assert exact == sum(len(sop["steps"]) for sop in truth)
    assert len(result.sops) == len(truth)


def test_actor_names_wrapped_word_by_word_in_narrow_header_cells():
    """A viewer's copy of a Word table with narrow actor columns: 'Kasubbag' / 'Umum',
    'Sekretaris Kepala' / 'Bagian' / 'Umum', 'Pengadminis' / 'trasi Umum', a cut 'Keteranga' /
    'n' and a misspelt 'Mutu Buku'; each name comes back whole and no label is an actor."""
    name = "pdf-surat-masuk-keluar.docx.pdfjs.txt"
    _, result = _read(name)
    assert [[a.name for a in sop.actors] for sop in result.sops] == \
        [sop["actors"] for sop in _office_truth(name)]


def test_step_number_alone_atop_its_row_keeps_the_row_whole():
    """PDF.js copies a row in drawing order: the number cell, then the row's cells, so a number
    alone on its line opens its row rather than standing in its middle; every time stays with
    its own step."""
    text = "\n".join([
        "No Kegiatan Keterangan", "Pelaksana Mutu Baku", "Staf Kasi Kelengkapan Waktu Output",
        "1", "Menerima berkas", "permohonan", "Berkas", "10 Menit", "Berkas", "diterima",
        "2", "Memeriksa", "berkas", "Berkas", "diterima", "5 Menit", "Berkas", "diperiksa",
        "3", "Menandatangani", "surat", "Berkas", "diperiksa", "1 hari", "Surat",
    ])
    sops, _ = read_pdf_copy(text)
    assert [(s.number, s.time) for s in sops[0].steps] == \
        [(1, "10 Menit"), (2, "5 Menit"), (3, "1 hari")]


def test_plain_pdftotext_of_an_office_export_is_read_row_by_row():
    """LibreOffice draws a Word table row by row, so its plain copy holds each row's cells in
    order after a header scattered among the first row's cells: the steps and their words
    come back; the decision's time, drawn after the table, is reported, not placed."""
    name = "pdf-skp-perpustakaan.docx.plain.txt"
    text, result = _read(name)
    truth = _office_truth(name)[0]
    assert looks_like_pdf_copy(text)
    sop = result.sops[0]
    assert [a.name for a in sop.actors] == truth["actors"]
    assert [(s.number, _activity(s)) for s in sop.steps] == \
        [(t["number"], t["activity"]) for t in truth["steps"]]
    times = {s.number: s.time for s in sop.steps}
    wrong = [t["number"] for t in truth["steps"] if not _same_time(times[t["number"]],
                                                                   t.get("time"))]
    said = {f.step: f.code for f in result.findings if f.code in _LOCATING}
    assert wrong and all(number in said for number in wrong)
    stray = next(f for f in result.findings if f.code == "import.pdfcopy-stray")
    assert "1 hari" in stray.message and stray.line is not None


def test_plain_pdftotext_header_with_broken_actor_names():
    """'Kasubbag' / 'Umum' continue one name; 'Pengadministr' / 'asi Umum' is a word broken
    at the cell's width."""
    text = ("Nama SOP Uji\nNo\nUraian Prosedur\nSekretaris\nKasubbag\nUmum\nPengadministr\n"
            "asi Umum\nKelengkapan\nWaktu\nOutput\n1\nMenerima surat masuk\nSurat masuk\n"
            "10\nmenit\nSurat\nteragenda\n2\nMeneruskan surat\nSurat teragenda\n5 menit\n"
            "Surat\n")
    assert looks_like_pdf_copy(text)
    sops, _ = read_pdf_copy(text, file="uji.txt")
    assert [a.name for a in sops[0].actors] == ["Sekretaris", "Kasubbag Umum",
                                                "Pengadministrasi Umum"]
    assert [(s.number, s.time) for s in sops[0].steps] == [(1, "10 menit"), (2, "5 menit")]
    assert sops[0].steps[0].inputs == ["Surat masuk"]
