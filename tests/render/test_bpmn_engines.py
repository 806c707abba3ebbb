"""alur's BPMN runs on a real engine: SpiffWorkflow parses each export and runs it to the end.

The engine's path is compared with alur's own flow semantics (`alur.sop.flow.successors`):
the same answers to the same decisions must complete the same tasks in the same order. Each
decision's answers are scripted per visit, so every rework loop is taken once ("tidak" on the
first visit, "ya" after) and, in a second run, never.
"""

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.workflow import BpmnWorkflow
from SpiffWorkflow.util.task import TaskState

from alur.render.bpmn import decision_variable, ncname, to_bpmn
from alur.sop import Sop, Step, flow, load

from .strategies import sops

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))
MAX_TASKS = 60  # a run that loops for ever (a `next` jumping back) is compared this far

Answers = Callable[[int, int], str]  # (decision step, how many times it was answered) → answer


def rework_once(step: int, visit: int) -> str:
    return "tidak" if visit == 0 else "ya"


def always_yes(step: int, visit: int) -> str:
    return "ya"


def expected_run(sop: Sop, answers: Answers) -> list[int]:
    """The user tasks alur's flow semantics complete, in order (start/end rows are events)."""
    done: list[int] = []
    visits: dict[int, int] = {}
    current = sop.steps[0] if sop.steps else None
    while current is not None and len(done) < MAX_TASKS:
        if current.kind in ("process", "decision"):
            done.append(current.number)
        edges = flow.successors(sop, current)
        if current.kind == "decision":
            answer = answers(current.number, visits.get(current.number, 0))
            visits[current.number] = visits.get(current.number, 0) + 1
            edges = [e for e in edges if e.label == answer]
        target = edges[0].target if edges else None
        current = sop.step(target) if target is not None else None
    return done


def engine_run(text: str, sop: Sop, answers: Answers) -> tuple[list[int], bool]:
    """Run the export in SpiffWorkflow, completing each ready user task as a person would."""
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(text.encode("utf-8"), f"{sop.id}.bpmn")
    process_id = ncname(sop.id)
    workflow = BpmnWorkflow(parser.get_spec(process_id), parser.get_subprocess_specs(process_id))
    workflow.do_engine_steps()
    done: list[int] = []
    visits: dict[int, int] = {}
    while not workflow.is_completed() and len(done) < MAX_TASKS:
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        assert len(ready) == 1, [t.task_spec.name for t in ready]  # an SOP runs one step at a time
        task = ready[0]
        number = int(task.task_spec.name.removeprefix("Step_"))
        step = sop.step(number)
        assert step is not None
        if step.actors and sop.actor(step.actors[0]):
            assert task.task_spec.lane == sop.actor(step.actors[0]).name
        if step.kind == "decision":
            task.data[decision_variable(number)] = answers(number, visits.get(number, 0))
            visits[number] = visits.get(number, 0) + 1
        task.run()
        done.append(number)
        workflow.do_engine_steps()
    return done, workflow.is_completed()


@pytest.mark.parametrize("answers", [rework_once, always_yes], ids=lambda a: a.__name__)
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_example_runs_to_the_end_as_alur_says(path, answers):
    sop = load(path).sop
    done, completed = engine_run(to_bpmn(sop, dialect="spiff"), sop, answers)
    assert completed
    assert done == expected_run(sop, answers)
    assert done  # every example has work to do


def test_the_rework_loop_is_really_taken():
    """surat-keluar's decision sends the draft back once: steps 1 and 2 run twice."""
    sop = load(Path(__file__).parents[2] / "examples/library/surat-keluar.yaml").sop
    done, completed = engine_run(to_bpmn(sop, dialect="spiff"), sop, rework_once)
    assert completed
    assert done == [1, 2, 1, 2, 3, 4, 5, 6]


def loops_without_decision(sop: Sop) -> bool:
    """Whether some loop has no decision in it: such a procedure can never end (the checker
    reports it), and SpiffWorkflow, which predicts the whole task tree when a workflow is
    made, recurses for ever on it."""
    graph = {s.number: [e.target for e in flow.successors(sop, s) if e.target is not None]
             for s in sop.steps if s.kind != "decision"}
    state: dict[int, int] = {}

    def cyclic(node: int) -> bool:
        state[node] = 1
        for target in graph.get(node, []):
            if target in graph and (state.get(target) == 1 or
                                    (target not in state and cyclic(target))):
                return True
        state[node] = 2
        return False

    return any(node not in state and cyclic(node) for node in graph)


def test_a_loop_without_decision_is_recognised():
    sop = Sop(id="x", steps=[Step(number=1, activity="a"), Step(number=2, activity="b"),
                             Step(number=3, activity="c", next=2)])
    assert loops_without_decision(sop)
    sop.steps[2] = Step(number=3, activity="c", kind="decision", on_yes=2, on_no=1)
    assert not loops_without_decision(sop)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                 HealthCheck.filter_too_much])
@given(sops(max_steps=25, max_actors=4))
def test_generated_sops_run_as_alur_says(sop):
    assume(not loops_without_decision(sop))
    done, completed = engine_run(to_bpmn(sop, dialect="spiff"), sop, rework_once)
    expected = expected_run(sop, rework_once)
    assert done == expected
    assert completed == (len(expected) < MAX_TASKS)


@pytest.mark.parametrize("dialect", ["camunda7", "camunda8"])
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_other_dialects_pass_spiffworkflows_schema_and_parser(path, dialect):
    """Conditions aside (JUEL and FEEL are not Python), the files parse into a process spec
    with every step as a task."""
    sop = load(path).sop
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(to_bpmn(sop, dialect=dialect).encode("utf-8"), f"{sop.id}.bpmn")
    spec = parser.get_spec(ncname(sop.id))
    names = set(spec.task_specs)
    assert {f"Step_{s.number}" for s in sop.steps} <= names
    assert {f"Gateway_{s.number}" for s in sop.steps if s.kind == "decision"} <= names
