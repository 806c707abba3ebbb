"""Transitions of running cases, each one database transaction.

A transition locks the case row, replays the case's events through the engine, lets the engine
validate and record the operation, then appends the event to the hash chain and brings the task
rows (the projection the inbox reads) in line. Sub-procedures start and finish inside the same
transaction as the step that caused them, so a case is never seen half-moved.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from alur.analysis.actual import task_minutes
from alur.engine import Case as Run
from alur.engine import Definition, DefinitionError, EngineError, Event
from alur.engine import Task as RunTask

from ..library.models import Sop, SopVersion
from ..org.models import Person, admins_of
from ..reports.rollup import store_minutes
from . import store
from .audit import GENESIS, event_hash
from .models import Attachment, Case, CompletionKey, Notification, Task
from .models import Event as EventRow
from .snapshots import Snapshot, snapshots
from .workcalendar import working_calendar


class CannotStart(EngineError):
    code = "cannot-start"


class NotAllowed(EngineError):
    code = "not-allowed"


@dataclass(frozen=True)
class Actor:
    """Who acts. An admin is not held to the task's position; `SYSTEM` (no person) is alur
    itself, for what follows from another step (a sub-procedure no longer needed)."""

    person: Person | None
    is_admin: bool = False


SYSTEM = Actor(None, is_admin=True)


_definitions: dict[int, Definition] = {}
_definitions_lock = threading.Lock()


def definition_for(version: SopVersion | int) -> Definition:
    """The compiled SOP of an approved version; approved content never changes, so cache it
    (by id: a transition then never reads the version's content)."""
    with _definitions_lock:
        definition = _definitions.get(version if isinstance(version, int) else version.pk)
    if definition is None:
        if isinstance(version, int):
            version = SopVersion.objects.get(pk=version)
        definition = Definition.from_sop(version.document)
        if version.status != SopVersion.Status.DRAFT:
            with _definitions_lock:
                _definitions[version.pk] = definition
    return definition


def runnable_versions() -> QuerySet[SopVersion]:
    """Approved versions in force today: the only ones a case may start on."""
    return SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN,
                                     effective_date__lte=timezone.localdate())


# --- starting -------------------------------------------------------------------------------

def start_case(version: SopVersion, person: Person, *, title: str = "",
               at: dt.datetime | None = None, parent_task: Task | None = None) -> Case:
    if not version.in_force:
        raise CannotStart(_("Only an approved SOP that is in force can be run."))
    try:
        definition = definition_for(version)
    except DefinitionError as error:
        raise CannotStart(error.message) from error
    at = at or timezone.now()
    with transaction.atomic():
        case = Case.objects.create(
            title=(title.strip() or f"{version.name} — {person.name}")[:300], version=version,
            sop_id=version.sop_id, unit_id=version.sop.unit_id, initiator=person, started_at=at,
            parent_task=parent_task)
        run = Run(definition, working_calendar())
        event = run.start(str(person.pk), at)
        _commit(case, run, event, person, {})
        _keep(case, run)
    return case


# --- acting on tasks ------------------------------------------------------------------------

def claim(task: Task, actor: Actor) -> Case:
    return _transition(task.case_id, actor, lambda run, by, at, acting:
                       run.claim(task.key, by, at, acting))


def release(task: Task, actor: Actor, comment: str = "") -> Case:
    return _transition(task.case_id, actor, lambda run, by, at, acting:
                       run.release(task.key, by, at, comment, acting))


def complete(task: Task, actor: Actor, *, decision: str | None = None,
             outputs: list[str] | None = None, comment: str = "",
             idempotency_key: str = "") -> Case:
    return complete_once(task, actor, decision=decision, outputs=outputs, comment=comment,
                         idempotency_key=idempotency_key).case


class KeyReused(EngineError):
    code = "idempotency-key-reused"


class _Repeated(EngineError):
    """The completion asked for was already done: answered as success, nothing written."""

    code = "repeated"


@dataclass(frozen=True)
class Completion:
    case: Case
    repeated: bool  # already done before (a retry): nothing was done this time


