"""A table dumped column by column: every Mutu Baku value printed after the last step (some
extractions follow a table they cannot read that way). The values are matched back to the
steps by count and order, never by a guess; a column whose count does not fit is reported.
"""

from __future__ import annotations

from alur.sop.duration import is_duration

from .cells import fold
from .notes import short
from .pdftext_codes import PDFCOPY_COLUMN_DUMP, PDFCOPY_DUMP_MISMATCH
from .pdftext_rows import _Table
from .pdftext_words import _STEP_LINE, _find_time, _label_role


def _merge_wrapped(values: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """A value wrapped onto lines that start in lower case, joined back (once, at the end:
    joining line by line would copy a long value again for each line)."""
    merged: list[tuple[int, list[str]]] = []
    for line, text in values:
        if merged and text[:1].islower():
            merged[-1][1].append(text)
        else:
            merged.append((line, [text]))
    return [(line, " ".join(parts)) for line, parts in merged]


def _column_dump(table: _Table, lines: list[str]) -> None:
    """Mutu Baku values printed after the last step, matched back to the steps by order."""
    rows = table.rows
    if len(rows) < 2:
        return
    # Whether any row but the last holds a time (the first one found settles it).
    timed = any(_find_time(" ".join(lines[i] for i in r.lines).split(), 0)
                for r in rows[:-1])
    last = rows[-1]
    tail = [(i, fold(lines[i])) for i in last.lines if i != last.number_line and
            fold(lines[i])]
    durations = [k for k, (_, text) in enumerate(tail) if is_duration(text)]
    if timed or len(durations) < 2:
        return
    count = len(rows)
    labels = {k: role for k, (_, text) in enumerate(tail) if (role := _label_role(text))}
    values: dict[str, list[tuple[int, str]]] = {}
    if labels:
        marks = sorted(labels)
        keep = tail[:marks[0]]
        for position, mark in enumerate(marks):
            stop = marks[position + 1] if position + 1 < len(marks) else len(tail)
            values[labels[mark]] = _merge_wrapped(tail[mark + 1:stop])
        variant = ""
    elif durations == list(range(durations[0], durations[0] + len(durations))):
        first, stop = durations[0], durations[-1] + 1
        before = tail[:first]
        inputs = before[-count:] if len(before) >= count else []
        keep = before[:len(before) - len(inputs)] if inputs else before
        values = {"inputs": inputs, "time": tail[first:stop],
                  "outputs": _merge_wrapped(tail[stop:])}
        if len(values["outputs"]) > count:
            values["notes"] = values["outputs"][count:]
            values["outputs"] = values["outputs"][:count]
        variant = ""
    else:
        variant = "rows"
        keep = tail[:max(0, durations[0] - 1)]
        values = {"inputs": [], "time": [], "outputs": []}
        bounds = [*durations, len(tail)]
        if durations[0] >= 1:
            values["inputs"].append(tail[durations[0] - 1])
        for position, at in enumerate(durations):
            values["time"].append(tail[at])
            gap = tail[at + 1:bounds[position + 1]]
            if position + 1 < len(durations):
                gap = gap[:-1] if gap else gap
                if bounds[position + 1] - at > 1:
                    values["inputs"].append(tail[bounds[position + 1] - 1])
            values["outputs"].append((gap[0][0], " ".join(t for _, t in gap)) if gap
                                     else (at, ""))
    head = _STEP_LINE.sub(r"\2", lines[last.number_line], count=1)
    last.cells = {"activity": " ".join(t for t in [fold(head), *(t for _, t in keep)] if t)}
    placed = False
    for role, found in values.items():
        if not found:
            continue
        if len(found) != count:
            table.findings.append((PDFCOPY_DUMP_MISMATCH(
                found=len(found), column=_COLUMN_NAMES[role], count=count,
                texts="; ".join(short(t, 60) for _, t in found[:8])), found[0][0] + 1, None))
            continue
        placed = True
        for row, (_, text) in zip(rows, found, strict=True):
            row.cells[role] = text
    for row in rows:
        row.cells["dumped"] = "1"
    if placed:
        table.findings.append((PDFCOPY_COLUMN_DUMP(variant, count=count),
                               tail[durations[0]][0] + 1, None))


_COLUMN_NAMES = {"inputs": "Kelengkapan", "time": "Waktu", "outputs": "Output",
                 "notes": "Keterangan"}
