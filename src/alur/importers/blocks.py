"""The common shape every source document is reduced to before SOPs are recognised.

Text extracts and HTML pages look different but carry the same thing: lines of text and table
rows, each at a line of the source. Reducing both to `Block`s lets one reader recover SOPs from
either, so the damage-handling logic exists once.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Literal

from .cells import Mark, cell_text
from .exit_words import Branch
from .grid import Place


@dataclass(frozen=True)
class Exit:
    """A flow drawn out of a row's symbol: to the row whose block has the key `target`, with
    the words written on it and the branch they mean ('yes', 'no', or '' for a plain arrow)."""

    target: int
    label: str
    branch: Branch | Literal[""]
    column: int
    from_decision: bool


@dataclass(frozen=True)
class RowDrawing:
    """What a drawing shows over one table row: a symbol per cell (by cell index) and the flows
    leaving them. Readers of documents without drawings leave it out."""

    symbols: tuple[tuple[int, Mark], ...] = ()
    exits: tuple[Exit, ...] = ()


@dataclass(frozen=True)
class Block:
    """A line of text (one cell) or a table row (several cells), raw cell text kept.

    `line` is the source line for text, and a key unique within the document for sources
    without lines (Word, Excel, PDF), whose `place` says where the block stands instead.
    """

    line: int
    cells: tuple[str, ...]
    place: Place | None = None
    drawing: RowDrawing | None = None

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1

    @cached_property
    def _plain(self) -> tuple[str, ...]:
        # Readers ask for a block's texts many times over; parsing each cell once keeps the
        # cost of reading a document in proportion to its size.
        return tuple(cell_text(c) for c in self.cells)

    @property
    def texts(self) -> list[str]:
        """Each cell as plain text (HTML removed, whitespace folded)."""
        return list(self._plain)

    @property
    def text(self) -> str:
        """All non-empty cells as one plain text."""
        return " ".join(t for t in self.texts if t)