def complete_once(task: Task, actor: Actor, *, decision: str | None = None,
                  outputs: list[str] | None = None, comment: str = "",
                  idempotency_key: str = "") -> Completion:
    """Complete a task so that a client may safely retry when it never got the answer (the
    connection dropped after the commit). A retry under the same idempotency key (the API's
    `Idempotency-Key` header, the task form's hidden token) is answered with success and
    does nothing; so is, without a key, completing again a task this person already
    completed with the same decision. Both are decided with the case locked, so two copies
    of one request racing each other complete the task once. The key is recorded in the
    completion's own transaction: it exists exactly when the completion does."""
    key = idempotency_key.strip()
    if len(key) > 100:  # kept whole: two long keys with one beginning are two keys
        key = hashlib.sha256(key.encode()).hexdigest()
    person = actor.person
    wanted = decision or None

    def operation(run: Run, by: str, at: dt.datetime, acting: set[str] | None) -> Event:
        if key and person is not None:
            earlier = CompletionKey.objects.filter(person=person, key=key).first()
            if earlier is not None:
                if earlier.task_id != task.pk or (earlier.decision or None) != wanted:
                    raise KeyReused(_("This request key was already used for another "
                                      "completion; send a new one."))
                raise _Repeated("")
        held = run.tasks.get(task.key)
        if held is not None and held.status == "done" and by and held.done_by == by and \
                held.decision == wanted:
            raise _Repeated("")
        return run.complete(task.key, by, at, decision=wanted, outputs=outputs or (),
                            comment=comment, acting_as=acting)

    try:
        with transaction.atomic():
            case = _transition(task.case_id, actor, operation)
            if key and person is not None:
                seq = EventRow.objects.filter(case_id=task.case_id, kind="completed",
                                           task_key=task.key).order_by("-seq") \
                    .values_list("seq", flat=True).first()
                CompletionKey.objects.create(person=person, key=key, task=task,
                                             decision=wanted or "", event_seq=seq or 0)
    except _Repeated:
        return Completion(Case.objects.get(pk=task.case_id), repeated=True)
    return Completion(case, repeated=False)


def reassign(task: Task, actor: Actor, to: Person, comment: str = "") -> Case:
    """Delegate a task. Allowed to an admin, to whoever holds the task, and to those who may
    act for its position (a Kabag handing a step to one of his staff)."""
    def operation(run: Run, by: str, at: dt.datetime, acting: set[str] | None) -> Event:
        held = run.task(task.key)
        if acting is not None and held.assignee != by and held.actor not in acting:
            raise NotAllowed(_("Only the task's holder or an admin can hand it over."))
        return run.reassign(task.key, str(to.pk), by, at, comment)
    return _transition(task.case_id, actor, operation)


def cancel(case: Case, actor: Actor, reason: str) -> Case:
    """Stop a case: its initiator or an admin may. Running sub-procedures stop with it."""
    if not reason.strip():
        raise NotAllowed(_("Give the reason for cancelling."))
    if not actor.is_admin and (actor.person is None or case.initiator_id != actor.person.pk):
        raise NotAllowed(_("Only the person who started the case or an admin can cancel it."))
    with transaction.atomic():  # the case and its sub-procedures stop together, or none
        result = _transition(case.pk, actor, lambda run, by, at, acting:
                             run.cancel(by, at, reason))
        for child in Case.objects.filter(parent_task__case=case, status=Case.Status.RUNNING):
            cancel(child, Actor(actor.person, is_admin=True),  # (None: alur itself)
                   _("The calling case was cancelled: {reason}").format(reason=reason))
    return result


def comment(case: Case, actor: Actor, text: str, task: Task | None = None) -> Case:
    return _transition(case.pk, actor, lambda run, by, at, acting:
                       run.comment(by, at, text, task.key if task else None))


def attach(task: Task, actor: Actor, uploaded, role: str, label: str = "") -> Attachment:
    """Store a file for a task's input or output and record it in the case's log."""
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    attachment = Attachment(case_id=task.case_id, task=task, role=role, label=label[:300],
                            original_name=uploaded.name[:255], size=uploaded.size,
                            sha256=digest.hexdigest(), uploaded_by=actor.person)
    try:
        with transaction.atomic():
            attachment.file.save(uploaded.name, uploaded, save=False)
            attachment.save()
            _transition(task.case_id, actor, lambda run, by, at, acting: _attach(
                run, by, at, acting, task.key, role=role, label=label,
                file=attachment.original_name, sha256=attachment.sha256,
                attachment=str(attachment.public_id)))
    except BaseException:
        # The row was rolled back (a closed case, a refused operation): drop the stored file
        # too, or it would stay in storage with nothing pointing at it.
        if attachment.file.name:
            attachment.file.delete(save=False)
        raise
    return attachment


def _attach(run: Run, by: str, at: dt.datetime, acting: set[str] | None, key: str,
            **data: str) -> Event:
    """Files go with a step: those who may act on it, whoever holds it, and the applicant
    (who brings the documents) may attach; onlookers may not."""
    held = run.task(key)
    if acting is not None and held.assignee != by and held.actor not in acting and \
            run.initiator != by:
        raise NotAllowed(_("Only those who carry out this step can attach files to it."))
    return run.attach(by, at, key, **data)


