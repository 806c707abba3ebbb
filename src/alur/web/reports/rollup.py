"""Keeping the dashboard's rollup (`models.StepRollup`) in step with the finished tasks, and
reading figures from it.

- `store_minutes` writes a task's working minutes (the case services call it when a task
  completes, inside the transition's transaction) and adds the task to its day's and its
  month's rollup rows — or moves it, when minutes already stored change.
- `rebuild` fills the rollup anew from the task rows, in SQL (the migration and the
  `rebuild_report_rollup` command use it; so must anything that writes finished task rows
  past the services, as the benchmark's bulk load does).
- `spans` says which rows cover a period (whole months from the month rows, the days at
  either end from the day rows), `estimate` reads a percentile from a histogram.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as When_
from django.db.models import F, IntegerField, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from ..cases.models import Task
from .models import BARS, LOWS, StepRollup

TABLE = StepRollup._meta.db_table
KEY = ("kind", "day", "unit_id", "sop_id", "step", "position_id")
SUMS = ("count", "rework", "on_time", "with_due", "work_sum", *BARS)


def bar_of(minutes: int) -> int:
    """The histogram bar holding `minutes` (LOWS[i] <= minutes < LOWS[i + 1])."""
    return max(0, bisect_right(LOWS, minutes) - 1)


def _least(a: str, b: str) -> str:
    return f"LEAST({a}, {b})" if connection.vendor == "postgresql" else f"MIN({a}, {b})"


def _greatest(a: str, b: str) -> str:
    return f"GREATEST({a}, {b})" if connection.vendor == "postgresql" else f"MAX({a}, {b})"


def _upsert_sql() -> str:
    columns = [*KEY, *SUMS, "least", "most"]
    marks = ", ".join(["%s"] * len(columns))
    sets = [f"{c} = {TABLE}.{c} + excluded.{c}" for c in SUMS]
    sets += [f"least = {_least(f'{TABLE}.least', 'excluded.least')}",
             f"most = {_greatest(f'{TABLE}.most', 'excluded.most')}"]
    return (f"INSERT INTO {TABLE} ({', '.join(columns)}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(KEY)}) DO UPDATE SET {', '.join(sets)}")


def _entries(row: Any, minutes: int | None, sign: int) -> list[list[Any]]:
    """The upsert parameters adding (sign 1) or taking away (-1) one finished task, on its
    day's row and its month's row; none when the task does not count (not done, no minutes)."""
    if row["status"] != Task.Status.DONE or minutes is None or row["done_at"] is None:
        return []
    day = timezone.localtime(row["done_at"]).date()
    bars = [0] * len(BARS)
    bars[bar_of(minutes)] = sign
    due = row["due_at"] is not None
    sums = [sign, sign * (row["round"] > 1), sign * (due and row["done_at"] <= row["due_at"]),
            sign * due, sign * minutes, *bars]
    # Taking away leaves the bounds as they were (a wider bound only loosens an estimate).
    least, most = (minutes, minutes) if sign > 0 else (2**31 - 1, 0)
    key = [row["case__unit_id"], row["case__sop_id"], row["step"], row["position_id"] or 0]
    adapt = connection.ops.adapt_datefield_value
    return [[kind, adapt(when), *key, *map(int, sums), least, most]
            for kind, when in ((StepRollup.Kind.DAY, day),
                               (StepRollup.Kind.MONTH, day.replace(day=1)))]


def store_minutes(case_id: int, key: str, work: int, wait: int) -> None:
    """Store the working and waiting minutes of the task `key` of a case and keep the rollup in
    step, in the caller's transaction. Idempotent: storing the same minutes again changes
    nothing; other minutes move the task to its new bar."""
    row = (Task.objects.filter(case_id=case_id, key=key)
           .values("pk", "status", "step", "round", "position_id", "due_at", "done_at",
                   "work_minutes", "case__unit_id", "case__sop_id").first())
    if row is None:
        return
    Task.objects.filter(pk=row["pk"]).update(work_minutes=work, wait_minutes=wait)
    if row["work_minutes"] == work:
        return
    entries = _entries(row, row["work_minutes"], -1) + _entries(row, work, 1)
    if entries:
        with connection.cursor() as cursor:
            cursor.executemany(_upsert_sql(), entries)


def _bar_case() -> When_:
    return When_(*(When(work_minutes__lt=high, then=Value(i))
                   for i, high in enumerate(LOWS[1:])),
                 default=Value(len(LOWS) - 1), output_field=IntegerField())


def rebuild(task_model: Any = Task, rollup_model: Any = StepRollup) -> int:
    """Fill the rollup anew from the finished task rows, in SQL: day rows grouped from the
    tasks, month rows from the day rows. Returns the number of day rows. (The models may be
    a migration's historical ones.)"""
    table = rollup_model._meta.db_table
    done = (task_model.objects.filter(status="done", work_minutes__isnull=False,
                                      done_at__isnull=False)
            .annotate(u=F("case__unit_id"), s=F("case__sop_id"),
                      pos=Coalesce("position_id", Value(0)),
                      d=TruncDate("done_at", tzinfo=timezone.get_current_timezone()),
                      bar=_bar_case(),
                      late=When_(When(due_at__isnull=False, done_at__gt=F("due_at"),
                                      then=Value(1)), default=Value(0),
                                 output_field=IntegerField()))
            .values("u", "s", "step", "pos", "d", "bar", "round", "late", "due_at",
                    "work_minutes"))
    inner, params = done.query.sql_with_params()
    bars = ", ".join(f"SUM(CASE WHEN t.bar = {i} THEN 1 ELSE 0 END)" for i in range(len(BARS)))
    sums = ", ".join(SUMS)
    day_sql = f"""
        INSERT INTO {table} (kind, day, unit_id, sop_id, step, position_id, {sums}, least, most)
        SELECT {StepRollup.Kind.DAY}, t.d, t.u, t.s, t.step, t.pos, COUNT(*),
               SUM(CASE WHEN t.round > 1 THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.due_at IS NOT NULL AND t.late = 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN t.due_at IS NOT NULL THEN 1 ELSE 0 END),
               SUM(t.work_minutes), {bars}, MIN(t.work_minutes), MAX(t.work_minutes)
        FROM ({inner}) t GROUP BY t.d, t.u, t.s, t.step, t.pos"""
    month = ("CAST(date_trunc('month', day) AS date)" if connection.vendor == "postgresql"
             else "date(day, 'start of month')")
    month_sql = f"""
        INSERT INTO {table} (kind, day, unit_id, sop_id, step, position_id, {sums}, least, most)
        SELECT {StepRollup.Kind.MONTH}, {month}, unit_id, sop_id, step, position_id,
               {', '.join(f'SUM({c})' for c in SUMS)}, MIN(least), MAX(most)
        FROM {table} WHERE kind = {StepRollup.Kind.DAY}
        GROUP BY {month}, unit_id, sop_id, step, position_id"""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table}")
        cursor.execute(day_sql, params)
        days = cursor.rowcount
        cursor.execute(month_sql)
    return days


