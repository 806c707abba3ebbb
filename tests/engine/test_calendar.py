"""Tests for alur.engine.calendar: working time of Indonesian government agencies."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from alur.engine.calendar import (
    DEFAULT_RAMADAN_WEEK,
    DEFAULT_WEEK,
    JAKARTA,
    MINUTES_PER_WORKING_DAY,
    CalendarConfig,
    WorkingCalendar,
    WorkingHours,
    default_cuti_bersama,
    default_ramadan,
    idul_fitri_dates,
    national_holidays,
)

MAKASSAR = ZoneInfo("Asia/Makassar")  # WITA, UTC+8
JAYAPURA = ZoneInfo("Asia/Jayapura")  # WIT, UTC+9

CAL = WorkingCalendar()
RAMADAN_2026 = (date(2026, 2, 19), date(2026, 3, 20))


def wib(*args: int) -> datetime:
    return datetime(*args, tzinfo=JAKARTA)


def add(start: datetime, minutes: int, cal: WorkingCalendar = CAL) -> datetime:
    """`add_working_minutes`, checking on the way that the result is in the calendar's zone."""
    result = cal.add_working_minutes(start, minutes)
    assert result.tzinfo is cal.tz
    return result


# --- a slow, obviously right reference built only on the public `intervals` -------------------


def reference_add(cal: WorkingCalendar, start: datetime, minutes: int) -> datetime:
    moment = start.astimezone(cal.tz)
    left = timedelta(minutes=minutes)
    day = moment.date()
    while True:
        for begin, end in cal.intervals(day):
            if end <= moment:
                continue
            begin = max(begin, moment)
            if left <= end - begin:
                return begin + left
            left -= end - begin
        day += timedelta(days=1)


def reference_between(cal: WorkingCalendar, start: datetime, end: datetime) -> int:
    start, end = start.astimezone(cal.tz), end.astimezone(cal.tz)
    total = timedelta()
    day = start.date()
    while day <= end.date():
        for begin, finish in cal.intervals(day):
            total += max(timedelta(), min(finish, end) - max(begin, start))
        day += timedelta(days=1)
    return total // timedelta(minutes=1)


# --- the default hours -------------------------------------------------------------------------


def test_default_week_is_37_and_a_half_hours_of_450_minute_days():
    assert [DEFAULT_WEEK[d].minutes for d in range(7)] == [450] * 5 + [0, 0]
    assert sum(hours.minutes for hours in DEFAULT_WEEK.values()) == 37 * 60 + 30
    assert MINUTES_PER_WORKING_DAY == 450


def test_ramadan_week_is_32_and_a_half_hours():
    assert [DEFAULT_RAMADAN_WEEK[d].minutes for d in range(7)] == [390] * 5 + [0, 0]
    assert sum(hours.minutes for hours in DEFAULT_RAMADAN_WEEK.values()) == 32 * 60 + 30


def test_default_intervals_of_a_thursday_and_a_friday():
    assert CAL.intervals(date(2026, 7, 9)) == [
        (wib(2026, 7, 9, 7, 30), wib(2026, 7, 9, 12)),
        (wib(2026, 7, 9, 13), wib(2026, 7, 9, 16)),
    ]
    assert CAL.intervals(date(2026, 7, 10)) == [
        (wib(2026, 7, 10, 7, 30), wib(2026, 7, 10, 11, 30)),
        (wib(2026, 7, 10, 13), wib(2026, 7, 10, 16, 30)),
    ]
    assert CAL.intervals(date(2026, 7, 11)) == []  # Saturday


# --- add_working_minutes -----------------------------------------------------------------------


def test_across_a_weekend():
    # Friday 15.00–16.30 gives 90 minutes; the other 30 are Monday morning's.
    assert add(wib(2026, 7, 10, 15), 120) == wib(2026, 7, 13, 8)


def test_across_a_national_holiday():
    independence = date(2026, 8, 17)  # a Monday
    assert national_holidays(2026)[independence] == "Hari Kemerdekaan Republik Indonesia"
    assert not CAL.is_working_day(independence)
    assert add(wib(2026, 8, 14, 15), 120) == wib(2026, 8, 18, 8)


def test_national_holidays_can_be_switched_off():
    cal = WorkingCalendar(CalendarConfig(national=False))
    assert cal.is_working_day(date(2026, 8, 17))
    assert cal.holiday_name(date(2026, 8, 17)) is None
    assert add(wib(2026, 8, 14, 15), 120, cal) == wib(2026, 8, 17, 8)


