"""Measuring and wrapping text with DejaVu Sans advance widths (font_metrics.json).

Layout needs to know how many lines a cell's text takes before anything is drawn; using the
shipped metrics makes that answer the same on every machine and in every writer.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

FONT_STACK = "'DejaVu Sans', 'Liberation Sans', Arial, Helvetica, sans-serif"
_FALLBACK_EM = 0.6  # width of a character the table does not know, in em


@lru_cache(maxsize=1)
def _metrics() -> dict[str, dict[str, float]]:
    text = resources.files("alur.render").joinpath("font_metrics.json").read_text("utf-8")
    metrics: dict[str, dict[str, float]] = json.loads(text)
    return metrics


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    table = _metrics()["bold" if bold else "regular"]
    return sum(table.get(c, _FALLBACK_EM) for c in text) * size


def wrap(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Greedy word wrap; words longer than the width are broken by character."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, size, bold=bold) <= width:
                current = candidate
                continue
            if current:
                lines.append(current)
            current = ""
            while text_width(word, size, bold=bold) > width and len(word) > 1:
                cut = _fit(word, width, size, bold)
                lines.append(word[:cut])
                word = word[cut:]
            current = word
        lines.append(current)
    return lines


def _fit(word: str, width: float, size: float, bold: bool) -> int:
    for cut in range(len(word) - 1, 0, -1):
        if text_width(word[:cut], size, bold=bold) <= width:
            return cut
    return 1
