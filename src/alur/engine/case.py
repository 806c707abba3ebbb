"""A running case: the state that follows from an SOP definition and the events so far.

The case is an event-sourced state machine. Every operation first validates against the
current state, raising an `EngineError` and changing nothing when the rules refuse it; then it
builds one `Event` and applies it with the same reducer that `Case.replay` uses. So the state
of a case is always exactly what replaying its events gives, which is what lets the web layer
store only the events as the truth (and a task table as a projection for queries).

Flow is a single token: one step is active at a time (a joint step has one task per actor),
a decision picks the Ya or Tidak exit, a step that `calls` another SOP waits for the child case
the caller starts, and loops through Tidak may run any number of times (each pass is a new
round of the step, with new task ids).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal, cast, get_args

from alur.i18n import gettext as _

from .calendar import WorkingCalendar
from .definition import Definition, StepSpec
from .errors import (
    CaseClosed,
    DecisionNotAllowed,
    DecisionRequired,
    InvalidOperation,
    NotYourTask,
    TaskNotOpen,
    UnknownTask,
    WaitingForSubprocedure,
    task_label,
)

EventKind = Literal["started", "claimed", "released", "reassigned", "completed",
                    "child_started", "child_finished", "cancelled", "commented", "attached"]
EVENT_KINDS: tuple[str, ...] = get_args(EventKind)
DECISIONS = ("ya", "tidak")
CaseStatus = Literal["new", "running", "finished", "cancelled"]
TaskStatus = Literal["open", "done", "withdrawn", "cancelled"]


@dataclass(frozen=True)
class Event:
    """One thing that happened to a case. `by` is the acting person's reference (None: system)."""

    kind: str
    at: dt.datetime
    by: str | None = None
    task: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Task:
    """One actor's share of one pass (round) through a step."""

    id: str
    step: int
    round: int
    actor: str | None
    ready_at: dt.datetime
    due_at: dt.datetime | None
    calls: str | None = None
    status: TaskStatus = "open"
    assignee: str | None = None
    claimed_at: dt.datetime | None = None
    done_by: str | None = None
    done_at: dt.datetime | None = None
    decision: str | None = None
    outputs: tuple[str, ...] = ()
    comment: str = ""
    child: str | None = None
    child_done: bool = False
    # The sub-procedure was cancelled: the step is now done by hand, not started again.
    by_hand: bool = False
    revision: int = 0

    @property
    def is_open(self) -> bool:
        return self.status == "open"

    @property
    def waiting_for_child(self) -> bool:
        return self.child is not None and not self.child_done


