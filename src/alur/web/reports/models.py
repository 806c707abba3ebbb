"""The rollup behind the unit dashboard: per (unit, SOP, step, position) and per day — and
again per calendar month — the finished tasks' count, on-time counts, rework samples, the sum,
least and most of their working minutes, and a fixed histogram of those minutes (`LOWS`).

A unit's dashboard over a year then adds up some twenty thousand rows instead of sorting a
million task rows; its medians and 90th percentiles are read from the histogram, so they are
estimates (`rollup.estimate`), which the page says. The per-SOP heat map, the API and the
other reports keep computing exact figures from the task rows.

Kept in step when a task's working minutes are stored (`rollup.store_minutes`, called by the
case services in the same transaction), filled for the tasks already done by the migration,
and rebuilt by `alur-web rebuild_report_rollup` (`rollup.rebuild`)."""

from __future__ import annotations

from django.db import models

# Lower bounds (working minutes) of the histogram's bars; bar i holds [LOWS[i], LOWS[i + 1]),
# the last is open. One minute wide up to ten minutes, then about 15 % wider each, and the
# dashboard's own bars (queries.BUCKETS) are among the bounds, so those counts stay exact.
LOWS = (0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 12, 14, 16, 18, 20, 23, 26, 30, 35, 40, 45, 50,
        55, 60, 70, 80, 90, 105, 120, 135, 150, 170, 195, 220, 240, 270, 300, 340, 390, 450,
        520, 600, 690, 790, 900, 1040, 1200, 1380, 1580, 1800, 2000, 2250, 2600, 3000, 3450,
        3950, 4500, 5200, 6000, 6900, 7900, 9000, 10400, 12000, 13800, 15800, 18000, 20700,
        23800, 27400, 31500, 36000)
BARS = [f"h{i}" for i in range(len(LOWS))]


class StepRollup(models.Model):
    class Kind(models.IntegerChoices):
        DAY = 1, "day"
        MONTH = 2, "month"

    kind = models.PositiveSmallIntegerField(choices=Kind.choices)
    # The local day the tasks were done, or the first day of their month.
    day = models.DateField()
    # Plain numbers, not foreign keys: written on every completion, never joined.
    unit_id = models.IntegerField()
    sop_id = models.IntegerField()
    step = models.IntegerField()
    position_id = models.IntegerField(default=0)  # 0: no position
    count = models.IntegerField(default=0)
    rework = models.IntegerField(default=0)
    on_time = models.IntegerField(default=0)
    with_due = models.IntegerField(default=0)
    work_sum = models.BigIntegerField(default=0)
    least = models.IntegerField(default=0)
    most = models.IntegerField(default=0)
    for _i, _name in enumerate(BARS):
        locals()[_name] = models.IntegerField(default=0)
    del _i, _name

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["kind", "day", "unit_id", "sop_id", "step", "position_id"],
            name="report_rollup_key")]

    def __str__(self) -> str:
        return f"{self.day} {self.sop_id}/{self.step}: {self.count}"
