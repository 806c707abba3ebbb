"""Tests for alur.sop.flow: what comes after each step, and the graph the steps make."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alur.sop.flow import Edge, cycles, edges, reachable, reaching_end, successors
from alur.sop.model import Sop, Step

from .conftest import make_sop


def flow_sop(*steps: int | dict[str, Any]) -> Sop:
    """`flow_sop(1, {"number": 2, "next": 1})`: bare ints are plain process steps."""
    return Sop(id="alur", steps=[
        Step(number=s) if isinstance(s, int) else Step.model_validate(s) for s in steps])


def after(sop: Sop, number: int) -> list[Edge]:
    found = sop.step(number)
    assert found is not None
    return successors(sop, found)


def components(sop: Sop) -> set[frozenset[int]]:
    return {frozenset(c) for c in cycles(sop)}


# --- successors ------------------------------------------------------------------------------


def test_process_goes_to_the_next_step_in_list_order():
    sop = flow_sop(1, 5, 3)
    assert after(sop, 1) == [Edge(1, 5, None)]
    assert after(sop, 5) == [Edge(5, 3, None)]


def test_last_step_ends_the_procedure():
    sop = flow_sop(1, 2)
    assert after(sop, 2) == [Edge(2, None, None)]
    assert after(flow_sop(7), 7) == [Edge(7, None)]


def test_next_overrides_list_order():
    sop = flow_sop({"number": 1, "next": 3}, 2, 3)
    assert after(sop, 1) == [Edge(1, 3)]
    assert after(sop, 2) == [Edge(2, 3)]


def test_last_step_that_jumps_does_not_end():
    sop = flow_sop(1, {"number": 2, "next": 1})
    assert after(sop, 2) == [Edge(2, 1)]


def test_decision_yes_then_no():
    sop = flow_sop(1, {"number": 2, "kind": "decision", "on_yes": 4, "on_no": 3}, 3, 4)
    assert after(sop, 2) == [Edge(2, 4, "ya"), Edge(2, 3, "tidak")]


def test_decision_ignores_next_and_list_order():
    sop = flow_sop({"number": 1, "kind": "decision", "on_yes": 1, "on_no": 3, "next": 2}, 2, 3)
    assert after(sop, 1) == [Edge(1, 1, "ya"), Edge(1, 3, "tidak")]


def test_decision_with_one_exit_has_one_edge():
    sop = flow_sop({"number": 1, "kind": "decision", "on_no": 2}, 2)
    assert after(sop, 1) == [Edge(1, 2, "tidak")]
    assert after(flow_sop({"number": 1, "kind": "decision"}, 2), 1) == []


def test_decision_edges_keep_unknown_targets():
    sop = flow_sop({"number": 1, "kind": "decision", "on_yes": 99, "on_no": 2}, 2)
    assert after(sop, 1) == [Edge(1, 99, "ya"), Edge(1, 2, "tidak")]


def test_end_step_has_no_successors():
    sop = flow_sop(1, {"number": 2, "kind": "end", "next": 1}, 3)
    assert after(sop, 2) == []


def test_start_step_flows_like_a_process():
    sop = flow_sop({"number": 1, "kind": "start"}, 2)
    assert after(sop, 1) == [Edge(1, 2)]


def test_process_ignores_decision_exits():
    sop = flow_sop({"number": 1, "on_yes": 3, "on_no": 3}, 2, 3)
    assert after(sop, 1) == [Edge(1, 2)]


def test_successors_of_a_foreign_step_raise():
    sop = flow_sop(1, 2)
    with pytest.raises(ValueError, match="step 1 is not part of SOP alur"):
        successors(sop, Step(number=1))


def test_duplicate_numbers_use_list_position():
    sop = flow_sop({"number": 2, "activity": "a"}, {"number": 2, "activity": "b"}, 3)
    assert successors(sop, sop.steps[0]) == [Edge(2, 2)]
    assert successors(sop, sop.steps[1]) == [Edge(2, 3)]


def test_edges_of_clean_sop():
    assert list(edges(make_sop())) == [
        Edge(1, 2), Edge(2, 4, "ya"), Edge(2, 3, "tidak"), Edge(3, 2), Edge(4, None)]
    assert list(edges(Sop(id="kosong"))) == []


# --- reachable and reaching_end --------------------------------------------------------------


def test_linear():
    sop = flow_sop(1, 2, 3)
    assert reachable(sop) == {1, 2, 3}
    assert reaching_end(sop) == {1, 2, 3}
    assert cycles(sop) == []


def test_empty_sop():
    sop = Sop(id="kosong")
    assert reachable(sop) == set()
    assert reaching_end(sop) == set()
    assert cycles(sop) == []


def test_reachable_starts_at_first_step_in_list_order():
    sop = flow_sop(5, 1, 2)
    assert reachable(sop) == {5, 1, 2}
    sop = flow_sop({"number": 1, "next": 3}, 2, 3)
    assert reachable(sop) == {1, 3}
    assert reaching_end(sop) == {1, 2, 3}


def test_steps_after_an_end_are_unreachable():
    sop = flow_sop(1, {"number": 2, "kind": "end"}, 3, 4)
    assert reachable(sop) == {1, 2}
    assert reaching_end(sop) == {1, 2, 3, 4}


def test_end_step_ends_even_in_the_middle():
    sop = flow_sop({"number": 1, "kind": "decision", "on_yes": 2, "on_no": 3},
                   {"number": 2, "kind": "end"}, {"number": 3, "next": 1})
    assert reachable(sop) == {1, 2, 3}
    assert reaching_end(sop) == {1, 2, 3}
    assert components(sop) == {frozenset({1, 3})}


def test_unknown_targets_lead_nowhere():
    sop = flow_sop({"number": 1, "next": 99}, 2)
    assert reachable(sop) == {1}
    assert reaching_end(sop) == {2}
    sop = flow_sop({"number": 1, "kind": "decision", "on_yes": 99, "on_no": 2}, 2)
    assert reachable(sop) == {1, 2}
    assert reaching_end(sop) == {1, 2}


def test_decision_without_exits_leads_nowhere():
    sop = flow_sop(1, {"number": 2, "kind": "decision"}, 3)
    assert reachable(sop) == {1, 2}
    assert reaching_end(sop) == {3}


def test_loop_without_exit_reaches_no_end():
    sop = flow_sop(1, {"number": 2, "next": 3}, {"number": 3, "next": 2}, 4)
    assert reachable(sop) == {1, 2, 3}
    assert reaching_end(sop) == {4}
    assert cycles(sop) == [[2, 3]]


# --- cycles ----------------------------------------------------------------------------------


def test_self_loop():
    sop = flow_sop(1, {"number": 2, "next": 2}, 3)
    assert cycles(sop) == [[2]]
    assert reaching_end(sop) == {3}
    assert reachable(sop) == {1, 2}


def test_decision_self_loop_with_exit():
    sop = flow_sop(1, {"number": 2, "kind": "decision", "on_yes": 3, "on_no": 2}, 3)
    assert cycles(sop) == [[2]]
    assert reaching_end(sop) == {1, 2, 3}


def test_two_node_loop():
    sop = flow_sop({"number": 1, "next": 2}, {"number": 2, "next": 1})
    assert cycles(sop) == [[1, 2]]
    assert reaching_end(sop) == set()
    assert reachable(sop) == {1, 2}


def test_loop_with_exit():
    sop = make_sop()
    assert cycles(sop) == [[2, 3]]
    assert reachable(sop) == {1, 2, 3, 4}
    assert reaching_end(sop) == {1, 2, 3, 4}


def test_nested_loops_are_one_component():
    sop = flow_sop(
        1, 2,
        {"number": 3, "kind": "decision", "on_yes": 4, "on_no": 2},   # inner loop 2-3
        {"number": 4, "kind": "decision", "on_yes": 5, "on_no": 1},   # outer loop 1-4
        5,
    )
    assert cycles(sop) == [[1, 2, 3, 4]]
    assert reaching_end(sop) == {1, 2, 3, 4, 5}


def test_separate_loops_are_separate_components():
    sop = flow_sop(
        1, {"number": 2, "kind": "decision", "on_yes": 3, "on_no": 1},
        3, {"number": 4, "kind": "decision", "on_yes": 5, "on_no": 3},
        5, {"number": 6, "next": 6},
    )
    assert components(sop) == {frozenset({1, 2}), frozenset({3, 4}), frozenset({6})}
    assert all(c == sorted(c) for c in cycles(sop))
    assert len(cycles(sop)) == 3


def test_decision_with_both_exits_to_the_same_step_is_no_loop():
    sop = flow_sop({"number": 1, "kind": "decision", "on_yes": 2, "on_no": 2}, 2)
    assert cycles(sop) == []


def test_components_include_unreachable_loops():
    sop = flow_sop({"number": 1, "next": 4}, {"number": 2, "next": 3}, {"number": 3, "next": 2},
                   4)
    assert cycles(sop) == [[2, 3]]
    assert reachable(sop) == {1, 4}


def test_long_loop_needs_no_recursion():
    n = 5000
    sop = Sop(id="panjang", steps=[Step(number=i) for i in range(1, n)]
              + [Step(number=n, next=1)])
    assert cycles(sop) == [list(range(1, n + 1))]
    assert reachable(sop) == set(range(1, n + 1))
    assert reaching_end(sop) == set()


# --- property: graph answers agree with a brute-force reading of the rules --------------------


def _graph(sop: Sop) -> dict[int, set[int | None]]:
    """Successors written out from sop-format.md's rules, independently of flow.py."""
    known = {s.number for s in sop.steps}
    graph: dict[int, set[int | None]] = {s.number: set() for s in sop.steps}
    for index, s in enumerate(sop.steps):
        if s.kind == "end":
            targets: list[int | None] = []
        elif s.kind == "decision":
            targets = [t for t in (s.on_yes, s.on_no) if t is not None]
        elif s.next is not None:
            targets = [s.next]
        else:
            targets = [sop.steps[index + 1].number if index + 1 < len(sop.steps) else None]
        graph[s.number] |= {t for t in targets if t is None or t in known}
    return graph


