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

from .cells import branch_of, cell_pieces, fold

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
    if not plain or not re.search(r"\d", plain):
        return None
    yes = no = None
    jump = None
    quotes: list[str] = []
    seen: set[int] = set()
    for pattern in (_ARROW, _CLAUSE):
        for match in pattern.finditer(plain):
            if match.start() in seen:
                continue
            seen.add(match.start())
            words = _LEAD.sub("", match.group("words").strip())
            words = re.sub(r"^(?:jika|apabila|bila|kalau)\s+", "", words, flags=re.I).strip()
            target = int(match.group("target"))
            branch = branch_of(words)
            if branch == "yes" and yes is None:
                yes = (target, words)
            elif branch == "no" and no is None:
                no = (target, words)
            elif branch is None and re.fullmatch(r"(lanjut|selanjutnya|next)", words, re.I):
                jump = target
            else:
                continue
            quotes.append(match.group(0).strip())
    if yes is None and no is None and jump is None:
        return None
    return WordedExits(yes, no, jump, "; ".join(quotes), bool(_ONLY_EXITS.match(plain)))


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
