"""Arrows between the symbols of a laid-out SOP.

Sequential flow runs down from a symbol, across in the free band under it, and down into the
next symbol. Jumps (a decision's Tidak back to an earlier row, `next` skipping rows) leave a
symbol by its side and travel in a *lane*: a vertical track in the gap between the symbols of
two actor columns, where no symbol ever stands; each lane is used by one arrow at a time so
arrows never run on top of each other. An arrow whose ends are on different pages ends at a
lettered off-page connector at the bottom of one page and starts again at the same letter at
the top of the other.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Literal

from alur.sop import flow
from alur.sop.model import Sop

from .geometry import Arrow, Connector, Layout, Page, Point, Rect, Shape
from .text import text_width

LABEL_SIZE = 6.5
LANE_STEP = 4.0
CONNECTOR_W = 14.0
CONNECTOR_H = 14.0
Side = Literal["left", "right"]


@dataclass
class _PageState:
    page: Page
    lanes: dict[float, list[tuple[float, float]]] = field(default_factory=dict)
    entries: dict[tuple[int, str], int] = field(default_factory=dict)


class _Router:
    def __init__(self, sop: Sop, result: Layout) -> None:
        self.sop = sop
        self.layout = result
        self.actor_index = {c.actor_id: i for i, c in
                            enumerate(c for c in result.columns if c.role == "actor")}
        self.actor_columns = [c for c in result.columns if c.role == "actor"]
        self.states = {p.number: _PageState(p) for p in result.pages}
        self.shapes: dict[int, list[Shape]] = {}
        self.page_of: dict[int, Page] = {}
        for page in result.pages:
            for shape in page.shapes:
                self.shapes.setdefault(shape.step, []).append(shape)
            for row in page.rows:
                self.page_of.setdefault(row.step, page)
        self.letters = 0
        self.order = {s.number: i for i, s in enumerate(sop.steps)}

    # -- helpers -----------------------------------------------------------------------
    def column_of(self, shape: Shape) -> int:
        return self.actor_index.get(shape.actor_id, 0)

    def nearest(self, shapes: list[Shape], column: int) -> Shape:
        return min(shapes, key=lambda s: (abs(self.column_of(s) - column), self.column_of(s)))

    def next_letter(self) -> str:
        n = self.letters
        self.letters += 1
        letters = ""
        while True:
            letters = chr(ord("A") + n % 26) + letters
            n = n // 26 - 1
            if n < 0:
                return letters

    def gap_bounds(self, gap: int, page: Page) -> tuple[float, float]:
        """x-range of the gap left of actor column `gap` (gap n: right of the last)."""
        cols = self.actor_columns
        shape_w = {self.actor_index[s.actor_id]: s.rect.w for s in page.shapes}
        default_w = min(max(cols[0].width * 0.56, 18.0), 46.0)

        def half(i: int) -> float:
            return shape_w.get(i, default_w) / 2

        if gap == 0:
            return cols[0].x + 2, cols[0].center - half(0) - 2
        if gap == len(cols):
            return cols[-1].center + half(gap - 1) + 2, cols[-1].x + cols[-1].width - 2
        return cols[gap - 1].center + half(gap - 1) + 2, cols[gap].center - half(gap) - 2

    def lane(self, state: _PageState, gap: int, y0: float, y1: float) -> float:
        low, high = self.gap_bounds(gap, state.page)
        center = (low + high) / 2
        top, bottom = min(y0, y1) - 3, max(y0, y1) + 3
        # Lanes keep off the column's grid line (the gap's centre when columns are equal).
        boundaries = [c.x for c in self.actor_columns] + [self.actor_columns[-1].x +
                                                          self.actor_columns[-1].width]
        candidates = []
        k = 1
        while center - k * LANE_STEP >= low or center + k * LANE_STEP <= high:
            candidates += [center + k * LANE_STEP, center - k * LANE_STEP]
            k += 1
        candidates = [x for x in candidates if all(abs(x - b) > 2.5 for b in boundaries)] or \
            [center]
        for x in candidates:
            if not low <= x <= high:
                continue
            key = round(x, 2)
            if all(b < top or a > bottom for a, b in state.lanes.get(key, [])):
                state.lanes.setdefault(key, []).append((top, bottom))
                return x
        # Every lane is taken over this span: share the first rather than fail.
        state.lanes.setdefault(round(candidates[0], 2), []).append((top, bottom))
        return candidates[0]

    def connector(self, state: _PageState, x: float, direction: Literal["out", "in"],
                  letter: str, source: int, target: int) -> Connector:
        strip = state.page.bottom_strip if direction == "out" else state.page.top_strip
        assert strip is not None
        taken = [c.rect for c in state.page.connectors if c.direction == direction]
        cx = min(max(x, strip.x + CONNECTOR_W), strip.right - CONNECTOR_W)
        while any(abs(r.cx - cx) < CONNECTOR_W + 4 for r in taken):
            cx += CONNECTOR_W + 4
        rect = Rect(cx - CONNECTOR_W / 2, strip.cy - CONNECTOR_H / 2, CONNECTOR_W, CONNECTOR_H)
        made = Connector(letter, rect, direction, source, target)
        state.page.connectors.append(made)
        return made

    def entry_y(self, state: _PageState, shape: Shape, side: str) -> float:
        """Spread several arrows entering the same side of one symbol."""
        key = (shape.step, f"{shape.actor_id}:{side}")
        count = state.entries.get(key, 0)
        state.entries[key] = count + 1
        offsets = [0.0, -4.0, 4.0, -7.0, 7.0]
        return shape.rect.cy + offsets[count % len(offsets)]

    # -- arrows --------------------------------------------------------------------------
    def route_all(self) -> None:
        for step in self.sop.steps:
            edges = [e for e in flow.successors(self.sop, step)
                     if e.target is not None and e.target in self.shapes and
                     step.number in self.shapes]
            if not edges:
                continue
            sequential = [e for e in edges if self.is_sequential(e.source, e.target)]
            down = sequential[0] if sequential else None
            sides_used: list[Side] = []
            for edge in edges:
                label = {"ya": "Ya", "tidak": "Tidak"}.get(edge.label or "")
                kind = {"ya": "yes", "tidak": "no"}.get(edge.label or "", "flow")
                if edge is down:
                    self.sequential(edge.source, edge.target, kind, label)
                else:
                    side = self.jump(edge.source, edge.target, kind, label, sides_used)
                    sides_used.append(side)
        for page in self.layout.pages:
            self.joint_links(page)

    def is_sequential(self, source: int, target: int) -> bool:
        return self.order.get(target, -1) == self.order.get(source, -2) + 1

    def sequential(self, source: int, target: int, kind: str, label: str | None) -> None:
        targets = self.shapes[target]
        sources = self.shapes[source]
        s = self.nearest(sources, self.column_of(targets[0]))
        t = self.nearest(targets, self.column_of(s))
        src_page, tgt_page = self.page_of[source], self.page_of[target]
        if src_page is tgt_page:
            row = next(r for r in src_page.rows if r.step == source)
            sx, sy = s.port("bottom")
            tx, ty = t.port("top")
            if abs(sx - tx) < 0.5:
                points: list[Point] = [(sx, sy), (tx, ty)]
            else:
                band = (sy + row.rect.bottom) / 2
                points = [(sx, sy), (sx, band), (tx, band), (tx, ty)]
            src_page.arrows.append(Arrow(points, source, target, kind, label))  # type: ignore
            return
        letter = self.next_letter()
        out_state, in_state = self.states[src_page.number], self.states[tgt_page.number]
        out = self.connector(out_state, s.rect.cx, "out", letter, source, target)
        src_page.arrows.append(Arrow(self.to_connector(s.port("bottom"), out), source, target,
                                     kind, label))  # type: ignore[arg-type]
        inc = self.connector(in_state, t.rect.cx, "in", letter, source, target)
        tgt_page.arrows.append(Arrow(self.from_connector(inc, t.port("top")), source, target,
                                     kind))  # type: ignore[arg-type]

    @staticmethod
    def to_connector(start: Point, connector: Connector) -> list[Point]:
        x, y = start
        top = connector.rect.y
        if abs(x - connector.rect.cx) < 0.5:
            return [(x, y), (x, top)]
        jog = top - 5
        return [(x, y), (x, jog), (connector.rect.cx, jog), (connector.rect.cx, top)]

    @staticmethod
    def from_connector(connector: Connector, end: Point) -> list[Point]:
        x, y = end
        bottom = connector.rect.bottom
        if abs(x - connector.rect.cx) < 0.5:
            return [(x, bottom), (x, y)]
        jog = bottom + 5
        return [(connector.rect.cx, bottom), (connector.rect.cx, jog), (x, jog), (x, y)]

    def jump(self, source: int, target: int, kind: str, label: str | None,
             sides_used: list[Side]) -> Side:
        sources, targets = self.shapes[source], self.shapes[target]
        s = self.nearest(sources, self.column_of(targets[0]))
        s_col = self.column_of(s)
        t_col = self.column_of(self.nearest(targets, s_col))
        side: Side = "left" if t_col < s_col else "right"
        if side in sides_used:
            side = "right" if side == "left" else "left"
        if source == target:
            side = "right"
        gap = s_col + (1 if side == "right" else 0)
        start = s.port(side)
        src_page, tgt_page = self.page_of[source], self.page_of[target]
        src_state = self.states[src_page.number]
        if src_page is tgt_page:
            t = self.nearest(targets, gap - (1 if side == "right" else 0))
            t_side: Side = "right" if self.column_of(t) < gap else "left"
            ty = self.entry_y(src_state, t, t_side)
            x = self.lane(src_state, gap, start[1], ty)
            end = t.side_point(t_side, ty)
            if source == target:
                above = s.rect.y - 5
                points = [start, (x, start[1]), (x, above), (s.rect.cx, above),
                          (s.rect.cx, s.rect.y)]
            else:
                points = [start, (x, start[1]), (x, ty), end]
            src_page.arrows.append(Arrow(points, source, target, kind, label))  # type: ignore
            return side
        letter = self.next_letter()
        strip_top = src_page.bottom_strip.y  # type: ignore[union-attr]
        x = self.lane(src_state, gap, start[1], strip_top)
        out = self.connector(src_state, x, "out", letter, source, target)
        src_page.arrows.append(Arrow([start, *self.to_connector((x, start[1]), out)], source,
                                     target, kind, label))  # type: ignore[arg-type]
        tgt_state = self.states[tgt_page.number]
        t = targets[0]
        t_gap = self.column_of(t) + 1
        ty = self.entry_y(tgt_state, t, "right")
        strip_bottom = tgt_page.top_strip.bottom  # type: ignore[union-attr]
        tx = self.lane(tgt_state, t_gap, strip_bottom, ty)
        inc = self.connector(tgt_state, tx, "in", letter, source, target)
        points = self.from_connector(inc, (tx, ty))
        points.append(t.side_point("right", ty))
        tgt_page.arrows.append(Arrow(_simplify(points), source, target, kind))  # type: ignore
        return side

    def joint_links(self, page: Page) -> None:
        by_step: dict[int, list[Shape]] = {}
        for shape in page.shapes:
            by_step.setdefault(shape.step, []).append(shape)
        for step, shapes in by_step.items():
            ordered = sorted(shapes, key=lambda s: s.rect.x)
            for left, right in itertools.pairwise(ordered):
                page.arrows.append(Arrow([left.port("right"), right.port("left")], step, step,
                                         "joint", head=False))


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of a straight run."""
    result: list[Point] = []
    for point in points:
        if result and abs(result[-1][0] - point[0]) < 0.01 and abs(result[-1][1] - point[1]) \
                < 0.01:
            continue
        if len(result) >= 2:
            (ax, ay), (bx, by) = result[-2], result[-1]
            if (abs(ax - bx) < 0.01 and abs(bx - point[0]) < 0.01) or \
                    (abs(ay - by) < 0.01 and abs(by - point[1]) < 0.01):
                result[-1] = point
                continue
        result.append(point)
    return result


