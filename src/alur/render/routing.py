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
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Literal

from alur.sop import flow
from alur.sop.model import EntrySide, Sop, Step

from .faults import crossing, grid_lines
from .geometry import (
    Arrow,
    ArrowKind,
    Connector,
    Layout,
    Page,
    Point,
    Rect,
    Shape,
    overlap_length,
    symbol_width,
)
from .text import text_width

LABEL_SIZE = 6.5
LANE_STEP = 4.0
CONNECTOR_W = 14.0
CONNECTOR_H = 14.0
# The shortest last run an arrow may end with: under the 5 pt arrowhead a shorter one leaves no
# line to show (or read back from a PDF) which way the arrow points.
MIN_LAST_RUN = 7.0
Side = Literal["left", "right"]
Exit = Literal["left", "right", "bottom"]


@dataclass(frozen=True, eq=False)
class _Hop:
    """An edge between two drawn steps: a :class:`flow.Edge` whose target is known (the flow's
    end has no symbol to route to). Compared by identity, as the plan tells edges apart."""

    source: int
    target: int
    label: flow.Label = None


@dataclass
class _PageState:
    page: Page
    lanes: dict[float, list[tuple[float, float]]] = field(default_factory=dict)
    sides: dict[tuple[int, str], set[float]] = field(default_factory=dict)
    jogs: dict[str, list[tuple[float, float, float]]] = field(default_factory=dict)
    # The short arrows between a symbol and a connector placed beside it, known as soon as
    # the connector is placed but drawn later: routes chosen meanwhile must not cross them.
    stubs: list[Arrow] = field(default_factory=list)
    # The connector position chosen for a lane's arrow leaving the page (see via_strip).
    chosen_out: dict[float, float] = field(default_factory=dict)


