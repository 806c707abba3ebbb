"""A stateful property test of alur.engine.case over generated SOPs.

Hypothesis draws an SOP (1-12 steps, 1-4 actors, decisions pointing anywhere, joint steps with
`any`/`all`, `next` jumps, marker rows, sub-procedure calls) and then a random sequence of
operations on one case of it: valid ones (done by somebody entitled to) and invalid ones (which
must raise an `EngineError` and change nothing). After every operation the case is checked
against an independent model of the flow and against a replay of its own events.
"""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any, ClassVar

from hypothesis import HealthCheck, assume, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
)

from alur.engine import (
    Case,
    CaseClosed,
    DecisionNotAllowed,
    DecisionRequired,
    Definition,
    DefinitionError,
    EngineError,
    InvalidOperation,
    NotYourTask,
    Task,
    TaskNotOpen,
    UnknownTask,
    WaitingForSubprocedure,
)
from alur.engine.calendar import JAKARTA, WorkingCalendar
from alur.sop import from_data

CAL = WorkingCalendar()
START = dt.datetime(2025, 3, 3, 7, 45, tzinfo=JAKARTA)
ACTORS = ("a0", "a1", "a2", "a3")
PEOPLE = ("p0", "p1", "p2", "p3", "p4")
TIMES = (None, "5 menit", "2 jam", "1 hari", "1-2 hari", "sesuai jadwal")


@st.composite
def sop_data(draw: st.DrawFn) -> dict[str, Any]:
    """An SOP as the file format's data: list order and step numbers drawn independently."""
    actors = ACTORS[:draw(st.integers(1, len(ACTORS)))]
    count = draw(st.integers(1, 12))
    numbers = draw(st.lists(st.integers(1, 20), min_size=count, max_size=count, unique=True))
    steps = []
    for number in numbers:
        kind = draw(st.sampled_from(("process",) * 5 + ("decision",) * 3 + ("start", "end")))
        step: dict[str, Any] = {"number": number, "kind": kind, "activity": f"Langkah {number}"}
        if kind in ("process", "decision"):
            shape = draw(st.sampled_from(("single", "joint", "any", "all")))
            size = 1 if shape == "single" or len(actors) == 1 else draw(
                st.integers(2, len(actors)))
            step["actors"] = draw(st.permutations(actors))[:size]
            step["joint"] = shape if shape in ("any", "all") else None
            step["time"] = draw(st.sampled_from(TIMES))
            if draw(st.integers(0, 2)) == 0:
                step["calls"] = "sop-anak"
        if kind == "decision":
            step["on_yes"] = draw(st.sampled_from(numbers))
            # Mostly two different exits, so that the answer matters; sometimes the same one.
            same = draw(st.integers(0, 3)) == 2
            step["on_no"] = draw(st.sampled_from(
                numbers if same else [n for n in numbers if n != step["on_yes"]] or numbers))
        elif kind != "end" and draw(st.integers(0, 3)) == 0:
            step["next"] = draw(st.sampled_from(numbers))
        steps.append(step)
    return {
        "format": "alur-sop/1", "id": "acak", "name": "SOP acak",
        "actors": [{"id": a, "name": a.upper()} for a in actors],
        "steps": steps,
    }


def snapshot(case: Case) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in vars(case).items()
            if k not in ("definition", "calendar")}