# --- the machinery --------------------------------------------------------------------------

Operation = Callable[[Run, str, dt.datetime, "set[str] | None"], Event]


def _transition(case_pk: int, actor: Actor, operation: Operation) -> Case:
    with transaction.atomic(), _opened(case_pk) as (case, run, where):
        # The time is read once the case is ours: read before waiting for the lock, it could
        # fall before the event another transaction just recorded, and the chain's times (and
        # the next step's ready time) would run backwards.
        at = timezone.now()
        persisted = _revisions(run)
        person = actor.person
        acting = None if actor.is_admin or person is None else \
            _acting_as(person, case, run, where)
        event = operation(run, str(person.pk) if person else "", at, acting)
        _commit(case, run, event, actor.person, persisted, where)
    return case


@contextlib.contextmanager
def _opened(case_pk: int) -> Iterator[tuple[Case, Run, store.Routing]]:
    """The locked case and its engine state for the block, kept for the next step when the
    block ends: having written, or refused by the engine (a refused operation changes
    nothing). Any other failure drops the state. A kept state whose transaction is rolled
    back after all names a head the database lacks, so the next step replays instead."""
    case, run, where = _open(case_pk)
    try:
        yield case, run, where
    except EngineError:
        _keep(case, run)
        raise
    _keep(case, run)


def _open(case_pk: int) -> tuple[Case, Run, store.Routing]:
    """Lock the case and get its engine state: the snapshot this process kept, brought up to
    date with any events other processes recorded since, or else a replay of the log."""
    snapshot = snapshots.take(case_pk)
    after = snapshot.event_count if snapshot is not None else 0
    loaded = store.load(case_pk, timezone.localdate(), after)
    case, newer = loaded.case, loaded.events
    run = _brought_up_to_date(case, snapshot, newer) if snapshot is not None else None
    if run is None:
        if snapshot is not None or not _reaches_head(case, newer):
            # Another history than the snapshot's, or events read before the lock was ours.
            newer = store.events(case_pk)
        run = _replay(case, newer)
    return case, run, loaded.routing


def _reaches_head(case: Case, events: list[store.StoredEvent]) -> bool:
    return len(events) == case.event_count and (
        not events or events[-1].seq == case.event_count)


def _brought_up_to_date(case: Case, snapshot: Snapshot, newer: list[store.StoredEvent]
                        ) -> Run | None:
    """The snapshot's state with `newer` applied, if the snapshot's chain leads to the
    case's head; None if it does not (it was written by a transaction later rolled back)."""
    if snapshot.event_count + len(newer) != case.event_count:
        return None
    expected = snapshot.head_hash
    if newer:
        if newer[0].prev_hash != (expected or GENESIS):
            return None
        snapshot.run.apply_recorded(_engine_events(newer))
        return snapshot.run
    return snapshot.run if expected == case.head_hash else None


def _keep(case: Case, run: Run) -> None:
    snapshots.put(case.pk, Snapshot(case.event_count, case.head_hash, run))


def _acting_as(person: Person, case: Case, run: Run, where: store.Routing) -> set[str]:
    """The actors this person may act as: those linked to positions they hold, and the
    applicant's columns (PNS, Pemohon …) when they started the case."""
    linked = where.actors_of(person.pk)
    if case.initiator_id != person.pk:
        return linked
    return linked | run.definition.applicants


def load_run(case: Case) -> Run:
    """The engine's state of a case, replayed from its stored events."""
    return _replay(case, store.events(case.pk))


def _revisions(run: Run) -> dict[str, int]:
    """Each task's revision as its row holds it (the rows were written from these events)."""
    return {task_id: task.revision for task_id, task in run.tasks.items()}


def _engine_events(rows: list[store.StoredEvent]) -> list[Event]:
    return [Event(row.kind, row.at, str(row.by) if row.by else None, row.task_key or None,
                  row.data) for row in rows]


def _replay(case: Case, rows: list[store.StoredEvent]) -> Run:
    return Run.replay(definition_for(case.version_id), _engine_events(rows),
                      working_calendar())


@dataclass
class _NewTask:
    """A task row to write, and who it is offered to (for the notifications)."""

    key: str
    offered_to: list[int]
    unroutable: bool
    values: dict[str, Any]


