"""Words into lines and paragraphs: a PDF keeps only placed words, so where a cell's line
was broken for width (and joins the next) or ends a paragraph is recovered from the geometry.
"""

from __future__ import annotations

import html
import re
from collections import Counter

from .grid import Box
from .pdf_geometry import Word


def text_lines(words: list[Word]) -> list[list[Word]]:
    """Words grouped into lines (by their vertical middle), top to bottom, left to right."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: ((w["top"] + w["bottom"]) / 2, w["x0"])):
        middle = (word["top"] + word["bottom"]) / 2
        if lines:
            last = lines[-1]
            last_middle = sum((w["top"] + w["bottom"]) / 2 for w in last) / len(last)
            if abs(middle - last_middle) <= 0.35 * max(float(word.get("size") or 8), 1.0):
                last.append(word)
                continue
        lines.append([word])
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def joined(line: list[Word]) -> str:
    return " ".join(w["text"] for w in line)


_PARAGRAPH_START = re.compile(r"^(?:[-•·▪◦*]|\d{1,2}[.)]|[a-zA-Z][.)])(?:\s|$)")


def _centred(lines: list[list[Word]]) -> bool:
    middles = [(line[0]["x0"] + line[-1]["x1"]) / 2 for line in lines]
    lefts = [line[0]["x0"] for line in lines]
    return len(lines) > 1 and max(middles) - min(middles) < 1.0 and max(lefts) - min(lefts) > 1.0


def _continues(previous: list[Word], line: list[Word], box: Box, pad: float, listed: bool,
               centred: bool) -> bool:
    """Whether `line` goes on with the paragraph of `previous`. In a cell whose items are
    marked ('- ', '1.'), every unmarked line does; otherwise a line does when the one before
    was full — its next word would not have fitted — and no wider gap stands between them.
    (Two unmarked items, the first filling its line, look the same as one item wrapped: the
    PDF cannot tell them apart, and they are read as one.)"""
    if _PARAGRAPH_START.match(joined(line)):
        return False
    size = float(previous[-1].get("size") or 8)
    if line[0]["top"] - previous[-1]["bottom"] > 0.8 * size:
        return False
    if listed:
        return True
    first = line[0]["x1"] - line[0]["x0"]
    space = 0.318 * size
    if centred:     # the next word would widen the line on both sides
        return bool(previous[-1]["x1"] - previous[0]["x0"] + space + first
                    > box.w - 2 * pad + 0.05)
    return bool(previous[-1]["x1"] + space + first > box.x1 - pad + 0.05)


def _broken_word(previous: list[Word], line: list[Word], box: Box, pad: float,
                 vocabulary: Counter[str] | None = None) -> bool:
    """Whether a word too long for its column was broken between the letters: the line
    before is that one word, filling the column to its edge, and this line goes on in lower
    case ("Pengadministras" / "i Umum" in a narrow header). A browser sizes a column to its
    longest word, which then fills its line just as exactly; it is a whole word when it ends
    as Indonesian words do and the next line opens with a word the page uses on its own
    elsewhere ("Penandatanganan" / "surat permohonan")."""
    if len(previous) != 1 or not line[0]["text"][:1].islower():
        return False
    word = previous[0]
    size = float(word.get("size") or 8)
    filled = bool(word["text"][-1:].isalpha() and
                  word["x1"] - word["x0"] >= box.w - 2 * pad - 1.5 - 0.7 * size)
    return filled and not (vocabulary is not None and _two_words(word["text"], line[0]["text"],
                                                                 vocabulary))


_WORD_ENDINGS = ("an", "kan", "nya")


def _two_words(before: str, after: str, vocabulary: Counter[str]) -> bool:
    piece = _bare(after)
    return len(before) >= 6 and before.lower().endswith(_WORD_ENDINGS) and \
        len(piece) >= 3 and piece.isalpha() and vocabulary[piece] >= 2


def vocabulary(words: list[Word]) -> Counter[str]:
    """How often each word stands on a page, for telling a broken word from two."""
    return Counter(_bare(w["text"]) for w in words)


def _bare(word: str) -> str:
    """A word as counted: lower case, without the punctuation that closes it."""
    return word.lower().rstrip(".,;:)")


def paragraphs(lines: list[list[Word]], box: Box,
               words: Counter[str] | None = None) -> list[str]:
    """Lines rejoined into paragraphs where a line was broken only for width; `words`, the
    page's `vocabulary`, tells a word broken between letters from one that fills its line."""
    if not lines:
        return []
    pad = min(6.0, max(0.0, min(line[0]["x0"] for line in lines) - box.x0))
    listed = bool(_PARAGRAPH_START.match(joined(lines[0])))
    centred = _centred(lines)
    paragraphs: list[str] = []
    previous: list[Word] | None = None
    for line in lines:
        text = joined(line)
        if previous is not None and _continues(previous, line, box, pad, listed, centred):
            # A line broken after a hyphen ("masing-" / "masing") goes on without a space.
            glue = "" if _broken_word(previous, line, box, pad, words) or \
                paragraphs[-1].endswith("-") else " "
            paragraphs[-1] += glue + text
        else:
            paragraphs.append(text)
        previous = line
    return paragraphs


# A page number ("Halaman 2", "- 3 -", "2 dari 5"); three digits at most, so a year is kept.
PAGE_NUMBER = re.compile(
    r"^(?:(?:halaman|hal\.?|page)\s*)?[-–]?\s*\d{1,3}\s*[-–]?(?:\s*(?:dari|/|of)\s*\d{1,3})?$",
    re.IGNORECASE)


def raw_html(paragraphs: list[str]) -> str:
    return "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)


def label_runs(line: list[Word]) -> list[list[Word]]:
    """A line of label words split where a wide gap separates two labels."""
    runs: list[list[Word]] = [[line[0]]]
    for word in line[1:]:
        size = float(word.get("size") or 8)
        if word["x0"] - runs[-1][-1]["x1"] > 1.5 * size:
            runs.append([word])
        else:
            runs[-1].append(word)
    return runs