class _Router:
    def __init__(self, sop: Sop, result: Layout, set_aside: frozenset[int] = frozenset()
                 ) -> None:
        self.sop = sop
        self.layout = result
        self.set_aside = set_aside
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
        self.crowded = False

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
        default_w = symbol_width(cols[0].width)

        def half(i: int) -> float:
            return shape_w.get(i, default_w) / 2

        if gap == 0:
            return cols[0].x + 2, cols[0].center - half(0) - 2
        if gap == len(cols):
            return cols[-1].center + half(gap - 1) + 2, cols[-1].x + cols[-1].width - 2
        return cols[gap - 1].center + half(gap - 1) + 2, cols[gap].center - half(gap) - 2

    def lane_in_gap(self, state: _PageState, gap: int, y0: float, y1: float,
                    avoid: list[float] | None = None) -> float | None:
        x = self.free_lane(state, gap, y0, y1, avoid)
        if x is not None:
            self.take_lane(state, x, y0, y1)
        return x

    @staticmethod
    def take_lane(state: _PageState, x: float, y0: float, y1: float) -> None:
        state.lanes.setdefault(round(x, 2), []).append((min(y0, y1) - 3, max(y0, y1) + 3))

    def free_lane(self, state: _PageState, gap: int, y0: float, y1: float,
                  avoid: list[float] | None = None) -> float | None:
        """The lane nearest the middle of `gap` that is free over [y0, y1] (not taken)."""
        low, high = self.gap_bounds(gap, state.page)
        center = (low + high) / 2
        top, bottom = min(y0, y1) - 3, max(y0, y1) + 3
        # Lanes keep off the column's grid line (the gap's centre when columns are equal).
        boundaries = [c.x for c in self.actor_columns] + [self.actor_columns[-1].x +
                                                          self.actor_columns[-1].width]
        candidates = []
        for spacing in (LANE_STEP, LANE_STEP * 0.625):  # tighter lanes when a gap is busy
            k = 1
            while center - k * spacing >= low or center + k * spacing <= high:
                candidates += [center + k * spacing, center - k * spacing]
                k += 1
        for x in candidates:
            if not low <= x <= high or any(abs(x - b) <= 2.5 for b in boundaries):
                continue
            if avoid and any(abs(x - a) < CONNECTOR_W + 4 for a in avoid):
                continue
            key = round(x, 2)
            if all(b < top or a > bottom for a, b in state.lanes.get(key, [])):
                return x
        return None

    def lane(self, state: _PageState, gap: int, y0: float, y1: float,
             side_of: tuple[int, Side] | None = None, connector: str | None = None
             ) -> tuple[float, int]:
        """A free lane over [y0, y1]: in `gap` if it has room, else the nearest gap that does.
        `side_of` (column, side) keeps the lane on that side of the column: a diamond has one
        vertex a side, so its two exits must not drift onto the same one."""
        gaps = sorted(range(len(self.actor_columns) + 1), key=lambda g: (abs(g - gap), -g))
        avoid = self.connector_spots(state.page, connector) if connector else None
        for attempt in ([avoid, None] if avoid else [None]):
            found = self._lane_search(state, gaps, y0, y1, side_of, attempt)
            if found is not None:
                return found
        return self._least_shared(state, gaps, y0, y1, side_of)

    def _least_shared(self, state: _PageState, gaps: list[int], y0: float, y1: float,
                      side_of: tuple[int, Side] | None) -> tuple[float, int]:
        """No free lane: take the one whose existing runs overlap this span the least."""
        top, bottom = min(y0, y1) - 3, max(y0, y1) + 3
        best: tuple[float, float, int] | None = None
        for gap in gaps:
            if side_of and ((side_of[1] == "right" and gap <= side_of[0]) or
                            (side_of[1] == "left" and gap > side_of[0])):
                continue
            low, high = self.gap_bounds(gap, state.page)
            x = low
            while x <= high:
                shared = sum(max(0.0, min(b, bottom) - max(a, top))
                             for a, b in state.lanes.get(round(x, 2), []))
                if best is None or shared < best[0]:
                    best = (shared, x, gap)
                x += LANE_STEP * 0.625
        if best is None:
            low, high = self.gap_bounds(gaps[0], state.page)
            return (low + high) / 2, gaps[0]
        state.lanes.setdefault(round(best[1], 2), []).append((top, bottom))
        return best[1], best[2]

    def _lane_search(self, state: _PageState, gaps: list[int], y0: float, y1: float,
                     side_of: tuple[int, Side] | None, avoid: list[float] | None
                     ) -> tuple[float, int] | None:
        for candidate in gaps:
            if side_of and ((side_of[1] == "right" and candidate <= side_of[0]) or
                            (side_of[1] == "left" and candidate > side_of[0])):
                continue
            x = self.lane_in_gap(state, candidate, y0, y1, avoid)
            if x is not None:
                return x, candidate
        return None

    def connector(self, state: _PageState, x: float, direction: Literal["out", "in"],
                  letter: str, source: int, target: int) -> Connector:
        """A pentagon in the page's strip: at the strip's bottom edge for arrows leaving the
        page, at its top edge for arrows arriving, so the strip keeps room for jogs."""
        strip = state.page.bottom_strip if direction == "out" else state.page.top_strip
        assert strip is not None
        cx = self.connector_x(state, x, direction)
        if direction == "out":
            state.chosen_out.clear()  # chosen for this arrow's candidates only
        y = strip.bottom - CONNECTOR_H - 1 if direction == "out" else strip.y + 1
        rect = Rect(cx - CONNECTOR_W / 2, y, CONNECTOR_W, CONNECTOR_H)
        made = Connector(letter, rect, direction, source, target)
        state.page.connectors.append(made)
        return made

    @staticmethod
    def connector_x(state: _PageState, x: float, direction: str, step: float = 1.0
                    ) -> float:
        """Where a connector for a lane at `x` stands: under the lane unless another is
        there, then moved along the strip (rightwards, or leftwards with `step` -1 while
        there is room)."""
        strip = state.page.bottom_strip if direction == "out" else state.page.top_strip
        assert strip is not None
        if direction == "out" and round(x, 2) in state.chosen_out:
            return state.chosen_out[round(x, 2)]
        taken = [c.rect for c in state.page.connectors if c.direction == direction]
        low, high = strip.x + CONNECTOR_W, strip.right - CONNECTOR_W
        cx = min(max(x, low), high)
        while any(abs(r.cx - cx) < CONNECTOR_W + 4 for r in taken):
            cx += step * (CONNECTOR_W + 4)
            if cx < low:  # no room on the left: rightwards from the lane after all
                return _Router.connector_x(state, x, direction)
        return cx

    def via_strip(self, state: _PageState, lane: float, start: list[Point], source: Shape
                  ) -> list[Point]:
        """A candidate's points from `start` down its lane to the connector at the page's
        bottom, with the jog in the strip when the connector must stand aside: to the
        right or to the left, whichever crosses fewer arrows (kept for `connector`)."""
        strip = state.page.bottom_strip
        assert strip is not None
        mid = strip.y + (strip.h - CONNECTOR_H) / 2
        state.chosen_out.pop(round(lane, 2), None)
        options = []
        for step in (1.0, -1.0):
            cx = self.connector_x(state, lane, "out", step)
            points = [*start, (lane, start[-1][1]), (lane, mid), (cx, mid),
                      (cx, strip.bottom)]
            options.append((self._cost(state, points, source), cx, points))
        _, cx, points = min(options, key=lambda option: (option[0], option[1]))
        state.chosen_out[round(lane, 2)] = cx
        return points

    def connector_spots(self, page: Page, direction: str) -> list[float]:
        return [c.rect.cx for c in page.connectors if c.direction == direction]

    def jog_level(self, state: _PageState, direction: str, x0: float, x1: float) -> float:
        """A height in the strip where no other jog runs over [x0, x1], for an arrow reaching
        a connector that had to move aside."""
        strip = state.page.bottom_strip if direction == "out" else state.page.top_strip
        assert strip is not None
        room = strip.h - CONNECTOR_H - 2
        count = max(int(room / 1.5), 1)
        levels = [strip.y + 1 + room * (i + 0.5) / count for i in range(count)]
        if direction == "in":
            levels = [strip.bottom - (y - strip.y) for y in levels]
        runs = state.jogs.setdefault(direction, [])
        low, high = sorted((x0, x1))
        for level in levels:
            if all(abs(level - y) > 0.5 or b < low - 1 or a > high + 1 for y, a, b in runs):
                runs.append((level, low, high))
                return level
        self.crowded = True  # the caller lays the SOP out again with taller strips
        runs.append((levels[0], low, high))
        return levels[0]

    def entry_y(self, state: _PageState, shape: Shape, side: str,
                coming_from: float | None = None) -> float:
        """A free height on one side of a symbol, so arrows entering or leaving the same
        side never share a horizontal run."""
        offset = self.free_entry(state, shape, side, coming_from)
        state.sides.setdefault((shape.step, f"{shape.actor_id}:{side}"), set()).add(offset)
        return shape.rect.cy + offset

    @staticmethod
    def free_entry(state: _PageState, shape: Shape, side: str,
                   coming_from: float | None = None) -> float:
        """The offset from the middle `entry_y` would take next, without taking it. An arrow
        `coming_from` below the middle tries the lower heights first (and one from above the
        upper ones), so it does not cross an arrow leaving at the middle."""
        used = state.sides.get((shape.step, f"{shape.actor_id}:{side}"), set())
        reach = shape.rect.h / 2 - 1.5
        offsets = [0.0]
        k = 1
        while k * 3.0 <= reach:
            pair = [-k * 3.0, k * 3.0]
            offsets += pair[::-1] if coming_from is not None and coming_from > shape.rect.cy \
                else pair
            k += 1
        for offset in offsets:
            if offset not in used:
                return offset
        return offsets[len(used) % len(offsets)]

    def reserve_exit(self, shape: Shape, side: str) -> None:
        state = self.states[self.page_of[shape.step].number]
        state.sides.setdefault((shape.step, f"{shape.actor_id}:{side}"), set()).add(0.0)

    # -- arrows --------------------------------------------------------------------------
    def route_all(self) -> None:
        # The line joining a joint step's symbols runs at their middle height on the inner
        # sides; no arrow may enter or leave there.
        for number, shapes in self.shapes.items():
            ordered = sorted(shapes, key=lambda s: s.rect.cx)
            state = self.states[self.page_of[number].number]
            for left, right in itertools.pairwise(ordered):
                state.sides.setdefault((number, f"{left.actor_id}:right"), set()).add(0.0)
                state.sides.setdefault((number, f"{right.actor_id}:left"), set()).add(0.0)
        plans: list[tuple[list[_Hop], _Hop | None, list[Exit]]] = []
        for step in self.sop.steps:
            edges = [_Hop(e.source, e.target, e.label) for e in flow.successors(self.sop, step)
                     if e.target is not None and e.target in self.shapes and
                     step.number in self.shapes]
            if not edges:
                continue
            sequential = [e for e in edges if self.is_sequential(e.source, e.target)]
            down = sequential[0] if sequential else None
            sides: list[Exit] = []
            hinted = self.hinted_sides(step, edges, down)
            for edge in edges:
                if edge is down:
                    continue
                side: Exit = hinted.get(id(edge)) or self.preferred_side(edge.source,
                                                                         edge.target)
                if side in sides:
                    # A diamond with no arrow down has a free bottom vertex: use it rather
                    # than the far side, which may be cramped against the text columns.
                    side = "bottom" if step.kind == "decision" and down is None else (
                        "right" if side == "left" else "left")
                sides.append(side)
                if side == "bottom":
                    continue
                if step.kind == "decision":  # a diamond leaves sideways from its vertex
                    self.reserve_exit(self.outermost(edge.source, side), side)
            plans.append((edges, down, sides))
        # Jumps to another page get their connector pair beside the two symbols; place those
        # first so lanes route around them.
        self.inline: dict[tuple[int, int, str], tuple[Connector, Connector, Shape, Side]] = {}
        for edges, down, sides in plans:
            jumps = iter(sides)
            for edge in edges:
                if edge is not down:
                    side = next(jumps)
                    if side != "bottom" and \
                            self.page_of[edge.source] is not self.page_of[edge.target]:
                        self.place_inline(edge, side)
        # Sequential arrows first: they stand at fixed places (column centres), so jumps,
        # which can move to any free lane, must find room around them and not the reverse.
        for _, down, _ in plans:
            if down is not None:
                self.sequential(down.source, down.target, *self.kind_label(down))
        for edges, down, sides in plans:
            jumps = iter(sides)
            for edge in edges:
                if edge is not down:
                    self.jump(edge.source, edge.target, *self.kind_label(edge), next(jumps))
        for page in self.layout.pages:
            self.joint_links(page)

    def hinted_sides(self, step: Step, edges: list[_Hop], down: _Hop | None
                     ) -> dict[int, Exit]:
        """The sides a person chose for the decision's exits (`layout`), by edge; a hint that
        cannot hold here is left out and the step noted in `Layout.unhonoured`: an exit to
        the next step always goes down, two exits cannot share a side, and the bottom is free
        only when no exit goes down."""
        wanted = {"ya": step.layout.yes, "tidak": step.layout.no}
        if step.kind != "decision" or not step.layout.routes():
            return {}
        if step.number in self.set_aside:
            self.layout.unhonoured.append(step.number)
            return {}
        if down is not None and self.wanted_entry(step.number, down.label) not in (None, "top"):
            self.layout.unhonoured.append(step.number)   # the arrow down enters at the top
        chosen: dict[int, Exit] = {}
        for edge in edges:
            side = wanted.get(edge.label or "")
            if side is None:
                continue
            if (edge is down and side != "bottom") or (edge is not down and (
                    side in chosen.values() or (side == "bottom" and down is not None))):
                self.layout.unhonoured.append(step.number)
                return {}
            if edge is not down:
                chosen[id(edge)] = side
        return chosen

    def wanted_entry(self, source: int, label: str | None) -> EntrySide | None:
        """The side of its target a decision's exit should enter by, as a person chose it."""
        step = self.sop.step(source)
        if source in self.set_aside or step is None or step.kind != "decision":
            return None
        return step.layout.yes_in if label in ("ya", "yes") else \
            step.layout.no_in if label in ("tidak", "no") else None

    def kind_label(self, edge: _Hop) -> tuple[ArrowKind, str | None]:
        """The arrow's kind and the words on it: the decision's own (`labels`), else Ya or
        Tidak."""
        if edge.label not in _KINDS:
            return "flow", None
        step = self.sop.step(edge.source)
        words = "" if step is None else step.labels.yes if edge.label == "ya" else \
            step.labels.no
        return _KINDS[edge.label], words or ("Ya" if edge.label == "ya" else "Tidak")

    def outermost(self, step: int, side: Side) -> Shape:
        """A joint step's symbol on that side: side exits leave from it, clear of the line
        that joins the step's symbols."""
        shapes = self.shapes[step]
        return max(shapes, key=lambda s: s.rect.cx) if side == "right" else \
            min(shapes, key=lambda s: s.rect.cx)

    def preferred_side(self, source: int, target: int) -> Side:
        s = self.nearest(self.shapes[source], self.column_of(self.shapes[target][0]))
        t = self.nearest(self.shapes[target], self.column_of(s))
        return "left" if self.column_of(t) < self.column_of(s) else "right"

    def is_sequential(self, source: int, target: int) -> bool:
        return self.order.get(target, -1) == self.order.get(source, -2) + 1

    def sequential(self, source: int, target: int, kind: ArrowKind, label: str | None) -> None:
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
            src_page.arrows.append(Arrow(points, source, target, kind, label))
            return
        letter = self.next_letter()
        out_state, in_state = self.states[src_page.number], self.states[tgt_page.number]
        out = self.connector(out_state, s.rect.cx, "out", letter, source, target)
        src_page.arrows.append(Arrow(self.to_connector(out_state, s.port("bottom"), out),
                                     source, target,
                                     kind, label))
        inc = self.connector(in_state, t.rect.cx, "in", letter, source, target)
        tgt_page.arrows.append(Arrow(self.from_connector(in_state, inc, t.port("top")), source,
                                     target, kind))

    def to_connector(self, state: _PageState, start: Point, connector: Connector
                     ) -> list[Point]:
        x, y = start
        top = connector.rect.y
        if abs(x - connector.rect.cx) < 0.5:
            return [(x, y), (x, top)]
        jog = self.jog_level(state, "out", x, connector.rect.cx)
        return [(x, y), (x, jog), (connector.rect.cx, jog), (connector.rect.cx, top)]

    def from_connector(self, state: _PageState, connector: Connector, end: Point
                       ) -> list[Point]:
        x, y = end
        bottom = connector.rect.bottom
        if abs(x - connector.rect.cx) < 0.5:
            return [(x, bottom), (x, y)]
        jog = self.jog_level(state, "in", x, connector.rect.cx)
        return [(connector.rect.cx, bottom), (connector.rect.cx, jog), (x, jog), (x, y)]

    def beside(self, state: _PageState, shape: Shape, side: Side, dy: float = 0.0
               ) -> Rect | None:
        """A connector-sized spot next to a symbol in its row (its middle `dy` from the
        symbol's), inside the actor area and clear of symbols and connectors; or None."""
        sign = 1 if side == "right" else -1
        edge_x = shape.side_point(side, shape.rect.cy + dy)[0]
        cx = edge_x + sign * (6 + CONNECTOR_W / 2)
        rect = Rect(cx - CONNECTOR_W / 2, shape.rect.cy + dy - CONNECTOR_H / 2, CONNECTOR_W,
                    CONNECTOR_H)
        limit_left = min(c.x for c in self.actor_columns)
        limit_right = max(c.x + c.width for c in self.actor_columns)
        row = next(r.rect for r in state.page.rows if r.step == shape.step)
        if rect.x < limit_left + 1 or rect.right > limit_right - 1 or \
                rect.y < row.y + 1 or rect.bottom > row.bottom - 1:
            return None
        others = [s.rect for s in state.page.shapes if s is not shape]
        if any(rect.inset(-2).intersects(o) for o in others):
            return None
        if any(rect.inset(-2).intersects(c.rect) for c in state.page.connectors):
            return None
        return rect

    def spot_beside(self, state: _PageState, step: int, sides: tuple[Side, ...]
                    ) -> tuple[Rect, Shape, Side, float] | None:
        """The first free spot beside a step's symbol: middle height first, then a little
        above or below it, where the outline still meets a horizontal arrow."""
        for side in sides:
            shape = self.outermost(step, side)
            reach = shape.rect.h / 2 - 2
            used = state.sides.get((step, f"{shape.actor_id}:{side}"), set())
            for dy in (0.0, -6.0, 6.0, -9.0, 9.0):
                if abs(dy) > reach or dy in used:
                    continue
                rect = self.beside(state, shape, side, dy)
                if rect is not None:
                    return rect, shape, side, dy
        return None

    def claim(self, state: _PageState, rect: Rect) -> None:
        """Keep lanes out of a connector placed beside a symbol."""
        for gap in range(len(self.actor_columns) + 1):
            low, high = self.gap_bounds(gap, state.page)
            center = (low + high) / 2
            k = -int((high - low) / LANE_STEP) - 1
            while center + k * LANE_STEP <= high:
                x = center + k * LANE_STEP
                if rect.x - 1 <= x <= rect.right + 1:
                    state.lanes.setdefault(round(x, 2), []).append((rect.y - 1, rect.bottom + 1))
                k += 1

    def place_inline(self, edge: _Hop, side: Side) -> None:
        source, target = edge.source, edge.target
        s = self.outermost(source, side)
        src_state = self.states[self.page_of[source].number]
        out_rect = self.beside(src_state, s, side) if s.kind == "decision" else None
        if s.kind != "decision":
            found_out = self.spot_beside(src_state, source, (side,))
            out_rect = found_out[0] if found_out else None
            exit_dy = found_out[3] if found_out else 0.0
        else:
            exit_dy = 0.0
        tgt_state = self.states[self.page_of[target].number]
        entry = self.wanted_entry(source, edge.label)
        if entry == "top" or entry == "bottom":
            return  # into a symbol's end only from a lane
        found_in = self.spot_beside(tgt_state, target, (entry,) if entry else ("right", "left"))
        if out_rect is None or found_in is None:
            return  # no room beside: the arrow goes by lane to the page strips instead
        in_rect, t, t_side, entry_dy = found_in
        tgt_state.sides.setdefault((target, f"{t.actor_id}:{t_side}"), set()).add(entry_dy)
        if s.kind != "decision":
            src_state.sides.setdefault((source, f"{s.actor_id}:{side}"), set()).add(exit_dy)
        letter = self.next_letter()
        out = Connector(letter, out_rect, "out", source, target)
        inc = Connector(letter, in_rect, "in", source, target)
        src_state.page.connectors.append(out)
        tgt_state.page.connectors.append(inc)
        self.claim(src_state, out_rect)
        self.claim(tgt_state, in_rect)
        out_y = out_rect.cy
        near = out_rect.x if side == "right" else out_rect.right
        src_state.stubs.append(Arrow([s.side_point(side, out_y), (near, out_y)], source, target))
        far = in_rect.x if t_side == "right" else in_rect.right
        tgt_state.stubs.append(Arrow([(far, in_rect.cy), t.side_point(t_side, in_rect.cy)],
                                     source, target))
        self.inline[(source, target, edge.label or "")] = (out, inc, t, t_side)

    def exit_point(self, state: _PageState, shape: Shape, side: Side) -> Point:
        if shape.kind == "decision":
            return shape.port(side)  # the vertex, reserved in the plan
        return shape.side_point(side, self.entry_y(state, shape, side))

    def jump(self, source: int, target: int, kind: ArrowKind, label: str | None, side: Exit
             ) -> None:
        if side == "bottom":
            self.jump_from_bottom(source, target, kind, label)
            return
        targets = self.shapes[target]
        s = self.outermost(source, side)
        gap = self.column_of(s) + (1 if side == "right" else 0)
        src_page, tgt_page = self.page_of[source], self.page_of[target]
        src_state = self.states[src_page.number]
        if source == target:
            if self.wanted_entry(source, kind):
                self.layout.unhonoured.append(source)  # into itself: always its upper corner
            # Out of the planned side, up its lane, over the symbol and down into its upper
            # corner on that side, clear of the arrow that enters at the top centre.
            start = self.exit_point(src_state, s, side)
            sign = 1 if side == "right" else -1
            dx = s.rect.w / 4
            above = s.rect.y - 5
            x, _ = self.lane(src_state, gap, above, start[1], (self.column_of(s), side))
            points = [start, (x, start[1]), (x, above), (s.rect.cx + sign * dx, above),
                      (s.rect.cx + sign * dx, s.rect.cy - s.half_height_at(dx))]
            src_page.arrows.append(Arrow(points, source, target, kind, label))
            return
        # A side exit keeps its lane on that side of the (outermost) symbol; otherwise it
        # would run back along the symbol or the line joining a joint step's symbols.
        keep = (self.column_of(s), side)
        if src_page is tgt_page:
            entry = self.wanted_entry(source, kind)
            entered = self.entered_jump(src_state, source, side, targets, entry) if entry \
                else None
            if entry and entered is None:
                self.layout.unhonoured.append(source)
            src_page.arrows.append(Arrow(
                entered or self.same_page_jump(src_state, source, side, targets),
                source, target, kind, label))
            return
        placed = self.inline.get((source, target, {"yes": "ya", "no": "tidak"}.get(kind, "")))
        if placed is not None:
            out, inc, t, t_side = placed
            start = s.port(side) if s.kind == "decision" else s.side_point(side, out.rect.cy)
            near = out.rect.x if side == "right" else out.rect.right
            src_page.arrows.append(Arrow([start, (near, start[1])], source, target, kind,
                                         label))
            end = t.side_point(t_side, inc.rect.cy)
            far = inc.rect.x if t_side == "right" else inc.rect.right
            tgt_page.arrows.append(Arrow([(far, end[1]), end], source, target,
                                         kind))
            return
        letter = self.next_letter()
        assert src_page.bottom_strip is not None  # a page that jumps away has its strips
        strip_top = src_page.bottom_strip.y
        start = self.exit_point(src_state, s, side)
        x, _ = self.pick_lane(src_state, gap, s.rect.cy, strip_top, keep, "out", s,
                              lambda lane: self.via_strip(src_state, lane, [start], s))
        out = self.connector(src_state, x, "out", letter, source, target)
        src_page.arrows.append(Arrow([start, *self.to_connector(src_state, (x, start[1]), out)],
                                     source,
                                     target, kind, label))
        self.arrive(tgt_page, target, letter, source, kind)

    def plan_same_page(self, state: _PageState, s: Shape, start: Point, gap: int,
                       targets: list[Shape], keep: tuple[int, Side]
                       ) -> tuple[tuple[int, int, float], list[Point],
                                  tuple[float, float, float] | None]:
        """A jump to a symbol on the same page: along a lane beside the source and into the
        target's side, the lane chosen to cross no arrow already drawn (a loop-back tends to
        cross the arrow leaving its target); when every lane would, straight into the
        target's free top or bottom is tried too. Answers the cost, the points and the lane
        taken as (x, y0, y1), or None when the route needs no lane."""
        t = self.nearest(targets, self.column_of(s))
        x, cost = self.pick_lane(
            state, gap, s.rect.cy, t.rect.cy, keep, None, s,
            lambda lane: self._into_side(state, start, lane, targets, claim=False))
        if cost[0]:
            ends = [(self._cost(state, route, s), route) for route in self._into_end(start, t)]
            if ends and min(ends)[0] < cost:
                self._release_lane(state, x)
                return min(ends)[0], min(ends)[1], None
        return cost, self._into_side(state, start, x, targets, claim=False), \
            (x, s.rect.cy, t.rect.cy)

    def same_page_jump(self, state: _PageState, source: int, side: Side,
                       targets: list[Shape]) -> list[Point]:
        """The planned side's route; a diamond whose other side vertex is free also tries
        leaving by it (away from the arrows already there) and keeps the better route."""
        s = self.outermost(source, side)
        start = self.exit_point(state, s, side)
        keep = (self.column_of(s), side)
        gap = self.column_of(s) + (1 if side == "right" else 0)
        cost, points, lane = self.plan_same_page(state, s, start, gap, targets, keep)
        other: Side = "left" if side == "right" else "right"
        flip = self.outermost(source, other)
        if cost[0] and s.kind == "decision" and \
                not state.sides.get((source, f"{flip.actor_id}:{other}")):
            if lane is not None:
                self._release_lane(state, lane[0])
            flip_start = flip.port(other)
            flip_gap = self.column_of(flip) + (1 if other == "right" else 0)
            flip_cost, flip_points, flip_lane = self.plan_same_page(
                state, flip, flip_start, flip_gap, targets, (self.column_of(flip), other))
            if flip_cost < cost:
                self.reserve_exit(flip, other)
                start, points, lane = flip_start, flip_points, flip_lane
            else:
                if flip_lane is not None:
                    self._release_lane(state, flip_lane[0])
                if lane is not None:
                    self.take_lane(state, *lane)
        if lane is None:
            return points
        return self._into_side(state, start, lane[0], targets, claim=True)

    def entered_jump(self, state: _PageState, source: int, side: Side,
                     targets: list[Shape], entry: EntrySide) -> list[Point] | None:
        """A jump on one page into the side of its target a person chose: along a lane on that
        side of the target (and on the exit's side of the source) into it, or, for its top or
        bottom, straight in where the target lies that way, else over (or under) it into
        the end a quarter of its width from the middle. The lane with the fewest faults is
        taken; None when no lane can lead there."""
        s = self.outermost(source, side)
        start = self.exit_point(state, s, side)
        source_column = self.column_of(s)
        if entry == "left" or entry == "right":
            t = self.outermost(targets[0].step, entry)
        else:
            t = self.nearest(targets, source_column)
        column = self.column_of(t)

        def allowed(gap: int) -> bool:
            return _gap_beside(gap, source_column, side) and (
                entry not in ("left", "right") or _gap_beside(gap, column, entry))

        below = t.rect.cy > start[1]
        if entry in ("top", "bottom") and (entry == "top") == below:
            ends = self._into_end(start, t)
            if ends:
                return min(ends, key=lambda r: self._cost(state, r, s))
        # Far enough from the end for the arrowhead to leave a run that shows its direction.
        reach = MIN_LAST_RUN + 1.5
        level = t.rect.y - reach if entry == "top" else t.rect.bottom + reach
        low, high = (min(start[1], t.rect.cy, level), max(start[1], t.rect.cy, level))
        best: tuple[tuple[int, int, float], float, list[Point]] | None = None
        for gap in range(len(self.actor_columns) + 1):
            if not allowed(gap):
                continue
            x = self.free_lane(state, gap, low, high, None)
            if x is None:
                continue
            points = self._entered(state, start, x, t, entry, level, claim=False)
            cost = self._cost(state, points, s)
            if best is None or (cost, abs(x - start[0])) < (best[0], abs(best[1] - start[0])):
                best = (cost, x, points)
        if best is None:
            return None
        self.take_lane(state, best[1], low, high)
        return self._entered(state, start, best[1], t, entry, level, claim=True)

    def _entered(self, state: _PageState, start: Point, x: float, t: Shape, entry: EntrySide,
                 level: float, *, claim: bool) -> list[Point]:
        if entry == "left" or entry == "right":
            ty = self.entry_y(state, t, entry, start[1]) if claim else \
                t.rect.cy + self.free_entry(state, t, entry, start[1])
            return [start, (x, start[1]), (x, ty), t.side_point(entry, ty)]
        sign = 1 if x > t.rect.cx else -1
        end_x = t.rect.cx + sign * t.rect.w / 4
        edge = t.rect.cy + (-1 if entry == "top" else 1) * t.half_height_at(end_x - t.rect.cx)
        return [start, (x, start[1]), (x, level), (end_x, level), (end_x, edge)]

    def pick_lane(self, state: _PageState, gap: int, y0: float, y1: float,
                  keep: tuple[int, Side] | None, connector: str | None, source: Shape,
                  route: Callable[[float], list[Point]]
                  ) -> tuple[float, tuple[int, int, float]]:
        """A lane over [y0, y1] for an arrow drawn by `route(x)`: the usual one (nearest
        `gap`) when its arrow crosses nothing, else the free lane of any allowed gap whose
        arrow has the fewest faults, then bends, then length. The lane is taken."""
        x = self.lane(state, gap, y0, y1, keep, connector)[0]
        cost = self._cost(state, route(x), source)
        if cost[0] == 0:
            return x, cost
        self._release_lane(state, x)
        avoid = self.connector_spots(state.page, connector) if connector else None
        best = (cost, x)
        for candidate in range(len(self.actor_columns) + 1):
            if keep and not _gap_beside(candidate, *keep):
                continue
            free = self.free_lane(state, candidate, y0, y1, avoid)
            if free is not None:
                best = min(best, (self._cost(state, route(free), source), free))
        self.take_lane(state, best[1], y0, y1)
        return best[1], best[0]

    @staticmethod
    def _release_lane(state: _PageState, x: float) -> None:
        """Give back the lane run taken last at `x` (a candidate that lost)."""
        runs = state.lanes.get(round(x, 2))
        if runs:
            runs.pop()

    def _into_side(self, state: _PageState, start: Point, x: float, targets: list[Shape], *,
                   claim: bool) -> list[Point]:
        """Across to the lane at `x`, along it, and into the nearest target's facing side;
        `claim` takes the height on that side (a candidate only looks)."""
        t = _nearest_x(targets, x)
        t_side: Side = "right" if t.rect.cx < x else "left"
        ty = self.entry_y(state, t, t_side, start[1]) if claim else \
            t.rect.cy + self.free_entry(state, t, t_side, start[1])
        return [start, (x, start[1]), (x, ty), t.side_point(t_side, ty)]

    @staticmethod
    def _into_end(start: Point, t: Shape) -> list[list[Point]]:
        """Across under (or over) the target and straight into its bottom (or top), a quarter
        of its width from the middle, clear of the arrows at its centre."""
        routes = []
        above = t.rect.cy < start[1]
        for sign in (-1, 1):
            x = t.rect.cx + sign * t.rect.w / 4
            if (x - start[0]) * (t.rect.cx - start[0]) < 0:
                continue  # would turn back over the start
            edge = t.rect.cy + (1 if above else -1) * t.half_height_at(x - t.rect.cx)
            routes.append([start, (x, start[1]), (x, edge)])
        return routes

    def _cost(self, state: _PageState, points: list[Point], source: Shape
              ) -> tuple[int, int, float]:
        """(faults, bends, length) of a candidate: an arrow crossed counts one, passing
        through a symbol or running on top of another arrow counts many."""
        candidate = Arrow(points, source.step, None)
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        area = Rect(min(xs) - 1, min(ys) - 1, max(xs) - min(xs) + 2, max(ys) - min(ys) + 2)
        faults = 0
        for other in [*state.page.arrows, *state.stubs]:
            if not any(_segment_hits(area, *seg) for seg in other.segments()):
                continue
            if other.kind != "joint" and crossing(candidate, other):
                faults += 1
            for mine in candidate.segments():
                for theirs in other.segments():
                    if overlap_length(mine, theirs) > 1.0:
                        faults += 10
        for a, b in candidate.segments():
            if any(shape.crossed_by(a, b) for shape in state.page.shapes):
                faults += 10
            if any(connector.rect.inset(-1).intersects(_box(a, b))
                   for connector in state.page.connectors):
                faults += 10
        (ax, ay), (bx, by) = points[-2], points[-1]
        if abs(ax - bx) + abs(ay - by) < MIN_LAST_RUN:
            faults += 1  # the arrowhead would swallow the last run: its direction is lost
        length = sum(abs(a[0] - b[0]) + abs(a[1] - b[1]) for a, b in candidate.segments())
        return faults, len(points) - 2, length

    def jump_from_bottom(self, source: int, target: int, kind: ArrowKind, label: str | None
                         ) -> None:
        """Down from the diamond's bottom vertex into the free band of its row, across to a
        lane, then on as any jump."""
        targets = self.shapes[target]
        s = self.nearest(self.shapes[source], self.column_of(targets[0]))
        src_page, tgt_page = self.page_of[source], self.page_of[target]
        state = self.states[src_page.number]
        row = next(r.rect for r in src_page.rows if r.step == source)
        start = s.port("bottom")
        band = (start[1] + row.bottom) / 2
        preferred = self.column_of(s) + (1 if self.column_of(targets[0]) >= self.column_of(s)
                                         else 0)
        entry = self.wanted_entry(source, kind)
        if entry == "top" or entry == "bottom":
            self.layout.unhonoured.append(source)  # from the bottom vertex: by a side only
            entry = None
        if src_page is tgt_page:
            keep: tuple[int, Side] | None = None
            if entry is not None:   # the lane on the chosen side of the target
                keep = (self.column_of(self.outermost(target, entry)), entry)
                preferred = keep[0] + (1 if entry == "right" else 0)
            t = self.nearest(targets, self.column_of(s))
            x, _ = self.pick_lane(
                state, preferred, band, t.rect.cy, keep, None, s,
                lambda lane: [start, (s.rect.cx, band),
                              *self._into_side(state, (s.rect.cx, band), lane, targets,
                                               claim=False)[1:]])
            t = _nearest_x(targets, x)
            t_side: Side = "right" if t.rect.cx < x else "left"
            ty = self.entry_y(state, t, t_side)
            points = [start, (s.rect.cx, band), (x, band), (x, ty), t.side_point(t_side, ty)]
            src_page.arrows.append(Arrow(points, source, target, kind, label))
            return
        letter = self.next_letter()
        assert src_page.bottom_strip is not None  # a page that jumps away has its strips
        strip_top = src_page.bottom_strip.y
        x, _ = self.pick_lane(state, preferred, band, strip_top, None, "out", s,
                              lambda lane: self.via_strip(state, lane,
                                                          [start, (s.rect.cx, band)], s))
        out = self.connector(state, x, "out", letter, source, target)
        src_page.arrows.append(Arrow([start, (s.rect.cx, band),
                                      *self.to_connector(state, (x, band), out)], source, target,
                                     kind, label))
        self.arrive(tgt_page, target, letter, source, kind)

    def arrive(self, page: Page, target: int, letter: str, source: int, kind: ArrowKind) -> None:
        """The second half of a jump from another page: from the connector at the top of
        this page down a lane into the target's side."""
        state = self.states[page.number]
        targets = self.shapes[target]
        t = targets[0]
        assert page.top_strip is not None  # a page that a jump arrives on has its strips
        strip_bottom = page.top_strip.bottom
        entry = self.wanted_entry(source, kind)
        if entry in ("top", "bottom"):
            self.layout.unhonoured.append(source)  # from another page: by a side only
            entry = None
        side: Side = "left" if entry == "left" else "right"
        column = self.column_of(self.outermost(target, side))
        keep: tuple[int, Side] | None = (column, side) if entry else None
        tx, _ = self.pick_lane(
            state, column + (1 if side == "right" else 0), strip_bottom,
            t.rect.cy, keep, "in", t,
            lambda lane: [(lane, strip_bottom),
                          *self._into_side(state, (lane, t.rect.cy), lane, targets,
                                           claim=False)[1:]])
        t = _nearest_x(targets, tx)
        t_side: Side = "right" if t.rect.cx < tx else "left"
        ty = self.entry_y(state, t, t_side)
        inc = self.connector(state, tx, "in", letter, source, target)
        points = self.from_connector(state, inc, (tx, ty))
        points.append(t.side_point(t_side, ty))
        page.arrows.append(Arrow(_simplify(points), source, target, kind))

    def joint_links(self, page: Page) -> None:
        by_step: dict[int, list[Shape]] = {}
        for shape in page.shapes:
            by_step.setdefault(shape.step, []).append(shape)
        for step, shapes in by_step.items():
            ordered = sorted(shapes, key=lambda s: s.rect.x)
            for left, right in itertools.pairwise(ordered):
                page.arrows.append(Arrow([left.port("right"), right.port("left")], step, step,
                                         "joint", head=False))


