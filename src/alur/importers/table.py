"""The procedure table: recognising its header and reading each row into cell roles.

Real extracts lose and gain cells: a header without its "Output" label, rows with one actor
cell fewer than the header, an extra empty cell before "Kelengkapan". A row is therefore aligned
by its content: the Waktu cell (the one that reads as a duration) anchors the quality-standard
cells, and the actor cells are what lies between the activity and them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from alur.sop.duration import is_duration

from .blocks import Block
from .cells import cell_text, fold, read_mark

NUMBER, ACTIVITY, ACTOR, INPUTS, TIME, OUTPUTS, NOTES = (
    "number", "activity", "actor", "inputs", "time", "outputs", "notes")
# One text column naming the actors of each row, instead of one column per actor.
ACTOR_TEXT = "actor-text"
_ACTOR_TEXT_LABEL = re.compile(
    r"^(pelaksana( kegiatan)?|unit( kerja)?( ?/ ?pejabat)?( terkait)?|pejabat( terkait| "
    r"pelaksana)?|penanggung ?jawab|pic|petugas|pelaku|aktor)$")
_GROUP_LABELS = {"pelaksana", "mutu baku", "mutu baku/standar", "standar mutu"}

_ROLE_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    (NUMBER, re.compile(r"^(no|no\.|nomor|nomor urut)$")),
    (ACTIVITY,
     re.compile(r"^(uraian )?(kegiatan|aktivitas|prosedur)( ?/ ?(kegiatan|aktivitas))?$")),
    (INPUTS, re.compile(r"(kelengkapan|persyaratan|input)")),
    (TIME, re.compile(r"^(waktu|durasi|waktu \(.*\))$")),
    (OUTPUTS, re.compile(r"^(output|keluaran|hasil)$")),
    (NOTES, re.compile(r"^(keterangan|ket\.?)$")),
]
_STEP_NUMBER = re.compile(r"^\s*(\d{1,3})\s*[.)]?\s*$")


@lru_cache(maxsize=8192)  # a pure label test, asked again for every row a reader passes
def header_role(text: str) -> str | None:
    norm = fold(text).lower().rstrip(":")
    for role, pattern in _ROLE_PATTERNS:
        if pattern.search(norm):
            return role
    return None


def step_number(raw: str) -> int | None:
    match = _STEP_NUMBER.match(cell_text(raw))
    return int(match.group(1)) if match else None


def starts_table(block: Block) -> bool:
    """A header row: 'No' and 'Kegiatan'/'Aktivitas', or the 'Pelaksana' group above them."""
    if not block.is_row:
        return False
    roles = {header_role(t) for t in block.texts}
    texts = {fold(t).lower() for t in block.texts}
    return (NUMBER in roles and ACTIVITY in roles) or ("pelaksana" in texts and (
        ACTIVITY in roles or NUMBER in roles or "mutu baku" in texts))


def is_header_like(block: Block) -> bool:
    """A second header row: labels (actor names, Kelengkapan, Waktu…), not marks or data."""
    texts = [t for t in block.texts if t]
    return bool(texts) and not any(read_mark(t) for t in texts) and \
        all(len(t) < 60 for t in texts)


@dataclass
class Header:
    """Column roles of the table as its header states them."""

    lines: list[int]
    roles: dict[int, str]
    actor_names: list[str]
    actor_columns: list[int]
    width: int

    def index(self, role: str) -> int | None:
        for column, column_role in self.roles.items():
            if column_role == role:
                return column
        return None

    @property
    def first_standard(self) -> int | None:
        """First column of the quality standard (Mutu Baku) group."""
        found = [c for c, r in self.roles.items() if r in (INPUTS, TIME, OUTPUTS, NOTES)]
        return min(found) if found else None


def read_header(rows: list[Block]) -> Header:
    """Merge up to three header rows; the lowest non-empty label of a column wins."""
    width = max(len(r.cells) for r in rows)
    roles: dict[int, str] = {}
    actor_cols: dict[int, str] = {}
    for column in range(width):
        labels = [fold(r.texts[column]) for r in rows if column < len(r.cells)]
        labels = [label for label in labels if label]
        if not labels:
            continue
        for label in reversed(labels):
            role = header_role(label)
            if role:
                roles[column] = role
                break
        else:
            name = labels[-1]
            if name.lower() not in _GROUP_LABELS:
                actor_cols[column] = name
    activity = next((c for c, r in roles.items() if r == ACTIVITY), 1)
    standard = min((c for c, r in roles.items() if r in (INPUTS, TIME, OUTPUTS, NOTES)),
                   default=width)
    columns = sorted(c for c in actor_cols if activity < c < standard)
    if not columns:
        text_column = _actor_text_column(rows, width)
        if text_column is not None:
            roles[text_column] = ACTOR_TEXT
    for column in columns:
        roles[column] = ACTOR
    return Header([r.line for r in rows], roles, [actor_cols[c] for c in columns], columns, width)


def _actor_text_column(rows: list[Block], width: int) -> int | None:
    """The one column whose lowest label is 'Pelaksana' (or 'Unit/Pejabat Terkait' …) when no
    column is an actor of its own: the actors are then named in each row's text."""
    for column in range(width):
        labels = [fold(r.texts[column]) for r in rows if column < len(r.cells)]
        labels = [label for label in labels if label]
        if labels and _ACTOR_TEXT_LABEL.match(labels[-1].lower().rstrip(":")):
            return column
    return None


