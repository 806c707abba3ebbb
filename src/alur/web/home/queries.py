"""What waits for each role, for the home page. Each function answers one role's question and
returns at most `limit` items, with how many there are in all, so the home stays quick on a
large library (the full lists are a click away)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db.models import Exists, Model, OuterRef, QuerySet
from django.utils import timezone

from ..cases.models import Task
from ..cases.queries import my_open_tasks, unroutable_tasks
from ..evaluation.due import add_months
from ..library.models import ImportJob, SopVersion
from ..org.models import AnyUser, Assignment, Person, Position, in_force_on

T = TypeVar("T")
M = TypeVar("M", bound=Model)
LIMIT = 8
# Permenpan RB 35/2012: monitoring at least every six months, evaluation at least yearly.
MONITORING_MONTHS = 6
EVALUATION_MONTHS = 12
SOON_DAYS = 30


@dataclass(frozen=True)
class Few(Generic[T]):
    """The first items of a list, and how many it holds."""

    items: list[T]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def _few(query: QuerySet[M], limit: int = LIMIT) -> Few[M]:
    items = list(query[:limit])
    total = len(items) if len(items) < limit else query.count()
    return Few(items, total)


def _versions(units: set[int], status: str) -> QuerySet[SopVersion]:
    return (SopVersion.objects.filter(status=status, sop__unit_id__in=units)
            .select_related("sop__unit"))


# --- Penyusun ---------------------------------------------------------------------------------

def returned_drafts(units: set[int]) -> Few[SopVersion]:
    """Drafts a Pengesah sent back, the latest return first: they need the author first."""
    return _few(_versions(units, SopVersion.Status.DRAFT)
                .filter(returned_at__isnull=False).order_by("-returned_at", "pk"))


def drafts(units: set[int]) -> Few[SopVersion]:
    return _few(_versions(units, SopVersion.Status.DRAFT)
                .filter(returned_at__isnull=True).order_by("-created_at", "pk"))


def my_imports(user: AnyUser) -> list[ImportJob]:
    """The user's imports still being read or waiting for review (a saved or cancelled
    review deletes its job)."""
    if not user.is_authenticated:
        return []
    return list(ImportJob.objects.filter(user=user).order_by("-pk")[:LIMIT])


# --- Pengesah ---------------------------------------------------------------------------------

def awaiting_approval(units: set[int]) -> Few[SopVersion]:
    """Submitted versions in the Pengesah's units, the longest waiting first."""
    return _few(_versions(units, SopVersion.Status.DIAJUKAN)
                .order_by("submitted_at", "pk"))


# --- Pegawai ----------------------------------------------------------------------------------

def my_tasks(person: Person) -> Few[Task]:
    """Open tasks, overdue first (the earliest due leads)."""
    return _few(my_open_tasks(person).select_related("case__version"))


# --- Evaluator --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Review:
    """When an SOP in force is next due for monitoring and for evaluation."""

    version: SopVersion
    monitoring: dt.date
    evaluation: dt.date

    @property
    def next(self) -> dt.date:
        return min(self.monitoring, self.evaluation)


def next_due(start: dt.date, months: int, today: dt.date) -> dt.date:
    """The first date of the cycle of `months` counted from `start` (start itself excluded:
    an SOP that has just taken effect is not due yet) that is on or after today."""
    cycles = max(1, ((today.year - start.year) * 12 + today.month - start.month) // months)
    due = add_months(start, cycles * months)
    while due < today:
        cycles += 1
        due = add_months(start, cycles * months)
    return due


def reviews_due(units: set[int], today: dt.date | None = None) -> Few[Review]:
    """SOPs in force in the evaluator's units, the soonest due first. The dates run from the
    effective date, since alur does not yet record monitoring done (the monitoring issue adds
    that); so this is the schedule, not a list of what was missed. The dates are worked out
    from (id, date) pairs and only the first few versions are loaded: a whole government's
    library holds thousands of SOPs in force."""
    today = today or timezone.localdate()
    in_force = (SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN,
                                          sop__unit_id__in=units, effective_date__lte=today)
                .values_list("pk", "effective_date"))
    # Evaluation falls every second monitoring date (12 = 2 × 6 months from the same start),
    # so the next monitoring is always the sooner: sort on it, and work out the evaluation
    # only for the versions shown.
    schedule = sorted((next_due(start, MONITORING_MONTHS, today), pk)
                      for pk, start in in_force.iterator() if start is not None)
    shown = schedule[:LIMIT]
    versions = SopVersion.objects.select_related("sop__unit").in_bulk([pk for _, pk in shown])
    return Few([Review(versions[pk], monitoring,
                       next_due(versions[pk].effective_date or today, EVALUATION_MONTHS, today))
                for monitoring, pk in shown], len(schedule))


# --- unit admin -------------------------------------------------------------------------------

def tasks_nobody_can_take(units: set[int]) -> Few[Task]:
    return _few(unroutable_tasks(units))


def vacant_positions(units: set[int], today: dt.date | None = None) -> Few[Position]:
    """Positions in the admin's units that nobody holds today: their steps' tasks stall."""
    today = today or timezone.localdate()
    held = Assignment.objects.filter(in_force_on(today), position=OuterRef("pk"))
    return _few(Position.objects.filter(unit_id__in=units)
                .exclude(Exists(held)).select_related("unit").order_by("unit__name", "name"))