def _segment_hits(rect: Rect, a: Point, b: Point) -> bool:
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < rect.right and rect.x < x1 + 0.01 and y0 < rect.bottom and rect.y < y1 + 0.01


def _label_clash(rect: Rect, obstacles: list[Rect], others: list[tuple[Point, Point]],
                 own: list[tuple[Point, Point]]) -> int:
    """How badly a label position collides: symbols and labels worst, other arrows next."""
    return (sum(rect.intersects(o) for o in obstacles) * 10 +
            sum(_segment_hits(rect, a, b) for a, b in others) * 3 +
            sum(_segment_hits(rect, a, b) for a, b in own))


def place_labels(page: Page) -> None:
    """Put each Ya/Tidak label beside the start of its arrow where nothing else is."""
    obstacles = [s.rect for s in page.shapes] + [c.rect for c in page.connectors]
    placed: list[Rect] = []
    for arrow in page.arrows:
        if not arrow.label:
            continue
        width = text_width(arrow.label, LABEL_SIZE) + 2
        height = LABEL_SIZE * 1.25
        (ax, ay), (bx, _by) = arrow.points[0], arrow.points[1]
        candidates: list[Rect] = []
        if abs(ax - bx) < 0.01:  # leaves vertically (downwards)
            turn = arrow.points[2][0] - bx if len(arrow.points) > 2 else 0.0
            sides = (-2.0 - width, 2.0) if turn > 0 else (2.0, -2.0 - width)
            for dx in sides:
                for dy in (1.5, 4.0):
                    candidates.append(Rect(ax + dx, ay + dy, width, height))
        else:  # leaves sideways
            direction = 1 if bx > ax else -1
            for dy in (-height - 1.5, 1.5):
                for dx in (1.5, 6.0, 12.0):
                    x = ax + dx if direction > 0 else ax - dx - width
                    candidates.append(Rect(x, ay + dy, width, height))
        others = [seg for other in page.arrows if other is not arrow
                  for seg in other.segments()]
        scores = [_label_clash(rect, obstacles + placed, others, arrow.segments())
                  for rect in candidates]
        best = candidates[scores.index(min(scores))]
        arrow.label_box = best
        placed.append(best)


def route(sop: Sop, result: Layout) -> None:
    if not any(c.role == "actor" and c.actor_id for c in result.columns):
        return
    _Router(sop, result).route_all()
    for page in result.pages:
        place_labels(page)
