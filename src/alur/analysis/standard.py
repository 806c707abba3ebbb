"""The standard time of an SOP: its total, its critical path and the time of each actor.

An SOP's steps carry time standards ("10 menit", "1-2 hari") that `alur.sop.duration` turns into
working minutes with the library's calendar (1 hari = 7,5 jam = 450 menit, the engine's working
day); this module never reads a duration itself. What it adds is the arithmetic over the flow:

- **Loop-free.** A "Tidak" exit that goes back to an earlier step is rework, not part of the
  standard: the flow is walked from the first step and every edge back to a step still on the
  walk (a back edge) is dropped, leaving a DAG in which each step counts once.
- **Longest path.** An SOP has no parallel branches; a decision chooses one of two routes. The
  standard total is therefore the longest route through the DAG: the time the procedure may
  take when every decision sends it the long way. The lower end is the longest route when
  every step takes its lower end, the upper end the longest route at the upper ends (the two
  may follow different routes when ranges overlap); the critical path is the route of the upper
  end (ties: the longer lower end, then the Ya exit).
- **Per actor.** Every step counts once, whatever route a case takes, and a joint step counts
  in full for each of its actors: this is the time each column of the SOP's table asks for,
  which workload analysis (ABK) multiplies by the yearly volume.

Unknown is never zero: a step whose time is missing or unreadable is listed in
`steps_without_time` and left out of the sums; a figure with no known step behind it is None.
"Mulai"/"Selesai" marker rows without a time take none and are not reported as missing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from alur.sop.duration import DEFAULT_CALENDAR, WorkCalendar, parse_duration
from alur.sop.flow import successors
from alur.sop.model import Sop, Step

__all__ = ["ActorTime", "MinuteRange", "SopStandard", "back_edges", "standard_time"]


@dataclass(frozen=True)
class MinuteRange:
    """Working minutes from `min` to `max` (equal for a single value)."""

    min: int
    max: int

    def __add__(self, other: MinuteRange) -> MinuteRange:
        return MinuteRange(self.min + other.min, self.max + other.max)

    def end(self, upper: bool) -> int:
        return self.max if upper else self.min

    def as_dict(self) -> dict[str, int]:
        return {"min": self.min, "max": self.max}


ZERO = MinuteRange(0, 0)


@dataclass(frozen=True)
class ActorTime:
    """The time one actor column of an SOP asks for, each of its steps once."""

    actor_id: str
    name: str
    applicant: bool
    minutes: MinuteRange | None
    steps: tuple[int, ...]


@dataclass(frozen=True)
class SopStandard:
    """The standard time of one SOP (see the module docstring for what each figure means)."""

    sop_id: str
    name: str
    total: MinuteRange | None
    critical_path: tuple[int, ...]
    actors: tuple[ActorTime, ...]
    step_minutes: dict[int, MinuteRange | None] = field(default_factory=dict)
    steps_without_time: tuple[int, ...] = ()
    rework_edges: tuple[tuple[int, int], ...] = ()

    @property
    def known(self) -> bool:
        """Whether any step has a readable time standard."""
        return self.total is not None


def _step_minutes(step: Step, calendar: WorkCalendar) -> MinuteRange | None:
    duration = parse_duration(step.time, calendar)
    if duration is not None:
        return MinuteRange(duration.min, duration.max)
    if step.kind in ("start", "end") and not step.time:
        return ZERO  # a marker row takes no time of its own
    return None


def _sum(values: Iterable[MinuteRange | None]) -> MinuteRange | None:
    """The sum of the known values; None when none is known."""
    total: MinuteRange | None = None
    for value in values:
        if value is not None:
            total = value if total is None else total + value
    return total


def _graph(sop: Sop) -> dict[int, list[int]]:
    known = {s.number for s in sop.steps}
    graph: dict[int, list[int]] = {}
    for step in sop.steps:
        targets = graph.setdefault(step.number, [])
        for edge in successors(sop, step):
            if edge.target is not None and edge.target in known and edge.target not in targets:
                targets.append(edge.target)
    return graph


def back_edges(sop: Sop) -> set[tuple[int, int]]:
    """Edges (source, target) that go back to a step still on the walk from the first step:
    the loops of the flow (a "Tidak" back to an earlier step). Depth-first, Ya before Tidak."""
    if not sop.steps:
        return set()
    graph = _graph(sop)
    found: set[tuple[int, int]] = set()
    state: dict[int, int] = {}  # 1: on the walk, 2: finished
    for root in [sop.steps[0].number, *graph]:  # unreachable steps too, after the real start
        if root in state:
            continue
        state[root] = 1
        work: list[tuple[int, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            targets = graph[node]
            if child == len(targets):
                state[node] = 2
                continue
            work.append((node, child + 1))
            target = targets[child]
            if state.get(target) == 1:
                found.add((node, target))
            elif target not in state:
                state[target] = 1
                work.append((target, 0))
    return found


def _topological(graph: dict[int, list[int]], start: int) -> list[int]:
    """Steps reachable from `start` in an order where each comes before its successors."""
    order: list[int] = []
    seen: set[int] = {start}
    work: list[tuple[int, int]] = [(start, 0)]
    while work:
        node, child = work.pop()
        targets = graph[node]
        if child == len(targets):
            order.append(node)
            continue
        work.append((node, child + 1))
        target = targets[child]
        if target not in seen:
            seen.add(target)
            work.append((target, 0))
    order.reverse()
    return order


def _longest(graph: dict[int, list[int]], order: list[int],
             weight: dict[int, MinuteRange | None]) -> tuple[dict[int, tuple[int, int]],
                                                          dict[int, int | None]]:
    """For each step, the longest (upper, lower) time from it to the end, and the successor
    that gives it."""
    best: dict[int, tuple[int, int]] = {}
    via: dict[int, int | None] = {}
    for node in reversed(order):
        own = weight.get(node) or ZERO
        choice: int | None = None
        tail = (0, 0)
        for target in graph[node]:
            # The first successor (Ya) wins ties; a later one only by being longer.
            if choice is None or best[target] > tail:
                choice, tail = target, best[target]
        best[node] = (own.max + tail[0], own.min + tail[1])
        via[node] = choice
    return best, via


def _longest_lower(graph: dict[int, list[int]], order: list[int],
                   weight: dict[int, MinuteRange | None]) -> dict[int, int]:
    best: dict[int, int] = {}
    for node in reversed(order):
        own = weight.get(node) or ZERO
        best[node] = own.min + max((best[t] for t in graph[node]), default=0)
    return best


def standard_time(sop: Sop, calendar: WorkCalendar = DEFAULT_CALENDAR) -> SopStandard:
    """The standard total (min, max), critical path and time per actor of `sop`.

    The total is over the *longest* route through the loop-free flow: decisions choose a
    route, and the standard is the time of the longest one (see the module docstring).
    """
    minutes = {step.number: _step_minutes(step, calendar) for step in sop.steps}
    missing = tuple(n for n, m in minutes.items() if m is None)
    names = {a.id: a for a in sop.actors}

    # Declared columns in order, then ids no column declares (the checker reports those).
    columns = [(a.id, a.name, a.applicant) for a in sop.actors]
    undeclared = dict.fromkeys(a for s in sop.steps for a in s.actors if a not in names)
    columns += [(a, a, False) for a in undeclared]
    actors = []
    for actor_id, name, applicant in columns:
        steps = tuple(s.number for s in sop.steps if actor_id in s.actors)
        actors.append(ActorTime(actor_id, name, applicant, _sum(minutes[n] for n in steps),
                                steps))

    if not sop.steps:
        return SopStandard(sop.id, sop.name, None, (), tuple(actors), minutes, missing)
    rework = back_edges(sop)
    graph = {n: [t for t in ts if (n, t) not in rework] for n, ts in _graph(sop).items()}
    start = sop.steps[0].number
    order = _topological(graph, start)
    best, via = _longest(graph, order, minutes)
    lower = _longest_lower(graph, order, minutes)
    path: list[int] = []
    node: int | None = start
    while node is not None:
        path.append(node)
        node = via[node]
    on_flow = set(order)
    any_known = any(minutes[n] is not None for n in on_flow)
    total = MinuteRange(lower[start], best[start][0]) if any_known else None
    return SopStandard(sop.id, sop.name, total, tuple(path), tuple(actors), minutes, missing,
                       tuple(sorted(rework)))