def _commit(case: Case, run: Run, event: Event, person: Person | None,
            persisted: dict[str, int], where: store.Routing | None = None) -> None:
    """Persist one engine event and everything it caused, inside the caller's transaction.
    `persisted` maps each task id to the revision its row holds; it is kept up to date.
    Every read happens first, so the writes go to the database as one batch.

    `case.opened` is left holding the task rows this event created (unsaved instances with
    their values), so a caller can go on to them without reading them back."""
    where = where or store.routing(case.pk, timezone.localdate(event.at))
    was = case.status
    case.status = run.status if run.status != "new" else Case.Status.RUNNING
    case.ended_at = run.ended_at
    changes = _task_changes(case, run, persisted, where)
    new = [t for t in changes if isinstance(t, _NewTask)]
    changed = [c for c in changes if not isinstance(c, _NewTask)]
    notes = _notifications(case, new)
    if was == Case.Status.RUNNING and case.status != Case.Status.RUNNING:
        # The person who asked learns that their request is finished (or stopped).
        notes.append((case.initiator_id, Notification.Kind.CASE_ENDED, None))
    store.write(store.Writes(
        case, _append(case, event, person), event.at, new_tasks=[t.values for t in new],
        changed_tasks=changed, notifications=notes))
    _record_minutes(case, run, [t.key for t in new] + [key for key, _values in changed])
    case.opened = [store.as_instance(Task, t.values) for t in new
                   if t.values["status"] == Task.Status.OPEN]
    _stop_unneeded_children(run, changed)
    for waiting in run.calls_to_start:
        if waiting.child is None:  # (the commit of a sibling's child_started may have)
            _start_subprocedure(case, run, waiting, persisted)
    if case.status != Case.Status.RUNNING and case.parent_task_id:
        _return_to_parent(case, case.parent_task_id)


def _record_minutes(case: Case, run: Run, keys: list[str]) -> None:
    """Store the working minutes (and the waiting part) of each task this event finished, on
    the run's calendar, so reports aggregate plain numbers."""
    calendar = run.calendar or working_calendar()
    for key in keys:
        held = run.tasks.get(key)
        if held is None or held.status != "done" or held.done_at is None:
            continue
        minutes = task_minutes(calendar, held.ready_at, held.done_at, held.claimed_at)
        store_minutes(case.pk, key, minutes.work, minutes.wait)  # and the reports' rollup


def _append(case: Case, event: Event, person: Person | None) -> dict[str, Any]:
    """The event's row, chained to the case's head; the head moves to it."""
    seq = case.event_count + 1
    by_id = int(event.by) if event.by else None
    by_name = person.name if person is not None and by_id == person.pk else ""
    data = dict(event.data)
    prev = case.head_hash or GENESIS
    digest = event_hash(prev, case=str(case.public_id), seq=seq, kind=event.kind, at=event.at,
                        by=by_id, by_name=by_name, task_key=event.task or "", data=data)
    case.event_count, case.head_hash = seq, digest
    return {"case_id": case.pk, "seq": seq, "kind": event.kind, "at": event.at,
            "by_id": by_id, "by_name": by_name, "task_key": event.task or "", "data": data,
            "prev_hash": prev, "hash": digest}


def _task_changes(case: Case, run: Run, persisted: dict[str, int],
                  where: store.Routing) -> list[_NewTask | tuple[str, dict[str, Any]]]:
    """The task rows to write: a `_NewTask` for each new engine task, (key, values) for each
    one the event changed. The engine bumps a task's revision on every change, so only those
    rows are written."""
    changes: list[_NewTask | tuple[str, dict[str, Any]]] = []
    for engine_task in run.tasks.values():
        revision = persisted.get(engine_task.id)
        if revision == engine_task.revision:
            continue
        if revision is None:
            changes.append(_new_task(case, run, engine_task, where))
        else:
            changes.append((engine_task.id, _row_values(case, run, engine_task)))
        persisted[engine_task.id] = engine_task.revision
    return changes


def _new_task(case: Case, run: Run, engine_task: RunTask, where: store.Routing) -> _NewTask:
    spec = run.definition.step(engine_task.step)
    actor_name = run.definition.actor_names.get(engine_task.actor or "", "")
    position_id = None if engine_task.actor in run.definition.applicants else \
        where.links.get(engine_task.actor or "")
    values = _row_values(case, run, engine_task)
    # Who is offered the task now (for the notifications), and whether anybody is.
    if values["assignee_id"]:
        offered_to = [values["assignee_id"]]
    else:
        offered_to = list(where.holders.get(position_id, [])) if position_id else []
    unroutable = engine_task.is_open and not offered_to
    return _NewTask(engine_task.id, offered_to if engine_task.is_open else [], unroutable, {
        "public_id": uuid.uuid4(), "case_id": case.pk, "key": engine_task.id,
        "step": engine_task.step, "round": engine_task.round,
        "actor_id": engine_task.actor or "", "actor_name": actor_name,
        "activity": spec.activity, "is_decision": spec.is_decision,
        "position_id": position_id, "ready_at": engine_task.ready_at,
        "due_at": engine_task.due_at, "calls": spec.calls or "", "unroutable": unroutable,
        **values})