def _gap_beside(gap: int, column: int, side: str) -> bool:
    """Whether the gap lies on that side of the actor column (gap i is left of column i)."""
    return gap > column if side == "right" else gap <= column


def _nearest_x(shapes: list[Shape], x: float) -> Shape:
    """The symbol nearest a lane: no other symbol of the step lies between them."""
    return min(shapes, key=lambda s: abs(s.rect.cx - x))


_KINDS: dict[str, ArrowKind] = {"ya": "yes", "tidak": "no"}





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


def _box(a: Point, b: Point) -> Rect:
    return Rect(min(a[0], b[0]), min(a[1], b[1]), abs(a[0] - b[0]), abs(a[1] - b[1]))


def _segment_hits(rect: Rect, a: Point, b: Point) -> bool:
    x0, x1 = sorted((a[0], b[0]))
    y0, y1 = sorted((a[1], b[1]))
    return x0 < rect.right and rect.x < x1 + 0.01 and y0 < rect.bottom and rect.y < y1 + 0.01


@dataclass
class _Near:
    """What lies near one label's candidate places: only these can collide with it."""

    shapes: list[Shape]
    boxes: list[Rect]  # connectors and labels already placed
    grid: list[tuple[Point, Point]]
    others: list[tuple[Point, Point]]
    own: list[tuple[Point, Point]]
    siblings: list[tuple[Point, Point]]  # the other exits of the same decision


