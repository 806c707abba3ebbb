"""The figures of the reports, aggregated in SQL over the finished task rows.

Every task stores its working minutes when it completes (`Task.work_minutes`, the waiting part
in `wait_minutes`), so the database aggregates plain numbers: no Python loop runs over task
rows. Each rework round is a row of its own and counts as one sample of its step.

Medians and 90th percentiles are computed the way PostgreSQL's `percentile_cont` does (linear
interpolation between the two nearest ranks), but with window functions both PostgreSQL and
SQLite have: ROW_NUMBER() and COUNT(*) over each (SOP, step) partition rank the samples; the
two rows around the position 1 + p·(n − 1) are picked with integer arithmetic (no FLOOR, which
SQLite may lack) and interpolated. One statement serves both databases.

The unit's dashboard asks for `rollup=True`: the same figures added up from the rollup
(`models.StepRollup`, a row per unit, SOP, step, position and day or month), which is quick
over any number of tasks; its counts and on-time rates are exact, its medians and 90th
percentiles estimates from a histogram (`StepFigures.estimated`).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, TypeVar

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef
from django.utils import timezone

from alur.analysis import MinuteRange, standard_time

from ..cases.models import Case, Task
from ..library.models import Sop, SopVersion
from . import rollup
from .models import BARS, LOWS, StepRollup

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
        # Adapted as the ORM would: SQLite stores naive UTC text, compared as text.
        adapt = connection.ops.adapt_datetimefield_value
        params: list[Any] = [Task.Status.DONE, *ids, adapt(self.start), adapt(self.end)]
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
    wait_median: float | None
    rework: int  # samples from a second or later round
    on_time: int
    with_due: int
    standard: MinuteRange | None = None
    activity: str = ""
    sop_name: str = ""
    sop_public_id: str = ""
    # The median and p90 are estimates from the rollup's histogram, not exact.
    estimated: bool = False

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
    # (%% is the modulo operator, doubled: the statement carries parameters.)
    frac = f"((({p} * (n - 1)) %% 100) / 100.0)"
    hi = f"({lo} + CASE WHEN ({p} * (n - 1)) %% 100 > 0 THEN 1 ELSE 0 END)"
    low = f"MAX(CASE WHEN {rank} = {lo} THEN {column} END)"
    high = f"MAX(CASE WHEN {rank} = {hi} THEN {column} END)"
    return f"({low} + ({high} - {low}) * MAX({frac}))"


def _step_sql(where: str, waiting: bool) -> str:
    """One statement: each (SOP, step) partition ranked by working minutes (and by waiting
    minutes when `waiting`: a second sort, left out where the median wait is not shown)."""
    task, case = Task._meta.db_table, Case._meta.db_table
    partition = "PARTITION BY c.sop_id, t.step"
    wait_rank = f"ROW_NUMBER() OVER ({partition} ORDER BY t.wait_minutes)" if waiting else "0"
    wait_median = _percentile(MEDIAN, "w", "rw") if waiting else "NULL"
    return f"""
        WITH r AS (
            SELECT c.sop_id AS sop_id, t.step AS step, t.work_minutes AS m,
                   t.wait_minutes AS w, t.round AS round,
                   CASE WHEN t.due_at IS NOT NULL AND t.done_at <= t.due_at
                        THEN 1 ELSE 0 END AS on_time,
                   CASE WHEN t.due_at IS NOT NULL THEN 1 ELSE 0 END AS with_due,
                   ROW_NUMBER() OVER ({partition} ORDER BY t.work_minutes) AS rn,
                   {wait_rank} AS rw,
                   COUNT(*) OVER ({partition}) AS n
            FROM {task} t JOIN {case} c ON c.id = t.case_id
            WHERE {where}
        )
        SELECT sop_id, step, COUNT(*),
               {_percentile(MEDIAN, "m", "rn")}, {_percentile(P90, "m", "rn")},
               {wait_median},
               SUM(CASE WHEN round > 1 THEN 1 ELSE 0 END), SUM(on_time), SUM(with_due)
        FROM r GROUP BY sop_id, step ORDER BY sop_id, step"""


def step_figures(filters: Filters, *, waiting: bool = True,
                 rollup: bool = False) -> list[StepFigures]:
    """Per SOP and step: count, median and p90 of working minutes, median waiting (None
    without `waiting`), rework samples and on-time counts, with the step's standard and
    activity from the SOP. With `rollup` (and without `waiting`) the figures come from the
    rollup where the period allows (whole local days): medians and p90 are then estimates."""
    if rollup and not waiting:
        figures = _rolled_steps(filters)
        if figures is not None:
            _add_standards(figures)
            return figures
    where, params = filters.where()
    with connection.cursor() as cursor:
        cursor.execute(_step_sql(where, waiting), params)
        rows = cursor.fetchall()
    figures = [StepFigures(int(sop), int(step), int(n), float(med), float(p90),
                           None if wmed is None else float(wmed),
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
def _version_info(version_pk: int, public_id: uuid.UUID) -> _SopInfo:
    """An SOP version's standards per step (kept: a stored version's content never changes
    once it is approved, and a draft's figures only label the rows). Keyed by the public id
    too: a row id can come back after a rollback (SQLite), a public id never does."""
    version = SopVersion.objects.select_related("sop").get(pk=version_pk)
    document = version.document
    standard = standard_time(document)
    return _SopInfo(version.name or version.sop.slug, str(version.sop.public_id),
                    dict(standard.step_minutes),
                    {s.number: s.activity_text for s in document.steps})


def sop_info(sop_id: int) -> _SopInfo | None:
    sop = Sop.objects.filter(pk=sop_id).first()
    version = reference_version(sop) if sop else None
    return _version_info(version.pk, version.public_id) if version else None


def sop_infos(sop_ids: set[int]) -> dict[int, _SopInfo]:
    """`sop_info` of many SOPs with one query for their versions (the in-force one, else the
    newest, as `reference_version` picks)."""
    today = timezone.localdate()
    chosen: dict[int, tuple[tuple[bool, int], tuple[int, uuid.UUID]]] = {}
    for pk, public_id, sop_id, number, status, effective in SopVersion.objects.filter(
            sop_id__in=sop_ids).values_list("pk", "public_id", "sop_id", "number", "status",
                                            "effective_date"):
        in_force = (status == SopVersion.Status.DISAHKAN and effective is not None
                    and effective <= today)
        rank = (in_force, number)
        if sop_id not in chosen or rank > chosen[sop_id][0]:
            chosen[sop_id] = (rank, (pk, public_id))
    return {sop_id: _version_info(*key) for sop_id, (_rank, key) in chosen.items()}


def _add_standards(figures: list[StepFigures]) -> None:
    infos = sop_infos({f.sop_id for f in figures})
    for figure in figures:  # one per step row of the result, not per task
        info = infos.get(figure.sop_id)
        if info is not None:
            figure.standard = info.standards.get(figure.step)
            figure.activity = info.activities.get(figure.step, "")
            figure.sop_name, figure.sop_public_id = info.name, info.public_id


def _rollup_where(filters: Filters) -> tuple[str, list[Any]] | None:
    """The WHERE clause over the rollup's rows for the filters, or None when the period is
    not made of whole local days."""
    covered = rollup.spans(filters.start, filters.end)
    if covered is None:
        return None
    clause, params = covered
    ids = sorted(filters.unit_ids) or [-1]
    clauses = [clause, f"unit_id IN ({', '.join(['%s'] * len(ids))})"]
    params = [*params, *ids]
    if filters.position_id is not None:
        clauses.append("position_id = %s")
        params.append(filters.position_id)
    if filters.sop_id is not None:
        clauses.append("sop_id = %s")
        params.append(filters.sop_id)
    return " AND ".join(clauses), params


def _rolled_steps(filters: Filters) -> list[StepFigures] | None:
    where = _rollup_where(filters)
    if where is None:
        return None
    clause, params = where
    bars = ", ".join(f"SUM({b})" for b in BARS)
    sql = f"""
        SELECT sop_id, step, SUM(count), SUM(rework), SUM(on_time), SUM(with_due),
               MIN(least), MAX(most), {bars}
        FROM {StepRollup._meta.db_table} WHERE {clause}
        GROUP BY sop_id, step HAVING SUM(count) > 0 ORDER BY sop_id, step"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    figures = []
    for sop, step, n, rework, on_time, with_due, least, most, *counts in rows:  # groups
        counts = [int(c) for c in counts]
        figures.append(StepFigures(
            int(sop), int(step), int(n), rollup.estimate(counts, least, most, MEDIAN),
            rollup.estimate(counts, least, most, P90), None, int(rework), int(on_time),
            int(with_due), estimated=True))
    return figures


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


