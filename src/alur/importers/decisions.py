"""Decisions recovered from what survives of the flowchart: ◇ glyphs and Ya/Tidak labels.

In a drawn SOP the diamond sits in the deciding actor's column; its "Tidak" arrow runs up that
column to the row it returns to, and its "Ya" arrow runs down to the next row. Extracts keep the
labels where the arrows were, so a Tidak above and a Ya below in one column locate the diamond
even when the glyph itself was lost. Anything that does not fit this pattern is reported.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from alur.i18n import _
from alur.sop.findings import Finding, Severity

from .cells import Mark


@dataclass
class DraftStep:
    """A step under construction with the marks its row carried, by actor column."""

    number: int
    line: int
    marks: dict[int, Mark] = field(default_factory=dict)
    labels: dict[int, Mark] = field(default_factory=dict)  # Ya/Tidak by column
    kind: str = "process"
    actor_columns: list[int] = field(default_factory=list)
    on_yes: int | None = None
    on_no: int | None = None
    inferred: list[str] = field(default_factory=list)


def recover_decisions(steps: list[DraftStep], actor_names: list[str], *, sop: str,
                      file: str | None) -> list[Finding]:
    """Turn ◇ marks and Ya/Tidak labels into decisions where the rows allow it."""
    findings: list[Finding] = []
    used: set[tuple[int, int]] = set()  # (row index, column) of labels consumed

    def note(severity: Severity, code: str, message: str, step: DraftStep) -> None:
        findings.append(Finding(severity=severity, code=code, message=message, sop=sop,
                                step=step.number, line=step.line, file=file))

    def label_rows(column: int, mark: Mark) -> list[int]:
        return [i for i, s in enumerate(steps) if s.labels.get(column) is mark]

    for index, step in enumerate(steps):
        diamonds = [c for c, m in step.marks.items() if m is Mark.DECISION]
        if diamonds:
            column = diamonds[0]
            name = _name(actor_names, column)
            no_rows = [i for i in label_rows(column, Mark.NO) if i < index]
            yes_rows = [i for i in label_rows(column, Mark.YES) if i > index]
            if not no_rows:
                note(Severity.WARNING, "import.decision-incomplete",
                     _("Step {number}: a decision symbol (◇) in column {column} without a "
                       "readable 'No' branch; the step is read as a process.").format(
                         number=step.number, column=name), step)
                continue
            no_row = max(no_rows)
            yes_row = min(yes_rows) if yes_rows else index + 1
            if yes_row >= len(steps):
                note(Severity.WARNING, "import.decision-incomplete",
                     _("Step {number}: a decision in column {column} without a step after it "
                       "for the 'Yes' branch; read as a process.").format(
                         number=step.number, column=name), step)
                continue
            _make_decision(step, column, steps[yes_row].number, steps[no_row].number)
            others = [c for c in step.actor_columns if c != column]
            if others:
                step.actor_columns = [column]
                names = ", ".join(_name(actor_names, c) for c in others)
                note(Severity.WARNING, "import.mark-ignored",
                     _("Step {number}: marks in column {columns} on the decision row are "
                       "ignored; the decision's actor is {column} (the column of the ◇ "
                       "symbol).").format(number=step.number, columns=names, column=name),
                     step)
            used.update({(no_row, column)} | ({(yes_row, column)} if yes_rows else set()))
            if not yes_rows:
                step.inferred.append("on_yes")
                note(Severity.INFO, "import.decision-yes-default",
                     _("Step {number}: the 'Yes' branch is not marked; it goes to the next "
                       "step, {target}.").format(number=step.number,
                                                 target=steps[yes_row].number), step)
            note(Severity.INFO, "import.decision",
                 _("Step {number}: a decision by {actor}, read from the ◇ symbol and the Yes/No "
                   "marks (Yes → {on_yes}, No → {on_no}).").format(
                     number=step.number, actor=name, on_yes=step.on_yes, on_no=step.on_no),
                 step)

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
                    note(Severity.INFO, "import.decision-from-labels",
                         _("Step {number}: its symbol is lost, but the 'No' mark (row of step "
                           "{no_step}) and the 'Yes' mark (row of step {yes_step}) in column "
                           "{column} show a decision by {column}.").format(
                             number=decider.number, no_step=no_step.number,
                             yes_step=steps[yes_index].number,
                             column=_name(actor_names, column)), decider)
                    break

    for index, step in enumerate(steps):
        for column, mark in step.labels.items():
            if (index, column) not in used:
                message = (
                    _("The 'Yes' mark in column {column} on the row of step {number} cannot be "
                      "linked to any decision.") if mark is Mark.YES else
                    _("The 'No' mark in column {column} on the row of step {number} cannot be "
                      "linked to any decision."))
                note(Severity.WARNING, "import.label-unused",
                     message.format(column=_name(actor_names, column), number=step.number),
                     step)
    return findings


def _make_decision(step: DraftStep, column: int, on_yes: int, on_no: int) -> None:
    step.kind = "decision"
    step.on_yes, step.on_no = on_yes, on_no
    if column not in step.actor_columns:
        step.actor_columns = [column, *[c for c in step.actor_columns if c != column]]


def _name(actor_names: list[str], column: int) -> str:
    return actor_names[column] if 0 <= column < len(actor_names) else f"#{column + 1}"