def _closure(graph: dict[int, set[int | None]], start: int) -> set[int]:
    seen, todo = set(), [start]
    while todo:
        n = todo.pop()
        if n not in seen:
            seen.add(n)
            todo.extend(t for t in graph[n] if t is not None)
    return seen


@st.composite
def graphs(draw: st.DrawFn) -> Sop:
    numbers = draw(st.lists(st.integers(1, 12), min_size=1, max_size=12, unique=True))
    target = st.one_of(st.none(), st.sampled_from(numbers), st.integers(0, 14))
    steps = [Step(number=n, kind=draw(st.sampled_from(["start", "process", "decision", "end"])),
                  next=draw(target), on_yes=draw(target), on_no=draw(target))
             for n in numbers]
    return Sop(id="acak", steps=steps)


@settings(max_examples=300, deadline=None)
@given(graphs())
def test_property_graph_functions_match_brute_force(sop):
    graph = _graph(sop)
    reach = {n: _closure(graph, n) for n in graph}
    assert reachable(sop) == reach[sop.steps[0].number]
    ends = {n for n in graph
            if None in graph[n] or (not graph[n] and sop.step(n).kind == "end")}
    assert reaching_end(sop) == {n for n in graph if reach[n] & ends}
    expected = set()
    for n in graph:
        component = frozenset(m for m in reach[n] if n in reach[m])
        if len(component) > 1 or n in graph[n]:
            expected.add(component)
    assert components(sop) == expected
    assert len(cycles(sop)) == len(expected)
