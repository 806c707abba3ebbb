"""The questions pages ask of running cases."""

from __future__ import annotations

import datetime as dt

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from ..org.models import Person, in_force_on
from .models import Case, Task
from .routing import positions_held


def my_open_tasks(person: Person, on: dt.date | None = None) -> QuerySet[Task]:
    """Open tasks handed to the person or offered to a position they hold today; the earliest
    due first, so overdue tasks lead, and tasks without a time standard last."""
    held = positions_held(person, on or timezone.localdate())
    return (Task.objects.filter(status=Task.Status.OPEN)
            .filter(Q(assignee=person) | Q(assignee__isnull=True, position_id__in=held))
            .select_related("case", "assignee")
            .order_by(F("due_at").asc(nulls_last=True), "ready_at", "pk"))


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
