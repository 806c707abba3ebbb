"""Finding a copied step table's header and its actors.

The header of a copy stands on several lines ('Pelaksana Mutu Baku' / 'No Kegiatan Keterangan'
/ actor names and 'Kelengkapan Waktu Output'). With `pdftotext -layout` its labels keep their
positions and give the columns; without, the actors are the header words that are no label,
split where a position word ('Kepala', 'Kasubag', 'Tim') opens a new name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from alur.sop.duration import is_duration

from .cells import fold
from .pdftext_words import (
    _FRAGMENT,
    _GROUPS,
    _JOINERS,
    _STEP_LINE,
    _WORD_RE,
    _header_start,
    _is_label_line,
    _label_role,
    _only_groups,
    _split_number_label,
    _words,
)

# Position words that open an actor's name in a header; the words after them continue it.
_HEAD_WORDS = {
    "kepala", "ka", "ka.", "kadis", "kaban", "kabag", "kabid", "kasubag", "kasubbag", "kasubid",
    "kasubbid", "kasi", "kasie", "sekretaris", "sekdis", "sekban", "sekda", "staf", "staff",
    "pengelola", "pengadm", "pengadm.", "pengadministrasi", "ptgs", "ptgs.", "petugas", "tim",
    "pns", "pegawai", "pemohon", "bupati", "walikota", "wali", "gubernur", "camat", "lurah",
    "bendahara", "operator", "admin", "pejabat", "jfu", "jft", "analis", "verifikator",
    "inspektur", "direktur", "menteri", "asisten", "pptk", "ppk", "pimpinan", "atasan",
    "masyarakat", "pengguna", "pelaksana", "pengadministrasian", "sekertaris", "kadin",
    "kasubid.", "kabid.", "kabag.", "kasubag.", "subbag", "bagian", "bidang", "seksi", "unit",
}


# How many lines a header may take: a narrow cell puts each word of an actor's name on a line
# of its own ('Kepala' / 'Bagian' / 'Umum' / 'Kasubbag' / … / 'Waktu Output').
_HEADER_LINES = 16


@dataclass
class _Column:
    role: str          # number, activity, actor, inputs, time, outputs, notes
    name: str
    start: int
    end: int

    @property
    def centre(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class _Header:
    first: int          # index of its first line
    last: int           # index of its last line
    actors: list[str]
    columns: list[_Column] = field(default_factory=list)  # layout copies only
    vocabulary: set[str] = field(default_factory=set)
    roles: set[str] = field(default_factory=set)  # the column labels the header shows
    cell_lines: bool = False  # a plain pdftotext copy: each cell on lines of its own

    @property
    def layout(self) -> bool:
        return bool(self.columns)


def _find_header(lines: list[str], start: int,
                 rebuilt: dict[int, list[str]] | None = None) -> _Header | None:
    """The next step-table header from `start`: its lines and actor names. `rebuilt`: the
    headers `pdftext_plain` rewrote, by their last line, with the actors they name."""
    for index in range(start, len(lines)):
        text = lines[index]
        if not text.strip() or "\t" in text or not (_header_start(text) or
                                                     _split_number_label(lines, index)):
            continue
        if index > start and _only_groups(lines[index - 1]):
            index -= 1  # 'Pelaksana' (or 'Mutu Baku') alone above the labels
        last = index
        seen_standard = False
        for probe in range(index, min(index + _HEADER_LINES, len(lines))):
            line = lines[probe]
            if not line.strip():
                continue
            if probe > index and (_STEP_LINE.match(line) and not _is_label_line(line)):
                break
            if not _is_label_line(line) and not (probe > index and (
                    _label_tails(line) or _cut_word_tail(lines[last], line))):
                break
            roles = {_label_role(w) for w in _words(line)}
            if seen_standard and not roles - {None} and (len(line.split()) > 4 or
                                                        line.rstrip().endswith(".")):
                break  # the first row of a table whose number stands lower
            if roles & {"inputs", "time", "outputs"}:
                seen_standard = True
            last = probe
        if not seen_standard:
            continue
        zone = lines[index:last + 1]
        layout = any(re.search(r"\S {3,}\S", line) for line in zone)
        header = _Header(index, last, [])
        header.vocabulary = {w for line in zone for w in _words(line)}
        header.roles = {r for w in header.vocabulary if (r := _label_role(w))}
        if rebuilt and last in rebuilt:
            header.actors = rebuilt[last]
            header.cell_lines = True
        elif layout:
            header.columns = _layout_columns(zone)
            header.actors = [c.name for c in header.columns if c.role == "actor"]
        else:
            header.actors = _plain_actors(zone)
        return header
    return None


# Column labels a narrow header cell cut ('Keteranga' / 'n', 'Persyaratan/' / 'Kelengkapan').
_CUT_LABELS = {"keterangan": "notes", "kelengkapan": "inputs", "persyaratan": "inputs",
               "kegiatan": "activity"}


def _cut_label(text: str) -> str | None:
    """The role of a label cut short at the cell's width (six letters at least)."""
    low = text.lower().rstrip("/ ")
    if len(low) < 6:
        return None
    return next((role for word, role in _CUT_LABELS.items() if word.startswith(low)), None)


