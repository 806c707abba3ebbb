"""Cutting a document down to what one import may hold (SOPs per file, steps per SOP).

A hostile or broken file (10,000 'SOP …' headings, a table of 3,000 rows) must not hold a worker
for minutes; a real SOP book holds tens of SOPs of tens of steps. The bounds themselves are
named constants of the importers' entry (`alur.importers.MAX_SOPS_PER_FILE`,
`MAX_STEPS_PER_SOP`) and reach the readers as arguments; this module only cuts, before the
costly reading, and says what was left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from alur.i18n import N_
from alur.sop.codes import W, register

from . import table as tbl
from .blocks import Block

IMPORT_CAP_SOPS = register(
    "import.cap-sops", W, "a document holds more SOPs than one import reads; the rest is left out",
    N_("This document holds more than {limit} SOPs; only the first {limit} were read. "
       "Everything from line {line} on was left out: split the document and import the rest "
       "separately."))
IMPORT_CAP_STEPS = register(
    "import.cap-steps", W, "an SOP holds more steps than one import reads; the rest is left out",
    N_("This SOP's table holds more than {limit} steps; only the first {limit} were read. "
       "The rows from line {line} on were left out."))


@dataclass(frozen=True)
class StepsCut:
    """The blocks of an SOP with table rows past the cap removed, and the first one removed."""

    blocks: list[Block]
    first_dropped: Block | None


def cut_steps(blocks: list[Block], limit: int | None) -> StepsCut:
    """Keep the procedure table's first `limit` numbered rows (with the rows that continue
    them); rows after the cap are dropped, text after the table (signature, sections) kept.
    One pass: the cost stays in proportion to the table."""
    if limit is None:
        return StepsCut(blocks, None)
    kept: list[Block] = []
    numbered = 0
    in_table = False
    first_dropped: Block | None = None
    for block in blocks:
        if block.is_row and not in_table and tbl.starts_table(block):
            in_table = True
        elif block.is_row and in_table:
            if tbl.step_number(block.cells[0]) is not None:
                numbered += 1
            if numbered > limit:
                first_dropped = first_dropped or block
                continue
        kept.append(block)
    return StepsCut(kept, first_dropped)
