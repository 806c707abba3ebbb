"""What follows an SOP's procedure table: narrative sections (A. Latar Belakang …) and the
signature block, read into values; nothing here changes the SOP itself."""

from __future__ import annotations

from alur.sop.model import Section

from .blocks import Block
from .narrative import Signature, read_signature, section_heading, signature_start
from .notes import Notes


def read_after(blocks: list[Block], notes: Notes) -> tuple[list[Section], Signature | None]:
    """The sections in order, and the signature block if there is one; text that is neither
    is reported."""
    signature_at = signature_start(blocks)
    body = blocks if signature_at is None else blocks[:signature_at]
    sections: list[Section] = []
    title: str | None = None
    lines: list[str] = []
    for block in body:
        heading = None if block.is_row else section_heading(block.text)
        if heading:
            if title is not None:
                sections.append(Section(title=title, text="\n".join(lines)))
            title, lines = heading, []
        elif block.is_row or title is None:
            notes.unrecognised(block, "after-table")
        else:
            lines.append(block.text)
    if title is not None:
        sections.append(Section(title=title, text="\n".join(lines)))
    signature = read_signature(blocks[signature_at:]) if signature_at is not None else None
    return sections, signature