def _label_tails(line: str) -> bool:
    """A header line of a layout copy that also holds the rest of cut names and labels
    ('Bagian   Tata Usaha   trasi Umum   Kelengkapan', or 'n' alone): short runs only, none a
    time standard or a number."""
    if not re.search(r"\S {3,}\S", line) and len(line.split()) > 1:
        return False
    runs = [text for _, _, text in _fragments(line)]
    return bool(runs) and all(len(r.split()) <= 3 and not r[0].isdigit() and not is_duration(r)
                              for r in runs)


def _cut_word_tail(previous: str, line: str) -> bool:
    """A header line of a plain copy that opens with the rest of a word a narrow cell broke
    ('Pengadministr' / 'asi Umum'): a short lower-case piece under a line ending in a
    capitalised word, the rest of the line header words."""
    words = fold(line).split()
    before = fold(previous).split()
    return bool(words and before) and _word_piece(words[0]) and \
        before[-1][:1].isupper() and before[-1].isalpha() and \
        (len(words) == 1 or _is_label_line(" ".join(words[1:])))


def _word_piece(word: str) -> bool:
    """The rest of a word a narrow cell broke, on the next line: short and in lower case."""
    return word.isalpha() and word.islower() and len(word) <= 6


def _fragments(line: str) -> Iterator[tuple[int, int, str]]:
    for match in _FRAGMENT.finditer(line):
        yield match.start(), match.end(), match.group()


def _layout_columns(zone: list[str]) -> list[_Column]:
    """Columns from a header whose labels keep their positions (`pdftotext -layout`)."""
    roles: list[_Column] = []
    actors: list[_Column] = []
    for line in zone:
        for start, end, text in _fragments(line):
            norm = fold(text).lower()
            if _GROUPS.match(norm):
                continue
            role = _label_role(text) or _cut_label(text)
            if role:
                roles.append(_Column(role, text, start, end))
                continue
            words = [(m.start() + start, m.end() + start, m.group())
                     for m in _WORD_RE.finditer(text)]
            if all(_label_role(w) or _GROUPS.match(w.lower()) for _, _, w in words):
                roles.extend(_Column(r, w, s, e) for s, e, w in words
                             if (r := _label_role(w)))
                continue
            for actor in actors:
                if start < actor.end and actor.start < end:
                    # A lower-case start continues a word the cell's width broke.
                    gap = "" if text[:1].islower() else " "
                    actor.name = f"{actor.name}{gap}{fold(text)}"
                    actor.start, actor.end = min(start, actor.start), max(end, actor.end)
                    break
            else:
                actors.append(_Column("actor", fold(text), start, end))
    seen: set[str] = set()
    columns = []
    for column in roles:
        if column.role not in seen:
            seen.add(column.role)
            columns.append(column)
    activity = next((c.centre for c in columns if c.role == "activity"), 0)
    standard = min((c.centre for c in columns if c.role in ("inputs", "time", "outputs")),
                   default=10**6)
    columns.extend(a for a in actors if activity < a.centre < standard and not any(
        a.start < c.end and c.start < a.end for c in columns))   # not a label's cut part
    return sorted(columns, key=lambda c: c.centre)


