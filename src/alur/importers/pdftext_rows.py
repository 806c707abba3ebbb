"""Which lines of a copy make which step: rows open at the step number that follows the previous
one, a number standing alone sits in the middle of its row (PDFs centre it), the table ends at
what cannot belong to it (sections, signature, the next SOP), and a header repeated on a new
page is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alur.sop.codes import Message
from alur.sop.duration import is_duration

from .cells import fold
from .narrative import section_heading
from .notes import short
from .pdftext_boilerplate import _Source
from .pdftext_cells import _LayoutRows, _Row
from .pdftext_codes import PDFCOPY_UNPLACED
from .pdftext_header import _Header
from .pdftext_identity import _field_split, _list_split
from .pdftext_words import (
    _GROUPS,
    _MARKERS,
    _find_time,
    _header_start,
    _is_label_line,
    _label_role,
    _step_number,
)

_SIGNED = re.compile(r"^(disahkan|ditetapkan)\s+(oleh|di)\b|^(kepala|sekretaris)\b.*,$",
                     re.IGNORECASE)


_SOP_HEADING = re.compile(r"^SOP\s+[A-Z][A-Z0-9 ,.&/()-]{3,}$")

# The agency heading that opens the next SOP's identity sheet, in capitals as printed.
_AGENCY_HEADING = re.compile(
    r"^(PEMERINTAH|KEMENTERIAN|KEMENTRIAN|BADAN|LEMBAGA|SEKRETARIAT)\s+[A-Z][A-Z0-9 ,.&/()-]{3,}$")


def _table_end(text: str) -> bool:
    """A line that cannot be part of the table: what follows it (sections, signature, the
    next SOP)."""
    return bool(section_heading(text) or _SIGNED.match(text) or _SOP_HEADING.match(text)
                or _AGENCY_HEADING.match(text)
                or _field_split(text) or _list_split(text) or _header_start(text))


@dataclass
class _Table:
    header: _Header
    rows: list[_Row]
    end: int                       # index after its last line
    markers: list[tuple[int, str]] = field(default_factory=list)
    # (message, line, step): findings made while reading it, located when they are issued
    findings: list[tuple[Message, int | None, int | None]] = field(default_factory=list)


def _read_table(source: _Source, header: _Header, after: int | None = None) -> _Table:
    """The rows under `header`; `after` is the last step of a table this one continues
    (the header repeated on the next page)."""
    lines = source.lines
    layout = _LayoutRows(header) if header.layout else None
    index = header.last + 1
    rows: list[_Row] = []
    expected: int | None = None
    blank_run = 0
    end = len(lines)
    loose: list[int] = []          # lines between the header and the first number
    markers: list[tuple[int, str]] = []
    timed: dict[int, bool] = {}
    run_continues = False
    # Per row (by its number line): how many of its lines were read into the set of markers.
    said_in: dict[int, tuple[int, set[str]]] = {}
    for index in range(header.last + 1, len(lines)):
        text = lines[index]
        if index in source.blanked:
            continue
        if not text.strip():
            blank_run += 1
            if layout and blank_run == 3:       # looked ahead once a run of blank lines
                run_continues = _next_opens(layout, lines, index, expected)
            if rows and _row_done(rows[-1], lines, blank_run, layout is not None, timed) and \
                    not (layout and run_continues):
                end = index
                break
            continue
        blank_run = 0
        folded = fold(text)
        if _table_end(folded) and not (rows and _step_number(text, expected)):
            end = index
            break
        if "\t" in text:
            end = index
            break
        words = folded.lower().split()     # as _words(text)
        if rows and words and all(w in header.vocabulary for w in words) and \
                _is_label_line(text) and any(_label_role(w) or _GROUPS.match(w) for w in words):
            source.blank(index)            # the header repeated on a new page
            continue
        if header.cell_lines and folded.lower() in ("ya", "tidak"):
            if rows:
                rows[-1].marks.append(folded)   # a branch label drawn over the row
            continue
        if header.cell_lines and rows and folded.lower().strip(" .") in _MARKERS:
            # A plain copy has no unnumbered marker rows to tell apart: the marker is the
            # row's own text, or (said again) its symbol's label.
            said = said_in.get(rows[-1].number_line)
            if said is None or said[0] != len(rows[-1].lines):   # new lines since: add them
                seen = said[1] if said else set()
                seen.update(fold(lines[i]).lower().strip(" .")
                            for i in rows[-1].lines[said[0] if said else 0:])
                said = said_in[rows[-1].number_line] = (len(rows[-1].lines), seen)
            if folded.lower().strip(" .") in said[1]:
                rows[-1].marks.append(folded)
            else:
                rows[-1].lines.append(index)
            continue
        if rows and folded.lower().strip(" .") in _MARKERS:
            markers.append((index, folded))  # 'SELESAI' on its own: an end marker row
            continue
        wanted = after + 1 if expected is None and after is not None and \
            _step_number(text, after + 1) else expected
        found = None if layout else _step_number(text, wanted)
        number = layout.number_in(text, wanted) if layout else (found[0] if found else None)
        if number is not None:
            rest = "" if layout or found is None else found[1]
            centred = not rest or bool(layout) or is_duration(rest)
            row = _Row(number, index, index,
                       centred=centred and not layout and not header.cell_lines)
            rows.append(row)
            expected = number + 1
            row.lines.append(index)
            continue
        if rows:
            rows[-1].lines.append(index)
        else:
            loose.append(index)
    _assign_starts(rows, loose, lines, layout)
    table = _Table(header, rows, end, markers=markers)
    placed = {i for r in rows for i in r.lines}
    for index in loose:
        if index not in placed:
            table.findings.append((PDFCOPY_UNPLACED(text=short(lines[index])), index + 1, None))
    return table


def _next_opens(layout: _LayoutRows, lines: list[str], index: int, expected: int | None
                ) -> bool:
    """After blank lines in a layout copy: the next text opens the step that follows (Word
    rows drawn tall leave several blank lines between them)."""
    for probe in range(index + 1, len(lines)):
        if lines[probe].strip():
            return layout.number_in(lines[probe], expected) is not None
    return False


def _row_done(row: _Row, lines: list[str], blank_run: int, layout: bool,
              timed: dict[int, bool]) -> bool:
    """A blank line ends the table after a row that has its time. `timed` remembers which
    lines hold a time, so a row broken by many blank lines is not read again at each."""
    if layout:
        return blank_run >= 3
    for i in row.lines:
        if i not in timed:
            timed[i] = _has_time(lines[i])
        if timed[i]:
            return True
    return False


def _assign_starts(rows: list[_Row], loose: list[int], lines: list[str],
                   layout: _LayoutRows | None) -> None:
    """Move lines that stand above a centred number into its row."""
    if not rows:
        return
    tops = layout is None and _numbers_open_rows(rows, loose, lines)
    pending = list(loose)
    for position, row in enumerate(rows):
        previous = rows[position - 1] if position else None
        if previous is not None:
            after = [i for i in previous.lines if i > previous.number_line]
            if layout is not None:
                cut = next((i for i in after if layout.fresh(
                    [lines[i - 1]] + ([lines[i - 2]] if i - 1 == previous.number_line and
                                      lines[i - 1].strip() else []), lines[i])), None)
                pending = [i for i in after if cut is not None and i >= cut]
            elif row.centred and not tops:
                pending = after[_centred_cut(previous, after, lines):]
            else:
                pending = []
            moved = set(pending)
            previous.lines = [i for i in previous.lines if i not in moved]
        elif layout is None and not row.centred:
            continue
        if pending:
            row.lines = sorted(set(pending) | set(row.lines))
            row.start = min(row.start, pending[0])


def _has_time(line: str) -> bool:
    return _find_time(fold(line).split(), 0) is not None


def _numbers_open_rows(rows: list[_Row], loose: list[int], lines: list[str]) -> bool:
    """Whether the step numbers stand at the top of their rows although each is alone on its
    line: a viewer that copies in drawing order (PDF.js) gives the number cell first, then
    the row's cells. Nothing stands between the header and the first number, and every row
    holds its own time after its number."""
    if loose or not rows[0].centred:
        return False
    timed = [any(_has_time(lines[i]) for i in r.lines if i > r.number_line) for r in rows]
    return sum(timed) >= max(2, len(rows) * 3 // 4)


def _centred_cut(previous: _Row, after: list[int], lines: list[str]) -> int:
    """Where the lines below the previous row's number split between it and the next row: half
    way, but never taking the previous row's only time (each row has one)."""
    cut = (len(after) + 1) // 2
    if any(_has_time(lines[i]) for i in previous.lines if i < previous.number_line):
        return cut
    timed = [position for position, i in enumerate(after) if _has_time(lines[i])]
    if timed and timed[0] >= cut:
        return timed[0] + 1
    return cut
