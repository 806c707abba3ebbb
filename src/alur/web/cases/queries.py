"""The questions pages ask of running cases."""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from ..org.models import Assignment, Person, in_force_on
from .models import Case, Task
from .routing import positions_held


def my_open_tasks(person: Person, on: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks handed to the person or offered to a position they hold today; the earliest
    due first, so overdue tasks lead, and tasks without a time standard last."""
    held = positions_held(person, on or timezone.localdate())
    return (Task.objects.filter(status=Task.Status.OPEN)
            .filter(Q(assignee=person) | Q(assignee__isnull=True, position_id__in=held))
            .select_related("case", "assignee", "position")
            .order_by(F("due_at").asc(nulls_last=True), "ready_at", "pk"))


def acting_positions(person: Person, on: dt.date | None = None) -> dict[int, str]:
    """The positions a person holds on a date only as an acting official: position id → the
    capacity ("plt" or "plh"). A definitif holding of the same position wins, so the inbox
    says "as Plt" only to someone who really stands in for the holder."""
    on = on or timezone.localdate()
    acting: dict[int, str] = {}
    definitive: set[int] = set()
    for position_id, kind in Assignment.objects.filter(in_force_on(on), person=person) \
            .values_list("position_id", "kind"):
        if kind == Assignment.Kind.DEFINITIF:
            definitive.add(position_id)
        else:
            acting.setdefault(position_id, kind)
    return {pk: kind for pk, kind in acting.items() if pk not in definitive}


def with_late(cases: QuerySet[Case], now: dt.datetime) -> QuerySet[Case]:
    """Cases marked `is_late` when one of their open tasks is past its due time (one EXISTS
    per row of the page, not a query per case)."""
    return cases.annotate(is_late=Exists(Task.objects.filter(
        case=OuterRef("pk"), status=Task.Status.OPEN, due_at__lt=now)))


def unroutable_tasks(unit_ids: set[int], on: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks nobody can take, for the admins of these units: flagged when made, and
    still without a holder of their position today (an admin may have appointed one since)."""
    on = on or timezone.localdate()
    still_held = Task.objects.filter(in_force_on(on, "position__assignments__"),
                                     status=Task.Status.OPEN, unroutable=True).values("pk")
    return (Task.objects.filter(status=Task.Status.OPEN, unroutable=True,
                                assignee__isnull=True, case__unit_id__in=unit_ids)
            .exclude(pk__in=still_held)
            .select_related("case", "position").order_by("ready_at"))


def progress(case: Case, now: dt.datetime) -> dict[int, str]:
    """Each step's state for drawing on the flowchart: its latest round decides."""
    states: dict[int, str] = {}
    for task in case.tasks.order_by("round", "pk"):
        late = task.due_at is not None and (
            (task.done_at or now) > task.due_at)
        if task.status == Task.Status.OPEN:
            states[task.step] = "late" if late else "current"
        elif task.status == Task.Status.DONE or (
                task.status == Task.Status.WITHDRAWN and states.get(task.step) is None):
            states[task.step] = "done-late" if late else "done"
    return states


def overdue(now: dt.datetime) -> QuerySet[Task]:
    return Task.objects.filter(status=Task.Status.OPEN, due_at__lt=now)
