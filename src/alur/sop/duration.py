"""Working-time standards ("Waktu") of SOP steps, from the author's free text to minutes.

SOP AP tables give each step a time standard as free text (`10 menit`, `2 Jam`, `1 bln`,
`1-2 hari`, `paling lama 3 hari`). Workload analysis (ABK) and due dates need numbers, so this
module turns that text into *working* minutes using a :class:`WorkCalendar` (Perpres 21/2023:
7.5 working hours a day, 5 days a week). The author's text itself is never changed: the format
keeps it, and text that is not a duration (`sesuai jadwal`) yields ``None`` so the caller can
report it instead of guessing.

Grammar (case-insensitive, surrounding whitespace and punctuation ignored)::

    duration := prefix* (side | bound SEP side)
    side     := term ((",")? ("dan")? term)*       -- units strictly decreasing, summed
    bound    := side | quantity                   -- a bare quantity takes the right end's unit
    term     := [quantity "x"] quantity unit | "se"unit
    prefix   := paling lama | paling lambat | maksimal | maks. | ± | +/- | kurang lebih | ...
    SEP      := - | – | s.d. | s/d | sampai (dengan) | hingga

A prefix never changes the numbers: "paling lama 3 hari" is the standard 3 hari (the limit is
the standard), "± 15 menit" is 15 menit.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = [
    "DEFAULT_CALENDAR",
    "UNITS",
    "Duration",
    "WorkCalendar",
    "is_duration",
    "parse_duration",
]

UNITS: tuple[str, ...] = ("menit", "jam", "hari", "minggu", "bulan", "tahun")
"""Canonical unit names, smallest first; compounds must go from larger to smaller units."""


@dataclass(frozen=True)
class WorkCalendar:
    """How long one unit of time is in working minutes. Defaults per Perpres 21/2023 practice.

    Working time, not wall-clock time, is what a time standard measures: a "1 hari" step takes one
    working day (7.5 h = 450 min), and a week, month or year counts only working days. Agencies
    differ (Ramadan hours, 22-day months), so every figure is a parameter.
    """

    minutes_per_hour: int = 60
    hours_per_day: float = 7.5
    days_per_week: int = 5
    days_per_month: int = 20
    days_per_year: int = 240

    def __post_init__(self) -> None:
        # Reject nonsense once, here, so that parse_duration can promise never to raise.
        for name in (
            "minutes_per_hour",
            "hours_per_day",
            "days_per_week",
            "days_per_month",
            "days_per_year",
        ):
            value = getattr(self, name)
            if not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
                raise ValueError(f"WorkCalendar.{name} must be a positive number, got {value!r}")

    def unit_minutes(self, unit: str) -> float:
        """Working minutes in one `unit` (one of :data:`UNITS`); ValueError for anything else."""
        day = self.hours_per_day * self.minutes_per_hour
        if unit == "menit":
            return 1.0
        if unit == "jam":
            return float(self.minutes_per_hour)
        if unit == "hari":
            return day
        if unit == "minggu":
            return self.days_per_week * day
        if unit == "bulan":
            return self.days_per_month * day
        if unit == "tahun":
            return self.days_per_year * day
        raise ValueError(f"unknown time unit {unit!r}; expected one of {', '.join(UNITS)}")


DEFAULT_CALENDAR = WorkCalendar()


@dataclass(frozen=True)
class Duration:
    """A parsed time standard: a range of working minutes plus the text it came from.

    `min == max` for a single value; a range (`1-2 hari`) keeps both ends because ABK and due
    dates may want either. `text` is the author's original, kept so nothing is lost in a round
    trip and messages can quote it.
    """

    min: int
    max: int
    text: str

    def as_dict(self) -> dict[str, int]:
        """The `minutes` object of the JSON export: ``{"min": ..., "max": ...}``."""
        return {"min": self.min, "max": self.max}


# --- vocabulary --------------------------------------------------------------------------------

# Spellings seen in SOP documents, mapped to canonical units. Abbreviations may carry a dot.
_UNIT_SPELLINGS: dict[str, str] = {
    "menit": "menit",
    "mnt": "menit",
    "min": "menit",
    "jam": "jam",
    "jm": "jam",
    "hari": "hari",
    "hr": "hari",
    "hk": "hari",  # "hari kerja", common in regulations: "14 HK"
    "minggu": "minggu",
    "mgg": "minggu",
    "pekan": "minggu",
    "bulan": "bulan",
    "bln": "bulan",
    "tahun": "tahun",
    "thn": "tahun",
}

_WORD_NUMBERS: dict[str, int] = {
    "satu": 1,
    "dua": 2,
    "tiga": 3,
    "empat": 4,
    "lima": 5,
    "enam": 6,
    "tujuh": 7,
    "delapan": 8,
    "sembilan": 9,
    "sepuluh": 10,
}

_HALVES = ("½", "setengah")

# Longest first so that an alternation never settles for a prefix of a longer word.
_UNIT_ALT = "|".join(sorted(_UNIT_SPELLINGS, key=len, reverse=True))
_WORDS_ALT = "|".join(sorted(_WORD_NUMBERS, key=len, reverse=True))
_HALF_ALT = "|".join(_HALVES)

# ASCII digits only: \d would also take other scripts' digits, which no SOP uses for times.
# "1.250" with dot-separated thousands is a thousand-something (Indonesian style); any other
# single "." or "," is a decimal mark ("1,5 jam", "0.5 hari").
_NUMBER = r"(?:[1-9][0-9]{0,2}(?:\.[0-9]{3})+(?![0-9,])|[0-9]+(?:[.,][0-9]+)?)"
_QUANTITY = (
    rf"(?:(?:[0-9]+|{_WORDS_ALT})\s*(?:{_HALF_ALT})"  # 1½, 1 ½, satu setengah
    rf"|{_NUMBER}|{_HALF_ALT}|{_WORDS_ALT})"
)
# Legal style spells a number out after the digits: "3 (tiga) hari", "14 (empat belas) hari".
# The digits are authoritative; the echo is accepted only if it is made of number words.
_ECHO_WORD = (
    r"(?:nol|satu|dua|tiga|empat|lima|enam|tujuh|delapan|sembilan|sepuluh|sebelas|belas"
    r"|puluh|seratus|ratus|seribu|ribu|setengah|koma)"
)
_ECHO = rf"(?:\s*\(\s*{_ECHO_WORD}(?:\s+{_ECHO_WORD})*\s*\))?"
_UNIT = rf"(?P<unit>{_UNIT_ALT})(?![a-z])\.?(?:\s+kerja(?![a-z]))?"

_TERM_RE = re.compile(
    rf"(?:(?:(?P<mul>{_QUANTITY}){_ECHO}\s*[x×*]\s*)?(?P<qty>{_QUANTITY}){_ECHO}\s*"
    rf"|(?P<se>se))"  # sehari, sejam, seminggu, sebulan, setahun
    rf"{_UNIT}"
)
_JOIN_RE = re.compile(r"\s*(?:,\s*)?(?:dan(?![a-z])\s*)?")
_BARE_RE = re.compile(rf"(?:(?P<mul>{_QUANTITY}){_ECHO}\s*[x×*]\s*)?(?P<qty>{_QUANTITY}){_ECHO}")
_MIXED_RE = re.compile(rf"(?P<whole>[0-9]+|{_WORDS_ALT})\s*(?:{_HALF_ALT})")
_THOUSANDS_RE = re.compile(r"[1-9][0-9]{0,2}(?:\.[0-9]{3})+")
_SEPARATOR_RE = re.compile(
    r"\s*(?:-|s\s*[./]?\s*d(?![a-z])\.?|sampai(?:\s+dengan)?(?![a-z])|hingga(?![a-z]))\s*"
)
# Phrases that qualify the standard without changing it: a limit is the standard itself.
_PREFIX_RE = re.compile(
    r"(?:(?:paling\s+(?:lama|lambat|cepat)|selambat-\s*lambatnya|maks(?:imal|imum)?|max"
    r"|minimal|minimum|min|kurang\s+lebih|lebih\s+kurang|sekitar|kira-\s*kira"
    r"|dalam\s+waktu)(?![a-z])\.?\s*|(?:±|\+\s*/?\s*-)\s*)+"
)
_SPACE_RE = re.compile(r"\s+")
_DASHES = str.maketrans({c: "-" for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"})
_LEAD_JUNK = " -•*·:;,\"'([{"
_TRAIL_JUNK = " -.,;:!?\"')]}"

# A time cell is a few words; refusing long text keeps the range search cheap on junk input.
_MAX_LENGTH = 200


@dataclass(frozen=True)
class _Term:
    """`count` × `per` `unit`s; `per` is kept so a bare range start ("2-3 x 8 jam") can share it."""

    count: float
    per: float
    unit: str


def _quantity(text: str) -> float:
    """Value of a string already matched by `_QUANTITY`."""
    text = text.strip()
    if text in _HALVES:
        return 0.5
    if text in _WORD_NUMBERS:
        return float(_WORD_NUMBERS[text])
    mixed = _MIXED_RE.fullmatch(text)
    if mixed:
        whole = mixed.group("whole")
        base = float(_WORD_NUMBERS[whole]) if whole in _WORD_NUMBERS else float(whole)
        return base + 0.5
    if _THOUSANDS_RE.fullmatch(text):
        return float(text.replace(".", ""))
    return float(text.replace(",", "."))


def _term(match: re.Match[str]) -> _Term:
    """Build a term from `_TERM_RE`/`_BARE_RE` groups; `unit` may be absent for a bare start."""
    groups = match.groupdict()
    unit = _UNIT_SPELLINGS.get(groups.get("unit") or "", "")
    if groups.get("se"):
        return _Term(1.0, 1.0, unit)
    qty = _quantity(groups["qty"])
    if groups.get("mul") is None:
        return _Term(qty, 1.0, unit)
    mul = _quantity(groups["mul"])
    if unit == "jam" and qty == 24:
        # "3 x 24 jam" is the idiom for 3 (calendar) days; as a standard it means 3 working
        # days, not 72 working hours.
        return _Term(mul, 1.0, "hari")
    return _Term(mul, qty, unit)


def _side(text: str) -> list[_Term] | None:
    """Terms of one end of a range (`1 jam 30 menit`), or None unless `text` is all terms."""
    terms: list[_Term] = []
    pos = 0
    while True:
        match = _TERM_RE.match(text, pos)
        if match is None:
            return None
        term = _term(match)
        if terms and UNITS.index(term.unit) >= UNITS.index(terms[-1].unit):
            return None  # "30 menit 1 jam" or "1 jam 1 jam": not a sane compound
        terms.append(term)
        pos = match.end()
        if pos == len(text):
            return terms
        join = _JOIN_RE.match(text, pos)  # all-optional pattern: always matches
        pos = join.end() if join else pos
        if pos == len(text):
            return None  # dangling "dan"


def _minutes(terms: list[_Term], calendar: WorkCalendar) -> float:
    return sum(t.count * t.per * calendar.unit_minutes(t.unit) for t in terms)


def _bounds(text: str, calendar: WorkCalendar) -> tuple[float, float] | None:
    """(low, high) minutes of a single value or a range, or None."""
    single = _side(text)
    if single is not None:
        value = _minutes(single, calendar)
        return value, value
    # Try every separator: a wrong split simply fails to parse on one side.
    for sep in _SEPARATOR_RE.finditer(text):
        left, right = text[: sep.start()], text[sep.end() :]
        high_terms = _side(right) if left and right else None
        if high_terms is None:
            continue
        low_terms = _side(left)
        if low_terms is None:
            bare = _BARE_RE.fullmatch(left)
            if bare is None:
                continue
            if bare.group("mul") is not None:
                continue  # "2 x 24 - 3 x 24 jam": too clever to guess
            # "1-2 hari", "2-3 x 24 jam": the start shares the end's unit (and multiplier).
            first = high_terms[0]
            low_terms = [_Term(_quantity(bare.group("qty")), first.per, first.unit)]
        return _minutes(low_terms, calendar), _minutes(high_terms, calendar)
    return None


def _normalise(text: str) -> str:
    text = _SPACE_RE.sub(" ", text.translate(_DASHES).lower())
    return text.lstrip(_LEAD_JUNK).rstrip(_TRAIL_JUNK)


def _round(value: float) -> int:
    """Nearest integer, halves up (round() would send 0.5 min to 0 but 1.5 min to 2)."""
    return math.floor(value + 0.5)


def parse_duration(text: str | None, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Duration | None:
    """None when the text is empty/None or is not a duration (e.g. 'sesuai jadwal'); never raises.

    Returning None rather than raising lets the loader keep the author's text and report it as
    a finding: a time standard that cannot be read is a remark on the document, not a crash.
    A reversed range (`3-1 hari`) is None too: it is a typo, and guessing which end is right
    would hide it.
    """
    if not isinstance(text, str):
        return None  # YAML may hand over an int (`time: 5`), which has no unit
    norm = _normalise(text)
    if not norm or len(norm) > _MAX_LENGTH:
        return None
    prefix = _PREFIX_RE.match(norm)
    if prefix:
        norm = norm[prefix.end() :]
    bounds = _bounds(norm, calendar) if norm else None
    if bounds is None:
        return None
    low, high = bounds
    if not (math.isfinite(low) and math.isfinite(high)) or low < 0 or low > high:
        return None
    return Duration(min=_round(low), max=_round(high), text=text)


def is_duration(text: str | None) -> bool:
    """Whether `text` reads as a time standard (with the default calendar)."""
    return parse_duration(text) is not None
