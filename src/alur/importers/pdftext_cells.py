"""One copied row into its cells.

- A copy joined by single spaces (`_PlainRows`): the time standard anchors the row; where
  Kelengkapan begins before it and where Keterangan begins after it is scored from the words
  (inputs repeat as outputs, lines start cells, notes name other SOPs, a cell never starts in
  lower case). Read twice: the second pass knows the values the other rows gave.
- A copy with its layout kept (`_LayoutRows`): each text run goes to the column under whose
  header label it stands.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .blocks import Block
from .pdftext_header import _Column, _fragments, _Header
from .pdftext_words import _STEP_LINE, _WORD_RE, _find_time, _step_number

_MARK_GLYPHS = set("□▭☐■▯◇◆♢⬦⬥○⬭▢◊") | {"\\Diamond", "\\diamond", "\\square"}


_NOTE_CUE = re.compile(r"^(sop|lanjut\w*|lihat|catatan|mengacu|sesuai|apabila|jika|bila|ke)$",
                       re.IGNORECASE)


_VERB = re.compile(r"^(me[mnr]?|meng|meny|ber|mem)[a-z]{3,}$")


# Words a sentence does not end with: a cell never ends on them.
_FUNCTION_WORDS = {"untuk", "dan", "ke", "dari", "di", "yang", "dengan", "kepada", "oleh",
                   "atau", "serta", "pada", "dalam", "bagi", "guna", "melalui", "sebagai"}


# A row's words, where its lines start, the mark glyphs taken out, its time's place, and its
# words as `_norm` leaves them and what the split scoring asks of them.
_Parsed = tuple[list[str], set[int], tuple[str, ...] | None, tuple[int, int] | None, list[str],
                "_Traits"]


@dataclass
class _Row:
    number: int
    start: int                 # index of the row's first line
    number_line: int
    lines: list[int] = field(default_factory=list)
    cells: dict[str, str] = field(default_factory=dict)
    actor_cells: list[str] = field(default_factory=list)
    marks: list[str] = field(default_factory=list)
    centred: bool = False
    # `_PlainRows` reads each row twice: the words of its lines, split once (see `fill`).
    parsed: tuple[tuple[object, ...], _Parsed] | None = field(default=None, repr=False,
                                                             compare=False)

    def block(self, actor_count: int) -> Block:
        actors = (self.actor_cells + [""] * actor_count)[:actor_count]
        cells = (str(self.number), self.cells.get("activity", ""), *actors,
                 self.cells.get("inputs", ""), self.cells.get("time", ""),
                 self.cells.get("outputs", ""), self.cells.get("notes", ""))
        return Block(self.start + 1, cells)


_NOT_WORD = re.compile(r"[^\w ]+")


def _norm(words: list[str]) -> str:
    return _NOT_WORD.sub("", " ".join(words).lower()).strip()


def _normed(words: list[str]) -> list[str]:
    """Each word as `_norm` leaves it, so the norm of any run is a join of these (the
    scoring below tries every split and would otherwise normalise the same words again)."""
    return [_norm_word(w) for w in words]


def _norm_word(word: str) -> str:
    low = word.lower()
    # Nearly every word is letters and digits only: nothing for the pattern to remove.
    return low if low.isalnum() else _NOT_WORD.sub("", low)


def _join_norm(normed: list[str]) -> str:
    return " ".join(normed).strip()


_DASHES = ("-", "–")


@dataclass(frozen=True)
class _Traits:
    """What the split scoring asks of each word of a row, worked out once for both passes:
    whether it ends a sentence (as the word before Kelengkapan), whether a cell cannot end on
    it, and what it scores as the first word of Kelengkapan (capital, lower case, verb)."""

    ends: list[bool]
    weak: list[bool]
    opening: list[float]

    @classmethod
    def of(cls, words: list[str]) -> _Traits:
        ends = [w.endswith((".", ";", ":")) and len(w) > 4 for w in words]
        weak = [w in ("-", "–", "•") or w.lower() in _FUNCTION_WORDS for w in words]
        opening = []
        for word in words:
            score = 1.5 if word[0].isupper() else (-5.0 if word[0].isalpha() else 0.0)
            opening.append(score - 2 if _VERB.match(word.lower()) else score)
        return cls(ends, weak, opening)


def _split_before_time(words: list[str], starts: set[int], after: list[str],
                       previous_output: str, known: set[str],
                       norms: tuple[list[str], list[str]] | None = None,
                       traits: _Traits | None = None) -> int:
    """Where Kelengkapan begins in the words before the time (len(words): no inputs).
    `known`: Kelengkapan and Output values other rows of the table have; `norms`: `_normed`
    of `words` and of `after`, and `traits`: `_Traits` of words starting with `words`, when
    the caller has them."""
    count = len(words)
    best, best_score = count, -1.0 if not words or not words[-1].endswith(".") else 0.5
    low = max(1, count - 40)
    if norms is None:
        norms = _normed(words), _normed(after)
    if traits is None:
        traits = _Traits.of(words)
    normed = norms[0][low:]
    normed_after = norms[1][:count - low]
    ends, weak, opening = traits.ends, traits.weak, traits.opening
    # Every rule adds a multiple of 0.5, which floating point sums exactly in any grouping;
    # only the length penalty is not, and it comes last, as it always did: same scores, same
    # ties.
    for split in range(low, count):
        size = count - split           # the words Kelengkapan would hold
        score = 0.0
        if size == 1 and words[split] in _DASHES:
            score += 6
        norm = " ".join(normed[split - low:]).strip()
        is_known = norm in known
        if norm:
            if norm == " ".join(normed_after[:size]).strip():
                score += 10
            if norm == previous_output:
                score += 8
            if is_known:
                score += 4
        at_start = split in starts
        if at_start:
            score += 2.5
        if ends[split - 1]:
            score += 3
        elif not at_start and not is_known:
            score -= 1  # mid-line, no full stop, no value seen elsewhere: weak
        if weak[split - 1]:
            score -= 4  # a cell does not end on a dash or a function word
        score += opening[split]   # a capital opens a cell, lower case never does; a verb
        if split == 1:
            score -= 2
        if size > 8:
            score -= 0.3 * (size - 8)
        if score > best_score:
            best, best_score = split, score
    return best


def _split_after_time(words: list[str], starts: set[int], inputs: list[str]) -> int:
    """How many of the words after the time are the Output (the rest is Keterangan)."""
    if not words:
        return 0
    best, best_score = len(words), 0.0
    for split in range(max(1, len(words) - 40), len(words)):
        notes = words[split:]
        score = -1.0
        if notes in (["-"], ["–"]):
            score += 6
        if _NOTE_CUE.match(notes[0]) and notes[0][0].isupper():
            score += 3 if notes[0].lower() in ("sop", "lanjutan", "lihat", "catatan") else 1
            if split in starts:
                score += 2
        if inputs and split == len(inputs) and _norm(words[:split]) == _norm(inputs):
            score += 3
        if notes[0][0].islower():
            score -= 3
        if score > best_score:
            best, best_score = split, score
    return best


class _PlainRows:
    """Rows of a copy joined by single spaces: cells split at the time standard.

    Read twice: the second pass knows the Kelengkapan and Output values the other rows gave
    in the first ('Data LKj' is an input in four rows), which settles splits that words alone
    leave open."""

    def __init__(self, roles: set[str], known: dict[int, set[str]] | None = None) -> None:
        self.roles = roles
        self.known = known
        self.outputs_seen = False  # set after a first pass that found any Output
        self.previous_output = ""  # the row above's Output, often this row's Kelengkapan

    def fill_all(self, rows: list[_Row], lines: list[str]) -> None:
        for row in rows:
            row.cells = {}
            self.fill(row, [(i, lines[i]) for i in row.lines])

    def fill(self, row: _Row, texts: list[tuple[int, str]]) -> None:
        key = (tuple(texts), row.number_line, row.centred)
        if row.parsed is None or row.parsed[0] != key:
            row.parsed = (key, _row_words(row, texts))
        words, starts, marks, found, normed, traits = row.parsed[1]
        if marks is not None:
            row.marks = list(marks)
        if found is None:
            row.cells["activity"] = " ".join(words)
            return
        at, length = found
        before, after = words[:at], words[at + length:]
        if "inputs" not in self.roles or (self.known is not None and not self.outputs_seen
                                          and not after):
            split = len(before)  # no Kelengkapan column, or no row with any Mutu Baku text
        else:
            split = _split_before_time(before, starts, after, self.previous_output,
                                       (self.known or {}).get(row.number_line, set()),
                                       (normed[:at], normed[at + length:]), traits)
        after_starts = {s - at - length for s in starts if s > at}
        out = _split_after_time(after, after_starts, before[split:])
        row.cells.update(activity=" ".join(before[:split]), inputs=" ".join(before[split:]),
                         time=" ".join(words[at:at + length]), outputs=" ".join(after[:out]),
                         notes=" ".join(after[out:]))
        self.previous_output = _norm(after[:out])


def _row_words(row: _Row, texts: list[tuple[int, str]]) -> _Parsed:
    """The row's words without its number, the indexes where its lines start, the mark glyphs
    taken out of it (None: there were none), and where its time standard stands."""
    words: list[str] = []
    starts: set[int] = set()
    for index, text in texts:
        if index == row.number_line:
            text = _STEP_LINE.sub(r"\2", text, count=1)
        line_words = text.split()      # as fold(text).split()
        if line_words:
            starts.add(len(words))
            words.extend(line_words)
    marks = None
    kept = [w for w in words if w not in _MARK_GLYPHS]
    if len(kept) != len(words):
        marks = tuple(w for w in words if w in _MARK_GLYPHS)
        starts = _reindex(words, starts)
        words = kept
    found = _find_time(words, 0 if row.centred else 1)
    # Only the words before the time are scored as the place Kelengkapan begins.
    traits = _Traits.of(words[:found[0]] if found else [])
    return words, starts, marks, found, _normed(words), traits


def _values_elsewhere(rows: list[_Row]) -> dict[int, set[str]]:
    """For each row (by its number line), the Kelengkapan and Output values of the others."""
    counts: dict[str, int] = {}
    own: dict[int, set[str]] = {}
    for row in rows:
        values = {v for key in ("inputs", "outputs")
                  if (v := _norm(row.cells.get(key, "").split()))}
        own[row.number_line] = values
        for value in values:
            counts[value] = counts.get(value, 0) + 1
    return {line: {v for v, n in counts.items() if n > (v in values)}
            for line, values in own.items()}


def _reindex(words: list[str], starts: set[int]) -> set[int]:
    result: set[int] = set()
    kept = 0
    for index, word in enumerate(words):
        if word in _MARK_GLYPHS:
            continue
        if index in starts or (index - 1 in starts and words[index - 1] in _MARK_GLYPHS):
            result.add(kept)
        kept += 1
    return result


class _LayoutRows:
    """Rows of a `pdftotext -layout` copy: each text run goes to the column under whose
    header label it stands."""

    def __init__(self, header: _Header) -> None:
        self.columns = header.columns
        self.time = next((c for c in self.columns if c.role == "time"), None)

    def zone(self, column: _Column) -> tuple[float, float]:
        index = self.columns.index(column)
        left = (self.columns[index - 1].centre + column.centre) / 2 if index else -1
        right = (self.columns[index + 1].centre + column.centre) / 2 \
            if index + 1 < len(self.columns) else 10**6
        return left, right

    def pieces(self, line: str) -> list[tuple[str, str]]:
        """(role or 'actor:N', text) for each run of the line."""
        placed: list[tuple[str, str]] = []
        for start, end, text in self._split(line):
            centre = (start + end) / 2
            column = min(self.columns, key=lambda c: abs(c.centre - centre))
            role = column.role
            if role == "number" and not text.rstrip(".").isdigit():
                role = "activity"
            if role == "actor":
                role = f"actor:{[c for c in self.columns if c.role == 'actor'].index(column)}"
            placed.append((role, text))
        return placed

    def _split(self, line: str) -> Iterator[tuple[int, int, str]]:
        for start, end, text in _fragments(line):
            words = [(m.start() + start, m.end() + start, m.group())
                     for m in _WORD_RE.finditer(text)]
            number = _STEP_LINE.match(text)
            if start < 4 and number and number.group(2) and len(words) > 1:
                yield words[0][0], words[0][1], words[0][2]
                words = words[1:]
                start = words[0][0]
            if self.time is not None and len(words) > 1:
                left, right = self.zone(self.time)
                if start < right and end > left:
                    found = _find_time([w for _, _, w in words], 0)
                    if found is not None:
                        at, length = found
                        for group in (words[:at], words[at:at + length], words[at + length:]):
                            if group:
                                yield group[0][0], group[-1][1], " ".join(w for *_, w in group)
                        continue
            yield start, end, " ".join(w for *_, w in words) if words else text

    def fill(self, row: _Row, texts: list[tuple[int, str]], actor_count: int) -> None:
        parts: dict[str, list[str]] = {}
        for _, text in texts:
            for role, piece in self.pieces(text):
                if role == "number":
                    continue
                parts.setdefault(role, []).append(piece)
        for role in ("activity", "inputs", "time", "outputs", "notes"):
            row.cells[role] = " ".join(parts.get(role, []))
        row.actor_cells = [" ".join(parts.get(f"actor:{i}", [])) for i in range(actor_count)]

    def number_in(self, line: str, expected: int | None) -> int | None:
        for role, text in self.pieces(line):
            if role == "number":
                found = _step_number(text, expected)
                return found[0] if found else None
        return None

    def fresh(self, above_lines: list[str], line: str) -> bool:
        """The line opens a cell of Kelengkapan, Output or Keterangan the lines above lack
        (the line above, and the one above it when that holds only the centred number)."""
        above = {role for text in above_lines if text.strip()
                 for role, _ in self.pieces(text)}
        return any(role in ("inputs", "outputs", "notes") and role not in above
                   for role, _ in self.pieces(line))