def _row_values(case: Case, run: Run, engine_task: RunTask) -> dict[str, Any]:
    """The task columns an event can change, keyed by attribute name."""
    assignee = int(engine_task.assignee) if engine_task.assignee else None
    if assignee is None and engine_task.is_open and \
            engine_task.actor in run.definition.applicants:
        assignee = case.initiator_id
    return {
        "status": engine_task.status, "assignee_id": assignee,
        "claimed_at": engine_task.claimed_at, "done_at": engine_task.done_at,
        "done_by_id": int(engine_task.done_by) if engine_task.done_by else None,
        "decision": engine_task.decision or "",
    }


def _notifications(case: Case, tasks: list[_NewTask]) -> list[tuple[int, str, str | None]]:
    """(person, kind, task key) of the notifications new tasks bring."""
    rows: list[tuple[int, str, str | None]] = []
    for task in tasks:
        rows += [(p, Notification.Kind.NEW_TASK, task.key) for p in task.offered_to]
        if task.unroutable:
            rows += [(p, Notification.Kind.UNROUTABLE, task.key)
                     for p in sorted(admins_of(case.unit))]
    return rows


def _start_subprocedure(case: Case, run: Run, waiting: RunTask,
                        persisted: dict[str, int]) -> None:
    """Start the SOP a `calls` step names, as a child case; without one in force, the step
    stays an ordinary task and the log says why."""
    version = _called_version(waiting.calls or "", case)
    at = timezone.now()
    if version is None:
        # Said once in the log (the state holds the log: no query on each later step).
        if not any(e.kind == "commented" and e.task == waiting.id for e in run.events):
            event = run.comment("", at, _(
                "The sub-procedure '{sop}' has no approved version in force; do this step "
                "by hand.").format(sop=waiting.calls), waiting.id)
            store.write(store.Writes(case, _append(case, event, None), at))
        return
    row = Task.objects.get(case=case, key=waiting.id)
    child = start_case(version, case.initiator, at=at, parent_task=row,
                       title=f"{version.name} — {case.title}")
    event = run.child_started(waiting.id, str(child.public_id), at)
    _commit(case, run, event, None, persisted)


def _stop_unneeded_children(run: Run, changed: list[tuple[str, dict[str, Any]]]) -> None:
    """A joint `calls` step runs a sub-procedure per actor; when one finishes the step (or it
    is otherwise withdrawn), the others' sub-procedures are no longer needed: cancel them,
    saying why, rather than leave people working on them."""
    for key, values in changed:
        task = run.tasks[key]
        if values["status"] != Task.Status.WITHDRAWN or not task.child or task.child_done:
            continue
        child = Case.objects.filter(public_id=task.child, status=Case.Status.RUNNING).first()
        if child is not None:
            cancel(child, SYSTEM, _(
                "Step {step} of the calling case was finished by another actor; this "
                "sub-procedure is no longer needed.").format(step=task.step))


def _called_version(slug: str, case: Case) -> SopVersion | None:
    """The called SOP's version in force: the caller's own unit first, then any unit."""
    candidates = Sop.objects.filter(slug=slug)
    for sop in sorted(candidates, key=lambda s: s.unit_id != case.unit_id):
        version = sop.in_force(timezone.localdate())
        if version is not None:
            return version
    return None


def _return_to_parent(child: Case, parent_task_id: int) -> None:
    parent_task = Task.objects.select_related("case").get(pk=parent_task_id)
    with _opened(parent_task.case_id) as (parent, run, where):
        task = run.tasks.get(parent_task.key)
        if task is None or not task.is_open or task.child != str(child.public_id):
            return  # the parent moved on (cancelled, or the step was done by hand)
        persisted = _revisions(run)
        outcome: Literal["finished", "cancelled"] = (
            "finished" if child.status == Case.Status.FINISHED else "cancelled")
        event = run.child_finished(parent_task.key, str(child.public_id), timezone.now(),
                                   outcome)
        _commit(parent, run, event, None, persisted, where)
