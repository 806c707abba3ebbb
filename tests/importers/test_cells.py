import pytest

from alur.importers.cells import Mark, cell_items, cell_text, read_mark, split_bullets


@pytest.mark.parametrize(("raw", "items"), [
    ("Surat & berkas", ["Surat & berkas"]),
    ("- Sosialisasi - Penyusunan Anjab", ["Sosialisasi", "Penyusunan Anjab"]),
    ("-Pedoman KBK -Data SKPD", ["Pedoman KBK", "Data SKPD"]),
    ("- Surat - Agen- da surat keluar", ["Surat", "Agen- da surat keluar"]),
    ("• Agenda surat masuk • Lembar disposisi", ["Agenda surat masuk", "Lembar disposisi"]),
    ('<ul style="x"> - a; - b, </ul>', ["a", "b"]),
    ("<ol><li>Satu;</li> <li>Dua</li></ol>", ["Satu", "Dua"]),
    ("<p><b>A</b></p> <p><b>B</b></p>", ["A", "B"]),
    ("Peraturan-peraturan Bupati", ["Peraturan-peraturan Bupati"]),
    ("Satu<br>Dua", ["Satu", "Dua"]),
    ("   ", []),
    ("a &amp; b", ["a & b"]),
])
def test_cell_items(raw, items):
    assert cell_items(raw) == items


def test_cell_text_folds_html_and_space():
    assert cell_text(" <p>Drs. H. Tarmin,\xa0 M.Si.</p>") == "Drs. H. Tarmin, M.Si."
    assert cell_text("<img alt='◇'>") == "◇"


def test_split_bullets_leaves_plain_text_whole():
    assert split_bullets("Mempelajari SK Tim; Menyusun langkah") == \
        ["Mempelajari SK Tim; Menyusun langkah"]


@pytest.mark.parametrize(("raw", "mark"), [
    ("□", Mark.PROCESS), ("◇", Mark.DECISION), ("\\Diamond", Mark.DECISION),
    ("mulai", Mark.START), ("SELESAI", Mark.END), ("-", Mark.WEAK), ("Ya ", Mark.YES),
    ("Tidak", Mark.NO), ("", None), ("Kabag", None),
])
def test_read_mark(raw, mark):
    assert read_mark(raw) == mark
