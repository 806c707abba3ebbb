"""What one document may hold: SOPs past `MAX_SOPS_PER_FILE` and steps past
`MAX_STEPS_PER_SOP` are left out with one finding that says from where, in tab-separated text,
HTML and text copied out of a PDF alike. The caps are lowered here so the documents stay small;
the real bounds are checked to be the ones `read_text` uses."""

from __future__ import annotations

import pytest

import alur.importers as importers
from alur.importers import read_text


def _tsv_headings(count: int) -> str:
    return "".join(f"SOP PELAYANAN NOMOR {n}\n"
                   "No\tKegiatan\tStaf\tKelengkapan\tWaktu\tOutput\tKeterangan\n"
                   f"1\tMenerima berkas {n}\tv\tBerkas\t10 menit\tBerkas\t-\n"
                   for n in range(1, count + 1))


def _copy_headings(count: int) -> str:
    return "".join(f"SOP PELAYANAN NOMOR {n}\nPelaksana Mutu Baku\nNo Kegiatan Keterangan\n"
                   f"Staf Kelengkapan Waktu Output\n1 Menerima berkas {n}. Berkas 10 menit "
                   "Berkas\n" for n in range(1, count + 1))


def _tsv_steps(count: int) -> str:
    return "SOP PEMERIKSAAN\nNo\tKegiatan\tStaf\tKelengkapan\tWaktu\tOutput\tKeterangan\n" + \
        "".join(f"{n}\tMemeriksa berkas {n}\tv\tBerkas\t5 menit\tBerkas\t\n"
                for n in range(1, count + 1)) + "\nDisahkan oleh Kepala Dinas\n"


@pytest.fixture
def small_caps(monkeypatch):
    monkeypatch.setattr(importers, "MAX_SOPS_PER_FILE", 4)
    monkeypatch.setattr(importers, "MAX_STEPS_PER_SOP", 6)


def _cuts(result, code):
    return [f for f in result.findings if f.code == code]


@pytest.mark.parametrize("make", [_tsv_headings, _copy_headings], ids=["tsv", "pdf-copy"])
def test_sops_past_the_cap_are_left_out_with_one_finding(small_caps, make):
    text = make(9)
    result = read_text(text, file="buku.txt")
    assert [s.name for s in result.sops] == [f"PELAYANAN NOMOR {n}" for n in range(1, 5)]
    cut = _cuts(result, "import.cap-sops")
    assert len(cut) == 1 and cut[0].file == "buku.txt"
    fifth = text.splitlines().index("SOP PELAYANAN NOMOR 5") + 1
    assert cut[0].line == fifth and f"baris {fifth}" in cut[0].message
    # Nothing past the cap is read, so nothing past it is reported either.
    assert all(f.line is None or f.line <= fifth for f in result.findings)


def test_document_within_the_cap_is_read_whole(small_caps):
    result = read_text(_tsv_headings(4), file="buku.txt")
    assert len(result.sops) == 4 and not _cuts(result, "import.cap-sops")


def test_steps_past_the_cap_are_left_out_and_the_text_after_the_table_kept(small_caps):
    text = _tsv_steps(10)
    result = read_text(text, file="panjang.txt")
    sop = result.sops[0]
    assert [s.number for s in sop.steps] == [1, 2, 3, 4, 5, 6]
    cut = _cuts(result, "import.cap-steps")
    seventh = text.splitlines().index(next(line for line in text.splitlines()
                                           if line.startswith("7\t"))) + 1
    assert len(cut) == 1 and cut[0].line == seventh and cut[0].sop == sop.id
    # The text under the table is still read (here: reported as text the SOP does not use).
    last = len(text.splitlines())
    assert any(f.line == last for f in result.findings if f.code != "import.cap-steps")


def test_html_tables_are_capped_too(small_caps):
    rows = "".join(f"<tr><td>{n}</td><td>Memeriksa berkas {n}</td><td>v</td><td>Berkas</td>"
                   f"<td>5 menit</td><td>Berkas</td><td></td></tr>" for n in range(1, 9))
    page = ("<html><body><h1>SOP PEMERIKSAAN</h1><table><tr><th>No</th><th>Kegiatan</th>"
            "<th>Staf</th><th>Kelengkapan</th><th>Waktu</th><th>Output</th>"
            f"<th>Keterangan</th></tr>{rows}</table></body></html>")
    result = read_text(page, file="p.html")
    assert len(result.sops[0].steps) == 6 and _cuts(result, "import.cap-steps")


def test_the_caps_are_named_constants_of_the_entry():
    assert importers.MAX_SOPS_PER_FILE >= 100 and importers.MAX_STEPS_PER_SOP >= 200
    result = read_text(_tsv_headings(importers.MAX_SOPS_PER_FILE + 1), file="buku.txt")
    assert len(result.sops) == importers.MAX_SOPS_PER_FILE
    assert len(_cuts(result, "import.cap-sops")) == 1
