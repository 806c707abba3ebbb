"""The tamper-evident event chain: each event's hash covers its content and the hash before it.

Chains are per case, so cases never wait for each other; the case row keeps the chain's head
(count and last hash) so removing the newest event is detected too. The hash is an HMAC under
the audit key (`auditkey`), which the database does not hold: someone who edits an event
cannot recompute the hashes after it. Chains recorded before the key existed keep their
public SHA-256 links up to a keyed cut-over (`ChainCutover`, written by a migration).

`verify` checks, for every case: the links, the cut-over, the head; then it replays the
events through the engine and compares the task rows and the case's status with what the
replay says they must be (the rows are a projection, and an edited projection is tampering
too). Then it checks the ledger (`ledger.verify_ledger`): a case deleted with its events, or
a chain cut back to an earlier head, no longer matches what the ledger anchored.
`alur audit verify` runs it from cron or by hand.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from .auditkey import audit_key

if TYPE_CHECKING:  # at run time read inside the functions: a migration imports this module
    from django.db.models import QuerySet

    from .models import Case, Event

GENESIS = "0" * 64


def canonical_time(at: dt.datetime) -> str:
    return at.astimezone(dt.UTC).isoformat(timespec="microseconds")


def _payload(*, case: str, seq: int, kind: str, at: dt.datetime, by: int | None,
             by_name: str, task_key: str, data: dict[str, Any]) -> str:
    return json.dumps({
        "case": case, "seq": seq, "kind": kind, "at": canonical_time(at), "by": by,
        "by_name": by_name, "task": task_key, "data": data,
    }, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def event_hash(prev_hash: str, **event: Any) -> str:
    """HMAC-SHA256, under the audit key, of the previous hash and the event's canonical JSON."""
    message = (prev_hash + _payload(**event)).encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def legacy_event_hash(prev_hash: str, **event: Any) -> str:
    """The public formula chains used before the key: SHA-256 of the same text. Only events
    before a case's recorded cut-over may carry it."""
    return hashlib.sha256((prev_hash + _payload(**event)).encode()).hexdigest()


def cutover_mac(case: str, seq: int, head: str) -> str:
    """The cut-over record's keyed seal (its form is frozen in migration 0004)."""
    message = f"cutover|{case}|{seq}|{head}".encode()
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Problem:
    case: str  # the case's public id; empty for a problem of the ledger itself
    seq: int | None  # the event (or, with `block`, nothing); None: the chain as a whole
    message: str
    block: int | None = None  # the ledger block it concerns


def verify(cases: QuerySet[Case] | None = None, *, anchor_file: Path | None = None,
           replay: bool = True) -> Iterator[Problem]:
    """Every break in every chain (or in the given cases' chains), every task row or case
    field that differs from the replayed events, and, when all cases are checked, every
    difference between the cases and the ledger (and the exported anchor, if given)."""
    from .ledger import verify_ledger
    from .models import Case, Event

    queryset = Case.objects.all() if cases is None else cases
    for case in queryset.select_related("cutover").order_by("pk").iterator(chunk_size=500):
        events = Event.objects.filter(case=case).order_by("seq")
        problems = list(_verify_case(case, events))
        yield from problems
        if replay and not problems:
            yield from _verify_projection(case)
    if cases is None:
        yield from verify_ledger(anchor_file)


def _legacy_until(case: Case) -> tuple[int, str, list[Problem]]:
    """How many of the case's first events use the old formula, the head there, and the
    problem if the cut-over record is not what the key sealed."""
    from .models import ChainCutover

    try:
        cutover = case.cutover
    except ChainCutover.DoesNotExist:
        return 0, "", []
    case_ref = str(case.public_id)
    if not hmac.compare_digest(cutover.mac, cutover_mac(case_ref, cutover.seq, cutover.hash)):
        return 0, "", [Problem(case_ref, None, _(
            "the cut-over record of the chain was changed or made without the audit key"))]
    return cutover.seq, cutover.hash, []


