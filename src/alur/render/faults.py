"""Faults a reader sees in a drawn flowchart that the hard invariants (checks.py) let pass:
arrows crossing each other, and labels (Ya/Tidak, a channel) on top of an arrow, a connector,
a grid line or another label. Counted per kind, so a benchmark can print them and tests can
require zero on SOPs of real density."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from itertools import combinations

from .geometry import Arrow, Layout, Page, Point, Rect

TOL = 0.6
Segment = tuple[Point, Point]


@dataclass(frozen=True)
class Fault:
    page: int
    kind: str  # crossing | label-arrow | label-connector | label-grid | label-label
    what: str

    def __str__(self) -> str:
        return f"halaman {self.page}: {self.what}"


def _horizontal(seg: Segment) -> bool:
    return abs(seg[0][1] - seg[1][1]) < 0.01 and abs(seg[0][0] - seg[1][0]) >= 0.01


def _vertical(seg: Segment) -> bool:
    return abs(seg[0][0] - seg[1][0]) < 0.01 and abs(seg[0][1] - seg[1][1]) >= 0.01


def _crosses(h: Segment, v: Segment) -> bool:
    """A horizontal and a vertical segment cross strictly inside both (touching at an end,
    as two arrows meeting at one port do, is not a crossing)."""
    y = h[0][1]
    x = v[0][0]
    hx0, hx1 = sorted((h[0][0], h[1][0]))
    vy0, vy1 = sorted((v[0][1], v[1][1]))
    return hx0 + TOL < x < hx1 - TOL and vy0 + TOL < y < vy1 - TOL


def crossing(one: Arrow, other: Arrow) -> bool:
    for a in one.segments():
        for b in other.segments():
            if _horizontal(a) and _vertical(b) and _crosses(a, b):
                return True
            if _vertical(a) and _horizontal(b) and _crosses(b, a):
                return True
    return False


def _hits(rect: Rect, seg: Segment) -> bool:
    inner = rect.inset(TOL)
    x0, x1 = sorted((seg[0][0], seg[1][0]))
    y0, y1 = sorted((seg[0][1], seg[1][1]))
    return x0 < inner.right and inner.x < x1 and y0 < inner.bottom and inner.y < y1


def grid_lines(page: Page) -> list[Segment]:
    """The table's lines that run through the flowchart area: row borders (with the last
    row's bottom) and the borders between columns."""
    if not page.rows:
        return []
    table = page.table
    top, bottom = page.rows[0].rect.y, page.rows[-1].rect.bottom
    lines = [((table.x, r.rect.y), (table.right, r.rect.y)) for r in page.rows]
    lines.append(((table.x, bottom), (table.right, bottom)))
    xs = sorted({cell.rect.x for row in page.rows for cell in row.cells})
    return lines + [((x, top), (x, bottom)) for x in xs]


def _name(arrow: Arrow) -> str:
    return f"{arrow.source}→{arrow.target}"


def page_faults(page: Page) -> list[Fault]:
    faults: list[Fault] = []
    n = page.number
    flows = [a for a in page.arrows if a.kind != "joint"]
    for one, other in combinations(flows, 2):
        if crossing(one, other):
            faults.append(Fault(n, "crossing", f"panah {_name(one)} memotong panah "
                                               f"{_name(other)}"))
    labelled = [a for a in page.arrows if a.label_box is not None]
    grid = grid_lines(page)
    for arrow in labelled:
        box = arrow.label_box
        assert box is not None
        for other in page.arrows:
            if other is not arrow and any(_hits(box, seg) for seg in other.segments()):
                faults.append(Fault(n, "label-arrow", f"label {arrow.label} ({_name(arrow)}) "
                                                      f"di atas panah {_name(other)}"))
        for connector in page.connectors:
            if box.intersects(connector.rect.inset(TOL)):
                faults.append(Fault(n, "label-connector", f"label {arrow.label} "
                                    f"({_name(arrow)}) di atas penghubung {connector.letter}"))
        if any(_hits(box, line) for line in grid):
            faults.append(Fault(n, "label-grid", f"label {arrow.label} ({_name(arrow)}) "
                                                 "di atas garis tabel"))
    for one, other in combinations(labelled, 2):
        assert one.label_box is not None and other.label_box is not None
        if one.label_box.inset(TOL).intersects(other.label_box.inset(TOL)):
            faults.append(Fault(n, "label-label", f"label {_name(one)} dan {_name(other)} "
                                                  "bertumpuk"))
    return faults


def layout_faults(result: Layout) -> list[Fault]:
    return [fault for page in result.pages for fault in page_faults(page)]


def fault_counts(result: Layout) -> Counter[str]:
    return Counter(fault.kind for fault in layout_faults(result))
