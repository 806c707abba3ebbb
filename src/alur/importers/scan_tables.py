"""Ruling → tables, for scanned pages and pasted pictures.

Morphological opening with long horizontal and vertical kernels keeps only the ruling; each
connected group of ruling is a table, its distinct line positions the column x-extents and row
y-extents, and a grid position whose inner rule is missing is merged with its neighbour (the
merged cells of a header such as "Pelaksana" over the actor columns). Everything here is in
pixels; the page reader (`scan.py`) turns it into points.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .grid import Box


def ruling(ink: Any, dpi: float) -> tuple[Any, Any]:
    """Horizontal and vertical ruling: ink in runs longer than ~0.4 in (no word is).

    A thin rule in a coarse or skewed scan is a staircase of short runs one pixel apart, so the
    ink is first thickened across each direction (never along it: words stay as long as they
    are), then opened along it."""
    import cv2

    length = max(int(dpi * 0.4), 15)
    across = max(int(dpi / 72 * 0.75), 3)
    rect = cv2.getStructuringElement
    tall = cv2.dilate(ink, rect(cv2.MORPH_RECT, (1, across)))
    wide = cv2.dilate(ink, rect(cv2.MORPH_RECT, (across, 1)))
    horizontal = cv2.morphologyEx(tall, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (length, 1)))
    vertical = cv2.morphologyEx(wide, cv2.MORPH_OPEN, rect(cv2.MORPH_RECT, (1, length)))
    # The opening drops a rule's last stretch after a break (shorter than the kernel); grow
    # each rule back along its own line over the ink it continues into.
    # (Against the ink itself, not the thickened ink: the thickening would eat into writing
    # close to a rule, such as a list's dashes.)
    horizontal = cv2.bitwise_and(cv2.dilate(horizontal, rect(cv2.MORPH_RECT, (length, 1))), ink)
    vertical = cv2.bitwise_and(cv2.dilate(vertical, rect(cv2.MORPH_RECT, (1, length))), ink)
    return horizontal, vertical


def _positions(profile: Any, minimum: int, gap: int) -> list[int]:
    """Centres of the runs where a projection profile reaches `minimum`."""
    positions: list[int] = []
    start = None
    for index, value in enumerate([*list(profile), 0]):
        if value >= minimum and start is None:
            start = index
        elif value < minimum and start is not None:
            centre = (start + index - 1) // 2
            if positions and centre - positions[-1] <= gap:
                positions[-1] = (positions[-1] + centre) // 2
            else:
                positions.append(centre)
            start = None
    return positions


@dataclass
class Table:
    """A table in pixels: line positions and its cells as (row, col, rowspan, colspan)."""

    xs: list[int]
    ys: list[int]
    spans: list[tuple[int, int, int, int]]
    cell_of: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)


def _covered(mask: Any, fixed: int, lo: int, hi: int, vertical: bool, reach: int) -> bool:
    """Whether ruling covers most of the segment between two grid positions."""
    if hi - lo <= 2:
        return True
    inner_lo, inner_hi = lo + (hi - lo) // 8, hi - (hi - lo) // 8
    if vertical:
        band = mask[inner_lo:inner_hi, max(fixed - reach, 0):fixed + reach + 1]
        hit = band.max(axis=1) if band.size else band
    else:
        band = mask[max(fixed - reach, 0):fixed + reach + 1, inner_lo:inner_hi]
        hit = band.max(axis=0) if band.size else band
    return bool(hit.size) and float((hit > 0).mean()) >= 0.6


def _runs(values: Any) -> list[tuple[int, int]]:
    """(start, end) of the runs of true values."""
    runs = []
    start = None
    for index, value in enumerate([*list(values), False]):
        if value and start is None:
            start = index
        elif not value and start is not None:
            runs.append((start, index - 1))
            start = None
    return runs


def _rules(mask: Any, candidates: list[int], across: list[int], vertical: bool, reach: int,
           offset: int, lo: int, hi: int) -> list[int]:
    """The candidate positions whose ink runs from one crossing rule to another: a table's
    rules end on other rules, an arrow ends on a symbol or in an arrowhead."""
    kept = []
    slack = reach * 3
    for position in candidates:
        if vertical:
            band = mask[lo:hi, max(position - reach, 0):position + reach + 1].max(axis=1)
        else:
            band = mask[max(position - reach, 0):position + reach + 1, lo:hi].max(axis=0)
        chains: list[list[tuple[int, int]]] = []
        for start, end in _runs(band > 0):
            piece = (start + offset, end + offset)
            # A thin rule in a coarse scan breaks up here and there: bridge short gaps.
            if chains and piece[0] - chains[-1][-1][1] <= slack * 2:
                chains[-1].append(piece)
            else:
                chains.append([piece])
        if any(_spans_between(chain, across, slack) for chain in chains):
            kept.append(position)
    return kept


def _spans_between(pieces: list[tuple[int, int]], across: list[int], slack: int) -> bool:
    """Whether a run of pieces (a rule with small breaks) starts at one crossing rule and
    ends at another, from any of its pieces to any later one."""
    near = [any(abs(position - c) <= slack for c in across)
            for piece in pieces for position in piece]
    starts = [i for i in range(0, len(near), 2) if near[i]]
    ends = [i for i in range(1, len(near), 2) if near[i]]
    flat = [position for piece in pieces for position in piece]
    return any(flat[j] - flat[i] > slack * 2 for i in starts for j in ends if j > i)


def find_tables(horizontal: Any, vertical: Any, dpi: float) -> tuple[list[Table], Any]:
    """The tables found in the ruling, and the mask of their rules (only those: long arrows
    are strokes of the flow, not ruling)."""
    import cv2
    import numpy as np

    ruling = cv2.bitwise_or(horizontal, vertical)
    ruling = cv2.dilate(ruling, cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5)))
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(ruling)
    reach = max(int(dpi / 72 * 2), 3)
    tables = []
    rules = np.zeros_like(horizontal)
    for label in range(1, count):
        x, y, w, h, _area = stats[label]
        if w < dpi * 0.8 or h < dpi * 0.2:
            continue
        hz = horizontal[y:y + h, x:x + w]
        vt = vertical[y:y + h, x:x + w]
        ys = [y + p for p in _positions((hz > 0).sum(axis=1), int(dpi * 0.3), reach * 2)]
        xs = [x + p for p in _positions((vt > 0).sum(axis=0), int(dpi * 0.1), reach * 2)]
        xs = _rules(vertical, xs, ys, True, reach, y, y, y + h)
        ys = _rules(horizontal, ys, xs, False, reach, x, x, x + w)
        xs = _rules(vertical, xs, ys, True, reach, y, y, y + h)
        if len(xs) < 2 or len(ys) < 2:
            continue
        for position in ys:
            band = np.s_[max(position - reach, 0):position + reach + 1, x:x + w]
            rules[band] |= horizontal[band]
        for position in xs:
            band = np.s_[y:y + h, max(position - reach, 0):position + reach + 1]
            rules[band] |= vertical[band]
        tables.append(_merged(xs, ys, horizontal, vertical, reach))
    tables.sort(key=lambda t: (t.ys[0], t.xs[0]))
    return tables, rules


def _merged(xs: list[int], ys: list[int], horizontal: Any, vertical: Any, reach: int) -> Table:
    """Grid positions joined where the rule between them is missing, as rectangular cells."""
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = {(r, c): (r, c) for r in range(rows) for c in range(cols)}

    def find(key: tuple[int, int]) -> tuple[int, int]:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for r in range(rows):
        for c in range(cols):
            if c + 1 < cols and not _covered(vertical, xs[c + 1], ys[r], ys[r + 1], True, reach):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < rows and not _covered(horizontal, ys[r + 1], xs[c], xs[c + 1], False,
                                             reach):
                parent[find((r + 1, c))] = find((r, c))
    groups: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        groups.setdefault(find(key), []).append(key)
    table = Table(xs, ys, [])
    taken: set[tuple[int, int]] = set()
    for members in sorted(groups.values()):
        r0 = min(r for r, _ in members)
        c0 = min(c for _, c in members)
        r1 = max(r for r, _ in members)
        c1 = max(c for _, c in members)
        # A group that is not a rectangle (a rule broken by noise) keeps its bounding cells
        # only where no other cell claims them.
        cells = [(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
                 if (r, c) not in taken]
        taken.update(cells)
        table.spans.append((r0, c0, r1 - r0 + 1, c1 - c0 + 1))
        for cell in cells:
            table.cell_of[cell] = (r0, c0)
    return table


def cell_box(tables: list[Table], point: tuple[float, float]) -> Box | None:
    for table in tables:
        located = locate(table, point)
        if located is None:
            continue
        r0, c0 = table.cell_of.get(located, located)
        for r, c, rs, cs in table.spans:
            if (r, c) == (r0, c0):
                return Box(table.xs[c], table.ys[r], table.xs[c + cs], table.ys[r + rs])
    return None


def locate(table: Table, point: tuple[float, float]) -> tuple[int, int] | None:
    from bisect import bisect_right

    x, y = point
    c = bisect_right(table.xs, x) - 1
    r = bisect_right(table.ys, y) - 1
    if 0 <= c < len(table.xs) - 1 and 0 <= r < len(table.ys) - 1:
        return r, c
    return None
