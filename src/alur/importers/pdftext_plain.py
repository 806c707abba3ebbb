"""Plain `pdftotext` copies (no `-layout`): every cell on its own line(s), in the order the PDF
drew them, and the header's labels scattered among the first row's cells.

An office export (Word, Excel through LibreOffice) draws a table row by row, so its plain copy
reads 'No' / 'Aktivitas' / 'PNS' / '1.' / 'Pelaksana' / 'Staf' / 'Waktu' / … / 'Mulai' / '2.' /
'PNS mengambil form …' / '1 hari' / '3.' … : the header words, then each row from its number to
the next. Here such a header is found (a lone 'No' followed, before the second step number, by
the activity label and a Mutu Baku label, with only labels, actor names, the first step's
number and Mulai/Selesai between) and rewritten in place into the header the copy reader knows
('No Kegiatan' / 'Kelengkapan Waktu Output'). The actors are kept as the copy names them, one
per line: a line with a position word opens a name, a short capitalised line continues it (a
name spans two lines at most), a lower-case line is a word broken at the cell's width
('Pengadministr' / 'asi Umum'). The first row's cells move below the header, in their order.
The blank lines pdftotext puts between text blocks carry nothing in such a copy; they are
skipped in the table.

What this cannot do is put cells back into rows when the PDF drew the table column by column (a
browser's print of a flowchart table): the step numbers then do not follow each other with
their cells, and the copy reader reports the rows it could not place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .cells import fold
from .pdftext_boilerplate import _Source
from .pdftext_header import _HEAD_WORDS
from .pdftext_words import _GROUPS, _MARKERS, _STEP_LINE, _is_time, _label_role

_BRANCHES = {"ya", "tidak"}
_STANDARD_LABELS = (("inputs", "Kelengkapan"), ("time", "Waktu"), ("outputs", "Output"))
_WINDOW = 60          # lines looked at for one scattered header
_MAX_TRIES = 50       # lone 'No' lines looked at for a table's labels


@dataclass
class ScatteredHeaders:
    """Where the rewritten headers' last lines are, with the actors each names."""

    actors: dict[int, list[str]] = field(default_factory=dict)


def _is_group(text: str) -> bool:
    low = text.lower()
    return bool(_GROUPS.match(low)) or low in ("mutu baku pelaksana", "pelaksana mutu baku")


# The first letters of 'No', 'Nomor' and 'Pelaksana' in any case (no other letter lowers to them).
_OPENING_LETTERS = frozenset("nNpP")


def _is_number_label(text: str) -> bool:
    return text.lower().rstrip(".") in ("no", "nomor")


def _opens_actor(text: str) -> bool:
    words = text.split()
    return (0 < len(words) <= 5 and words[0].lower() in _HEAD_WORDS) or \
        words[0].lower().rstrip(".") in _HEAD_WORDS


def _continues_actor(text: str, most: int = 2) -> bool:
    words = text.split()
    return 0 < len(words) <= most and all(w[0].isupper() or w[0] in "(&/" for w in words)


@dataclass
class _Zone:
    header: list[int] = field(default_factory=list)    # label and actor lines
    content: list[int] = field(default_factory=list)   # the first row's lines among them
    actors: list[list[str]] = field(default_factory=list)
    roles: set[str] = field(default_factory=set)