def _plain_actors(zone: list[str]) -> list[str]:
    """Actor names from header lines joined by single spaces: the words that are no label,
    split where a position word ('Kepala', 'Kasubag', 'Tim' …) opens a new name. A narrow cell
    wraps a name: a line that opens with a word that is no position word goes on with the name
    the line above ended with ('Kasubbag' / 'Umum'), a lower-case piece finishes a word cut
    short ('Pengadministr' / 'asi'), and a name cut with a full stop ('Pengadm.') takes the
    leftover words of a line below the Mutu Baku labels ('Umum') in order."""
    names: list[list[str]] = []
    tails: list[list[str]] = []
    after_standard = False
    ended_on_name = False        # the line above ended with a name's word, not a label
    for line in zone:
        words = _without_cut_labels(fold(line).split())
        line_names: list[list[str]] = []
        if words and _word_piece(words[0]):
            piece = words.pop(0)
            if names and ended_on_name:
                names[-1][-1] += piece        # 'Pengadministr' + 'asi'
            # else the rest of a cut label ('Keteranga' / 'n'), left out with it
        kept = list(_skip_labels(words))
        if kept and names and ended_on_name and not after_standard and kept[0] == words[0] \
                and _goes_on(names[-1], kept[0]):
            line_names.append(names.pop())   # 'Kasubbag' / 'Umum', 'Kepala' / 'Bagian'
            line_names[-1].append(kept.pop(0))
        for word in kept:
            if not line_names or (_opens_name(word) and
                                  line_names[-1][-1].lower() not in _JOINERS and
                                  not line_names[-1][-1].endswith("/")):
                line_names.append([word])
            else:
                line_names[-1].append(word)
        roles = {_label_role(w) for w in words}
        if after_standard and line_names:
            tails.extend(line_names)
        else:
            names.extend(line_names)
        ended_on_name = bool(words) and bool(kept or line_names) and \
            _label_role(words[-1]) is None and not _GROUPS.match(words[-1].lower())
        after_standard = after_standard or bool(roles & {"inputs", "time", "outputs"})
    cut = [n for n in names if n[-1].endswith(".")]
    loose = [[w] for t in tails for w in t]
    if len(loose) == len(cut):
        tails = loose  # 'Umum Caraka' under 'Pengadm.' and 'Ptgs.': one word each
    for name, tail in zip(cut, tails, strict=False):
        name.extend(tail)
    extra = tails[len(cut):]
    return [" ".join(n) for n in names + extra]


def _opens_name(word: str) -> bool:
    """A position word, or one cut short at the cell's edge ('Pengadminis')."""
    low = word.lower().split("/")[0]
    if low.rstrip(".") in _HEAD_WORDS or low in _HEAD_WORDS:
        return True
    return len(low) >= 6 and low.isalpha() and any(
        head.startswith(low) for head in _HEAD_WORDS if len(head) > len(low))


# Unit words that follow a bare position word on the next line of a narrow cell.
_UNIT_WORDS = {"bagian", "bidang", "seksi", "subbag", "subbagian", "sub", "unit", "dinas",
               "badan", "kantor", "sekretariat"}
_BARE_POSITIONS = {"kepala", "ka", "ka.", "kasi", "kasie", "kabag", "kabid", "sekretaris",
                   "staf", "staff", "pengelola", "petugas"}


def _goes_on(name: list[str], word: str) -> bool:
    """Whether a line's first header word continues the name the line above ended with."""
    if name[-1].endswith("."):
        return False                 # cut with a full stop: its rest stands under the labels
    if not _opens_name(word):
        return True
    return word.lower() in _UNIT_WORDS and len(name) == 1 and \
        name[0].lower() in _BARE_POSITIONS


def _without_cut_labels(words: list[str]) -> list[str]:
    """The words less a column label a narrow cell cut ('Keteranga', then 'n' on the next
    line) and a misspelt group ('Mutu Buku')."""
    out: list[str] = []
    for word in words:
        if _cut_label(word) and _label_role(word) is None:
            continue
        if word.lower() == "buku" and out and out[-1].lower() == "mutu":
            out.pop()
            continue
        out.append(word)
    return out


def _skip_labels(words: list[str]) -> Iterator[str]:
    index = 0
    while index < len(words):
        low = words[index].lower()
        pair = f"{low} {words[index + 1].lower()}" if index + 1 < len(words) else ""
        if pair and (_GROUPS.match(pair) or _label_role(pair)):
            index += 2
            continue
        if _label_role(low) or _GROUPS.match(low):
            index += 1
            continue
        yield words[index]
        index += 1
