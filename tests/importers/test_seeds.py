"""The importer over the four real seed documents, with exact expectations.

Expected values were read off the source cells by hand: marks are the columns where a glyph
(□ ◇ \\Diamond mulai SELESAI -) survives; inferred actors are those the text names as subject
or agent; decisions are those the ◇/Ya/Tidak marks locate.
"""

import re

import pytest

from alur.importers import cells as cellmod
from alur.importers.identity import find_nip, parse_date
from alur.importers.text import text_blocks
from alur.sop import dumps_yaml
from alur.sop.findings import Severity

from .conftest import SEEDS

M, J, H = "menit", "jam", "hari"

# id: (steps, actors, times, marked actors by step, inferred actors by step, decisions)
EXPECTED = {
    "penyusunan-sakip": (11, 4, ["10 menit", "10 menit", "10 menit", "1 minggu", "10 menit",
                                 "10 menit", "2 hari", "30 menit", "1 hari", "5 menit",
                                 "30 menit"], {}, {}, {}),
    "analisa-dan-kompetensi-jabatan": (
        8, 4, ["1 hari", "1 jam", "1 jam", "3 jam", "1 hari", "5 hari", "5 hari", "1 bln"],
        {1: ["kasubag"], 2: ["kabag"], 3: ["pengelola"], 4: ["tim-anjab"], 5: ["kasubag"],
         6: ["pengelola"], 7: ["tim-anjab"], 8: ["kasubag"]}, {}, {}),
    "penataan-kelembagaan": (
        6, 4, ["1 hari", "5 hari", "2 hari", "4 jam", "1 bln", "1 bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["kasubag"], 4: ["kabag"],
         5: ["tim-kelembagaan"], 6: ["kasubag"]}, {}, {}),
    "perjanjian-kinerja": (
        8, 4, ["1 hari", "1 Jam", "3 Jam", "30 Menit", "15 Menit", "1 Hari", "1 Bln", "1 Bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-perjanjian-kinerja"], 4: ["kasubag"],
         5: ["kabag"], 6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "laporan-kinerja": (
        8, 4, ["1 hari", "1 Jam", "3 Jam", "30 Menit", "15 Menit", "1 Hari", "1 Bln", "1 Bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-lkj"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    # An extra empty cell before Kelengkapan in every row: aligned by the Waktu cell.
    "pembinaan-budaya-kerja": (
        7, 4, ["5 hari", "5 hari", "10 hari", "5 hari", "1 bln", "5 hari", "2 hari"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["kasubag"], 4: ["kabag"], 5: ["tim-kbk"],
         6: ["kasubag"], 7: ["tim-kbk"]}, {}, {}),
    "standar-pelayanan-minimal": (
        8, 4, ["2 hari", "1 Jam", "3 Jam", "30 Menit", "15 Menit", "1 Hari", "1 Bln", "1 Bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-spm"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "indeks-kepuasan-masyarakat": (
        8, 4, ["2 hari", "1 jam", "3 Jam", "30 menit", "15 menit", "2 hari", "1 bln", "1 bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-ikm"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "pelayanan-publik": (
        8, 4, ["2 hari", "1 jam", "3 Jam", "30 menit", "3 Jam", "2 hari", "1 bln", "1 bln"],
        {}, {}, {}),
    "reformasi-birokrasi": (
        8, 4, ["2 hari", "1 jam", "3 Jam", "30 menit", "3 Jam", "2 hari", "1 bln", "1 bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-rb"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "standar-pelayanan-dan-standar-operasional-prosedur": (
        8, 4, ["2 hari", "3 hari", "3 jam", "1 jam", "30 menit", "1 hari", "1 bln", "1 bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-sp-dan-sop"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "tata-naskah-dinas": (
        8, 4, ["2 hari", "1 jam", "3 Jam", "30 menit", "15 menit", "2 hari", "1 bln", "1 bln"],
        {1: ["kasubag"], 2: ["pengelola"], 3: ["tim-tnd"], 4: ["kasubag"], 5: ["kabag"],
         6: ["kasubag"], 7: ["pengelola"], 8: ["kasubag"]}, {}, {}),
    "pengiriman-laporan-absensi": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "5 Menit"],
        {1: ["pns-dan-ptt"], 2: ["pengelola-kepegawaian"], 3: ["pengadm-umum"], 4: ["kabag"],
         5: ["pengadm-umum"], 6: ["pengelola-kepegawaian"]}, {}, {}),
    "daftar-urut-kepangkatan": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "5 Menit"],
        {1: ["pns"], 2: ["pengelola-kepegawaian"], 3: ["pengadm-umum"], 4: ["kabag"],
         5: ["pengadm-umum"], 6: ["pengelola-kepegawaian"]}, {}, {}),
    # No glyph survives; 'Tidak' in row 1 and 'Ya' in row 3 of one column locate the decision.
    "surat-ijin-cuti": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {}, {2: ["pengelola-kepegawaian"]}, {2: (3, 1)}),
    "pengajuan-kartu-pns-dan-kartu-istri-suami": (
        6, 4, ["10 Menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {1: ["pns"], 2: ["pengelola-kepegawaian"], 3: ["pengadm-umum"],
         4: ["pengadm-umum", "kabag"], 5: ["pengadm-umum", "kabag"],
         6: ["pengelola-kepegawaian", "pengadm-umum"]}, {}, {2: (3, 1)}),
    "pengajuan-kenaikan-gaji-berkala": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {}, {}, {}),
    # ◇ and 'Ya' survive but no 'Tidak': not enough for a decision, reported instead.
    "pengajuan-kenaikan-pangkat-pns": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {1: ["pns"], 2: ["pengelola-kepegawaian"], 3: ["pengadm-umum"],
         4: ["pengadm-umum", "kabag"], 5: ["pengadm-umum", "kabag"],
         6: ["pengelola-kepegawaian"]}, {}, {}),
    "surat-ijin-belajar": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {}, {}, {}),
    "penilaian-prestasi-kerja-ppk": (
        5, 4, ["10 menit", "10 Menit", "10 Menit", "10 Menit", "10 Menit"],
        {1: ["pns"], 2: ["pengelola-kepegawaian"], 3: ["ka-subag"], 4: ["kabag"],
         5: ["pengelola-kepegawaian"]}, {}, {}),
    "pengajuan-tanda-kehormatan-satyalancana-karya-satya-slks": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {}, {}, {}),
    "mutasi-pns-keluar-masuk": (
        6, 3, ["10 menit", "5 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {}, {}, {}),
    "pengajuan-pensiun-pns": (
        6, 4, ["10 menit", "10 Menit", "10 Menit", "5 Menit", "10 Menit", "10 Menit"],
        {1: ["pns"], 2: ["pengelola-kepegawaian"], 3: ["pengadm-umum"], 4: ["kabag"],
         5: ["kabag"], 6: ["pengelola-kepegawaian"]}, {}, {}),
    "surat-masuk": (3, 2, ["5 menit", "10 menit", "10 menit"], {}, {}, {}),
    "surat-keluar": (
        6, 5, ["5 menit", "10 menit", "10 menit", "5 menit", "15 menit", "20 menit"],
        {1: ["pengelola"], 4: ["kabag"], 5: ["pengadm-umum"], 6: ["kabag"]},
        {2: ["pengadm-umum"]}, {2: (3, 1)}),
    "pengarsipan-surat-masuk-keluar": (3, 2, ["5 menit", "10 menit", "10 menit"], {}, {}, {}),
    "pengkoordinir-penyusunan-skp": (
        10, 5, [None, "1 hari", "2 Jam", "2 Jam", "1 jam", "1 jam", "1 hari", "2 Jam",
                "5 menit", None],
        {6: ["kasubbag"], 7: ["kadis"]}, {2: ["pns"], 3: ["pns"]}, {}),
    # Seed 004 has no "Nama SOP": the id falls back to the file name.
    "sop-tanpa-nama": (
        14, 4, ["10 menit", "3 Jam", "1 Jam", "30 Menit", "2 Jam", "3 Jam", "4 Hari", "2 Hari",
                "1 hari", "1 Jam", "10 menit", "15 Menit", "1 Jam", None],
        {1: ["sekretaris"], 14: ["staf-jabatan-fungsional-umum"]}, {11: ["kepala-badan"]}, {}),
}


def test_all_28_sops_found_in_document_order(seed_import):
    assert [s.id for s in seed_import.sops] == list(EXPECTED)


@pytest.mark.parametrize("sop_id", list(EXPECTED))
def test_sop_matches_source(seed_sops, sop_id):
    steps, actors, times, marked, inferred, decisions = EXPECTED[sop_id]
    sop = seed_sops[sop_id]
    assert len(sop.steps) == steps
    assert len(sop.actors) == actors
    assert [s.time for s in sop.steps] == times
    assert {s.number: s.actors for s in sop.steps
            if s.actors and "actors" not in s.inferred} == marked
    assert {s.number: s.actors for s in sop.steps if "actors" in s.inferred} == inferred
    assert {s.number: (s.on_yes, s.on_no) for s in sop.steps if s.kind == "decision"} \
        == decisions
    for step in sop.steps:
        assert step.source is not None and step.source.line


def _findings(seed_import, sop_id, code):
    return [f for f in seed_import.findings if f.sop == sop_id and f.code == code]


def test_seed_001_identity_and_gap(seed_import, seed_sops):
    sop = seed_sops["penyusunan-sakip"]
    assert sop.name == "PENYUSUNAN SAKIP"
    assert sop.number == "SOP.014.SEKRE"
    assert sop.organization == ["PEMERINTAH KABUPATEN BANGKA TENGAH",
                                "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"]
    assert (sop.dates.created, sop.dates.revised, sop.dates.effective) == \
        ("2024-04", "2024-04", "2024-04")
    assert sop.approved_by.title == "KEPALA DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"
    assert sop.approved_by.name == "PADLILLAH, S.Pd.I., M.H."
    assert sop.approved_by.nip == "197701022006041004"
    assert len(sop.legal_basis) == 4 and sop.legal_basis[3].startswith("Pedoman Penyusunan SOP")
    assert sop.qualifications[0] == "Pendidikan minimal sarjana"
    assert len(sop.related) == 6 and len(sop.equipment) == 5
    assert sop.warnings == ["Apabila SOP tidak dilaksanakan maka penyusunan SAKIP akan terkendala"]
    assert sop.records == ["Notulensi hasil rapat"]
    assert [s.number for s in sop.steps] == [1, 2, 3, 4, 5, 6, 7, 8, 11, 12, 13]
    assert sop.steps[0].notes == "Lanjutan SOP Penanganan Surat Masuk"
    (gap,) = _findings(seed_import, "penyusunan-sakip", "step.gap")
    assert "langkah 9–10 tidak ada" in gap.message and gap.step == 11 and gap.line == 65
    assert len(_findings(seed_import, "penyusunan-sakip", "import.actor-unknown")) == 11
    (caption,) = _findings(seed_import, "penyusunan-sakip", "import.caption")
    assert caption.line == 53


def test_seed_002_has_no_identity_and_reports_it(seed_import, seed_sops):
    sop = seed_sops["surat-keluar"]
    assert sop.name == "SURAT KELUAR" and sop.number == "" and sop.organization == []
    codes = {f.code for f in seed_import.findings if f.sop == "surat-keluar"}
    assert {"identity.number", "identity.legal-basis", "identity.date-effective"} <= codes


def test_seed_002_surat_keluar_details(seed_import, seed_sops):
    sop = seed_sops["surat-keluar"]
    decision = sop.step(2)
    assert decision.kind == "decision" and decision.inferred == ["actors", "kind"]
    assert decision.activity[1] == "Jika revisi dikembalikan ke Pengelola"
    assert sop.step(5).inputs == ["Surat Agenda", "surat keluar", "Buku Ekspedisi"]
    (unused,) = _findings(seed_import, "surat-keluar", "import.label-unused")
    assert unused.step == 4 and "Kasubag" in unused.message
    (missing,) = _findings(seed_import, "surat-keluar", "import.actor-unknown")
    assert missing.step == 3 and missing.line == 304


def test_seed_002_shifted_columns_are_reported_per_row(seed_import):
    shifted = _findings(seed_import, "pembinaan-budaya-kerja", "import.columns-shifted")
    assert [f.step for f in shifted] == [1, 2, 3, 4, 5, 6, 7]
    assert all(f.severity is Severity.WARNING for f in shifted)


def test_seed_002_pangkat_and_pensiun_incomplete_decisions(seed_import):
    for sop_id in ("pengajuan-kenaikan-pangkat-pns", "pengajuan-pensiun-pns"):
        (finding,) = _findings(seed_import, sop_id, "import.decision-incomplete")
        assert finding.step == 2 and "◇" in finding.message


def test_seed_002_cell_lists(seed_sops):
    sop = seed_sops["analisa-dan-kompetensi-jabatan"]
    assert sop.step(1).activity == [
        "Mempelajari SK Tim penyusunan analisa dan kompetensi jabatan",
        "Menyusun langkah-langkah teknis kegiatan",
        "Konsultasi dan koordinasi perumusan, penyusunan program kerja dan kebijakan analisa "
        "dan kompetensi jabatan",
        "Koordinasi dengan Kabag untuk mengundang petugas yg membidangi dari SKPD."]
    assert sop.step(4).outputs == ["Sosialisasi", "Penyusunan Anjab"]
    kbk = seed_sops["pembinaan-budaya-kerja"]
    assert kbk.step(2).inputs == ["Pedoman KBK", "Data SKPD"]
    # Hyphenated words broken by the extract stay whole ("Agen- da").
    absensi = seed_sops["pengiriman-laporan-absensi"]
    assert absensi.step(3).outputs == ["Surat", "Agen- da surat keluar"]


def test_seed_003_identity_sections_and_signature(seed_import, seed_sops):
    sop = seed_sops["pengkoordinir-penyusunan-skp"]
    assert sop.number == "PUSTAKA"
    assert sop.organization == ["DINAS PERPUSTAKAAN DAN KEARSIPAN KABUPATEN TANJUNG JABUNG BARAT"]
    assert sop.dates.created == "2021-03" and sop.dates.effective is None
    assert sop.approved_by.title == \
        "Kepala Dinas Perpustakaan dan Kearsipan Kab. Tanjung Jabung Barat"
    assert sop.approved_by.name == "DAHLAN, S.Sos, MM"
    assert sop.approved_by.nip == "196701081991021001"
    assert sop.qualifications[:2] == ["Pendidikan D3/S1", "Memahami Tata Naskah Dinas"]
    assert sop.equipment == ["Peraturan Perundang-undangan", "Alat tulis kantor",
                             "Komputer, laptop", "Lembar disposisi Stofmap"]
    assert sop.related == ["Internal dan Eksternal"]
    assert sop.warnings[0].startswith("PNS yang tidak menyusun SKP")
    assert [s.title for s in sop.sections] == [
        "Latar Belakang", "Maksud dan Tujuan", "Ruang Lingkup", "Prosedur Penyusunan",
        "Persyaratan", "Sarana dan prasarana penyusunan", "Biaya penyusunan",
        "Tempat penyusunan", "Jadwal penyusunan",
        "Penanganan tindak lanjut pengaduan / keluhan / masukan"]
    assert sop.sections[6].text == "Tidak ada"
    assert (sop.steps[0].kind, sop.steps[-1].kind) == ("start", "end")
    codes = [f.code for f in seed_import.findings if f.sop == sop.id]
    assert codes.count("import.truncated-list") == 2
    assert {"import.signature", "import.garbled", "import.weak-mark",
            "import.decision-incomplete"} <= set(codes)
    # The year line of the signature block ("2021") never becomes a step.
    assert all(s.number < 100 for s in sop.steps)
    junk = [f for f in seed_import.findings if f.sop == sop.id and
            f.code == "import.unrecognised"]
    assert [f.line for f in junk] == [1, 2]


def test_seed_004_html_identity_and_missing_output_header(seed_import, seed_sops):
    sop = seed_sops["sop-tanpa-nama"]
    assert sop.name == ""
    assert sop.number == "060/712 / KESBAN/201 - 1"
    assert sop.organization == ["PROVINSI KEPULAUAN BANGKA BELITUNG",
                                "BADAN KESATUAN BANGSA DAN POLITIK", "BAGIAN SEKRETARIAT",
                                "SUBBAG PERENCANAAN DAN PELAPORAN"]
    assert (sop.dates.created, sop.dates.revised, sop.dates.effective) == \
        ("2019-10-03", "2020-10-03", "2019-10-03")
    assert (sop.approved_by.title, sop.approved_by.name, sop.approved_by.nip) == \
        ("Kepala Badan", "Drs. H. Tarmin, M.Si.", "196312231986031006")
    assert sop.related == ["SOP Pengumpulan Data", "SOP Pelaksanaan Rapat"]
    assert len(sop.legal_basis) == 4 and len(sop.equipment) == 3
    # Output is read from the unlabelled cell after Waktu, Keterangan from the next one.
    assert sop.step(1).outputs == ["Disposisi Surat"]
    assert sop.step(5).outputs == ["Draf Renja"] and sop.step(5).notes == "SOP Pelaksanaan Rapat"
    assert sop.step(2).notes == ""
    assert sop.steps[-1].kind == "end" and sop.steps[-1].inferred == ["number"]
    assert len(_findings(seed_import, sop.id, "import.columns-shifted")) == 12
    (typo,) = _findings(seed_import, sop.id, "import.actor-inferred")
    assert typo.step == 11 and "Kepala Banda" in typo.message
    (no_name,) = _findings(seed_import, sop.id, "import.no-name")
    assert no_name.severity is Severity.ERROR


_STRUCTURE = re.compile(
    r"^(no\.?|kegiatan( / aktivitas)?|aktivitas|pelaksana|mutu baku|kelengkapan|"
    r"persyaratan/ kelengkapan|waktu|output|keterangan|disahkan oleh,?|nomor sop|no\. sop|"
    r"tanggal (pembuatan|revisi|efektif|pengesahan)|nama sop|dasar hukum ?:?|"
    r"kualifikasi pelaksana(an)? ?:?|keterkaitan ?:?|peralatan ?/ ?perlengkapan ?:?|"
    r"peringatan ?:?|pencatatan dan pendataan ?:?|[□◇-]|\\diamond|ya|tidak|mulai|selesai|"
    r"[a-j]\. .*|- [a-j]\. .*|\d+\.?)$", re.IGNORECASE)


def _norm(text):
    return re.sub(r"[^a-z0-9]+", "", text.lower())


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name[:3])
def test_nothing_from_the_source_is_lost(seed, seed_import):
    """Every cell's text is in an SOP (fields, sections) or quoted in a finding."""
    haystack = _norm("".join(dumps_yaml(s) for s in seed_import.sops) +
                     "".join(f.message for f in seed_import.findings))
    lost = []
    for block in text_blocks(seed.read_text(encoding="utf-8")):
        for raw in block.cells:
            for piece in cellmod.cell_items(raw) or [cellmod.cell_text(raw)]:
                text = cellmod.fold(piece)
                if not text or _STRUCTURE.match(text):
                    continue
                key = _norm(text.split(":", 1)[-1] if text.lower().startswith(
                    ("nomor sop", "no. sop")) else text)
                iso = parse_date(text.lstrip(": "))
                nip, rest = find_nip(text)
                keys = [_norm(iso)] if iso else [_norm(nip), _norm(rest)] if nip else \
                    [_norm(text.removeprefix("SOP ")), key]
                # Long items: their first 40 characters are enough to find them.
                if all(k[:40] not in haystack for k in keys if k):
                    lost.append((block.line, text[:60]))
    assert lost == []
