"""Reading one table cell: HTML fragments, bullets, numbered items and flowchart symbols.

Cells in real SOP extracts mix inline HTML (`<ul><li>`, `<p><b>`), "- " and "•" bullets typed
by hand, and the odd surviving flowchart glyph. Everything that interprets a cell's content lives
here so the text and HTML importers agree on it.
"""

from __future__ import annotations

import html
import re
from enum import StrEnum
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

_TAG = re.compile(r"<[a-zA-Z/!][^>]*>")
_SPACE = re.compile(r"\s+")
_BLOCK_TAGS = {"li", "p", "div", "br", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "dt", "dd"}
_BULLET_START = re.compile(r"^\s*[-•·▪◦*]\s*")
# A bullet inside a cell: a dash or dot preceded by whitespace (so "Agen- da" and
# "Peraturan-peraturan" are not split) or at the very start.
_BULLET_SPLIT = re.compile(r"(?:^|\s)[-•·▪◦]\s*(?=\S)")
_NUMBERED_ITEM = re.compile(r"^\s*\d{1,2}[.)]\s+")
_TRAILING_SEPARATOR = re.compile(r"[\s;,]+$")


def fold(text: str) -> str:
    """Collapse whitespace (including non-breaking spaces) and strip."""
    # str.split() splits at exactly the characters `\s` matches (non-breaking space too),
    # several times faster than a regular expression on the many cells a document holds.
    return " ".join(text.split())


@lru_cache(maxsize=4096)
def _fragments(raw: str) -> tuple[str, ...]:
    """Text pieces of an HTML fragment, split at list items, paragraphs and line breaks."""
    try:
        root = lxml_html.fragment_fromstring(raw, create_parent="div")
    except (etree.ParserError, ValueError):
        return (fold(html.unescape(_TAG.sub(" ", raw))),)
    pieces: list[str] = []
    current: list[str] = []

    def flush() -> None:
        text = fold("".join(current))
        if text:
            pieces.append(text)
        current.clear()

    def walk(element: etree._Element) -> None:
        tag = element.tag if isinstance(element.tag, str) else ""
        if tag == "img":
            current.append(" " + (element.get("alt") or "") + " ")
        block = tag.lower() in _BLOCK_TAGS
        if block:
            flush()
        if element.text and tag not in ("script", "style"):
            current.append(element.text)
        for child in element:
            walk(child)
        if block:
            flush()
        if element.tail:
            current.append(element.tail)

    current.append(root.text or "")
    for child in root:
        walk(child)
    flush()
    return tuple(pieces)


def cell_pieces(raw: str) -> list[str]:
    """The separate pieces of a cell as HTML structure gives them (no bullet splitting)."""
    if "<" in raw and _TAG.search(raw):
        return list(_fragments(raw))
    text = fold(html.unescape(raw) if "&" in raw else raw)
    return [text] if text else []


def cell_text(raw: str) -> str:
    """The cell as one plain line."""
    return " ".join(cell_pieces(raw))


def split_bullets(text: str) -> list[str]:
    """`- a; - b` or `• a • b` into items; text that does not start with a bullet stays whole."""
    if not _BULLET_START.match(text) and "•" not in text:
        return [text]
    return [item for part in _BULLET_SPLIT.split(text) if (item := clean_item(part))]


def clean_item(text: str) -> str:
    """An item without its bullet, number or trailing list separator."""
    text = _BULLET_START.sub("", text)
    text = _NUMBERED_ITEM.sub("", text)
    return _TRAILING_SEPARATOR.sub("", text).strip()


def cell_items(raw: str) -> list[str]:
    """The cell as a list of items (HTML list items, paragraphs, typed bullets)."""
    items: list[str] = []
    for piece in cell_pieces(raw):
        items.extend(split_bullets(piece) if piece else [])
    return [i for i in (clean_item(i) for i in items) if i]


class Mark(StrEnum):
    """What a surviving glyph in an actor column says."""

    PROCESS = "process"
    DECISION = "decision"
    START = "start"
    END = "end"
    WEAK = "weak"  # a dash or arrow remnant: the column is marked, the symbol is unknown
    YES = "ya"
    NO = "tidak"


_MARKS = {
    "□": Mark.PROCESS, "▭": Mark.PROCESS, "☐": Mark.PROCESS, "■": Mark.PROCESS,
    "▯": Mark.PROCESS, "[ ]": Mark.PROCESS, "\\square": Mark.PROCESS, "\\box": Mark.PROCESS,
    "◇": Mark.DECISION, "◆": Mark.DECISION, "♢": Mark.DECISION, "⬦": Mark.DECISION,
    "⬥": Mark.DECISION, "\\diamond": Mark.DECISION, "<>": Mark.DECISION,
    "mulai": Mark.START, "start": Mark.START,
    "selesai": Mark.END, "end": Mark.END, "finish": Mark.END,
    "○": Mark.PROCESS, "⬭": Mark.START,
    "-": Mark.WEAK, "–": Mark.WEAK, "→": Mark.WEAK, "↓": Mark.WEAK, "↑": Mark.WEAK,
    "←": Mark.WEAK, "x": Mark.WEAK, "v": Mark.WEAK, "√": Mark.WEAK, "✓": Mark.WEAK,
    "ya": Mark.YES, "y": Mark.YES, "benar": Mark.YES, "lengkap": Mark.YES, "sesuai": Mark.YES,
    "setuju": Mark.YES,
    "tidak": Mark.NO, "t": Mark.NO, "salah": Mark.NO, "tidak lengkap": Mark.NO,
    "tidak sesuai": Mark.NO, "tidak setuju": Mark.NO,
}


def read_mark(raw: str) -> Mark | None:
    """The mark a cell holds, or None when it is empty or holds other text."""
    text = fold(cell_text(raw)).lower().strip(" .:")
    return _MARKS.get(text) if text else None


