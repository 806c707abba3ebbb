"""The agency's working calendar: national holidays from the `holidays` package plus what the
admin records (cuti bersama, local holidays, Ramadan hours).

Built once and kept until an admin changes a holiday (signals clear it); a time-to-live bounds
how long another process may keep a stale copy.
"""

from __future__ import annotations

import threading
import time

from alur.engine.calendar import CalendarConfig, WorkingCalendar

from .models import Holiday, RamadanPeriod

_TTL_SECONDS = 300
_lock = threading.Lock()
_cached: tuple[float, WorkingCalendar] | None = None


def working_calendar() -> WorkingCalendar:
    global _cached
    with _lock:
        if _cached is not None and time.monotonic() - _cached[0] < _TTL_SECONDS:
            return _cached[1]
        calendar = WorkingCalendar(CalendarConfig(
            extra_holidays=frozenset(Holiday.objects.values_list("date", flat=True)),
            ramadan=tuple(RamadanPeriod.objects.values_list("start", "end")),
        ))
        _cached = (time.monotonic(), calendar)
        return calendar


def forget() -> None:
    """Drop the cached calendar; the next transition reads the admin's changes."""
    global _cached
    with _lock:
        _cached = None