def _verify_case(case: Case, events: QuerySet[Event]) -> Iterator[Problem]:
    case_ref = str(case.public_id)
    legacy_until, cutover_head, problems = _legacy_until(case)
    yield from problems
    prev, expected_seq = GENESIS, 1
    for event in events.iterator(chunk_size=2000):
        if event.seq != expected_seq:
            yield Problem(case_ref, event.seq, _(
                "sequence broken: expected {expected}, found {found}").format(
                expected=expected_seq, found=event.seq))
        if event.prev_hash != prev:
            yield Problem(case_ref, event.seq, _(
                "previous hash does not match (an event was inserted or removed)"))
        formula = legacy_event_hash if event.seq <= legacy_until else event_hash
        actual = formula(event.prev_hash, case=case_ref, seq=event.seq, kind=event.kind,
                         at=event.at, by=event.by_id, by_name=event.by_name,
                         task_key=event.task_key, data=event.data)
        if not hmac.compare_digest(actual, event.hash):
            yield Problem(case_ref, event.seq, _("the event was changed after it was recorded"))
        elif event.seq == legacy_until and event.hash != cutover_head:
            yield Problem(case_ref, event.seq, _(
                "the events before the cut-over to the keyed chain were recomputed"))
        prev, expected_seq = event.hash, event.seq + 1
    if expected_seq - 1 != case.event_count or prev != (case.head_hash or GENESIS):
        yield Problem(case_ref, None, _(
            "{found} event(s) found, {recorded} recorded: the newest events were removed or "
            "the chain head was changed").format(found=expected_seq - 1,
                                                 recorded=case.event_count))
    elif case.event_count < legacy_until:
        yield Problem(case_ref, None, _(
            "the chain is shorter than it was at the cut-over to the keyed chain"))


# --- the projection against the replay ----------------------------------------------------------

# Task columns the events determine (position and "nobody can take it" depend on who held
# which post that day, which the log does not record).
TASK_FIELDS = ("step", "round", "actor_id", "ready_at", "due_at", "status", "assignee_id",
               "claimed_at", "done_at", "done_by_id", "decision")


def _verify_projection(case: Case) -> Iterator[Problem]:
    """The case's task rows and status fields against a replay of its (verified) events."""
    from alur.engine import EngineError

    from . import services
    from .models import Case, Task

    case_ref = str(case.public_id)
    try:
        run = services.load_run(case)
    except (EngineError, ValueError, KeyError) as error:
        yield Problem(case_ref, None, _("the events cannot be replayed: {error}").format(
            error=getattr(error, "message", str(error))))
        return
    status = run.status if run.status != "new" else Case.Status.RUNNING
    expected_case = {"status": status, "ended_at": run.ended_at,
                     "started_at": run.started_at,
                     "initiator_id": int(run.initiator) if run.initiator else None}
    for name, value in expected_case.items():
        if getattr(case, name) != value:
            yield Problem(case_ref, None, _(
                "the case's field '{field}' is not what its events say").format(field=name))
    rows = {t.key: t for t in Task.objects.filter(case=case)}
    for key, engine_task in run.tasks.items():
        row = rows.pop(key, None)
        if row is None:
            yield Problem(case_ref, None, _("task {task} of the events has no row").format(
                task=key))
            continue
        expected = {"step": engine_task.step, "round": engine_task.round,
                    "actor_id": engine_task.actor or "", "ready_at": engine_task.ready_at,
                    "due_at": engine_task.due_at, **services._row_values(case, run, engine_task)}
        changed = [name for name in TASK_FIELDS if getattr(row, name) != expected[name]]
        if changed:
            yield Problem(case_ref, None, _(
                "task {task}: {fields} differ from the events").format(
                task=key, fields=", ".join(changed)))
    for key in sorted(rows):
        yield Problem(case_ref, None, _("task row {task} has no event").format(task=key))