# How much nearer its own arrow than the decision's other exits a label must stand, for a
# reader (a person, or alur's importers, which sample a line every 6 pt) to tie it right.
LABEL_CLEAR_OF_SIBLINGS = 3.0


def _gap(rect: Rect, a: Point, b: Point) -> float:
    """Distance from a rectangle to an axis-parallel segment (0 when they touch)."""
    line = _box(a, b)
    dx = max(0.0, line.x - rect.right, rect.x - line.right)
    dy = max(0.0, line.y - rect.bottom, rect.y - line.bottom)
    return float((dx * dx + dy * dy) ** 0.5)


def _ambiguous(rect: Rect, near: _Near) -> bool:
    """The label stands as near another exit of its decision as its own: it could be read
    as that exit's."""
    if not near.siblings or not near.own:
        return False
    own = min(_gap(rect, a, b) for a, b in near.own)
    return min(_gap(rect, a, b) for a, b in near.siblings) <= own + LABEL_CLEAR_OF_SIBLINGS


def _label_clash(rect: Rect, near: _Near) -> int:
    """How badly a label position collides: symbols, connectors, labels and grid lines worst,
    other arrows next, its own arrow least. Standing nearer another exit of its decision
    than its own is as bad as covering a symbol."""
    hard = (sum(shape.overlaps(rect) for shape in near.shapes) +
            sum(rect.intersects(box) for box in near.boxes) + _ambiguous(rect, near) +
            sum(_segment_hits(rect.inset(0.6), a, b) for a, b in near.grid))
    return (hard * 10 + sum(_segment_hits(rect, a, b) for a, b in near.others) * 3 +
            sum(_segment_hits(rect, a, b) for a, b in near.own))


