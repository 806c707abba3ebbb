"""What follows the procedure table: narrative sections (A. Latar Belakang …) and the
signature block (place and date, "Disahkan oleh", title, name, rank, NIP).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from .blocks import Block
from .identity import find_nip, looks_like_person

_SECTION = re.compile(r"^(?:[-•]\s*)?([A-Z]|[IVX]{1,4})\.\s+(\S.{0,80})$")
_SIGNED = re.compile(r"^(disahkan|ditetapkan)\s+(oleh|di)\b.*$", re.IGNORECASE)


def section_heading(text: str) -> str | None:
    """'A. Latar Belakang' or '- I. Jadwal penyusunan' → the title without its letter."""
    match = _SECTION.match(text.strip())
    if not match:
        return None
    title = match.group(2).strip()
    # A numbered sentence ("A. PNS mengambil form …") is not a heading: headings are short.
    return title if len(title.split()) <= 10 and not title.endswith(".") else None


def is_garbled(text: str) -> bool:
    """True when letters from another script slipped in (an encoding or OCR accident)."""
    for char in text:
        if char.isalpha() and ord(char) > 0x24F and not (0x1E00 <= ord(char) <= 0x1EFF):
            name = unicodedata.name(char, "")
            if not name.startswith(("LATIN", "GREEK SMALL LETTER MU")):
                return True
    return False


@dataclass
class Signature:
    """A signature block: the lines it had and what they say."""

    line: int
    lines: list[Block] = field(default_factory=list)
    place_date: str = ""
    title: str = ""
    name: str = ""
    rank: str = ""
    nip: str = ""
    garbled: list[Block] = field(default_factory=list)


def signature_start(blocks: list[Block]) -> int | None:
    """Index where a signature block begins: a place/date line just before 'Disahkan oleh'."""
    for index, block in enumerate(blocks):
        if not block.is_row and _SIGNED.match(block.text.strip().rstrip(",")):
            start = index
            while start > 0 and index - start < 2:
                previous = blocks[start - 1].text.strip()
                if len(previous) <= 40 and (previous.endswith(",") or
                                            re.fullmatch(r"[\d\s\w]*\d{4}", previous)):
                    start -= 1
                else:
                    break
            return start
    return None


def read_signature(blocks: list[Block]) -> Signature:
    signature = Signature(line=blocks[0].line, lines=list(blocks))
    phase = "place"
    titles: list[str] = []
    for block in blocks:
        text = block.text.strip()
        if is_garbled(text):
            signature.garbled.append(block)
            continue
        if phase == "place":
            if _SIGNED.match(text.rstrip(",")):
                phase = "title"
            else:
                signature.place_date = f"{signature.place_date} {text}".strip()
            continue
        nip, _rest = find_nip(text)
        if nip:
            signature.nip = nip
            continue
        if phase == "title" and looks_like_person(text):
            signature.name = text
            phase = "rank"
        elif phase == "title":
            titles.append(text)
        elif phase == "rank":
            signature.rank = f"{signature.rank} {text}".strip()
    signature.title = " ".join(titles)
    return signature
