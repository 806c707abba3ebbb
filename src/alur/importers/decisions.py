"""Decisions recovered from what survives of the flowchart: ◇ glyphs and Ya/Tidak labels.

In a drawn SOP the diamond sits in the deciding actor's column; its "Tidak" arrow runs up that
column to the row it returns to, and its "Ya" arrow runs down to the next row. Extracts keep the
labels where the arrows were, so a Tidak above and a Ya below in one column locate the diamond
even when the glyph itself was lost. Anything that does not fit this pattern is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alur.sop.codes import Message
from alur.sop.findings import Finding, Location
from alur.sop.model import StepKind

from .cells import Mark
from .codes import (
    IMPORT_DECISION,
    IMPORT_DECISION_FROM_LABELS,
    IMPORT_DECISION_INCOMPLETE,
    IMPORT_DECISION_YES_DEFAULT,
    IMPORT_LABEL_UNUSED,
    IMPORT_MARK_IGNORED,
)
from .grid import Place


@dataclass
class DraftStep:
    """A step under construction with the marks its row carried, by actor column."""

    number: int
    line: int
    marks: dict[int, Mark] = field(default_factory=dict)
    labels: dict[int, Mark] = field(default_factory=dict)  # Ya/Tidak by column
    kind: StepKind = "process"
    actor_columns: list[int] = field(default_factory=list)
    on_yes: int | None = None
    on_no: int | None = None
    inferred: list[str] = field(default_factory=list)
    place: Place | None = None   # where the row stands, for sources without lines
    drawn: bool = False          # the marks come from shapes drawn over the row
    words: dict[str, str] = field(default_factory=dict)  # an exit's own words, by branch
    next: int | None = None

    def location(self) -> Location:
        """Where to report this step: its place, or its line."""
        return self.place.location() if self.place is not None else {"line": self.line}


def recover_decisions(steps: list[DraftStep], actor_names: list[str], *, sop: str,
                      file: str | None) -> list[Finding]:
    """Turn ◇ marks and Ya/Tidak labels into decisions where the rows allow it."""
    findings: list[Finding] = []
    used: set[tuple[int, int]] = set()  # (row index, column) of labels consumed

    def note(message: Message, step: DraftStep) -> None:
        findings.append(message.at(**Location(sop=sop, step=step.number, file=file,
                                                **step.location())))

    def label_rows(column: int, mark: Mark) -> list[int]:
        return [i for i, s in enumerate(steps) if s.labels.get(column) is mark]

    for index, step in enumerate(steps):
        diamonds = [c for c, m in step.marks.items() if m is Mark.DECISION]
        if step.kind == "decision" and step.on_yes is not None:
            continue  # decided from the drawing's own exits
        if diamonds:
            column = diamonds[0]
            name = _name(actor_names, column)
            no_rows = [i for i in label_rows(column, Mark.NO) if i < index]
            yes_rows = [i for i in label_rows(column, Mark.YES) if i > index]
            if not no_rows:
                note(IMPORT_DECISION_INCOMPLETE("no-branch", number=step.number, column=name),
                     step)
                continue
            no_row = max(no_rows)
            yes_row = min(yes_rows) if yes_rows else index + 1
            if yes_row >= len(steps):
                note(IMPORT_DECISION_INCOMPLETE("no-next-step", number=step.number,
                                                column=name), step)
                continue
            _make_decision(step, column, steps[yes_row].number, steps[no_row].number)
            others = [c for c in step.actor_columns if c != column]
            if others:
                step.actor_columns = [column]
                names = ", ".join(_name(actor_names, c) for c in others)
                note(IMPORT_MARK_IGNORED(number=step.number, columns=names, column=name), step)
            used.update({(no_row, column)} | ({(yes_row, column)} if yes_rows else set()))
            if not yes_rows:
                step.inferred.append("on_yes")
                note(IMPORT_DECISION_YES_DEFAULT(number=step.number,
                                                 target=steps[yes_row].number), step)
            note(IMPORT_DECISION(number=step.number, actor=name, on_yes=step.on_yes,
                                 on_no=step.on_no), step)

    # Labels without a surviving diamond: a Tidak above and a Ya below, one row apart.
    for no_index, no_step in enumerate(steps):
        for column, mark in no_step.labels.items():
            if mark is not Mark.NO or (no_index, column) in used:
                continue
            for yes_index in range(no_index + 2, len(steps)):
                if steps[yes_index].labels.get(column) is Mark.YES and \
                        (yes_index, column) not in used:
                    decider = steps[yes_index - 1]
                    if decider.marks or decider.kind != "process":
                        break
                    _make_decision(decider, column, steps[yes_index].number, no_step.number)
                    decider.actor_columns = [column]
                    decider.inferred.extend(["actors", "kind"])
                    used.update({(no_index, column), (yes_index, column)})
                    found = IMPORT_DECISION_FROM_LABELS(
                        number=decider.number, no_step=no_step.number,
                        yes_step=steps[yes_index].number, column=_name(actor_names, column))
                    note(found, decider)
                    break

    for index, step in enumerate(steps):
        for column, mark in step.labels.items():
            if (index, column) not in used:
                note(IMPORT_LABEL_UNUSED("yes" if mark is Mark.YES else "no",
                                         column=_name(actor_names, column), number=step.number),
                     step)
    return findings


def _make_decision(step: DraftStep, column: int, on_yes: int, on_no: int) -> None:
    step.kind = "decision"
    step.on_yes, step.on_no = on_yes, on_no
    if column not in step.actor_columns:
        step.actor_columns = [column, *[c for c in step.actor_columns if c != column]]


def _name(actor_names: list[str], column: int) -> str:
    return actor_names[column] if 0 <= column < len(actor_names) else f"#{column + 1}"