def _label_spots(arrow: Arrow, width: float, height: float) -> list[Rect]:
    """Places for a label at the start of its arrow, the closest first."""
    (ax, ay), (bx, _by) = arrow.points[0], arrow.points[1]
    spots: list[Rect] = []
    if abs(ax - bx) < 0.01:  # leaves vertically (downwards)
        turn = arrow.points[2][0] - bx if len(arrow.points) > 2 else 0.0
        sign = -1 if turn > 0 else 1  # on the side away from where the arrow turns
        run = abs(arrow.points[1][1] - ay)
        # Beside the line (lower down, past a row's border, while the line still runs there),
        # and last beside the symbol's lower outline, which may be near its other exits.
        deeper = tuple((dy, (2.0,)) for dy in (9.5, 12.0, 14.5) if dy + height <= run)
        for dy, dxs in ((1.5, (2.0,)), (4.0, (2.0,)), *deeper,
                        (1.0 - height, (3.0, 6.0, 9.0, 12.0))):
            for side in (sign, -sign):
                for dx in dxs:  # beside the symbol's lower outline when the row is low
                    spots.append(Rect(ax + dx if side > 0 else ax - dx - width, ay + dy,
                                      width, height))
    else:  # leaves sideways
        direction = 1 if bx > ax else -1
        for dy in (-height - 1.5, 1.5, -height - 8.5, 8.5):
            for dx in (1.5, 6.0, 12.0, 20.0):
                x = ax + dx if direction > 0 else ax - dx - width
                spots.append(Rect(x, ay + dy, width, height))
    return spots


