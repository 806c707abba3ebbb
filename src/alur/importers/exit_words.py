"""The words people write on a decision's exits, read once for every importer: "Ya",
"Lengkap", "Disetujui" are its Ya exit; "Tidak", "Tidak lengkap", "Ditolak", "Perlu
perbaikan", "Dikembalikan" its Tidak exit.

The first word decides (a leading negation on its own: "tidak lengkap", "belum sesuai"), after
"perlu" ("perlu revisi"); a text longer than a label is no exit's words, so a remark written
over the flowchart ("melalui surel") or a sentence is never read as one.
"""

from __future__ import annotations

import re
from typing import Literal

Branch = Literal["yes", "no"]

MAX_WORDS = 6
_NEGATIONS = {"tidak", "tdk", "tak", "bukan", "belum", "kurang", "no", "not", "non"}
_NO_WORDS = {"salah", "ditolak", "tolak", "menolak", "revisi", "perbaikan", "diperbaiki",
             "dikembalikan", "kembalikan", "kembali", "gagal", "batal", "dibatalkan", "keliru",
             "cacat", "invalid", "false", "reject", "rejected", "declined", "ditunda", "tunda"}
_YES_WORDS = {"ya", "yes", "benar", "lengkap", "sesuai", "setuju", "disetujui", "menyetujui",
              "diterima", "terima", "ok", "oke", "memenuhi", "layak", "valid", "sah", "lulus",
              "lolos", "diparaf", "paraf", "acc", "sudah", "approved", "approve", "accepted",
              "true", "cocok", "tepat", "cukup"}
# Letters that are an exit's words only standing alone.
_ALONE = {"y": "yes", "t": "no", "n": "no"}
_WORD = re.compile(r"[^\W\d_]+")


def branch_of(text: str) -> Branch | None:
    """'yes', 'no' or None for the words written on an exit."""
    words = _WORD.findall(text.lower())
    if not words or len(words) > MAX_WORDS:
        return None
    if len(words) == 1 and words[0] in _ALONE:
        return "yes" if _ALONE[words[0]] == "yes" else "no"
    first = words[1] if words[0] == "perlu" and len(words) > 1 else words[0]
    if first in _NEGATIONS or first in _NO_WORDS:
        return "no"
    if first in _YES_WORDS:
        return "yes"
    return None
