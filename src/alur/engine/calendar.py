"""Working time of Indonesian government agencies, for due times of SOP steps.

An SOP step's time standard counts *working* minutes ("1 hari = 7,5 jam = 450 menit"), so a
step that becomes ready on Friday afternoon is due on Monday, not on Saturday. This module is
pure: no database, no clock. The web layer passes what only it knows (cuti bersama, local
holidays, the announced Ramadan period, the agency's time zone) in a :class:`CalendarConfig`.

Default hours (Perpres 21/2023: Monday–Friday, 37 h 30 min a week excluding breaks, from 07.30)::

    Monday–Thursday  07.30–12.00, 13.00–16.00   (break 12.00–13.00)          7 h 30 min
    Friday           07.30–11.30, 13.00–16.30   (break 11.30–13.00, Jumat)   7 h 30 min
                                                                  a week:  37 h 30 min

That is the common agency pattern, and it gives every day the SOP format's 450 minutes. (A
shorter 30-minute break from Monday to Thursday would make 8 h a day, 39 h 30 min a week.)

Ramadan hours (32 h 30 min a week, as the yearly MenPAN-RB circulars set them)::

    Monday–Thursday  08.00–12.00, 12.30–15.00   (break 12.00–12.30)          6 h 30 min
    Friday           08.00–11.30, 12.30–15.30   (break 11.30–12.30)          6 h 30 min

Conventions: a due time that lands exactly on the end of a working interval is that end (a
one-hour step started at 11.00 on Monday is due at 12.00, not at 13.00); zero minutes means "the
next working moment". Working intervals are assumed not to contain a daylight-saving change,
which holds for WIB, WITA and WIT (none has DST).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from types import MappingProxyType
from typing import TypeVar
from zoneinfo import ZoneInfo

import holidays

__all__ = [
    "DEFAULT_CONFIG",
    "DEFAULT_RAMADAN_WEEK",
    "DEFAULT_WEEK",
    "JAKARTA",
    "MINUTES_PER_WORKING_DAY",
    "CalendarConfig",
    "WorkingCalendar",
    "WorkingHours",
    "default_cuti_bersama",
    "default_ramadan",
    "idul_fitri_dates",
    "national_holidays",
]

JAKARTA = ZoneInfo("Asia/Jakarta")
MINUTES_PER_WORKING_DAY = 450
"""The SOP format's "1 hari = 7,5 jam = 450 menit"; every default (non-Ramadan) day has it."""

_US_PER_MINUTE = 60_000_000
_US_PER_DAY = 86_400_000_000
_IDUL_FITRI = "Hari Raya Idul Fitri"  # the package's Indonesian name of the first day

Interval = tuple[time, time]
_Span = tuple[int, int]  # microseconds since local midnight, start < end

K = TypeVar("K")
V = TypeVar("V")


