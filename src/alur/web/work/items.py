"""The work-item registry: providers answer "what waits for this user?", recorders turn work
that has just fallen due into notifications (run by `alur notify`)."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from ..org.models import AnyUser, Person

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class WorkItem:
    """Something a person should do that is not a case task.

    `kind` names the work for the badge ("monitoring", "evaluation", "review", "approval"),
    `title` says what to do and `subject` what it is about, both already translated; `since`
    is when it started waiting for them and `due` when it must be done, so the list can put
    overdue work first and say how long it has waited."""

    kind: str
    kind_label: str
    title: str
    subject: str
    url: str
    since: dt.datetime | None = None
    due: dt.date | None = None

    def overdue(self, today: dt.date) -> bool:
        return self.due is not None and self.due < today


Provider = Callable[[AnyUser, Person | None, dt.datetime], Iterable[WorkItem]]
Recorder = Callable[[dt.datetime], int]

_providers: list[Provider] = []
_recorders: list[Recorder] = []


def provider(function: Provider) -> Provider:
    """Register a provider of work items (a decorator; idempotent)."""
    if function not in _providers:
        _providers.append(function)
    return function


def recorder(function: Recorder) -> Recorder:
    """Register a recorder: given now, it notifies (through `notify_once`) whoever has work
    that fell due, and answers how many notifications it created."""
    if function not in _recorders:
        _recorders.append(function)
    return function


def _order(item: WorkItem) -> tuple[dt.date, dt.datetime]:
    return (item.due or dt.date.max,
            item.since or dt.datetime.max.replace(tzinfo=dt.UTC))


def work_items(user: AnyUser, person: Person | None, now: dt.datetime) -> list[WorkItem]:
    """Everything the providers say waits for the user: the soonest due first, then the
    longest waiting."""
    if not user.is_authenticated:
        return []
    items: list[WorkItem] = []
    for function in _providers:
        items.extend(function(user, person, now))
    return sorted(items, key=_order)


def record_due(now: dt.datetime) -> int:
    """Run every recorder; one failing must not keep the others' people uninformed."""
    created = 0
    for function in _recorders:
        try:
            created += function(now)
        except Exception:  # logged; the next `alur notify` run tries again
            logger.exception("work recorder %s failed", function.__qualname__)
    return created
