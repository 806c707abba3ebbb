"""Findings made while reading a document, each placed where the reader saw it.

A text source has lines; a Word, Excel or PDF source has tables, rows, sheets, cells and pages
instead (`Block.place`). Every part of the reader reports through one `Notes`, so a finding
names the right kind of place whatever the source, and the SOP's id is stamped on all of them
once it is known.
"""

from __future__ import annotations

from alur.sop.codes import Message
from alur.sop.findings import Finding, Location

from .blocks import Block
from .cells import fold
from .codes import IMPORT_GARBLED, IMPORT_UNRECOGNISED
from .grid import Place
from .narrative import is_garbled


class Notes:
    """The findings of one SOP (or one document) being read."""

    def __init__(self, file: str | None) -> None:
        self.file = file
        self.findings: list[Finding] = []

    def add(self, message: Message, *, at: Block | None = None, line: int | None = None,
            place: Place | None = None, step: int | None = None) -> None:
        """A finding at a block (its place, or its line), or at a given line or place."""
        place = place or (at.place if at is not None else None)
        location = place.location() if place is not None else \
            Location(line=at.line if at is not None else line)
        self.findings.append(message.at(**Location(file=self.file, step=step, **location)))

    def unrecognised(self, block: Block, part: str) -> None:
        """A block that fits nowhere; `part` (identity, after-table, signature, …) is the
        variant of both codes."""
        code = IMPORT_GARBLED if is_garbled(block.text) else IMPORT_UNRECOGNISED
        self.add(code(part, text=short(block.text)), at=block)

    def stamp(self, sop_id: str) -> None:
        self.findings = [f.model_copy(update={"sop": sop_id}) for f in self.findings]


def short(text: str, limit: int = 120) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"