def test_across_cuti_bersama_given_in_config():
    # Thursday 14 May 2026 is Ascension Day (national); Friday 15 May is cuti bersama.
    start = wib(2026, 5, 13, 15)  # Wednesday: 60 minutes left that day
    assert add(start, 120) == wib(2026, 5, 15, 8, 30)
    cal = WorkingCalendar(CalendarConfig(extra_holidays={date(2026, 5, 15): "Cuti bersama"}))
    assert add(start, 120, cal) == wib(2026, 5, 18, 8, 30)
    assert cal.holiday_name(date(2026, 5, 15)) == "Cuti bersama"
    assert cal.holiday_name(date(2026, 5, 14)) == "Kenaikan Yesus Kristus"
    assert cal.holiday_name(date(2026, 5, 18)) is None


def test_extra_holidays_as_a_plain_set_still_get_a_name():
    cal = WorkingCalendar(CalendarConfig(extra_holidays=frozenset({date(2026, 7, 7)})))
    assert not cal.is_working_day(date(2026, 7, 7))
    assert cal.holiday_name(date(2026, 7, 7)) == "Libur"


def test_ramadan_hours_are_shorter():
    monday = wib(2026, 3, 2, 14)
    assert add(monday, 120) == wib(2026, 3, 2, 16)  # without the Ramadan range: still Monday
    cal = WorkingCalendar(CalendarConfig(ramadan=(RAMADAN_2026,)))
    assert cal.is_ramadan(date(2026, 3, 2)) and not cal.is_ramadan(date(2026, 3, 21))
    assert cal.working_minutes_on(date(2026, 3, 2)) == 390
    assert cal.working_minutes_on(date(2026, 3, 6)) == 390  # a Friday
    # Ramadan Monday ends at 15.00; Tuesday starts at 08.00.
    assert add(monday, 120, cal) == wib(2026, 3, 3, 9)
    assert add(wib(2026, 3, 2, 12, 15), 0, cal) == wib(2026, 3, 2, 12, 30)


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        (wib(2026, 7, 7, 6), 30, wib(2026, 7, 7, 8)),  # before 07.30
        (wib(2026, 7, 7, 12, 15), 30, wib(2026, 7, 7, 13, 30)),  # during the break
        (wib(2026, 7, 7, 11, 45), 30, wib(2026, 7, 7, 13, 15)),  # across the break
        (wib(2026, 7, 7, 11), 60, wib(2026, 7, 7, 12)),  # ends exactly at the break
        (wib(2026, 7, 7, 17), 30, wib(2026, 7, 8, 8)),  # after hours
        (wib(2026, 7, 12, 10), 30, wib(2026, 7, 13, 8)),  # on a Sunday
        (wib(2026, 7, 10, 12), 30, wib(2026, 7, 10, 13, 30)),  # Friday prayer break
        (wib(2026, 7, 7, 9, 0, 30, 5), 10, wib(2026, 7, 7, 9, 10, 30, 5)),  # seconds are kept
    ],
)
def test_starts_outside_and_inside_working_time(start, minutes, due):
    assert add(start, minutes) == due


@pytest.mark.parametrize(
    ("start", "moment"),
    [
        (wib(2026, 7, 7, 9, 15), wib(2026, 7, 7, 9, 15)),  # working now: itself
        (wib(2026, 7, 7, 7, 30), wib(2026, 7, 7, 7, 30)),
        (wib(2026, 7, 7, 12), wib(2026, 7, 7, 13)),  # the break begins
        (wib(2026, 7, 9, 16), wib(2026, 7, 10, 7, 30)),  # Thursday closing time
        (wib(2026, 7, 10, 16, 30), wib(2026, 7, 13, 7, 30)),  # Friday closing time
        (wib(2026, 8, 16, 8), wib(2026, 8, 18, 7, 30)),  # Sunday before a holiday Monday
        (wib(2026, 12, 31, 17), wib(2027, 1, 4, 7, 30)),  # New Year's Day is a Friday
    ],
)
def test_zero_minutes_is_the_next_working_moment(start, moment):
    assert add(start, 0) == moment
    assert CAL.next_working_moment(start) == moment


def test_twenty_working_days():
    # July 2026 has no holidays: 20 hari from Monday 6 July is the end of Friday 31 July.
    start = wib(2026, 7, 6, 7, 30)
    due = add(start, 20 * MINUTES_PER_WORKING_DAY)
    assert due == wib(2026, 7, 31, 16, 30)
    assert CAL.working_minutes_between(start, due) == 9000


def test_long_spans_skip_days_and_years_correctly():
    config = CalendarConfig(
        extra_holidays=default_cuti_bersama(2026) | default_cuti_bersama(2027),
        ramadan=default_ramadan(2026) + default_ramadan(2027),
    )
    cal = WorkingCalendar(config)
    start = wib(2026, 1, 2, 10, 17)
    for minutes in (120 * 450, 240 * 450 + 7, 500 * 450):
        due = add(start, minutes, cal)
        assert due == reference_add(cal, start, minutes)
        assert cal.working_minutes_between(start, due) == minutes


