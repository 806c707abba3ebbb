"""What an SOP table says in words where other tables draw or mark it.

- Decision exits written out, in Keterangan or in the activity: "Keputusan: disetujui → langkah
  8; ditolak → langkah 9", "jika tidak lengkap, kembali ke langkah 2", alur's own spreadsheet
  note "Ya → 3 / Tidak → 1", and a plain jump "Lanjut → 7".
- Actors named in one text column ("Pelaksana", "Unit/Pejabat Terkait") instead of one column
  per actor: "Kasubag, Staf", "Kabag dan Sekretaris", "Kasi / Staf", one per line.

Both are read here, from text alone, so every reader (text, HTML, Word, Excel, PDF) gets them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .cells import cell_pieces, fold
from .exit_words import branch_of

# "<words> → (langkah) N", "jika <words>, kembali ke langkah N", "<words>: lanjut ke no. 5".
_CLAUSE = re.compile(
    r"(?:(?:jika|apabila|bila|kalau|bilamana)\s+)?"
    r"(?P<words>[A-Za-z][A-Za-z ]{0,40}?)\s*[,:]?\s*"
    r"(?:→|->|=>|⇒|maka|lalu)?\s*"
    r"(?:(?:kembali|lanjut|dilanjutkan|dikembalikan|diteruskan|menuju|masuk|proses)\s*)?"
    r"(?:ke\s+)?(?:langkah|kegiatan|no\.?|nomor|step|tahap)\s*(?P<target>\d{1,3})\b",
    re.IGNORECASE)
_ARROW = re.compile(r"(?P<words>[A-Za-z][A-Za-z ]{0,40}?)\s*(?:→|->|=>|⇒)\s*(?P<target>\d{1,3})\b")
_ONLY_EXITS = re.compile(r"^\s*(?:[A-Za-z][A-Za-z ]{0,40}?\s*(?:→|->|=>|⇒)\s*\d{1,3}\s*"
                         r"[/;,]?\s*)+$")
# What every exit needs: an arrow or a step word before a number. Texts without it (most
# cells) skip the two patterns above, whose lazy word runs are slow on long cells.
_CUE = re.compile(r"(?:→|->|=>|⇒|langkah|kegiatan|no\.?|nomor|step|tahap)\s*\d", re.IGNORECASE)
_LEAD = re.compile(r"^(keputusan|hasil|catatan|ket\.?|keterangan)\s*:\s*", re.IGNORECASE)


@dataclass(frozen=True)
class WordedExits:
    """Exits found in a step's words: targets by branch, the words as written, and whether
    the text was nothing but exits (alur's own note, to be dropped from Keterangan)."""

    yes: tuple[int, str] | None = None
    no: tuple[int, str] | None = None
    jump: int | None = None
    quote: str = ""
    only_exits: bool = False


def worded_exits(text: str) -> WordedExits | None:
    """The exits a text states, or None when it states none."""
    plain = fold(text)
    if not plain or not _CUE.search(plain):
        return None
    yes = no = None
    jump = None
    quotes: list[str] = []
    seen: set[int] = set()
    only = bool(_ONLY_EXITS.match(plain))
    for pattern in (_ARROW, _CLAUSE):
        for match in pattern.finditer(plain):
            if match.start() in seen:
                continue
            seen.add(match.start())
            words, branch = _branch_words(match.group("words"))
            target = int(match.group("target"))
            if words and len(words.split()) < len(_LEAD.sub("", match.group("words")).split()):
                only = False  # more than the exit's own words: a note that names an exit
            if branch == "yes" and yes is None:
                yes = (target, words)
            elif branch == "no" and no is None:
                no = (target, words)
            elif branch is None and words:
                jump = target
            else:
                continue
            quotes.append(match.group(0).strip())
    if yes is None and no is None and jump is None:
        return None
    return WordedExits(yes, no, jump, "; ".join(quotes), only)


def _branch_words(text: str) -> tuple[str, str | None]:
    """The words right before an exit's target that say its branch ('tidak lengkap' in 'berkas
    tidak lengkap → 2'): the longest of the last four words that reads as Ya/Tidak or
    'lanjut'; ('', None) when none does."""
    words = _LEAD.sub("", text.strip()).split()
    for size in range(min(4, len(words)), 0, -1):
        tail = " ".join(words[-size:])
        tail = re.sub(r"^(?:jika|apabila|bila|kalau)\s+", "", tail, flags=re.I).strip()
        branch = branch_of(tail)
        if branch or re.fullmatch(r"(lanjut|selanjutnya|next)", tail, re.I):
            return tail, branch
    return "", None


_ACTOR_SPLIT = re.compile(r"\s*(?:,|;|/|&|\+|\bdan\b|\n)\s*", re.IGNORECASE)


def actor_names(raw: str) -> list[str]:
    """The actors one 'Pelaksana' cell names, in order: split at commas, 'dan', '/', '&' and
    line breaks; bullets and numbers dropped."""
    names: list[str] = []
    for piece in cell_pieces(raw):
        for part in _ACTOR_SPLIT.split(piece):
            name = re.sub(r"^\s*(?:[-•·*]|\d+[.)])\s*", "", part).strip(" .:-")
            if name and name.lower() not in (n.lower() for n in names):
                names.append(name)
    return names
