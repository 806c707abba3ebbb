"""The common shape every source document is reduced to before SOPs are recognised.

Text extracts and HTML pages look different but carry the same thing: lines of text and table
rows, each at a line of the source. Reducing both to `Block`s lets one reader recover SOPs from
either, so the damage-handling logic exists once.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cells import cell_text


@dataclass(frozen=True)
class Block:
    """A line of text (one cell) or a table row (several cells), raw cell text kept."""

    line: int
    cells: tuple[str, ...]

    @property
    def is_row(self) -> bool:
        return len(self.cells) > 1

    @property
    def texts(self) -> list[str]:
        """Each cell as plain text (HTML removed, whitespace folded)."""
        return [cell_text(c) for c in self.cells]

    @property
    def text(self) -> str:
        """All non-empty cells as one plain text."""
        return " ".join(t for t in self.texts if t)
