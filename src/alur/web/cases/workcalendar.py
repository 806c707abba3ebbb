"""The agency's working calendar: the working hours and the calendar additions the admin
keeps (cuti bersama, local holidays, Ramadan periods) over the national holidays of the
`holidays` package, in the installation's time zone (settings.TIME_ZONE, ALUR_TIME_ZONE).

Built once and kept until an admin changes one of those records (signals clear it); a
time-to-live bounds how long another process may keep a stale copy.
"""

from __future__ import annotations

import logging
import threading
import time
from zoneinfo import ZoneInfo

from django.conf import settings

from alur.engine.calendar import (
    DEFAULT_RAMADAN_WEEK,
    DEFAULT_WEEK,
    CalendarConfig,
    WorkingCalendar,
    WorkingHours,
)

from .models import Holiday, RamadanPeriod, WorkingDay

log = logging.getLogger(__name__)

_TTL_SECONDS = 300
_lock = threading.Lock()
_cached: tuple[float, WorkingCalendar] | None = None


def working_calendar() -> WorkingCalendar:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < _TTL_SECONDS:
            return _cached[1]
        calendar = WorkingCalendar(_config())
        _cached = (time.monotonic(), calendar)
        return calendar


def forget() -> None:
    """Drop the cached calendar; the next transition reads the admin's changes."""
    global _cached
    with _lock:
        _cached = None


def _config() -> CalendarConfig:
    week, ramadan_week = working_weeks()
    extra_holidays = frozenset(Holiday.objects.values_list("date", flat=True))
    ramadan = tuple(RamadanPeriod.objects.values_list("start", "end"))
    tz = ZoneInfo(settings.TIME_ZONE)
    try:
        return CalendarConfig(week=week, ramadan_week=ramadan_week,
                              extra_holidays=extra_holidays, ramadan=ramadan, tz=tz)
    except ValueError:
        # Only rows written around the admin's checks (a script, the database itself) can
        # leave a week without working time, in which no due time can be reached: keep the
        # national hours until it is mended, and say so in the log.
        log.error("The working hours leave no working time in the week; the national "
                  "default hours are used until they are corrected in the admin.")
        return CalendarConfig(extra_holidays=extra_holidays, ramadan=ramadan, tz=tz)


def working_weeks() -> tuple[dict[int, WorkingHours], dict[int, WorkingHours]]:
    """The normal and the Ramadan week from the admin's rows; a day without a row, or with
    text the admin's form would refuse (written some other way), keeps the national hours."""
    week, ramadan_week = dict(DEFAULT_WEEK), dict(DEFAULT_RAMADAN_WEEK)
    for day in WorkingDay.objects.all():
        for target, text in ((week, day.hours), (ramadan_week, day.ramadan_hours)):
            try:
                target[day.weekday] = WorkingHours.from_text(text)
            except ValueError:
                log.error("Working hours %r of weekday %s cannot be read; the national "
                          "default is used.", text, day.weekday)
    return week, ramadan_week
