"""The control flow an SOP's steps describe, as the rules of sop-format.md define it.

One place answers "what comes after this step", so the checker, the renderer and the engine can
never disagree about it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .model import Sop, Step

Label = Literal["ya", "tidak"] | None


@dataclass(frozen=True)
class Edge:
    """An arrow from one step to the next; `target` None means the procedure ends there."""

    source: int
    target: int | None
    label: Label = None


def successors(sop: Sop, step: Step) -> list[Edge]:
    """Where the flow may go after `step`, in order (Ya before Tidak)."""
    if step.kind == "end":
        return []
    if step.kind == "decision":
        edges = []
        if step.on_yes is not None:
            edges.append(Edge(step.number, step.on_yes, "ya"))
        if step.on_no is not None:
            edges.append(Edge(step.number, step.on_no, "tidak"))
        return edges
    if step.next is not None:
        return [Edge(step.number, step.next)]
    index = _index_of(sop, step)
    if index + 1 < len(sop.steps):
        return [Edge(step.number, sop.steps[index + 1].number)]
    return [Edge(step.number, None)]


def edges(sop: Sop) -> Iterator[Edge]:
    for step in sop.steps:
        yield from successors(sop, step)


def _index_of(sop: Sop, step: Step) -> int:
    for index, candidate in enumerate(sop.steps):
        if candidate is step:
            return index
    raise ValueError(f"step {step.number} is not part of SOP {sop.id}")


def _adjacency(sop: Sop) -> dict[int, list[int | None]]:
    known = {s.number for s in sop.steps}
    graph: dict[int, list[int | None]] = {}
    for step in sop.steps:
        graph.setdefault(step.number, [])
        for edge in successors(sop, step):
            # Unknown targets are the checker's business; for reachability they lead nowhere.
            if edge.target is None or edge.target in known:
                graph[step.number].append(edge.target)
    return graph


def reachable(sop: Sop) -> set[int]:
    """Step numbers reachable from the first step."""
    if not sop.steps:
        return set()
    graph = _adjacency(sop)
    seen: set[int] = set()
    stack = [sop.steps[0].number]
    while stack:
        number = stack.pop()
        if number in seen:
            continue
        seen.add(number)
        stack.extend(t for t in graph.get(number, []) if t is not None and t not in seen)
    return seen


def reaching_end(sop: Sop) -> set[int]:
    """Step numbers from which some path ends the procedure."""
    graph = _adjacency(sop)
    reverse: dict[int, list[int]] = {n: [] for n in graph}
    done: list[int] = []
    for number, targets in graph.items():
        step = sop.step(number)
        if not targets and step is not None and step.kind == "end":
            done.append(number)
        for target in targets:
            if target is None:
                done.append(number)
            else:
                reverse[target].append(number)
    seen: set[int] = set()
    stack = done
    while stack:
        number = stack.pop()
        if number in seen:
            continue
        seen.add(number)
        stack.extend(reverse.get(number, []))
    return seen


def cycles(sop: Sop) -> list[list[int]]:
    """Strongly connected components that contain a loop (Tarjan, iterative)."""
    graph = {n: [t for t in ts if t is not None] for n, ts in _adjacency(sop).items()}
    index_of: dict[int, int] = {}
    low: dict[int, int] = {}
    on_stack: set[int] = set()
    stack: list[int] = []
    result: list[list[int]] = []
    counter = 0
    for root in graph:
        if root in index_of:
            continue
        work = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index_of[node] = low[node] = counter
                counter += 1
                stack.append(node)
                on_stack.add(node)
            targets = graph[node]
            if child < len(targets):
                work.append((node, child + 1))
                target = targets[child]
                if target not in index_of:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index_of[target])
                continue
            if low[node] == index_of[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph[node]:
                    result.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return result
