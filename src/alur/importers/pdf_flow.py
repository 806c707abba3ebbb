"""Which open paths are the flowchart's lines: those that end at an arrowhead, and those
joined to them end to end; every other straight stroke may be table ruling.
"""

from __future__ import annotations

import math

from .grid import Box
from .pdf_geometry import TOUCH, Path, SpatialIndex, distance
from .pdf_objects import PageObjects

HEAD_REACH = 3.0         # how far a line may stop short of its arrowhead


def _head_choices(page: PageObjects) -> list[tuple[float, int, int, int]]:
    """(gap, path, end, head) for every path end that an arrowhead continues: the head lies at
    that end and points on in the path's direction. `gap` is how far the tip stands beyond
    the end: a shaft that stops at the head's base beats one that runs on under it (where
    one arrow ends at a symbol and the next leaves it, both touch the first one's head)."""
    heads: SpatialIndex[int] = SpatialIndex()
    for h, (box, _head_tip) in enumerate(page.heads):
        heads.add(box, h)
    choices = []
    for p, path in enumerate(page.paths):
        for end in (0, -1):
            point = path.points[end]
            before = path.points[1] if end == 0 else path.points[-2]
            for h in heads.near(Box(*point, *point), HEAD_REACH):
                box, tip = page.heads[h]
                middle = box.centre
                pointing = (tip[0] - middle[0], tip[1] - middle[1])
                going = (point[0] - before[0], point[1] - before[1])
                norm = math.hypot(*pointing) * math.hypot(*going)
                if norm > 0 and (pointing[0] * going[0] + pointing[1] * going[1]) / norm < 0.5:
                    continue
                choices.append((distance(point, tip), p, end, h))
    return sorted(choices, reverse=True)


def mark_flow(page: PageObjects) -> None:
    """Open paths that end at an arrowhead are flow lines (each head taken by one path, each
    path by one head, see `_head_choices`); so are paths joined to them end to end, and every
    path that is not one straight axis-parallel stroke."""
    taken: set[int] = set()
    for _gap, p, end, h in _head_choices(page):
        path = page.paths[p]
        if h in taken or path.head is not None:
            continue
        taken.add(h)
        if end == 0:
            path.points.reverse()
        path.head = page.heads[h][1]
    ends: SpatialIndex[Path] = SpatialIndex()
    for path in page.paths:
        for point in (path.points[0], path.points[-1]):
            ends.add(Box(*point, *point), path)
    queue: list[Path] = []
    for path in page.paths:
        straight = len(path.points) == 2 and (
            abs(path.points[0][0] - path.points[1][0]) < 0.5 or
            abs(path.points[0][1] - path.points[1][1]) < 0.5)
        if path.head is not None or not straight:
            path.flow = True
            queue.append(path)
    while queue:
        path = queue.pop()
        for point in (path.points[0], path.points[-1]):
            for other in ends.near(Box(*point, *point), TOUCH):
                assert isinstance(other, Path)
                if not other.flow:
                    other.flow = True
                    queue.append(other)
