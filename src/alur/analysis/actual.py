"""Actual time of a task that ran: working minutes on the agency's calendar.

Pure (no Django): the web app stores these figures on each finished task row when it
completes, so reports aggregate plain numbers in SQL. A task done over a weekend did not take
three days: only the calendar's working time between the moments counts.
"""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from alur.engine.calendar import WorkingCalendar

__all__ = ["TaskMinutes", "task_minutes"]


class TaskMinutes(NamedTuple):
    """`work`: from ready to done; `wait`: from ready to claimed (the part of `work` before
    somebody took the task). A task completed without being claimed first waited the whole
    time: `wait` equals `work`."""

    work: int
    wait: int


def task_minutes(calendar: WorkingCalendar, ready: dt.datetime, done: dt.datetime,
                 claimed: dt.datetime | None = None) -> TaskMinutes:
    work = calendar.working_minutes_between(ready, done)
    if claimed is None or claimed > done:
        return TaskMinutes(work, work)
    return TaskMinutes(work, min(work, calendar.working_minutes_between(ready, claimed)))
