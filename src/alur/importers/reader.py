"""From blocks to SOPs: split a document into SOPs, then read each one's identity sheet
(`identity_reader`), procedure table (`steps_reader`), narrative sections and signature block
(`after_table`).

Every block ends up in an SOP field or in a finding naming its place; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from alur.sop.findings import Finding
from alur.sop.model import Approver, Dates, Section, Sop
from alur.sop.slug import slugify, unique_slug

from . import table as tbl
from .actors import propose_applicants
from .after_table import read_after
from .blocks import Block
from .caps import IMPORT_CAP_SOPS, IMPORT_CAP_STEPS, cut_steps
from .cells import fold
from .codes import IMPORT_NO_NAME, IMPORT_NO_TABLE, IMPORT_UNRECOGNISED, UNNAMED_SOP_ID
from .identity import field_label, looks_like_agency
from .identity_reader import apply_signature, read_identity
from .notes import Notes, short
from .steps_reader import read_procedure

_SOP_HEADING = re.compile(r"^\s*SOP\s+(?=\S)(.+)$")


@dataclass
class Segment:
    """The blocks of one SOP, and the 'SOP <NAME>' heading that opened it, if any."""

    blocks: list[Block] = field(default_factory=list)
    heading: str = ""
    heading_line: int | None = None


def _heading_name(block: Block) -> str | None:
    if block.is_row:
        return None
    match = _SOP_HEADING.match(block.text)
    if not match:
        return None
    name = match.group(1).strip()
    letters = [c for c in name if c.isalpha()]
    # Headings are written in capitals; "SOP ini berlaku …" in running text is not one.
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.7:
        return None
    return name


def split_segments(blocks: list[Block], limit: int | None = None) -> list[Segment]:
    """One segment per SOP: at each 'SOP <NAME>' heading, or at a new identity sheet that
    follows a procedure table. With `limit`, splitting stops once `limit` + 2 segments are
    open (the text before the first SOP, `limit` SOPs and the first one past the cap): the
    rest of the document stays in the last segment, which the caller does not read."""
    segments = [Segment()]
    seen_table = False
    for position, block in enumerate(blocks):
        if limit is not None and len(segments) > limit + 2:
            segments[-1].blocks.extend(blocks[position:])
            break
        name = _heading_name(block)
        new_identity = seen_table and any(field_label(t) == "number" for t in block.texts)
        current = segments[-1]
        if name is not None and not seen_table and not current.heading:
            # A title between an identity sheet and its table names this same SOP.
            current.heading, current.heading_line = name, block.line
            continue
        if name is not None or new_identity:
            # The agency heading written above the next SOP's identity table belongs to it.
            carried: list[Block] = []
            if new_identity:
                while current.blocks and not current.blocks[-1].is_row and \
                        looks_like_agency(current.blocks[-1].text):
                    carried.insert(0, current.blocks.pop())
            if current.blocks or current.heading:
                segments.append(Segment(blocks=carried))
            else:
                current.blocks.extend(carried)
            seen_table = False
            if name is not None:
                segments[-1].heading, segments[-1].heading_line = name, block.line
                continue
        if not seen_table and tbl.starts_table(block):   # (once seen, the rows need no test)
            seen_table = True
        segments[-1].blocks.append(block)
    return [s for s in segments if s.blocks or s.heading]


class SopReader:
    """Reads one segment into an SOP: the identity before the table, the table, what follows
    it; each part returns its values and reports through the same `Notes`."""

    def __init__(self, segment: Segment, *, file: str | None, taken_ids: set[str]) -> None:
        self.segment = segment
        self.file = file
        self.notes = Notes(file)
        self.taken_ids = taken_ids

    @property
    def findings(self) -> list[Finding]:
        return self.notes.findings

    def read(self) -> Sop:
        blocks = self.segment.blocks
        table_at = next((i for i, b in enumerate(blocks) if tbl.starts_table(b)), None)
        before = blocks if table_at is None else blocks[:table_at]
        # A "Pelaksana" group row just above the header belongs to the header.
        if before and before[-1].is_row and "pelaksana" in {fold(t).lower() for t in
                                                             before[-1].texts}:
            table_at = (table_at or 0) - 1
            before = before[:-1]
        identity = read_identity(before, self.segment.heading, self.notes)
        if table_at is None:
            first = blocks[0] if blocks else None
            self.notes.add(IMPORT_NO_TABLE(), at=first if self.segment.heading_line is None
                           else None, line=self.segment.heading_line)
        procedure = read_procedure(blocks[table_at:] if table_at is not None else [],
                                   self.notes, file=self.file)
        after, signature = read_after(procedure.rest, self.notes)
        sections = [Section(title=title, text="\n".join(lines))
                    for title, lines in identity.sections] + after
        if signature is not None:
            apply_signature(identity, signature, self.notes)
        if not identity.name:  # the reviewer names it; the id is never the file's name
            self.notes.add(IMPORT_NO_NAME(), at=blocks[0] if blocks else None)
        sop_id = unique_slug(slugify(identity.name) or UNNAMED_SOP_ID, self.taken_ids)
        self.taken_ids.add(sop_id)
        self.notes.stamp(sop_id)
        return Sop(
            id=sop_id,
            name=identity.name,
            number=identity.number,
            organization=identity.organization,
            dates=Dates(**identity.dates),
            approved_by=Approver(title=identity.approver.title, name=identity.approver.name,
                                 nip=identity.approver.nip),
            legal_basis=identity.lists.get("legal_basis", []),
            qualifications=identity.lists.get("qualifications", []),
            related=identity.lists.get("related", []),
            equipment=identity.lists.get("equipment", []),
            warnings=identity.lists.get("warnings", []),
            records=identity.lists.get("records", []),
            actors=propose_applicants(procedure.actors),
            steps=procedure.steps,
            sections=sections,
        )


_MAX_TEXT_FINDINGS = 50


def _holds_sop(segment: Segment) -> bool:
    """A segment is an SOP when it has a heading, an identity label or a procedure table."""
    return bool(segment.heading) or any(
        tbl.starts_table(b) or any(field_label(t) for t in b.texts) for b in segment.blocks)


def _unrecognised_text(blocks: list[Block], file: str | None) -> list[Finding]:
    """Text outside any SOP: one finding a line, then one that counts the rest."""
    notes = Notes(file)
    for block in blocks[:_MAX_TEXT_FINDINGS]:
        notes.add(IMPORT_UNRECOGNISED("outside-sop", text=short(block.text)), at=block)
    if len(blocks) > _MAX_TEXT_FINDINGS:
        rest = blocks[_MAX_TEXT_FINDINGS:]
        notes.add(IMPORT_UNRECOGNISED("outside-sop-rest", count=len(rest),
                                      first=rest[0].line, last=rest[-1].line), at=rest[0])
    return notes.findings


def read_blocks(blocks: list[Block], *, file: str | None = None,
                taken_ids: set[str] | None = None, max_sops: int | None = None,
                max_steps: int | None = None) -> tuple[list[Sop], list[Finding]]:
    """All SOPs in a document's blocks, with every finding about reading them. With
    `max_sops`/`max_steps` (the importers' caps), SOPs past the first `max_sops` and table
    rows past an SOP's first `max_steps` steps are left out, each with one finding."""
    taken = taken_ids if taken_ids is not None else set()
    sops: list[Sop] = []
    findings: list[Finding] = []
    segments = split_segments(blocks, max_sops)
    for segment in segments:
        if not _holds_sop(segment):
            findings.extend(_unrecognised_text(segment.blocks, file))
            continue
        if max_sops is not None and len(sops) >= max_sops:
            line = segment.heading_line or (segment.blocks[0].line if segment.blocks else None)
            findings.append(IMPORT_CAP_SOPS(limit=max_sops, line=line).at(file=file, line=line))
            break
        cut = cut_steps(segment.blocks, max_steps)
        segment.blocks = cut.blocks
        reader = SopReader(segment, file=file, taken_ids=taken)
        sop = reader.read()
        if cut.first_dropped is not None:
            reader.notes.add(IMPORT_CAP_STEPS(limit=max_steps, line=cut.first_dropped.line),
                             at=cut.first_dropped)
            reader.notes.stamp(sop.id)
        findings.extend(reader.findings)
        if sop is not None:
            sops.append(sop)
    return sops, findings
