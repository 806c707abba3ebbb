"""What the words of a copied step table say: column labels and group labels, the header's
first line, step numbers at a line's start, and the time standard (the one cell a copy keeps
recognisable, so every other split leans on it). Vocabulary only; no position in the copy.
"""

from __future__ import annotations

import re
from functools import lru_cache

from alur.sop.duration import _UNIT_SPELLINGS, is_duration

from .cells import fold

_LABEL_ROLE = [
    ("number", re.compile(r"^(no\.?|nomor( urut)?)$")),
    ("activity", re.compile(r"^(uraian )?(kegiatan|aktivitas|prosedur)$")),
    ("inputs", re.compile(r"^(persyaratan ?/ ?)?(kelengkapan|persyaratan|input)$")),
    ("time", re.compile(r"^(waktu|durasi)$")),
    ("outputs", re.compile(r"^(output|keluaran|hasil)$")),
    ("notes", re.compile(r"^(keterangan|ket\.?)$")),
]


_GROUPS = re.compile(r"^(pelaksana|mutu ?baku|mutu baku ?/ ?standar|standar mutu)$")




_WORD_RE = re.compile(r"\S+")


_FRAGMENT = re.compile(r"\S+(?: \S+)*")  # text runs separated by two spaces or more


_STEP_LINE = re.compile(r"^\s*(\d{1,3})(?:[.)]|(?=\s)|$)\s*(.*)$")


_TIME_START = re.compile(r"^(\d|±|\+/-|paling$|maks|maksimal$|kurang$|sekitar$|selama$)",
                         re.IGNORECASE)


_MARKERS = {"mulai", "selesai"}


_JOINERS = {"&", "/", "dan", "+", ","}


def _words(text: str) -> list[str]:
    return fold(text).lower().split()


@lru_cache(maxsize=8192)
def _label_role(text: str) -> str | None:
    norm = fold(text).lower().rstrip(":").strip()
    return next((role for role, pattern in _LABEL_ROLE if pattern.match(norm)), None)


def _header_start(text: str) -> bool:
    """'No Kegiatan …' (number and activity labels), or the 'Pelaksana … Mutu Baku' group line.
    Asked of nearly every line of a copy, so a long line is turned away before it is lowered
    and split whole (`split(None, 14)` holds 15 parts only past 14 words)."""
    if len(text.split(None, 14)) > 14:
        return False
    words = text.lower().split()    # as `_words`: folding whitespace changes no word
    if not words:
        return False
    if words[0].rstrip(".") in ("no", "nomor") and \
            any(_label_role(w) == "activity" for w in words):
        return True
    return "pelaksana" in words and "mutu baku" in " ".join(words)


def _split_number_label(lines: list[str], index: int) -> bool:
    """'No' alone on its line with 'Kegiatan' opening one of the next two lines."""
    if fold(lines[index]).lower().rstrip(".") not in ("no", "nomor"):
        return False
    following = [fold(t) for t in lines[index + 1:index + 3] if fold(t)]
    return any(_label_role(t.split()[0]) == "activity" or _label_role(t) == "activity"
               for t in following)


def _only_groups(text: str) -> bool:
    norm = fold(text).lower()
    return bool(norm) and bool(re.fullmatch(r"(pelaksana|mutu baku)( (pelaksana|mutu baku))?",
                                            norm))


def _is_label_line(text: str) -> bool:
    """A header line: only column labels, group labels and capitalised names."""
    words = fold(text).split()
    if not words or len(words) > 14:
        return False
    for word in words:
        low = word.lower()
        if _label_role(low) or _GROUPS.match(low) or low in ("mutu", "baku") or \
                low in _JOINERS:
            continue
        if not (word[0].isupper() or word[0] in "(&/"):
            return False
    return not _is_time(" ".join(words))   # last: the duration parser is the slow test


def _step_number(line: str, expected: int | None) -> tuple[int, str] | None:
    """(number, rest) when the line opens the step that follows the previous one."""
    match = _STEP_LINE.match(line)
    if not match:
        return None
    number, rest = int(match.group(1)), match.group(2).strip()
    if expected is None:
        ok = number in (0, 1, 2)
    else:
        ok = number == expected or (expected < number <= expected + 3 and bool(rest) and
                                    rest[0].isupper() and len(rest.split()) >= 2)
    if not ok:
        return None
    # '3 Jam Format …' is a time standard wrapped to the start of a line, not step 3.
    found = _find_time(fold(line).split()[:6], 0)
    if found is not None and found[0] == 0:
        return None
    return number, rest


# A time standard ends with its unit ('10 menit', '2 hari kerja', '1 bln.'): only spans that
# end on such a word are handed to the duration parser, which is slow next to this test.
_UNIT_TAILS = (*_UNIT_SPELLINGS, "kerja")


def _ends_on_unit(word: str) -> bool:
    """The word ends with a unit's spelling, trailing punctuation aside ('menit', '10menit',
    'bln.', 'hari),'); a word of punctuation alone never does."""
    end = len(word)
    while end and not word[end - 1].isalnum():
        end -= 1
    return word[:end].lower().endswith(_UNIT_TAILS)


@lru_cache(maxsize=8192)
def _is_time(text: str) -> bool:
    """`is_duration`, remembered: a copy asks about the same few spans ('10 menit', '1 hari')
    again on every line that could open, continue or end a row."""
    return is_duration(text)


def _find_time(words: list[str], start: int = 1) -> tuple[int, int] | None:
    """(index, length) of the first time standard among the words, from `start`."""
    ends: dict[int, bool] = {}
    for index in range(start, len(words)):
        if not _TIME_START.match(words[index]):
            continue
        for length in range(min(5, len(words) - index), 0, -1):
            # '5 menit -' reads as a duration, but the dash is the next cell's: a span never
            # ends on punctuation alone.
            last = index + length - 1
            if last not in ends:
                ends[last] = _ends_on_unit(words[last])
            if ends[last] and _is_time(" ".join(words[index:index + length])):
                return index, length
    return None
