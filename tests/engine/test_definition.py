"""Tests for alur.engine.definition: compiling an SOP into a runnable definition."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from alur.engine import Definition, DefinitionError, EngineError, StepSpec
from alur.sop import from_data, load
from alur.sop.duration import WorkCalendar, parse_duration
from alur.sop.model import Sop

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))


def make_sop(steps: list[dict[str, Any]], actors: tuple[str, ...] = ("a", "b", "c")) -> Sop:
    result = from_data({
        "format": "alur-sop/1", "id": "uji", "name": "Uji",
        "actors": [{"id": a, "name": a.upper()} for a in actors],
        "steps": steps,
    })
    assert result.sop is not None, result.findings
    return result.sop


def compile_steps(steps: list[dict[str, Any]], **kwargs: Any) -> Definition:
    return Definition.from_sop(make_sop(steps, **kwargs))


# --- the library compiles --------------------------------------------------------------------

def test_library_is_there() -> None:
    assert len(LIBRARY) == 28


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_example_compiles_faithfully(path: Path) -> None:
    sop = load(path).sop
    assert sop is not None
    definition = Definition.from_sop(sop)
    assert definition.sop_id == sop.id
    assert definition.name == sop.name
    assert definition.first == sop.steps[0].number
    assert definition.actor_names == {a.id: a.name for a in sop.actors}
    assert list(definition.steps) == [s.number for s in sop.steps]
    for index, step in enumerate(sop.steps):
        spec = definition.step(step.number)
        assert isinstance(spec, StepSpec)
        assert spec.number == step.number
        assert spec.activity == step.activity_text
        assert spec.kind == step.kind
        assert spec.actors == tuple(dict.fromkeys(step.actors))
        assert spec.joint_all is (step.joint == "all")
        duration = parse_duration(step.time)
        assert spec.minutes == (duration.max if duration else None)
        assert spec.inputs == tuple(step.inputs)
        assert spec.outputs == tuple(step.outputs)
        assert spec.calls == step.calls
        assert spec.is_decision is (step.kind == "decision")
        assert spec.is_task is (step.kind in ("process", "decision"))
        if step.kind == "decision":
            assert (spec.on_yes, spec.on_no) == (step.on_yes, step.on_no)
            assert spec.next is None
        elif step.kind == "end":
            assert (spec.next, spec.on_yes, spec.on_no) == (None, None, None)
        else:
            following = sop.steps[index + 1].number if index + 1 < len(sop.steps) else None
            assert spec.next == (step.next if step.next is not None else following)
            assert (spec.on_yes, spec.on_no) == (None, None)


# --- exits ---------------------------------------------------------------------------------------

def test_list_order_not_number_order_gives_the_plain_exit() -> None:
    definition = compile_steps([
        {"number": 5, "actors": ["a"]},
        {"number": 2, "actors": ["a"]},
        {"number": 9, "actors": ["a"]},
    ])
    assert definition.first == 5
    assert definition.step(5).next == 2
    assert definition.step(2).next == 9
    assert definition.step(9).next is None


def test_next_overrides_list_order_and_the_last_step_may_jump() -> None:
    definition = compile_steps([
        {"number": 1, "actors": ["a"], "next": 3},
        {"number": 2, "actors": ["a"]},
        {"number": 3, "actors": ["a"], "next": 2},
    ])
    assert definition.step(1).next == 3
    assert definition.step(2).next == 3
    assert definition.step(3).next == 2


def test_decision_exits_and_a_decision_ignores_next() -> None:
    definition = compile_steps([
        {"number": 1, "actors": ["a"]},
        {"number": 2, "actors": ["b"], "kind": "decision", "on_yes": 3, "on_no": 1, "next": 3},
        {"number": 3, "actors": ["a"]},
    ])
    spec = definition.step(2)
    assert (spec.next, spec.on_yes, spec.on_no) == (None, 3, 1)


def test_end_row_ends_even_when_it_is_not_last() -> None:
    definition = compile_steps([
        {"number": 1, "kind": "start"},
        {"number": 2, "actors": ["a"]},
        {"number": 3, "kind": "end"},
        {"number": 4, "actors": ["a"]},
    ])
    assert definition.step(3).next is None
    assert not definition.step(3).is_task
    assert definition.step(1).next == 2


def test_duplicate_actors_are_kept_once_in_order() -> None:
    definition = compile_steps([{"number": 1, "actors": ["b", "a", "b"]}])
    assert definition.step(1).actors == ("b", "a")


def test_joint_policy() -> None:
    definition = compile_steps([
        {"number": 1, "actors": ["a", "b"]},
        {"number": 2, "actors": ["a", "b"], "joint": "any"},
        {"number": 3, "actors": ["a", "b"], "joint": "all"},
    ])
    assert [definition.step(n).joint_all for n in (1, 2, 3)] == [False, False, True]


@pytest.mark.parametrize(("time", "minutes"), [
    ("5 menit", 5), ("2 jam", 120), ("1 hari", 450), ("1-2 hari", 900),
    ("sesuai jadwal", None), (None, None),
])
def test_minutes_are_the_upper_end_of_the_standard(time: str | None, minutes: int | None) -> None:
    definition = compile_steps([{"number": 1, "actors": ["a"], "time": time}])
    assert definition.step(1).minutes == minutes


def test_the_work_calendar_scales_days() -> None:
    sop = make_sop([{"number": 1, "actors": ["a"], "time": "1 hari"}])
    assert Definition.from_sop(sop, WorkCalendar(hours_per_day=8)).step(1).minutes == 480


def test_definition_is_frozen() -> None:
    definition = compile_steps([{"number": 1, "actors": ["a"]}])
    with pytest.raises(AttributeError):
        definition.first = 2  # type: ignore[misc]
    with pytest.raises(AttributeError):
        definition.step(1).next = 1  # type: ignore[misc]


def test_a_first_start_row_and_marker_rows_compile() -> None:
    definition = compile_steps([
        {"number": 1, "kind": "start"},
        {"number": 2, "actors": ["a"]},
        {"number": 3, "kind": "end"},
    ])
    assert definition.first == 1
    assert not definition.step(1).is_task
    assert definition.step(2).is_task


def test_task_loops_are_allowed() -> None:
    """People act on every pass, so a loop through tasks (even without a way out) compiles."""
    definition = compile_steps([{"number": 1, "actors": ["a"], "next": 1}])
    assert definition.step(1).next == 1


# --- refusals -------------------------------------------------------------------------------------

def assert_refused(sop: Sop, *words: str) -> DefinitionError:
    with pytest.raises(DefinitionError) as info:
        Definition.from_sop(sop)
    error = info.value
    assert isinstance(error, EngineError)
    assert error.code == "definition"
    assert error.message and str(error) == error.message
    for word in words:
        assert word in error.message
    return error


def test_refuses_no_steps() -> None:
    assert_refused(make_sop([]))


def test_refuses_duplicate_numbers() -> None:
    assert_refused(make_sop([{"number": 1, "actors": ["a"]}, {"number": 1, "actors": ["b"]}]))


@pytest.mark.parametrize("step", [
    {"number": 1, "actors": ["a"], "next": 7},
    {"number": 1, "actors": ["a"], "kind": "decision", "on_yes": 7, "on_no": 2},
    {"number": 1, "actors": ["a"], "kind": "decision", "on_yes": 2, "on_no": 7},
    {"number": 1, "kind": "start", "next": 7},
], ids=["next", "on_yes", "on_no", "start-next"])
def test_refuses_a_reference_to_a_missing_step(step: dict[str, Any]) -> None:
    assert_refused(make_sop([step, {"number": 2, "actors": ["a"]}]), "7")


@pytest.mark.parametrize("exits", [
    {"on_yes": 2}, {"on_no": 2}, {}, {"next": 2},
], ids=["yes-only", "no-only", "none", "next-only"])
def test_refuses_a_decision_without_both_exits(exits: dict[str, int]) -> None:
    step = {"number": 1, "actors": ["a"], "kind": "decision", **exits}
    assert_refused(make_sop([step, {"number": 2, "actors": ["a"]}]), "1")


def test_refuses_an_unknown_actor() -> None:
    assert_refused(make_sop([{"number": 1, "actors": ["a"]}, {"number": 2, "actors": ["zz"]}]),
                   "zz", "2")


def test_refuses_a_start_row_looping_on_itself() -> None:
    assert_refused(make_sop([{"number": 1, "kind": "start", "next": 1},
                             {"number": 2, "actors": ["a"]}]), "1")


def test_refuses_a_loop_of_start_rows() -> None:
    sop = make_sop([
        {"number": 1, "actors": ["a"]},
        {"number": 2, "kind": "start"},
        {"number": 3, "kind": "start", "next": 2},
    ])
    assert_refused(sop, "2", "3")


def test_a_loop_of_markers_reached_only_by_a_decision_is_refused_too() -> None:
    sop = make_sop([
        {"number": 1, "actors": ["a"], "kind": "decision", "on_yes": 4, "on_no": 2},
        {"number": 2, "kind": "start"},
        {"number": 3, "kind": "start", "next": 2},
        {"number": 4, "kind": "end"},
    ])
    assert_refused(sop)


def test_marker_rows_leading_into_a_task_loop_are_fine() -> None:
    definition = compile_steps([
        {"number": 1, "kind": "start"},
        {"number": 2, "actors": ["a"]},
        {"number": 3, "kind": "start", "next": 2},
    ])
    assert definition.step(3).next == 2