def test_input_in_another_zone():
    # 17.00 WITA on a Friday is 16.00 WIB: half an hour of Friday is left in Jakarta.
    start = datetime(2026, 7, 10, 17, tzinfo=MAKASSAR)
    assert add(start, 30) == wib(2026, 7, 10, 16, 30)
    assert add(datetime(2026, 7, 10, 1, tzinfo=UTC), 0) == wib(2026, 7, 10, 8)


def test_calendar_in_wit():
    cal = WorkingCalendar(CalendarConfig(tz="Asia/Jayapura"))
    assert cal.tz == JAYAPURA
    # 07.00 WIB is 09.00 WIT, already working time in Jayapura.
    due = add(wib(2026, 7, 7, 7), 30, cal)
    assert due == datetime(2026, 7, 7, 9, 30, tzinfo=JAYAPURA)
    assert due.utcoffset() == timedelta(hours=9)


def test_minutes_must_be_a_non_negative_int():
    with pytest.raises(ValueError, match="negative"):
        CAL.add_working_minutes(wib(2026, 7, 7, 9), -1)
    with pytest.raises(TypeError):
        CAL.add_working_minutes(wib(2026, 7, 7, 9), 1.5)  # type: ignore[arg-type]


# --- working_minutes_between -------------------------------------------------------------------


def test_minutes_between():
    assert CAL.working_minutes_between(wib(2026, 7, 10, 15), wib(2026, 7, 13, 8)) == 120
    assert CAL.working_minutes_between(wib(2026, 7, 7, 11), wib(2026, 7, 7, 14)) == 120
    assert CAL.working_minutes_between(wib(2026, 7, 11, 9), wib(2026, 7, 12, 9)) == 0
    assert CAL.working_minutes_between(wib(2026, 7, 7, 9, 0, 59), wib(2026, 7, 7, 9, 2)) == 1


def test_minutes_between_is_zero_when_end_is_not_after_start():
    moment = wib(2026, 7, 7, 9)
    assert CAL.working_minutes_between(moment, moment) == 0
    assert CAL.working_minutes_between(moment, moment - timedelta(hours=3)) == 0


# --- properties --------------------------------------------------------------------------------

ZONES = [JAKARTA, MAKASSAR, JAYAPURA, UTC, ZoneInfo("Europe/Amsterdam")]
PROPERTY_CAL = WorkingCalendar(
    CalendarConfig(
        extra_holidays=default_cuti_bersama(2026) | {date(2026, 7, 8): "Hari jadi kabupaten"},
        ramadan=default_ramadan(2026) + default_ramadan(2027),
    )
)
PROPERTY_CAL_WITA = WorkingCalendar(
    CalendarConfig(
        week={0: DEFAULT_WEEK[0], 2: DEFAULT_WEEK[2], 5: WorkingHours.parse("08.00-12.00")},
        ramadan=default_ramadan(2026),
        tz=MAKASSAR,
    )
)
starts = st.datetimes(
    min_value=datetime(2025, 12, 1),
    max_value=datetime(2027, 6, 30),
    timezones=st.sampled_from(ZONES),
)
minutes = st.integers(min_value=0, max_value=40 * MINUTES_PER_WORKING_DAY)
calendars = st.sampled_from([CAL, PROPERTY_CAL, PROPERTY_CAL_WITA])


@settings(derandomize=True, max_examples=300, deadline=None)
@given(cal=calendars, start=starts, minutes=minutes)
def test_round_trip_and_reference(cal, start, minutes):
    due = cal.add_working_minutes(start, minutes)
    assert cal.working_minutes_between(start, due) == minutes
    assert due == reference_add(cal, start, minutes)
    assert due >= start
    assert due == cal.next_working_moment(due) or minutes > 0


@settings(derandomize=True, max_examples=200, deadline=None)
@given(cal=calendars, start=starts, minutes=minutes, more=st.integers(0, 5000))
def test_add_is_monotonic(cal, start, minutes, more):
    assert cal.add_working_minutes(start, minutes) <= cal.add_working_minutes(start, minutes + more)


@settings(derandomize=True, max_examples=150, deadline=None)
@given(cal=calendars, start=starts, length=st.timedeltas(timedelta(0), timedelta(days=60)))
def test_between_matches_reference(cal, start, length):
    end = start + length
    assert cal.working_minutes_between(start, end) == reference_between(cal, start, end)


# --- is_overdue and naive datetimes ------------------------------------------------------------


def test_is_overdue():
    due = wib(2026, 7, 7, 10)
    assert not CAL.is_overdue(None, due)
    assert not CAL.is_overdue(due, due)  # on time at the due moment itself
    assert not CAL.is_overdue(due, due - timedelta(minutes=1))
    assert CAL.is_overdue(due, due + timedelta(microseconds=1))
    assert CAL.is_overdue(due, datetime(2026, 7, 7, 11, 30, tzinfo=MAKASSAR))  # 10.30 WIB