def _scan(lines: list[str], start: int) -> _Zone | None:
    """The scattered header opening at `start` ('No' or 'Pelaksana' alone), or None."""
    zone = _Zone()
    actor_open = False
    seen = 0
    for index in range(start, min(len(lines), start + _WINDOW)):
        text = fold(lines[index])
        if not text:
            continue
        seen += 1
        role = _label_role(text)
        if role or _is_group(text) or _is_number_label(text):
            zone.header.append(index)
            zone.roles.add("number" if _is_number_label(text) else (role or "group"))
            actor_open = False
            continue
        number = _STEP_LINE.match(text)
        if number and not number.group(2):
            if int(number.group(1)) > 1 or (zone.content and any(
                    _STEP_LINE.match(fold(lines[i])) for i in zone.content)):
                break                      # the next row: the header is over
            zone.content.append(index)
            actor_open = False
            continue
        if text.lower().strip(" .") in _MARKERS or text.lower() in _BRANCHES:
            zone.content.append(index)
            actor_open = False
            continue
        continued = actor_open and len(zone.actors[-1]) == 1   # a name spans two lines at most
        if _opens_actor(text) or (not zone.content and not continued and
                                  _continues_actor(text, 4)):
            zone.header.append(index)       # a name; one without a position word only
            zone.actors.append([text])      # before the first row's number
            actor_open = True
            continue
        if actor_open and text[0].islower() and len(text.split()) <= 3:
            zone.header.append(index)       # a word broken at the cell's width
            zone.actors[-1][-1] += text     # ('Pengadministr' / 'asi Umum')
            continue
        if continued and _continues_actor(text):
            zone.header.append(index)
            zone.actors[-1].append(text)
            continue
        break
    if "activity" not in zone.roles or not zone.roles & {"inputs", "time", "outputs"} or \
            not zone.content or len(zone.header) < 2:
        return None
    return zone


@dataclass(frozen=True)
class LoneLabels:
    """A step table's labels one per line with no header this module could rebuild: where
    the 'No' stands, and how many step numbers and time standards stand alone after it."""

    line: int
    numbers: int
    times: int


def lone_labels(lines: list[str]) -> LoneLabels | None:
    """'No', the activity label and 'Waktu' each alone on a line, within a page's reach of
    each other: a plain copy of a table whose rows cannot be rebuilt (see the docstring)."""
    tried = 0
    for index, raw in enumerate(lines):
        if not _is_number_label(fold(raw)):
            continue
        tried += 1
        if tried > _MAX_TRIES:
            return None        # a text of lone 'No' lines: not looked at 80 lines each time
        reach = [fold(t) for t in lines[index + 1:index + 80]]
        roles = {_label_role(t) for t in reach if t}
        if {"activity", "time"} <= roles:
            after = [fold(t) for t in lines[index + 1:]]
            numbers = sum(1 for t in after if (step := _STEP_LINE.fullmatch(t)) and
                          not step.group(2))
            times = sum(1 for t in after if t and _is_time(t))
            return LoneLabels(index, numbers, times)
    return None


def rebuild_scattered_headers(source: _Source) -> ScatteredHeaders:
    """Rewrite each scattered header of a plain copy in place (see the module's docstring);
    the blank lines of those tables are marked skipped (not dropped: they held nothing)."""
    lines = source.lines
    found = ScatteredHeaders()
    index = 0
    rebuilt_any = False
    failed = 0
    # The lines that may open a header, found without folding every line of the copy. The
    # loop rewrites only lines it then steps past, so the ones still ahead stay as listed.
    openings = iter([i for i, line in enumerate(lines)
                     if line.lstrip()[:1] in _OPENING_LETTERS])
    while index < len(lines) and failed <= _MAX_TRIES:
        if lines[index].lstrip()[:1] not in _OPENING_LETTERS:
            index = next((i for i in openings if i > index), len(lines))
            continue
        text = fold(lines[index])
        if not (_is_number_label(text) or text.lower() == "pelaksana"):
            index += 1
            continue
        zone = _scan(lines, index)
        if zone is None:
            failed += 1        # bounded: a text of lone 'No' lines is not scanned at each
            index += 1
            continue
        rebuilt_any = True
        places = sorted(zone.header + zone.content)
        content = [lines[i] for i in zone.content]
        standard = " ".join(label for role, label in _STANDARD_LABELS if role in zone.roles)
        second = "No Kegiatan" + (" Keterangan" if "notes" in zone.roles else "")
        rewritten = [second, standard, *content]
        for place in places:
            lines[place] = ""
        for place, line in zip(places, rewritten, strict=False):
            lines[place] = line
        found.actors[places[1]] = [" ".join(parts) for parts in zone.actors]
        index = places[-1] + 1
    if rebuilt_any:
        first = min(found.actors) - 1
        source.blanked.update(i for i in range(first, len(lines)) if not lines[i].strip())
    return found