class Case:
    """The state of one case of one SOP version: `Case(definition, calendar)` then `start`, or
    `Case.replay` of stored events."""

    def __init__(self, definition: Definition, calendar: WorkingCalendar | None = None) -> None:
        self.definition = definition
        self.calendar = calendar
        self.status: CaseStatus = "new"
        self.events: list[Event] = []
        self.tasks: dict[str, Task] = {}
        self.initiator: str | None = None
        self.started_at: dt.datetime | None = None
        self.ended_at: dt.datetime | None = None
        self._rounds: dict[int, int] = {}
        self._active: list[str] = []  # the current step's task ids
        self._applying: Event | None = None  # the event being (or last) applied
        self._recording = False  # applying a new event, not replaying a stored one

    # --- building ---------------------------------------------------------------------------

    @classmethod
    def replay(cls, definition: Definition, events: Iterable[Event],
               calendar: WorkingCalendar | None = None) -> Case:
        """The state after `events`, applied in order. A log the rules refuse is corrupt."""
        case = cls(definition, calendar)
        case.apply_recorded(events)
        return case

    def apply_recorded(self, events: Iterable[Event]) -> None:
        """Bring the state forward over events recorded elsewhere (by `replay`, or by a caller
        that kept this state while another process recorded more)."""
        for event in events:
            self._apply(event)

    # --- queries ----------------------------------------------------------------------------

    @property
    def open_tasks(self) -> list[Task]:
        return [self.tasks[task_id] for task_id in self._active if self.tasks[task_id].is_open]

    @property
    def current_step(self) -> int | None:
        return self.tasks[self._active[0]].step if self._active else None

    @property
    def calls_to_start(self) -> list[Task]:
        """Open sub-procedure tasks without a child case yet: the caller should start one."""
        return [t for t in self.open_tasks if t.calls and t.child is None and not t.by_hand]

    def task(self, task_id: str) -> Task:
        try:
            return self.tasks[task_id]
        except KeyError:
            raise UnknownTask(_("There is no task {task} in this case.").format(task=task_id)) \
                from None

    def is_overdue(self, task: Task, now: dt.datetime) -> bool:
        return task.is_open and task.due_at is not None and now > task.due_at

    # --- operations -------------------------------------------------------------------------

    def start(self, by: str, at: dt.datetime, **data: Any) -> Event:
        """Open the case: the first step's tasks become ready at `at`."""
        _require_aware(at)
        if self.status != "new":
            raise InvalidOperation(_("The case has already started."))
        return self._record(Event("started", at, by, None, dict(data)))

    def claim(self, task_id: str, by: str, at: dt.datetime,
              acting_as: Collection[str] | None = None) -> Event:
        """Take an offered task so colleagues holding the same position see it is being done."""
        task = self._open_task(task_id, at)
        if task.assignee == by:
            raise InvalidOperation(_("You have already claimed this task."))
        if task.assignee is not None:
            raise NotYourTask(_("This task has been claimed by someone else."))
        self._require_actor(task, acting_as)
        return self._record(Event("claimed", at, by, task_id))

    def release(self, task_id: str, by: str, at: dt.datetime, comment: str = "",
                acting_as: Collection[str] | None = None) -> Event:
        """Return a claimed task to everyone who holds its position ("kembalikan")."""
        task = self._open_task(task_id, at)
        if task.assignee is None:
            raise InvalidOperation(_("This task is not claimed by anyone."))
        if task.assignee != by and acting_as is not None:
            raise NotYourTask(_("Only the person who claimed the task can return it."))
        return self._record(Event("released", at, by, task_id, {"comment": comment}))

    def reassign(self, task_id: str, to: str, by: str, at: dt.datetime,
                 comment: str = "") -> Event:
        """Hand a task to a named person (a delegation); who may do this is the caller's rule."""
        task = self._open_task(task_id, at)
        if not to:
            raise InvalidOperation(_("Choose the person to hand the task to."))
        if task.assignee == to:
            raise InvalidOperation(_("The task is already with that person."))
        return self._record(Event("reassigned", at, by, task_id, {"to": to, "comment": comment}))

    def complete(self, task_id: str, by: str, at: dt.datetime, *,
                 decision: str | None = None, outputs: Iterable[str] = (), comment: str = "",
                 acting_as: Collection[str] | None = None) -> Event:
        """Finish a task; a decision step needs "ya" or "tidak", other steps refuse one."""
        task = self._open_task(task_id, at)
        if task.assignee is not None and task.assignee != by and acting_as is not None:
            raise NotYourTask(_("This task has been claimed by someone else."))
        if task.assignee != by:
            self._require_actor(task, acting_as)
        if task.waiting_for_child:
            raise WaitingForSubprocedure(
                _("{task} waits for its sub-procedure to finish.")
                .format(task=self._label(task)))
        spec = self.definition.step(task.step)
        if spec.is_decision and decision not in DECISIONS:
            raise DecisionRequired(
                _("{task} is a decision: answer Yes or No.").format(task=self._label(task)))
        if not spec.is_decision and decision is not None:
            raise DecisionNotAllowed(
                _("{task} is not a decision; it takes no Yes/No answer.")
                .format(task=self._label(task)))
        data = {"decision": decision, "outputs": [str(o) for o in outputs], "comment": comment}
        return self._record(Event("completed", at, by, task_id, data))

    def cancel(self, by: str, at: dt.datetime, reason: str = "") -> Event:
        """Stop the case; its open tasks are cancelled."""
        _require_aware(at)
        self._require_running()
        return self._record(Event("cancelled", at, by, None, {"reason": reason}))

    def comment(self, by: str, at: dt.datetime, text: str, task_id: str | None = None) -> Event:
        _require_aware(at)
        if not text.strip():
            raise InvalidOperation(_("The comment is empty."))
        if task_id is not None:
            self.task(task_id)
        return self._record(Event("commented", at, by, task_id, {"text": text}))

    def attach(self, by: str, at: dt.datetime, task_id: str | None, **data: Any) -> Event:
        """Record a file given as a step's input or output (the caller stores the file)."""
        _require_aware(at)
        self._require_running()
        if task_id is not None:
            self.task(task_id)
        return self._record(Event("attached", at, by, task_id, dict(data)))

    def child_started(self, task_id: str, child: str, at: dt.datetime) -> Event:
        """Record that the sub-procedure of a `calls` step runs as case `child`."""
        task = self._open_task(task_id, at)
        if not task.calls:
            raise InvalidOperation(_("{task} does not call another SOP.")
                                   .format(task=self._label(task)))
        if task.waiting_for_child:
            raise InvalidOperation(_("{task} already waits for a sub-procedure.")
                                   .format(task=self._label(task)))
        return self._record(Event("child_started", at, None, task_id, {"child": child}))

    def child_finished(self, task_id: str, child: str, at: dt.datetime,
                       outcome: Literal["finished", "cancelled"] = "finished") -> Event:
        """The child case ended. Finished: a non-decision step completes by itself; a decision
        still needs its answer. Cancelled: the task stays open for its actor to finish by hand
        (starting the sub-procedure again would undo the cancelling)."""
        task = self._open_task(task_id, at)
        if outcome not in ("finished", "cancelled"):
            raise InvalidOperation(f"unknown sub-procedure outcome {outcome!r}")
        if task.child != child or task.child_done:
            raise InvalidOperation(_("{task} does not wait for that case.")
                                   .format(task=self._label(task)))
        return self._record(Event("child_finished", at, None, task_id,
                                  {"child": child, "outcome": outcome}))

    # --- validation helpers -----------------------------------------------------------------

    def _require_running(self) -> None:
        if self.status == "new":
            raise InvalidOperation(_("The case has not started."))
        if self.status != "running":
            raise CaseClosed(_("The case is closed ({status}).").format(
                status=_("finished") if self.status == "finished" else _("cancelled")))

    def _open_task(self, task_id: str, at: dt.datetime) -> Task:
        _require_aware(at)
        self._require_running()
        task = self.task(task_id)
        if not task.is_open:
            raise TaskNotOpen(_("{task} is no longer open.").format(task=self._label(task)))
        return task

    def _require_actor(self, task: Task, acting_as: Collection[str] | None) -> None:
        if acting_as is None:
            return
        if task.actor is None:
            raise NotYourTask(_("{task} has no actor in the SOP; an admin must hand it to "
                                "someone.").format(task=self._label(task)))
        if task.actor not in acting_as:
            actor = self.definition.actor_names.get(task.actor, task.actor)
            raise NotYourTask(_("{task} belongs to {actor}.").format(
                task=self._label(task), actor=actor))

    def _label(self, task: Task) -> str:
        return task_label(task.step, self.definition.step(task.step).activity)

    # --- the reducer ------------------------------------------------------------------------

    def _record(self, event: Event) -> Event:
        """Apply a new event (made by the operation, so its data is still ours to complete).
        When it makes a step ready, the step's due time goes into it (`due`, ISO 8601 UTC, or
        None), so a replay under a calendar changed since (a holiday added, Ramadan hours
        set) gives the due times people were shown, and the log, hash-chained by the web
        layer, vouches for them too."""
        self._recording = True
        try:
            self._apply(event)
        finally:
            self._recording = False
        return event

    def _apply(self, event: Event) -> None:
        handler = _HANDLERS.get(event.kind)
        if handler is None:
            raise InvalidOperation(f"unknown event kind {event.kind!r}")
        self._applying = event
        handler(self, event)
        self.events.append(event)

    def _on_started(self, event: Event) -> None:
        self.status = "running"
        self.initiator = event.by
        self.started_at = event.at
        self._enter(self.definition.first, event.at)

    def _on_claimed(self, event: Event) -> None:
        task = self._touch(event)
        task.assignee = event.by
        task.claimed_at = event.at

    def _on_released(self, event: Event) -> None:
        task = self._touch(event)
        task.assignee = None
        task.claimed_at = None

    def _on_reassigned(self, event: Event) -> None:
        task = self._touch(event)
        task.assignee = event.data["to"]
        task.claimed_at = event.at

    def _on_completed(self, event: Event) -> None:
        task = self._touch(event)
        task.status = "done"
        task.done_by = event.by
        task.done_at = event.at
        task.decision = event.data.get("decision")
        task.outputs = tuple(event.data.get("outputs", ()))
        task.comment = event.data.get("comment", "")
        self._after_task_done(event.at)

    def _on_child_started(self, event: Event) -> None:
        task = self._touch(event)
        task.child = event.data["child"]
        task.child_done = False

    def _on_child_finished(self, event: Event) -> None:
        task = self._touch(event)
        if event.data.get("outcome") == "cancelled":
            task.child = None
            task.by_hand = True
            return
        task.child_done = True
        if not self.definition.step(task.step).is_decision:
            task.status = "done"
            task.done_at = event.at
            self._after_task_done(event.at)

    def _on_cancelled(self, event: Event) -> None:
        for task in self.open_tasks:
            task.status = "cancelled"
            task.revision += 1
        self._active = []
        self.status = "cancelled"
        self.ended_at = event.at

    def _on_commented(self, event: Event) -> None:
        """A remark only; the log keeps it."""

    _on_attached = _on_commented

    def _touch(self, event: Event) -> Task:
        if event.task is None:  # a stored event naming no task: as unknown as a wrong name
            raise KeyError(event.task)
        task = self.tasks[event.task]
        task.revision += 1
        return task

    # --- flow -------------------------------------------------------------------------------

    def _after_task_done(self, at: dt.datetime) -> None:
        """Advance when the active step is finished: any one task, or all for `joint: all`."""
        active = [self.tasks[t] for t in self._active]
        spec = self.definition.step(active[0].step)
        if spec.joint_all and any(t.is_open for t in active):
            return
        for task in active:
            if task.is_open:
                task.status = "withdrawn"
                task.revision += 1
        done = [t for t in active if t.status == "done"]
        self._enter(self._exit_of(spec, done), at)

    @staticmethod
    def _exit_of(spec: StepSpec, done: list[Task]) -> int | None:
        if not spec.is_decision:
            return spec.next
        # Joint decisions with "all": every actor must say Ya for the Ya exit.
        if any(t.decision == "tidak" for t in done):
            return spec.on_no
        return spec.on_yes

    def _enter(self, number: int | None, at: dt.datetime) -> None:
        """Make step `number` ready, passing through Mulai/Selesai rows; None ends the case."""
        while number is not None and not self.definition.step(number).is_task:
            number = self.definition.step(number).next
        if number is None:
            self._active = []
            self.status = "finished"
            self.ended_at = at
            return
        spec = self.definition.step(number)
        round_ = self._rounds.get(number, 0) + 1
        self._rounds[number] = round_
        applying = self._applying
        assert applying is not None, "_apply sets the event before calling its handler"
        recorded = applying.data.get("due", _UNRECORDED)
        if recorded is not _UNRECORDED:
            due = recorded and dt.datetime.fromisoformat(recorded)
        else:  # a new event, or one recorded before due times were
            due = self._due(at, spec.minutes)
            if self._recording:
                # `_record`'s events are made by the operation with a dict, still ours to complete.
                cast("dict[str, Any]", applying.data)["due"] = due and \
                    due.astimezone(dt.UTC).isoformat()
        actors: tuple[str | None, ...] = spec.actors or (None,)
        ids = []
        for actor in actors:
            task_id = f"{number}.{round_}" if len(actors) == 1 else f"{number}.{round_}.{actor}"
            self.tasks[task_id] = Task(task_id, number, round_, actor, at, due, spec.calls)
            ids.append(task_id)
        self._active = ids

    def _due(self, ready: dt.datetime, minutes: int | None) -> dt.datetime | None:
        if minutes is None or self.calendar is None:
            return None
        try:
            return self.calendar.add_working_minutes(ready, minutes)
        except (OverflowError, ValueError):
            # Beyond what a datetime can hold (a standard of centuries, a clock near 9999):
            # no due time, rather than an event that fails half-applied.
            return None


_HANDLERS = {
    "started": Case._on_started,
    "claimed": Case._on_claimed,
    "released": Case._on_released,
    "reassigned": Case._on_reassigned,
    "completed": Case._on_completed,
    "child_started": Case._on_child_started,
    "child_finished": Case._on_child_finished,
    "cancelled": Case._on_cancelled,
    "commented": Case._on_commented,
    "attached": Case._on_attached,
}


_UNRECORDED = object()


def _require_aware(at: dt.datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("engine times must be timezone-aware")
