"""What each cell of a step's row says, as paragraphs: one truth for the layout and for
every writer that puts the text in its own cells (Word, Excel)."""

from __future__ import annotations

from alur.sop.model import Step

ROLES = ("no", "activity", "inputs", "time", "outputs", "notes")


def cell_paragraphs(step: Step, role: str) -> list[str]:
    """Sub-activities as '- …' lines; inputs and outputs one per line; empty cells []."""
    if role == "no":
        return [str(step.number)]
    if role == "activity":
        if isinstance(step.activity, list):
            return [f"- {a}" for a in step.activity]
        return step.activity.split("\n") if step.activity else []
    if role in ("inputs", "outputs"):
        return [line for item in getattr(step, role) for line in item.split("\n")]
    if role == "time":
        return [step.time] if step.time else []
    if role == "notes":
        return step.notes.split("\n") if step.notes else []
    return []


def cell_text(step: Step, role: str) -> str:
    return "\n".join(cell_paragraphs(step, role))