@pytest.mark.parametrize(
    "call",
    [
        lambda naive: CAL.add_working_minutes(naive, 10),
        lambda naive: CAL.next_working_moment(naive),
        lambda naive: CAL.working_minutes_between(naive, wib(2026, 7, 8, 9)),
        lambda naive: CAL.working_minutes_between(wib(2026, 7, 6, 9), naive),
        lambda naive: CAL.is_overdue(naive, wib(2026, 7, 8, 9)),
        lambda naive: CAL.is_overdue(wib(2026, 7, 8, 9), naive),
        lambda naive: CAL.is_overdue(None, naive),
    ],
)
def test_naive_datetimes_are_rejected(call):
    with pytest.raises(ValueError, match="timezone-aware"):
        call(datetime(2026, 7, 7, 9))


# --- holidays package helpers ------------------------------------------------------------------


def test_idul_fitri_and_default_ramadan_2026():
    assert idul_fitri_dates(2026) == (date(2026, 3, 21),)
    assert national_holidays(2026)[date(2026, 3, 21)] == "Hari Raya Idul Fitri"
    assert default_ramadan(2026) == (RAMADAN_2026,)
    assert default_ramadan(2026, days=29) == ((date(2026, 2, 20), date(2026, 3, 20)),)
    with pytest.raises(ValueError):
        default_ramadan(2026, days=31)


def test_default_ramadan_in_a_year_with_two_idul_fitri():
    ranges = default_ramadan(2033)
    assert len(ranges) == 2
    assert all((last - first).days == 29 for first, last in ranges)


def test_default_cuti_bersama_2026_is_a_proposal_from_the_package():
    proposal = default_cuti_bersama(2026)
    assert proposal[date(2026, 3, 23)] == "Cuti Bersama Hari Raya Idul Fitri"
    assert date(2026, 8, 17) not in proposal  # national holidays are not cuti bersama
    cal = WorkingCalendar(CalendarConfig(extra_holidays=proposal))
    assert cal.holiday_name(date(2026, 3, 23)) == "Cuti Bersama Hari Raya Idul Fitri"


# --- configuration -----------------------------------------------------------------------------


def test_config_is_frozen_and_hashable():
    a = CalendarConfig(extra_holidays={date(2026, 5, 15): "Cuti bersama"}, ramadan=[RAMADAN_2026])
    b = CalendarConfig(extra_holidays={date(2026, 5, 15): "Cuti bersama"}, ramadan=[RAMADAN_2026])
    assert a == b and hash(a) == hash(b)
    assert a.extra_holidays == frozenset({date(2026, 5, 15)})
    assert a.ramadan == (RAMADAN_2026,)
    with pytest.raises(AttributeError):
        a.national = False  # type: ignore[misc]


def test_week_given_as_plain_intervals():
    config = CalendarConfig(week={0: ((time(8), time(12)),)})
    cal = WorkingCalendar(config)
    assert config.week[0] == WorkingHours(((time(8), time(12)),))
    assert config.week[1].minutes == 0
    assert add(wib(2026, 7, 7, 9), 30, cal) == wib(2026, 7, 13, 8, 30)


def test_a_day_written_on_one_line_reads_back():
    for hours in (*DEFAULT_WEEK.values(), *DEFAULT_RAMADAN_WEEK.values()):
        assert WorkingHours.from_text(hours.text) == hours
    assert DEFAULT_WEEK[4].text == "07.30-11.30, 13.00-16.30"
    assert WorkingHours.from_text(" 7:30 – 12:00 ;13.00-16.00 ").minutes == 450
    assert WorkingHours.from_text("") == WorkingHours() and WorkingHours().text == ""


@pytest.mark.parametrize(
    "make",
    [
        lambda: WorkingHours.from_text("07.30-12.00 13.00-16.00"),
        lambda: WorkingHours.from_text("07.30-25.00"),
        lambda: WorkingHours.parse("12.00-08.00"),
        lambda: WorkingHours.parse("08.00-12.00", "11.00-13.00"),
        lambda: WorkingHours(((time(8, 0, 30), time(12)),)),
        lambda: WorkingHours.parse("08.00"),
        lambda: CalendarConfig(week={}),
        lambda: CalendarConfig(week={7: DEFAULT_WEEK[0]}),
        lambda: CalendarConfig(ramadan=((date(2026, 3, 20), date(2026, 2, 19)),)),
        lambda: CalendarConfig(extra_holidays=frozenset({datetime(2026, 5, 15)})),
    ],
)
def test_invalid_configuration_is_rejected(make):
    with pytest.raises(ValueError):
        make()
