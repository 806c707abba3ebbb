"""Text extracts of SOP documents: one table row per line, cells separated by tabs.

This is what copying a Word or Excel SOP into a text file (or most extraction tools) gives:
the seeds in shared/seeds are such files. Cells may still hold inline HTML.
"""

from __future__ import annotations

from .blocks import Block


def text_blocks(text: str) -> list[Block]:
    """Every non-blank line as a block, numbered from 1 as editors number lines."""
    blocks = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            continue
        cells = tuple(line.split("\t")) if "\t" in line else (line,)
        blocks.append(Block(number, cells))
    return blocks