class _FrozenMap(Mapping[K, V]):
    """A read-only, hashable mapping, so that a frozen config can be hashed and shared."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = ()) -> None:
        self._data: dict[K, V] = dict(data)

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._data!r})"


# --- one day's hours ---------------------------------------------------------------------------


def _parse_time(text: str) -> time:
    """'07:30' or '07.30' (the Indonesian way of writing times) as a time."""
    hours, _, minutes = text.strip().replace(".", ":").partition(":")
    return time(int(hours), int(minutes or 0))


def _micros(moment: time) -> int:
    """Microseconds since midnight: integers keep every sum and comparison exact."""
    seconds = (moment.hour * 60 + moment.minute) * 60 + moment.second
    return seconds * 1_000_000 + moment.microsecond


@dataclass(frozen=True)
class WorkingHours:
    """One day's working intervals, e.g. 07.30–12.00 and 13.00–16.00; empty means a day off.

    Intervals must be in order, not overlap, and use whole minutes without a time zone: they are
    wall-clock times in the calendar's zone, and whole minutes keep a day's total an integer.
    """

    intervals: tuple[Interval, ...] = ()
    _spans: tuple[_Span, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        intervals = tuple((start, end) for start, end in self.intervals)
        previous_end = -1
        for start, end in intervals:
            for moment in (start, end):
                if not isinstance(moment, time) or moment.tzinfo is not None:
                    raise ValueError(f"working hours need naive times, got {moment!r}")
                if moment.second or moment.microsecond:
                    raise ValueError(f"working hours use whole minutes, got {moment}")
            if not start < end:
                raise ValueError(f"working interval {start}–{end} ends before it starts")
            if _micros(start) < previous_end:
                raise ValueError(f"working intervals overlap or are out of order: {intervals}")
            previous_end = _micros(end)
        object.__setattr__(self, "intervals", intervals)
        object.__setattr__(self, "_spans", tuple((_micros(a), _micros(b)) for a, b in intervals))

    @classmethod
    def parse(cls, *intervals: str) -> WorkingHours:
        """From text such as ``"07.30-12.00"``, the form an admin types and the web layer stores."""
        pairs = []
        for text in intervals:
            start, sep, end = text.replace("–", "-").partition("-")
            if not sep:
                raise ValueError(f"working interval must look like 07.30-12.00, got {text!r}")
            pairs.append((_parse_time(start), _parse_time(end)))
        return cls(tuple(pairs))

    @classmethod
    def from_text(cls, text: str) -> WorkingHours:
        """A whole day written on one line, intervals separated by commas or semicolons:
        ``"07.30-12.00, 13.00-16.00"``. Empty text is a day off."""
        return cls.parse(*(part for part in re.split(r"[,;]", text) if part.strip()))

    @property
    def text(self) -> str:
        """The day on one line, as `from_text` reads it back."""
        return ", ".join(f"{start:%H.%M}-{end:%H.%M}" for start, end in self.intervals)

    @property
    def minutes(self) -> int:
        """Working minutes in the day, breaks excluded."""
        return sum(end - start for start, end in self._spans) // _US_PER_MINUTE


def _week(days: Mapping[int, WorkingHours | Iterable[Interval]]) -> _FrozenMap[int, WorkingHours]:
    """All seven weekdays (0 = Monday), days not given being days off."""
    for weekday in days:
        if not isinstance(weekday, int) or not 0 <= weekday <= 6:
            raise ValueError(f"weekday must be 0 (Monday) to 6 (Sunday), got {weekday!r}")
    return _FrozenMap((weekday, _hours(days.get(weekday, ()))) for weekday in range(7))


def _hours(value: WorkingHours | Iterable[Interval]) -> WorkingHours:
    return value if isinstance(value, WorkingHours) else WorkingHours(tuple(value))


_MON_THU = WorkingHours.parse("07.30-12.00", "13.00-16.00")
_FRIDAY = WorkingHours.parse("07.30-11.30", "13.00-16.30")
_RAMADAN_MON_THU = WorkingHours.parse("08.00-12.00", "12.30-15.00")
_RAMADAN_FRIDAY = WorkingHours.parse("08.00-11.30", "12.30-15.30")

DEFAULT_WEEK = _week({0: _MON_THU, 1: _MON_THU, 2: _MON_THU, 3: _MON_THU, 4: _FRIDAY})
"""37 h 30 min a week, 450 minutes every working day (see the module docstring)."""
DEFAULT_RAMADAN_WEEK = _week({
    0: _RAMADAN_MON_THU, 1: _RAMADAN_MON_THU, 2: _RAMADAN_MON_THU, 3: _RAMADAN_MON_THU,
    4: _RAMADAN_FRIDAY,
})
"""32 h 30 min a week, 390 minutes every working day during Ramadan."""


# --- configuration -----------------------------------------------------------------------------


def _plain_date(value: object, what: str) -> date:
    # datetime is a subclass of date; a datetime here is a mix-up that would silently never match.
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValueError(f"{what} must be a date, got {value!r}")
    return value


@dataclass(frozen=True)
class CalendarConfig:
    """Everything an agency decides about its working time; frozen and hashable.

    ``extra_holidays`` are cuti bersama and local holidays (the web admin stores them); a mapping
    ``{date: name}`` is accepted too and its names land in ``extra_holiday_names``. Every date in
    either is a day off. ``ramadan`` holds inclusive ``(first day, last day)`` ranges during which
    ``ramadan_week`` replaces ``week``. ``tz`` may also be given as a zone name such as
    ``"Asia/Makassar"`` (WITA) or ``"Asia/Jayapura"`` (WIT).
    """

    week: Mapping[int, WorkingHours] = DEFAULT_WEEK
    ramadan_week: Mapping[int, WorkingHours] = DEFAULT_RAMADAN_WEEK
    extra_holidays: frozenset[date] = frozenset()
    ramadan: tuple[tuple[date, date], ...] = ()
    national: bool = True
    tz: tzinfo = JAKARTA
    extra_holiday_names: Mapping[date, str] = field(default_factory=_FrozenMap)

    def __post_init__(self) -> None:
        names = dict(self.extra_holiday_names)
        if isinstance(self.extra_holidays, Mapping):
            names.update(self.extra_holidays)
        days = {_plain_date(day, "extra holiday") for day in (*self.extra_holidays, *names)}
        self._set("extra_holidays", frozenset(days))
        self._set("extra_holiday_names", _FrozenMap(names))
        self._set("week", _week(self.week))
        self._set("ramadan_week", _week(self.ramadan_week))
        self._set("ramadan", _ranges(self.ramadan))
        self._set("tz", ZoneInfo(self.tz) if isinstance(self.tz, str) else self.tz)
        if not isinstance(self.tz, tzinfo):
            raise ValueError(f"tz must be a tzinfo or a zone name, got {self.tz!r}")
        if not any(hours.intervals for hours in self.week.values()):
            # Without a single working interval no due time exists: fail here, not in a loop.
            raise ValueError("the working week has no working hours")

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)


def _ranges(ranges: Iterable[tuple[date, date]]) -> tuple[tuple[date, date], ...]:
    result = []
    for first, last in ranges:
        first, last = _plain_date(first, "Ramadan start"), _plain_date(last, "Ramadan end")
        if last < first:
            raise ValueError(f"Ramadan range ends before it starts: {first} – {last}")
        result.append((first, last))
    return tuple(sorted(result))


DEFAULT_CONFIG = CalendarConfig()


# --- what the holidays package knows -----------------------------------------------------------


@lru_cache(maxsize=256)
def national_holidays(year: int) -> Mapping[date, str]:
    """Indonesia's national holidays of `year`, named in Indonesian; cached per year.

    Shared by every calendar, since building a year in the ``holidays`` package is the slow part.
    """
    found = holidays.country_holidays("ID", years=year, language="id")
    return MappingProxyType(dict(found))


def default_cuti_bersama(year: int) -> dict[date, str]:
    """Cuti bersama the ``holidays`` package knows for `year` (its GOVERNMENT category).

    Only a proposal for the web admin: the package knows the years whose joint-leave decree
    (SKB) it has, and the decree can change during the year, so the stored list stays the truth.
    """
    found = holidays.country_holidays("ID", years=year, language="id", categories=("government",))
    return dict(sorted(found.items()))


def idul_fitri_dates(year: int) -> tuple[date, ...]:
    """First days of Idul Fitri in `year` per the package (two in a year such as 2033)."""
    found = holidays.country_holidays("ID", years=year, language="id")
    return tuple(sorted(
        day for day in found
        if any(name.startswith(_IDUL_FITRI) for name in found.get_list(day))
    ))


def default_ramadan(year: int, days: int = 30) -> tuple[tuple[date, date], ...]:
    """Ramadan ranges proposed for `year`: the `days` days (30 or 29) before each Idul Fitri.

    The real start is announced after the sighting (sidang isbat), so this is a proposal for the
    web admin to confirm. 30 is the default because it matched the announced Ramadan in 2025
    (1 March – 30 March) and 2026 (19 February – 20 March).
    """
    if days not in (29, 30):
        raise ValueError(f"a Ramadan month has 29 or 30 days, got {days}")
    return tuple(
        (eid - timedelta(days=days), eid - timedelta(days=1)) for eid in idul_fitri_dates(year)
    )


# --- the calendar ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Year:
    """One year's working spans per day and their running totals, for arithmetic day skipping.

    ``prefix[i]`` is the working time (microseconds) of the days before day index ``i``, so the
    working time of days ``i..j-1`` is ``prefix[j] - prefix[i]`` and the day on which a number of
    minutes runs out is a bisection, however many days ahead it is.
    """

    first: int  # ordinal of 1 January
    spans: tuple[tuple[_Span, ...], ...]
    prefix: tuple[int, ...]


def _require_aware(value: datetime, name: str) -> None:
    if not isinstance(value, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(value).__name__}")
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got naive {value!r}")


def _overlap(spans: tuple[_Span, ...], low: int, high: int) -> int:
    """Working microseconds of one day between local times `low` and `high`."""
    return sum(max(0, min(end, high) - max(start, low)) for start, end in spans)


def _position(spans: tuple[_Span, ...], elapsed: int) -> int:
    """Local time at which `elapsed` working microseconds of the day are used up."""
    for start, end in spans:
        if elapsed <= end - start:
            return start + elapsed
        elapsed -= end - start
    raise AssertionError("elapsed exceeds the day's working time")  # callers bisect first


class WorkingCalendar:
    """Working-time arithmetic for one :class:`CalendarConfig`.

    Build one per configuration and reuse it: each year's table (holidays, Ramadan, running
    totals) is computed on first use and kept, which is what makes a due time 120 working days
    ahead cost a bisection rather than a walk.
    """

    def __init__(self, config: CalendarConfig = DEFAULT_CONFIG) -> None:
        self.config = config
        self.tz = config.tz
        self._years: dict[int, _Year] = {}

    # --- days ---

    def is_working_day(self, day: date) -> bool:
        """Whether `day` has any working hours (not a weekend, holiday or cuti bersama)."""
        return bool(self._spans(day))

    def working_minutes_on(self, day: date) -> int:
        """Working minutes of `day`: 450 on a default day, 390 in Ramadan, 0 on a day off."""
        return sum(end - start for start, end in self._spans(day)) // _US_PER_MINUTE

    def holiday_name(self, day: date) -> str | None:
        """Name of the national holiday, cuti bersama or local holiday on `day`, else None."""
        if self.config.national:
            name = national_holidays(day.year).get(day)
            if name is not None:
                return name
        if day in self.config.extra_holidays:
            return self.config.extra_holiday_names.get(day) or "Libur"
        return None

    def is_ramadan(self, day: date) -> bool:
        """Whether Ramadan hours apply on `day` (per the configured ranges)."""
        return any(first <= day <= last for first, last in self.config.ramadan)

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The working intervals of `day` as aware datetimes in the calendar's zone."""
        return [(self._at(day, start), self._at(day, end)) for start, end in self._spans(day)]

    # --- moments ---

    def add_working_minutes(self, start: datetime, minutes: int) -> datetime:
        """The moment `minutes` working minutes after `start`, aware in the calendar's zone.

        Counting begins at the next working moment if `start` is outside working time, so zero
        minutes gives that moment. Whole days are skipped by bisecting each year's running totals.
        """
        _require_aware(start, "start")
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            raise TypeError(f"minutes must be an int, got {minutes!r}")
        if minutes < 0:
            raise ValueError(f"minutes must not be negative, got {minutes}")
        day, now = self._local(start)
        remaining = minutes * _US_PER_MINUTE
        for span_start, span_end in self._spans(day):
            if span_end <= now:
                continue
            begin = max(span_start, now)
            if remaining <= span_end - begin:
                return self._at(day, begin + remaining)
            remaining -= span_end - begin
        return self._after_days(day + timedelta(days=1), remaining)

    def next_working_moment(self, moment: datetime) -> datetime:
        """The first working moment at or after `moment`."""
        return self.add_working_minutes(moment, 0)

    def working_minutes_between(self, start: datetime, end: datetime) -> int:
        """Whole working minutes from `start` to `end`; 0 if `end` is not after `start`."""
        _require_aware(start, "start")
        _require_aware(end, "end")
        if end <= start:
            return 0
        first_day, first_time = self._local(start)
        last_day, last_time = self._local(end)
        if first_day == last_day:
            total = _overlap(self._spans(first_day), first_time, last_time)
        else:
            total = (
                _overlap(self._spans(first_day), first_time, _US_PER_DAY)
                + self._days_total(first_day + timedelta(days=1), last_day)
                + _overlap(self._spans(last_day), 0, last_time)
            )
        return total // _US_PER_MINUTE

    def is_overdue(self, due: datetime | None, now: datetime) -> bool:
        """Whether `now` is past `due`; a task without a due time is never overdue.

        At the due moment itself the task is still on time.
        """
        _require_aware(now, "now")
        if due is None:
            return False
        _require_aware(due, "due")
        return now > due

    # --- internals ---

    def _local(self, moment: datetime) -> tuple[date, int]:
        local = moment.astimezone(self.tz)
        seconds = (local.hour * 60 + local.minute) * 60 + local.second
        return local.date(), seconds * 1_000_000 + local.microsecond

    def _at(self, day: date, micros: int) -> datetime:
        return datetime(day.year, day.month, day.day, tzinfo=self.tz) + timedelta(
            microseconds=micros
        )

    def _spans(self, day: date) -> tuple[_Span, ...]:
        year = self._year(day.year)
        return year.spans[day.toordinal() - year.first]

    def _after_days(self, day: date, remaining: int) -> datetime:
        """Where `remaining` working microseconds run out, counting from the start of `day`.

        With nothing remaining, the start of the first working day from `day` on.
        """
        target = remaining or 1  # zero: the first day that has any working time at all
        year = self._year(day.year)
        index = day.toordinal() - year.first
        while True:
            prefix = year.prefix
            found = bisect_left(prefix, prefix[index] + target, index + 1)
            if found < len(prefix):
                last = found - 1
                used = remaining - (prefix[last] - prefix[index])
                when = date.fromordinal(year.first + last)
                return self._at(when, _position(year.spans[last], used))
            remaining -= prefix[-1] - prefix[index]
            target = remaining or 1
            year, index = self._year(date.fromordinal(year.first).year + 1), 0

    def _days_total(self, first: date, stop: date) -> int:
        """Working microseconds of the whole days from `first` up to, not including, `stop`."""
        total = 0
        while first < stop:
            year = self._year(first.year)
            begin = first.toordinal() - year.first
            end = min(stop.toordinal() - year.first, len(year.prefix) - 1)
            total += year.prefix[end] - year.prefix[begin]
            first = date.fromordinal(year.first + end)
        return total

    def _year(self, number: int) -> _Year:
        year = self._years.get(number)
        if year is None:
            year = self._years[number] = self._build_year(number)
        return year

    def _build_year(self, number: int) -> _Year:
        config = self.config
        first = date(number, 1, 1).toordinal()
        count = date(number + 1, 1, 1).toordinal() - first if number < 9999 else 365
        off = set(config.extra_holidays)
        if config.national:
            off.update(national_holidays(number))
        ramadan = self._ramadan_ordinals(first, first + count - 1)
        spans: list[tuple[_Span, ...]] = []
        for ordinal in range(first, first + count):
            day = date.fromordinal(ordinal)
            if day in off:
                spans.append(())
                continue
            week = config.ramadan_week if ordinal in ramadan else config.week
            spans.append(week[day.weekday()]._spans)
        prefix = [0]
        for day_spans in spans:
            prefix.append(prefix[-1] + sum(end - start for start, end in day_spans))
        return _Year(first, tuple(spans), tuple(prefix))

    def _ramadan_ordinals(self, first: int, last: int) -> set[int]:
        ordinals: set[int] = set()
        for start, end in self.config.ramadan:
            ordinals.update(range(max(start.toordinal(), first), min(end.toordinal(), last) + 1))
        return ordinals
