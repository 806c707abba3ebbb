"""The one reading of the words on a decision's exits, shared by every importer."""

from __future__ import annotations

import pytest

from alur.importers.bpmn import classify
from alur.importers.exit_words import branch_of
from alur.importers.mermaid import exit_side


@pytest.mark.parametrize(("text", "branch"), [
    ("Ya", "yes"), ("ya.", "yes"), ("Y", "yes"), ("Lengkap", "yes"), ("Disetujui", "yes"),
    ("Sudah sesuai", "yes"), ("OK", "yes"), ("Memenuhi syarat", "yes"),
    ("Tidak", "no"), ("T", "no"), ("Tidak lengkap", "no"), ("Belum sesuai", "no"),
    ("Kurang lengkap", "no"), ("Ditolak", "no"), ("Perlu perbaikan", "no"),
    ("Perlu revisi", "no"), ("Dikembalikan", "no"), ("Kembali ke langkah 2", "no"),
    ("(Tidak)", "no"),
])
def test_exit_words(text, branch):
    assert branch_of(text) == branch
    assert exit_side(text) == branch
    assert classify(text) == {"yes": "ya", "no": "tidak"}[branch]


@pytest.mark.parametrize("text", ["melalui surel", "loket", "Perlu", "Berkas masuk",
                                  "", "12", "tidak ada yang perlu dilakukan oleh staf di sini"])
def test_remarks_and_sentences_are_no_exits_words(text):
    assert branch_of(text) is None