def _on_side(rect: Rect, start: Point, side: str) -> bool:
    x, y = start
    return {"above": rect.bottom <= y + 0.01, "below": rect.y >= y - 0.01,
            "left": rect.right <= x + 0.01, "right": rect.x >= x - 0.01}[side]


def place_labels(page: Page, wanted: Mapping[tuple[int, str], str] | None = None
                 ) -> list[int]:
    """Put each Ya/Tidak label beside the start of its arrow where nothing else is: not on
    a symbol, a connector, another label or a line of the table, and off other arrows. The
    places are tried nearest first and the first free one is kept; a side a person chose
    (`wanted`, by step and exit kind) is tried first, and the steps whose chosen side had no
    free place are returned."""
    wanted = wanted or {}
    unhonoured: list[int] = []
    placed: list[Rect] = []
    grid = grid_lines(page)
    for arrow in page.arrows:
        if not arrow.label:
            continue
        width = text_width(arrow.label, LABEL_SIZE) + 2
        height = LABEL_SIZE * 1.25
        candidates = _label_spots(arrow, width, height)
        side = wanted.get((arrow.source, arrow.kind))
        chosen = [r for r in candidates if side and _on_side(r, arrow.points[0], side)]
        area = Rect(min(r.x for r in candidates), min(r.y for r in candidates), 0, 0)
        area = Rect(area.x, area.y, max(r.right for r in candidates) - area.x,
                    max(r.bottom for r in candidates) - area.y)
        near = _Near(
            shapes=[shape for shape in page.shapes if shape.rect.intersects(area)],
            boxes=[box for box in [*(c.rect for c in page.connectors), *placed]
                   if box.intersects(area)],
            grid=[seg for seg in grid if _segment_hits(area, *seg)],
            others=[seg for other in page.arrows if other is not arrow
                    for seg in other.segments() if _segment_hits(area, *seg)],
            own=arrow.segments(),
            siblings=[seg for other in page.arrows if other is not arrow and other.label and
                      other.source == arrow.source for seg in other.segments()])
        best = next((r for r in chosen if _label_clash(r, near) == 0), None)
        if best is None:
            if side:
                unhonoured.append(arrow.source)
            best = _first_free(candidates, near)
        arrow.label_box = best
        placed.append(best)
    return unhonoured


def _first_free(candidates: list[Rect], near: _Near) -> Rect:
    """The first place with no clash, else the one with the fewest."""
    best, best_score = candidates[0], None
    for rect in candidates:
        score = _label_clash(rect, near)
        if best_score is None or score < best_score:
            best, best_score = rect, score
        if score == 0:
            break
    return best


def route(sop: Sop, result: Layout, set_aside: frozenset[int] = frozenset()) -> bool:
    """Draw every arrow and place its words; False when a connector strip was too crowded for
    its jogs. The sides chosen for the exits of the decisions in `set_aside` are not used (and
    those steps are noted as unhonoured); a chosen place for the words is kept wherever it is
    free."""
    if not any(c.role == "actor" and c.actor_id for c in result.columns):
        return True
    router = _Router(sop, result, set_aside)
    router.route_all()
    wanted = {(s.number, kind): side for s in sop.steps if s.kind == "decision"
              for kind, side in (("yes", s.layout.yes_label), ("no", s.layout.no_label))
              if side}
    for page in result.pages:  # a label only ever takes a free place: its hint always applies
        result.unhonoured.extend(place_labels(page, wanted))
    result.unhonoured[:] = sorted(set(result.unhonoured))
    return not router.crowded