def months(filters: Filters) -> list[tuple[dt.date, dt.datetime, dt.datetime]]:
    """(first day, start, end) of each calendar month the period touches, in local time,
    cut to the period."""
    tz = timezone.get_current_timezone()
    first = timezone.localtime(filters.start, tz).date().replace(day=1)
    out: list[tuple[dt.date, dt.datetime, dt.datetime]] = []
    while True:
        following = (first + dt.timedelta(days=32)).replace(day=1)
        low = max(dt.datetime.combine(first, dt.time(), tz), filters.start)
        high = min(dt.datetime.combine(following, dt.time(), tz), filters.end)
        if low >= filters.end:
            return out
        out.append((first, low, high))
        first = following


@dataclass(frozen=True)
class Summary:
    totals: Totals
    # (first day of the month, on time, with a due time), months with finished tasks only
    months: list[tuple[dt.date, int, int]]
    histogram: list[int]  # samples in each bar of BUCKETS and the open last bar


def summary(filters: Filters, *, rollup: bool = False) -> Summary:
    """Totals, the on-time counts per month and the duration histogram in one pass: each row
    gets its month and its bar by a CASE over the bounds (truncating its date would call a
    Python function per row on SQLite), and the database counts the few hundred groups.
    With `rollup`, the same (exact) figures are added up from the rollup where the period
    allows."""
    if rollup:
        rolled = _rolled_summary(filters)
        if rolled is not None:
            return rolled
    spans = months(filters)
    where, params = filters.where()
    adapt = connection.ops.adapt_datetimefield_value
    month = ("CASE " + " ".join(f"WHEN t.done_at < %s THEN {i}" for i in range(len(spans)))
             + f" ELSE {len(spans)} END") if spans else "0"
    bar = ("CASE " + " ".join(f"WHEN t.work_minutes < {high} THEN {i}"
                              for i, high in enumerate(BUCKETS))
           + f" ELSE {len(BUCKETS)} END")
    task, case = Task._meta.db_table, Case._meta.db_table
    sql = f"""
        SELECT mi, bi, due, on_time, COUNT(*) FROM (
            SELECT {month} AS mi, {bar} AS bi,
                   CASE WHEN t.due_at IS NOT NULL THEN 1 ELSE 0 END AS due,
                   CASE WHEN t.due_at IS NOT NULL AND t.done_at <= t.due_at
                        THEN 1 ELSE 0 END AS on_time
            FROM {task} t JOIN {case} c ON c.id = t.case_id
            WHERE {where}) s
        GROUP BY mi, bi, due, on_time"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [*(adapt(high) for _first, _low, high in spans), *params])
        groups = cursor.fetchall()
    tasks = with_due = on_time = 0
    per_month_due = [0] * (len(spans) + 1)
    per_month_on = [0] * (len(spans) + 1)
    bars = [0] * (len(BUCKETS) + 1)
    for mi, bi, due, on, n in groups:  # the groups, not the rows
        tasks += n
        bars[int(bi)] += n
        if due:
            with_due += n
            per_month_due[int(mi)] += n
        if on:
            on_time += n
            per_month_on[int(mi)] += n
    return Summary(Totals(tasks, on_time, with_due),
                   [(first, per_month_on[i], per_month_due[i])
                    for i, (first, _low, _high) in enumerate(spans) if per_month_due[i]],
                   bars)


def _rolled_summary(filters: Filters) -> Summary | None:
    where = _rollup_where(filters)
    if where is None:
        return None
    clause, params = where
    groups: list[list[str]] = [[] for _ in range(len(BUCKETS) + 1)]
    for i, low in enumerate(LOWS):  # BUCKETS are among LOWS: each bar is whole
        groups[sum(1 for high in BUCKETS if low >= high)].append(BARS[i])
    bars = ", ".join(f"SUM({' + '.join(g)})" for g in groups)
    sql = f"""
        SELECT day, SUM(count), SUM(on_time), SUM(with_due), {bars}
        FROM {StepRollup._meta.db_table} WHERE {clause} GROUP BY day"""
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    spans = months(filters)
    firsts = [first for first, _low, _high in spans]
    tasks = with_due = on_time = 0
    per_month_due = [0] * len(spans)
    per_month_on = [0] * len(spans)
    counted = [0] * (len(BUCKETS) + 1)
    for day, n, on, due, *bars_of_day in rows:  # one per day or month, not per task
        if isinstance(day, str):
            day = dt.date.fromisoformat(day)
        index = firsts.index(day.replace(day=1)) if day.replace(day=1) in firsts else None
        tasks += int(n)
        on_time += int(on)
        with_due += int(due)
        if index is not None:
            per_month_on[index] += int(on)
            per_month_due[index] += int(due)
        for i, count in enumerate(bars_of_day):
            counted[i] += int(count)
    return Summary(Totals(tasks, on_time, with_due),
                   [(first, per_month_on[i], per_month_due[i])
                    for i, first in enumerate(firsts) if per_month_due[i]], counted)


def totals(filters: Filters) -> Totals:
    return summary(filters).totals


def monthly_on_time(filters: Filters) -> list[tuple[dt.date, int, int]]:
    return summary(filters).months


def histogram(filters: Filters) -> list[int]:
    return summary(filters).histogram


@dataclass(frozen=True)
class UnitFigures:
    sops_by_status: dict[str, int]
    sops_total: int
    running: int
    late: int


def unit_figures(filters: Filters, now: dt.datetime | None = None) -> UnitFigures:
    now = now or timezone.now()
    by_status = dict(Sop.objects.filter(unit_id__in=filters.unit_ids)
                     .values_list("latest_version__status").annotate(n=Count("pk"))
                     .values_list("latest_version__status", "n"))
    running = Case.objects.filter(unit_id__in=filters.unit_ids, status=Case.Status.RUNNING)
    late = running.filter(Exists(Task.objects.filter(case=OuterRef("pk"),
                                                     status=Task.Status.OPEN, due_at__lt=now)))
    return UnitFigures({k or "": v for k, v in by_status.items()}, sum(by_status.values()),
                       running.count(), late.count())


T = TypeVar("T")


def cache_seconds() -> int:
    """How long the heavy figures are kept (ALUR_REPORT_CACHE_SECONDS, default five
    minutes; 0 computes them on every request)."""
    return int(getattr(settings, "ALUR_REPORT_CACHE_SECONDS", 300))


def cached(name: str, filters: Filters, compute: Callable[[], T]) -> T:
    """`compute()` kept in Django's cache for `cache_seconds()` under the filters: the
    figures of a year of finished tasks need a sort of every sample (exact medians), and
    those of the past do not change from one minute to the next."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    described = repr((name, sorted(filters.unit_ids), filters.start.isoformat(),
                      filters.end.isoformat(), filters.position_id, filters.sop_id))
    key = "alur-report:" + hashlib.sha256(described.encode()).hexdigest()
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, seconds)
    return value