@dataclass
class RowCells:
    """One data row split into roles, after alignment."""

    block: Block
    number_raw: str
    activity_raw: str
    actor_cells: list[str]
    inputs_raw: str = ""
    time_raw: str = ""
    outputs_raw: str = ""
    notes_raw: str = ""
    shift: int = 0
    aligned_by: str = "position"
    extra: list[tuple[int, str]] = field(default_factory=list)


def _time_column(block: Block, header: Header) -> tuple[int | None, str]:
    """Where this row's Waktu is: by content (a duration) nearest the header's column."""
    expected = header.index(TIME)
    candidates = [
        i for i, text in enumerate(block.texts)
        if i >= 2 and text and is_duration(text)
    ]
    if candidates:
        anchor = expected if expected is not None else len(block.cells)
        return min(candidates, key=lambda i: (abs(i - anchor), i)), "content"
    if expected is None:
        return None, "position"
    trimmed = _trimmed_length(block)
    if len(block.cells) == header.width or trimmed <= expected:
        return expected, "position"
    # No duration to anchor on and a different width: assume the difference is in the
    # actor cells, the usual damage, and keep the quality standard at the row's end.
    return expected + (len(block.cells) - header.width), "width"


def _trimmed_length(block: Block) -> int:
    texts = block.texts
    while texts and not texts[-1]:
        texts = texts[:-1]
    return len(texts)


def table_has_unlabelled_output(rows: list[Block], header: Header) -> bool:
    """True when rows carry one more cell after Waktu than the header has labels for
    (seed 004: the header lost 'Output', the rows kept it)."""
    time = header.index(TIME)
    if time is None or OUTPUTS in header.roles.values():
        return False
    labelled_after = sum(1 for c, r in header.roles.items() if c > time)
    for block in rows:
        column, _ = _time_column(block, header)
        if column is None:
            continue
        tail = block.texts[column + 1:]
        while tail and not tail[-1]:
            tail = tail[:-1]
        if len(tail) > labelled_after:
            return True
    return False


def split_row(block: Block, header: Header, unlabelled_output: bool) -> RowCells:
    """Assign the row's cells to roles, aligning by content where the width differs."""
    cells = list(block.cells)
    number_col = header.index(NUMBER) or 0
    activity_col = header.index(ACTIVITY) or 1
    row = RowCells(block, cell_at(cells, number_col), cell_at(cells, activity_col), [])
    time_col, how = _time_column(block, header)
    header_time = header.index(TIME)
    shift = 0 if time_col is None or header_time is None else time_col - header_time
    row.shift, row.aligned_by = shift, how
    first_standard = header.first_standard
    actor_end = (first_standard + shift) if first_standard is not None else len(cells)
    actor_start = header.actor_columns[0] if header.actor_columns else activity_col + 1
    row.actor_cells = cells[actor_start:max(actor_start, actor_end)]
    if time_col is None:
        return row
    before = sorted(c for c, r in header.roles.items()
                    if r in (INPUTS,) and first_standard is not None and c < (header_time or 0))
    for column in before:
        row.inputs_raw = cell_at(cells, column + shift)
    row.time_raw = cell_at(cells, time_col)
    after_roles = [r for c, r in sorted(header.roles.items()) if header_time is not None
                   and c > header_time]
    if unlabelled_output:
        after_roles = [OUTPUTS, *after_roles]
    tail = cells[time_col + 1:]
    for offset, raw in enumerate(tail):
        if offset < len(after_roles):
            setattr(row, f"{after_roles[offset]}_raw", raw)
        elif fold(cell_text(raw)):
            row.extra.append((time_col + 1 + offset, raw))
    return row


def cell_at(cells: Sequence[str], index: int) -> str:
    """The cell at `index`, or empty when the row is too short (damaged rows often are)."""
    return cells[index] if 0 <= index < len(cells) else ""
