"""Lines of a PDF cell rejoined: a word broken between letters is glued back, a word that
only fills its line is kept apart from the next."""

from __future__ import annotations

from collections import Counter

from alur.importers.grid import Box
from alur.importers.pdf_text import paragraphs, vocabulary


def _word(text: str, x0: float, top: float, width: float) -> dict:
    return {"text": text, "x0": x0, "x1": x0 + width, "top": top, "bottom": top + 8, "size": 8}


BOX = Box(0, 0, 60, 40)


def test_a_word_broken_between_letters_is_glued_back():
    lines = [[_word("Pengadministras", 1, 2, 58)], [_word("i", 1, 12, 3), _word("Umum", 6, 12, 20)]]
    assert paragraphs(lines, BOX, Counter()) == ["Pengadministrasi Umum"]


def test_a_whole_word_filling_its_line_keeps_its_space():
    lines = [[_word("Penandatanganan", 1, 2, 58)], [_word("surat", 1, 12, 20)]]
    page = vocabulary([_word("surat", 0, 0, 1), _word("surat", 0, 0, 1)])
    assert paragraphs(lines, BOX, page) == ["Penandatanganan surat"]


def test_a_piece_the_page_never_uses_alone_is_still_glued():
    lines = [[_word("Pemberkasan", 1, 2, 58)], [_word("kan", 1, 12, 12)]]
    page = vocabulary([_word("surat", 0, 0, 1), _word("kan", 0, 0, 1)])
    assert paragraphs(lines, BOX, page) == ["Pemberkasankan"]