def _local_midnight(moment: dt.datetime) -> dt.date | None:
    local = timezone.localtime(moment)
    return local.date() if local.time() == dt.time() else None


def spans(start: dt.datetime, end: dt.datetime) -> tuple[str, list[Any]] | None:
    """The WHERE clause (over the rollup's rows) covering the moments [start, end), or None
    when they are not local midnights (the rollup keeps days, not hours)."""
    first, stop = _local_midnight(start), _local_midnight(end)
    if first is None or stop is None:
        return None
    adapt = connection.ops.adapt_datefield_value
    whole = first if first.day == 1 else (first + dt.timedelta(days=32)).replace(day=1)
    whole_end = stop.replace(day=1)
    if whole >= whole_end:  # no whole month inside: days only
        return ("(kind = %s AND day >= %s AND day < %s)",
                [StepRollup.Kind.DAY, adapt(first), adapt(stop)])
    return ("((kind = %s AND day >= %s AND day < %s) OR (kind = %s AND "
            "((day >= %s AND day < %s) OR (day >= %s AND day < %s))))",
            [StepRollup.Kind.MONTH, adapt(whole), adapt(whole_end), StepRollup.Kind.DAY,
             adapt(first), adapt(whole), adapt(whole_end), adapt(stop)])


def estimate(bars: list[int], least: int, most: int, percent: int) -> float:
    """The `percent`-th percentile (as percentile_cont: interpolated between the two nearest
    ranks) of samples known only by their histogram `bars` over LOWS and their least and most
    value. Within a bar its samples are taken as spread evenly over its whole minutes."""
    totals = list(accumulate(bars))
    n = totals[-1] if totals else 0
    if n <= 0:
        return float("nan")

    def ranked(k: int) -> float:  # the k-th smallest sample (1-based)
        i = bisect_left(totals, k)  # the first bar whose running total reaches k
        if i >= len(bars):
            return float(most)
        count, before = bars[i], totals[i] - bars[i]
        low = LOWS[i]
        high = LOWS[i + 1] - 1 if i + 1 < len(LOWS) else max(most, low)
        value = low + (high - low) * (k - before - 0.5) / count
        return float(min(max(value, least), most))

    position = 1 + percent * (n - 1) / 100
    low_rank = int(position)
    fraction = position - low_rank
    value = ranked(low_rank)
    if fraction > 0:
        value += (ranked(low_rank + 1) - value) * fraction
    return value