class CaseMachine(RuleBasedStateMachine):
    """One case of one generated SOP, with a model of where its flow must be."""

    case: Case

    # --- set-up -------------------------------------------------------------------------------

    @initialize(data=sop_data(), with_calendar=st.booleans())
    def start_case(self, data: dict[str, Any], with_calendar: bool) -> None:
        result = from_data(data)
        assert result.sop is not None, result.findings
        try:
            definition = Definition.from_sop(result.sop)
        except DefinitionError:
            # Only a loop of marker rows may be refused: everything else drawn is well formed.
            starts = [s for s in data["steps"] if s["kind"] == "start"]
            assert len(starts) >= 1
            assume(False)
            raise
        self.steps = {s["number"]: s for s in data["steps"]}
        self.order = [s["number"] for s in data["steps"]]
        self.case = Case(definition, CAL if with_calendar else None)
        self.now = START
        self.rounds: dict[int, int] = {}
        self.expected: int | None = None
        self.done_here: list[str] = []
        self.answers: list[str | None] = []
        self.case.start("pemrakarsa", self.now, sumber="uji")
        self._enter(self.steps[self.order[0]]["number"])

    # --- the model of the flow, written from the SOP data alone ------------------------------

    def _plain_exit(self, number: int) -> int | None:
        step = self.steps[number]
        if step["kind"] == "end":
            return None
        if step.get("next") is not None:
            return step["next"]
        index = self.order.index(number)
        return self.order[index + 1] if index + 1 < len(self.order) else None

    def _enter(self, number: int | None) -> None:
        while number is not None and self.steps[number]["kind"] in ("start", "end"):
            number = self._plain_exit(number)
        self.expected = number
        self.done_here = []
        self.answers = []
        if number is not None:
            self.rounds[number] = self.rounds.get(number, 0) + 1

    def _model_done(self, task: Task, decision: str | None) -> None:
        """A task of the expected step was done: does the step end, and where does it lead?"""
        step = self.steps[task.step]
        assert task.step == self.expected
        self.done_here.append(task.id)
        self.answers.append(decision)
        if step.get("joint") == "all" and len(self.done_here) < len(step["actors"]):
            return
        if step["kind"] == "decision":
            self._enter(step["on_no"] if "tidak" in self.answers else step["on_yes"])
        else:
            self._enter(self._plain_exit(task.step))

    # --- helpers --------------------------------------------------------------------------------

    @property
    def running(self) -> bool:
        return self.case.status == "running"

    def _open(self, where: Any = None) -> list[Task]:
        return [t for t in self.case.open_tasks if where is None or where(t)]

    def _pick(self, data: st.DataObject, tasks: list[Task]) -> Task:
        return data.draw(st.sampled_from(tasks), label="task")

    def _valid(self, operation: Any) -> None:
        count = len(self.case.events)
        event = operation()
        assert len(self.case.events) == count + 1
        assert self.case.events[-1] is event

    def _refused(self, error: type[Exception], operation: Any) -> None:
        before = snapshot(self.case)
        events = list(self.case.events)
        try:
            operation()
        except error as exc:
            if issubclass(error, EngineError):
                assert isinstance(exc, EngineError) and exc.code == error.code and exc.message
        else:
            raise AssertionError(f"expected {error.__name__}")
        assert all(a is b for a, b in zip(self.case.events, events, strict=True))
        assert snapshot(self.case) == before

    def _decision_for(self, data: st.DataObject, task: Task) -> str | None:
        if self.case.definition.step(task.step).is_decision:
            return data.draw(st.sampled_from(("ya", "tidak")), label="decision")
        return None

    # --- valid operations ------------------------------------------------------------------------

    def time_passes(self, data: st.DataObject) -> None:
        self.now += dt.timedelta(minutes=data.draw(st.integers(0, 2000), label="minutes"))

    def progress(self, data: st.DataObject) -> None:
        """The natural next step for one open task: call its sub-procedure, have the child
        end, or complete it."""
        task = self._pick(data, self._open())
        if task in self.case.calls_to_start and data.draw(st.integers(0, 3), label="call"):
            self._start_child(task)
        elif task.waiting_for_child:
            outcome = data.draw(st.sampled_from(("finished", "finished", "cancelled")))
            self._finish_child(task, outcome)
        else:
            self._complete(data, task)

    def complete(self, data: st.DataObject) -> None:
        self._complete(data, self._pick(data, self._open(lambda t: not t.waiting_for_child)))

    def _complete(self, data: st.DataObject, task: Task) -> None:
        decision = self._decision_for(data, task)
        extra = data.draw(st.sets(st.sampled_from(ACTORS)), label="extra positions")
        if task.assignee is not None:
            by = task.assignee
            acting_as = data.draw(st.sampled_from((None, extra, {task.actor})))
        else:
            by = data.draw(st.sampled_from(PEOPLE), label="by")
            acting_as = data.draw(st.sampled_from((None, extra | {task.actor})))
        outputs = data.draw(st.lists(st.sampled_from(("Surat", "Nota")), max_size=2))
        self._valid(lambda: self.case.complete(task.id, by, self.now, decision=decision,
                                               outputs=outputs, acting_as=acting_as))
        assert task.status == "done" and task.done_by == by and task.decision == decision
        self._model_done(task, decision)

    def claim(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: t.assignee is None))
        by = data.draw(st.sampled_from(PEOPLE), label="by")
        acting_as = data.draw(st.sampled_from((None, {task.actor})))
        self._valid(lambda: self.case.claim(task.id, by, self.now, acting_as=acting_as))
        assert task.assignee == by

    def release(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: t.assignee is not None))
        if data.draw(st.booleans(), label="by the assignee"):
            operation = lambda: self.case.release(  # noqa: E731
                task.id, task.assignee, self.now, acting_as={task.actor})  # type: ignore[arg-type]
        else:
            operation = lambda: self.case.release(task.id, "atasan", self.now)  # noqa: E731
        self._valid(operation)
        assert task.assignee is None

    def reassign(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open())
        to = data.draw(st.sampled_from([p for p in PEOPLE if p != task.assignee]), label="to")
        self._valid(lambda: self.case.reassign(task.id, to, "atasan", self.now, comment="alih"))
        assert task.assignee == to

    def comment(self, data: st.DataObject) -> None:
        task_id = data.draw(st.sampled_from([None, *self.case.tasks]), label="task")
        self._valid(lambda: self.case.comment("p0", self.now, "catatan", task_id))

    def attach(self, data: st.DataObject) -> None:
        task_id = data.draw(st.sampled_from([None, *self.case.tasks]), label="task")
        self._valid(lambda: self.case.attach("p0", self.now, task_id, name="berkas.pdf"))

    def start_child(self, data: st.DataObject) -> None:
        self._start_child(self._pick(data, self.case.calls_to_start))

    def _start_child(self, task: Task) -> None:
        child = f"anak-{len(self.case.events)}"
        self._valid(lambda: self.case.child_started(task.id, child, self.now))
        assert task.waiting_for_child and task not in self.case.calls_to_start
        # While the child runs, even a complete with a fitting answer is refused.
        fitting = "ya" if self.case.definition.step(task.step).is_decision else None
        self._refused(WaitingForSubprocedure, lambda: self.case.complete(
            task.id, task.assignee or "p0", self.now, decision=fitting))

    def finish_child(self, data: st.DataObject) -> None:
        outcome = data.draw(st.sampled_from(("finished", "finished", "cancelled")))
        self._finish_child(self._pick(data, self._open(lambda t: t.waiting_for_child)), outcome)

    def _finish_child(self, task: Task, outcome: str) -> None:
        child = task.child
        self._valid(lambda: self.case.child_finished(
            task.id, child, self.now, outcome=outcome))  # type: ignore[arg-type]
        if outcome == "cancelled":
            # Open again, to be finished by hand: not offered for a new child.
            assert task.is_open and task.child is None and task.by_hand
            assert task not in self.case.calls_to_start
        elif self.case.definition.step(task.step).is_decision:
            assert task.is_open and task.child_done
        else:
            assert task.status == "done"
            self._model_done(task, None)

    def cancel(self, data: st.DataObject) -> None:
        self._valid(lambda: self.case.cancel("atasan", self.now, reason="batal"))
        self.expected = None

    # --- invalid operations ----------------------------------------------------------------------

    def wrong_actor(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: t.assignee is None))
        others = data.draw(st.sets(st.sampled_from([a for a in ACTORS if a != task.actor])))
        decision = self._decision_for(data, task)
        if data.draw(st.booleans(), label="claim"):
            self._refused(NotYourTask, lambda: self.case.claim(
                task.id, "p1", self.now, acting_as=others))
        else:
            self._refused(NotYourTask, lambda: self.case.complete(
                task.id, "p1", self.now, decision=decision, acting_as=others))

    def claimed_by_someone_else(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: t.assignee is not None))
        decision = self._decision_for(data, task)
        other = f"bukan-{task.assignee}"
        self._refused(NotYourTask, lambda: self.case.complete(
            task.id, other, self.now, decision=decision, acting_as={task.actor}))
        self._refused(NotYourTask, lambda: self.case.claim(
            task.id, other, self.now, acting_as={task.actor}))
        self._refused(InvalidOperation, lambda: self.case.claim(
            task.id, task.assignee, self.now))  # type: ignore[arg-type]
        self._refused(InvalidOperation, lambda: self.case.reassign(
            task.id, task.assignee, "atasan", self.now))  # type: ignore[arg-type]

    def closed_task(self, data: st.DataObject) -> None:
        task = self._pick(data, [t for t in self.case.tasks.values() if not t.is_open])
        error = TaskNotOpen if self.running else CaseClosed
        decision = self._decision_for(data, task)
        self._refused(error, lambda: self.case.complete(
            task.id, "p0", self.now, decision=decision))
        self._refused(error, lambda: self.case.claim(task.id, "p0", self.now))
        self._refused(error, lambda: self.case.reassign(task.id, "p1", "p0", self.now))

    def wrong_answer(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: not t.waiting_for_child))
        if self.case.definition.step(task.step).is_decision:
            answer = data.draw(st.sampled_from((None, "", "Ya", "TIDAK", "yes")))
            error: type[EngineError] = DecisionRequired
        else:
            answer = data.draw(st.sampled_from(("ya", "tidak", "")))
            error = DecisionNotAllowed
        self._refused(error, lambda: self.case.complete(
            task.id, task.assignee or "p0", self.now, decision=answer))

    def complete_while_waiting(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: t.waiting_for_child))
        decision = self._decision_for(data, task)
        self._refused(WaitingForSubprocedure, lambda: self.case.complete(
            task.id, task.assignee or "p0", self.now, decision=decision))
        self._refused(InvalidOperation, lambda: self.case.child_started(
            task.id, "anak-lain", self.now))
        self._refused(InvalidOperation, lambda: self.case.child_finished(
            task.id, "anak-lain", self.now))

    def child_without_call(self, data: st.DataObject) -> None:
        task = self._pick(data, self._open(lambda t: not t.calls))
        self._refused(InvalidOperation, lambda: self.case.child_started(task.id, "x", self.now))

    def unknown_task(self, data: st.DataObject) -> None:
        task_id = data.draw(st.sampled_from(
            [t for t in ("99.1", "1.99", "0", "", "1.1.zz") if t not in self.case.tasks]))
        error = UnknownTask if self.running else CaseClosed
        self._refused(error, lambda: self.case.complete(task_id, "p0", self.now))
        self._refused(error, lambda: self.case.claim(task_id, "p0", self.now))
        self._refused(UnknownTask, lambda: self.case.comment("p0", self.now, "x", task_id))

    def closed_case(self, data: st.DataObject) -> None:
        self._refused(CaseClosed, lambda: self.case.cancel("p0", self.now))
        self._refused(CaseClosed, lambda: self.case.attach("p0", self.now, None, name="x"))

    def start_again(self, data: st.DataObject) -> None:
        self._refused(InvalidOperation, lambda: self.case.start("p0", self.now))

    def naive_time(self, data: st.DataObject) -> None:
        naive = self.now.replace(tzinfo=None)
        task_id = data.draw(st.sampled_from([*self.case.tasks, "99.1"]), label="task")
        self._refused(ValueError, lambda: self.case.complete(task_id, "p0", naive))
        self._refused(ValueError, lambda: self.case.comment("p0", naive, "x"))
        self._refused(ValueError, lambda: self.case.cancel("p0", naive))

    # --- choosing the operation -----------------------------------------------------------------
    # One rule draws the operation among those that apply now, with weights. (With one rule per
    # operation, Hypothesis' swarm testing leaves a random subset of rules out of each example,
    # and a third of the examples never moved the case past its first step.)

    PROGRESS: ClassVar[dict[str, Any]] = {
        "progress": lambda self: self._open(),
        "complete": lambda self: self._open(lambda t: not t.waiting_for_child),
    }
    VALID: ClassVar[dict[str, Any]] = {
        "time_passes": lambda self: True,
        "claim": lambda self: self._open(lambda t: t.assignee is None),
        "release": lambda self: self._open(lambda t: t.assignee is not None),
        "reassign": lambda self: self._open(),
        "comment": lambda self: True,
        "attach": lambda self: self.running,
        "start_child": lambda self: self.case.calls_to_start,
        "finish_child": lambda self: self._open(lambda t: t.waiting_for_child),
    }
    INVALID: ClassVar[dict[str, Any]] = {
        "wrong_actor": lambda self: self._open(lambda t: t.assignee is None),
        "claimed_by_someone_else": lambda self: self._open(lambda t: t.assignee is not None),
        "closed_task": lambda self: any(not t.is_open for t in self.case.tasks.values()),
        "wrong_answer": lambda self: self._open(lambda t: not t.waiting_for_child),
        "complete_while_waiting": lambda self: self._open(lambda t: t.waiting_for_child),
        "child_without_call": lambda self: self._open(lambda t: not t.calls),
        "unknown_task": lambda self: True,
        "closed_case": lambda self: not self.running,
        "start_again": lambda self: True,
        "naive_time": lambda self: True,
    }

    RARE: ClassVar[dict[str, Any]] = {
        "cancel": lambda self: self.running,
    }

    @staticmethod
    def _kind(roll: int) -> str:
        """Out of 16: 7 progress, 4 valid side operations, 4 invalid ones, 1 cancel. Hypothesis
        draws the ends of a range more often than the middle, so both ends are progress."""
        if roll in (3, 4, 5, 6):
            return "INVALID"
        if roll in (8, 9, 10, 11):
            return "VALID"
        return "RARE" if roll == 7 else "PROGRESS"

    @rule(data=st.data())
    def act(self, data: st.DataObject) -> None:
        kind = self._kind(data.draw(st.integers(0, 15), label="roll"))
        names = sorted(n for n, ok in getattr(self, kind).items() if ok(self))
        if not names:  # nothing to progress or cancel: the case has ended
            kind = data.draw(st.sampled_from(("VALID", "INVALID")), label="instead")
            names = sorted(n for n, ok in getattr(self, kind).items() if ok(self))
        getattr(self, data.draw(st.sampled_from(names), label="operation"))(data)

    # --- invariants ------------------------------------------------------------------------------

    @invariant()
    def one_active_step(self) -> None:
        case = self.case
        open_tasks = case.open_tasks
        assert {t.id for t in open_tasks} == {t.id for t in case.tasks.values() if t.is_open}
        assert (case.status == "finished") == (not open_tasks and case.status != "cancelled")
        if case.status != "running":
            assert not open_tasks and case.current_step is None and case.ended_at is not None
            assert self.expected is None
            return
        assert open_tasks
        for task in case.calls_to_start:
            assert task.is_open and task.calls and task.child is None and not task.by_hand
        (step, round_), = {(t.step, t.round) for t in open_tasks}
        assert step == case.current_step == self.expected
        assert round_ == self.rounds[step] == max(
            t.round for t in case.tasks.values() if t.step == step)
        spec = case.definition.step(step)
        assert spec.is_task
        group = [t for t in case.tasks.values() if (t.step, t.round) == (step, round_)]
        assert [t.actor for t in group] == list(spec.actors)
        assert {t.id for t in group if not t.is_open} == set(self.done_here)
        if spec.joint_all:
            assert all(t.status in ("open", "done") for t in group)
        else:
            assert group == open_tasks

    @invariant()
    def nothing_done_twice(self) -> None:
        completed = [e.task for e in self.case.events if e.kind == "completed"]
        assert len(completed) == len(set(completed))
        by_child = [e.task for e in self.case.events if e.kind == "child_finished"
                    and e.data["outcome"] == "finished"
                    and not self.case.definition.step(self.case.tasks[e.task].step).is_decision]
        assert not set(completed) & set(by_child)
        assert len(by_child) == len(set(by_child))
        done = {t.id for t in self.case.tasks.values() if t.status == "done"}
        assert done == set(completed) | set(by_child)

    @invariant()
    def task_ids_and_due_times(self) -> None:
        for task in self.case.tasks.values():
            spec = self.case.definition.step(task.step)
            suffix = f".{task.actor}" if len(spec.actors) > 1 else ""
            assert task.id == f"{task.step}.{task.round}{suffix}"
            if spec.minutes is None or self.case.calendar is None:
                assert task.due_at is None
            else:
                assert task.due_at == CAL.add_working_minutes(task.ready_at, spec.minutes)
                assert task.due_at is not None and task.due_at.tzinfo is not None

    @invariant()
    def replay_is_identical(self) -> None:
        again = Case.replay(self.case.definition, list(self.case.events), self.case.calendar)
        assert again.events == self.case.events
        assert again.tasks == self.case.tasks
        assert again.status == self.case.status
        assert snapshot(again) == snapshot(self.case)


CaseMachine.TestCase.settings = settings(
    derandomize=True,
    database=None,
    max_examples=100,
    stateful_step_count=35,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
test_case_machine = CaseMachine.TestCase
