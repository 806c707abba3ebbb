"""The figures of the reports, aggregated in SQL over the finished task rows.

Every task stores its working minutes when it completes (`Task.work_minutes`, the waiting part
in `wait_minutes`), so the database aggregates plain numbers: no Python loop runs over task
rows. Each rework round is a row of its own and counts as one sample of its step.

Medians and 90th percentiles are computed the way PostgreSQL's `percentile_cont` does (linear
interpolation between the two nearest ranks), but with window functions both PostgreSQL and
SQLite have: ROW_NUMBER() and COUNT(*) over each (SOP, step) partition rank the samples; the
two rows around the position 1 + p·(n − 1) are picked with integer arithmetic (no FLOOR, which
SQLite may lack) and interpolated. One statement serves both databases.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from alur.analysis import MinuteRange, standard_time

from ..cases.models import Case, Task
from ..library.models import Sop, SopVersion

# Percentiles as whole percent, so the SQL stays in integers.
MEDIAN, P90 = 50, 90
# Upper bounds (working minutes) of the duration histogram's bars; the last bar is open.
BUCKETS = (30, 60, 120, 240, 450, 900, 2250)
# A step is "slow" when its median passes its standard (its upper end), "very slow" past
# this many times it.
VERY_SLOW = 1.5


@dataclass(frozen=True)
class Filters:
    """What the figures cover: cases of these units, tasks done in [start, end), optionally
    of one position, one SOP."""

    unit_ids: frozenset[int]
    start: dt.datetime
    end: dt.datetime
    position_id: int | None = None
    sop_id: int | None = None

    def where(self) -> tuple[str, list[Any]]:
        """The WHERE clause over `t` (task) and `c` (case) with its parameters."""
        ids = sorted(self.unit_ids) or [-1]
        clauses = ["t.status = %s", "t.work_minutes IS NOT NULL",
                   f"c.unit_id IN ({', '.join(['%s'] * len(ids))})",
                   "t.done_at >= %s", "t.done_at < %s"]
        params: list[Any] = [Task.Status.DONE, *ids, self.start, self.end]
        if self.position_id is not None:
            clauses.append("t.position_id = %s")
            params.append(self.position_id)
        if self.sop_id is not None:
            clauses.append("c.sop_id = %s")
            params.append(self.sop_id)
        return " AND ".join(clauses), params

    def tasks(self) -> Any:
        """The same rows as a queryset (for the ORM's simpler aggregates)."""
        rows = Task.objects.filter(status=Task.Status.DONE, work_minutes__isnull=False,
                                   case__unit_id__in=self.unit_ids, done_at__gte=self.start,
                                   done_at__lt=self.end)
        if self.position_id is not None:
            rows = rows.filter(position_id=self.position_id)
        if self.sop_id is not None:
            rows = rows.filter(case__sop_id=self.sop_id)
        return rows


def period(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    """The period asked for, by default the last twelve months up to today (inclusive)."""
    today = timezone.localdate()
    end = end or today
    start = start or (end - dt.timedelta(days=365))
    if start > end:
        start, end = end, start
    return start, end


def bounds(start: dt.date, end: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """The period's dates as moments: from the first day's start to the day after the last."""
    tz = timezone.get_current_timezone()
    return (dt.datetime.combine(start, dt.time(), tz),
            dt.datetime.combine(end + dt.timedelta(days=1), dt.time(), tz))


@dataclass
class StepFigures:
    """One step of one SOP: its samples' working minutes against its standard."""

    sop_id: int
    step: int
    count: int
    median: float
    p90: float
    wait_median: float
    rework: int  # samples from a second or later round
    on_time: int
    with_due: int
    standard: MinuteRange | None = None
    activity: str = ""
    sop_name: str = ""
    sop_public_id: str = ""

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None

    @property
    def ratio(self) -> float | None:
        """Median ÷ the standard's upper end; None without a standard."""
        if self.standard is None or self.standard.max <= 0:
            return None
        return self.median / self.standard.max

    @property
    def state(self) -> str:
        """"ok", "slow", "very-slow" or "unknown" (no standard), for colouring."""
        ratio = self.ratio
        if ratio is None:
            return "unknown"
        if ratio <= 1:
            return "ok"
        return "slow" if ratio <= VERY_SLOW else "very-slow"


def _percentile(p: int, column: str, rank: str) -> str:
    """SQL for the p-th percentile (percentile_cont) of `column` in a group of rows ranked
    by `rank` (1..n) with n in column `n`."""
    lo = f"(1 + ({p} * (n - 1)) / 100)"
    frac = f"((({p} * (n - 1)) % 100) / 100.0)"
    hi = f"({lo} + CASE WHEN ({p} * (n - 1)) % 100 > 0 THEN 1 ELSE 0 END)"
    low = f"MAX(CASE WHEN {rank} = {lo} THEN {column} END)"
    high = f"MAX(CASE WHEN {rank} = {hi} THEN {column} END)"
    return f"({low} + ({high} - {low}) * MAX({frac}))"


def _step_sql(where: str) -> str:
    task, case = Task._meta.db_table, Case._meta.db_table
    return f"""
        WITH r AS (
            SELECT c.sop_id AS sop_id, t.step AS step, t.work_minutes AS m,
                   t.wait_minutes AS w, t.round AS round,
                   CASE WHEN t.due_at IS NOT NULL AND t.done_at <= t.due_at
                        THEN 1 ELSE 0 END AS on_time,
                   CASE WHEN t.due_at IS NOT NULL THEN 1 ELSE 0 END AS with_due,
                   ROW_NUMBER() OVER (PARTITION BY c.sop_id, t.step
                                      ORDER BY t.work_minutes) AS rn,
                   ROW_NUMBER() OVER (PARTITION BY c.sop_id, t.step
                                      ORDER BY t.wait_minutes) AS rw,
                   COUNT(*) OVER (PARTITION BY c.sop_id, t.step) AS n
            FROM {task} t JOIN {case} c ON c.id = t.case_id
            WHERE {where}
        )
        SELECT sop_id, step, COUNT(*),
               {_percentile(MEDIAN, "m", "rn")}, {_percentile(P90, "m", "rn")},
               {_percentile(MEDIAN, "w", "rw")},
               SUM(CASE WHEN round > 1 THEN 1 ELSE 0 END), SUM(on_time), SUM(with_due)
        FROM r GROUP BY sop_id, step ORDER BY sop_id, step"""


def step_figures(filters: Filters) -> list[StepFigures]:
    """Per SOP and step: count, median and p90 of working minutes, median waiting, rework
    samples and on-time counts, with the step's standard and activity from the SOP."""
    where, params = filters.where()
    with connection.cursor() as cursor:
        cursor.execute(_step_sql(where), params)
        rows = cursor.fetchall()
    figures = [StepFigures(int(sop), int(step), int(n), float(med), float(p90), float(wmed),
                           int(rework or 0), int(on_time or 0), int(with_due or 0))
               for sop, step, n, med, p90, wmed, rework, on_time, with_due in rows]
    _add_standards(figures)
    return figures


@dataclass(frozen=True)
class _SopInfo:
    name: str
    public_id: str
    standards: dict[int, MinuteRange | None] = field(default_factory=dict)
    activities: dict[int, str] = field(default_factory=dict)


def reference_version(sop: Sop) -> SopVersion | None:
    """The version the figures are measured against: the one in force, else the newest."""
    return sop.in_force() or sop.latest()


@lru_cache(maxsize=2048)
def _version_info(version_pk: int) -> _SopInfo:
    """An SOP version's standards per step (kept: a stored version's content never changes
    once it is approved, and a draft's figures only label the rows)."""
    version = SopVersion.objects.select_related("sop").get(pk=version_pk)
    document = version.document
    standard = standard_time(document)
    return _SopInfo(version.name or version.sop.slug, str(version.sop.public_id),
                    dict(standard.step_minutes),
                    {s.number: s.activity for s in document.steps})


def sop_info(sop_id: int) -> _SopInfo | None:
    sop = Sop.objects.filter(pk=sop_id).first()
    version = reference_version(sop) if sop else None
    return _version_info(version.pk) if version else None


def _add_standards(figures: list[StepFigures]) -> None:
    infos: dict[int, _SopInfo | None] = {}
    for figure in figures:  # one per step row of the result, not per task
        if figure.sop_id not in infos:
            infos[figure.sop_id] = sop_info(figure.sop_id)
        info = infos[figure.sop_id]
        if info is not None:
            figure.standard = info.standards.get(figure.step)
            figure.activity = info.activities.get(figure.step, "")
            figure.sop_name, figure.sop_public_id = info.name, info.public_id


def slowest(figures: list[StepFigures], limit: int = 10) -> list[StepFigures]:
    """The steps furthest past their standard (median ÷ standard), those over it first."""
    measured = [f for f in figures if f.ratio is not None and f.ratio > 1]
    return sorted(measured, key=lambda f: (-(f.ratio or 0), -f.count))[:limit]


@dataclass(frozen=True)
class Totals:
    tasks: int
    on_time: int
    with_due: int

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None


def totals(filters: Filters) -> Totals:
    row = filters.tasks().aggregate(
        tasks=Count("pk"), with_due=Count("pk", filter=Q(due_at__isnull=False)),
        on_time=Count("pk", filter=Q(due_at__isnull=False, done_at__lte=F("due_at"))))
    return Totals(row["tasks"], row["on_time"], row["with_due"])


def monthly_on_time(filters: Filters) -> list[tuple[dt.date, int, int]]:
    """(month, on time, with a due time) for each month with finished tasks."""
    rows = (filters.tasks().filter(due_at__isnull=False)
            .annotate(month=TruncMonth("done_at")).values("month")
            .annotate(with_due=Count("pk"), on_time=Count("pk", filter=Q(
                done_at__lte=F("due_at"))))
            .order_by("month"))
    out = []
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = timezone.localtime(month).date() if timezone.is_aware(month) else \
                month.date()
        out.append((month, row["on_time"], row["with_due"]))
    return out


def histogram(filters: Filters, step: int | None = None) -> list[int]:
    """How many samples fall in each bar of BUCKETS (and the open last bar)."""
    rows = filters.tasks()
    if step is not None:
        rows = rows.filter(step=step)
    bars: dict[str, Any] = {}
    low = 0
    for i, high in enumerate(BUCKETS):
        bars[f"b{i}"] = Count("pk", filter=Q(work_minutes__gte=low, work_minutes__lt=high))
        low = high
    bars[f"b{len(BUCKETS)}"] = Count("pk", filter=Q(work_minutes__gte=low))
    row = rows.aggregate(**bars)
    return [row[f"b{i}"] for i in range(len(BUCKETS) + 1)]


@dataclass(frozen=True)
class UnitFigures:
    sops_by_status: dict[str, int]
    sops_total: int
    running: int
    late: int
    totals: Totals


def unit_figures(filters: Filters, now: dt.datetime | None = None) -> UnitFigures:
    now = now or timezone.now()
    by_status = dict(Sop.objects.filter(unit_id__in=filters.unit_ids)
                     .values_list("latest_version__status").annotate(n=Count("pk"))
                     .values_list("latest_version__status", "n"))
    running = Case.objects.filter(unit_id__in=filters.unit_ids, status=Case.Status.RUNNING)
    late = running.filter(Exists(Task.objects.filter(case=OuterRef("pk"),
                                                     status=Task.Status.OPEN, due_at__lt=now)))
    return UnitFigures({k or "": v for k, v in by_status.items()}, sum(by_status.values()),
                       running.count(), late.count(), totals(filters))
