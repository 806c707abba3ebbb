"""Tests for alur.sop.duration: the SOP "Waktu" text to working minutes."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from alur.sop.duration import (
    DEFAULT_CALENDAR,
    UNITS,
    Duration,
    WorkCalendar,
    is_duration,
    parse_duration,
)

JAM = 60
HARI = 450
MINGGU = 5 * HARI
BULAN = 20 * HARI
TAHUN = 240 * HARI

# Every distinct time cell found in /work/shared/seeds/*.txt (kept here, not read from there,
# so the tests stand alone).
SEED_SPELLINGS: list[tuple[str, int]] = [
    ("10 Menit", 10),
    ("10 menit", 10),
    ("1 bln", BULAN),
    ("5 Menit", 5),
    ("2 hari", 2 * HARI),
    ("1 hari", HARI),
    ("3 Jam", 3 * JAM),
    ("1 jam", JAM),
    ("5 hari", 5 * HARI),
    ("30 menit", 30),
    ("5 menit", 5),
    ("1 Jam", JAM),
    ("1 Bln", BULAN),
    ("30 Menit", 30),
    ("2 Jam", 2 * JAM),
    ("15 Menit", 15),
    ("15 menit", 15),
    ("1 Hari", HARI),
    ("3 jam", 3 * JAM),
    ("4 jam", 4 * JAM),
    ("4 Hari", 4 * HARI),
    ("3 hari", 3 * HARI),
    ("20 menit", 20),
    ("2 Hari", 2 * HARI),
    ("10 hari", 10 * HARI),
    ("1 minggu", MINGGU),
]


@pytest.mark.parametrize(("text", "minutes"), SEED_SPELLINGS)
def test_seed_spellings(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, minutes, text)


CASES: list[tuple[str, int, int]] = [
    # units and their spellings
    ("1 Bulan", BULAN, BULAN),
    ("5 mnt", 5, 5),
    ("5 mnt.", 5, 5),
    ("5 min", 5, 5),
    ("5 MENIT", 5, 5),
    ("2 jm", 2 * JAM, 2 * JAM),
    ("2 hr", 2 * HARI, 2 * HARI),
    ("2 mgg", 2 * MINGGU, 2 * MINGGU),
    ("2 pekan", 2 * MINGGU, 2 * MINGGU),
    ("2 bulan", 2 * BULAN, 2 * BULAN),
    ("1 tahun", TAHUN, TAHUN),
    ("1 thn", TAHUN, TAHUN),
    ("3 hari kerja", 3 * HARI, 3 * HARI),
    ("2 jam kerja", 2 * JAM, 2 * JAM),
    ("3 HK", 3 * HARI, 3 * HARI),
    ("10menit", 10, 10),
    # surrounding whitespace and punctuation
    ("  1 hari.  ", HARI, HARI),
    ("1 hari;", HARI, HARI),
    ("- 10 menit", 10, 10),
    ("(1 hari)", HARI, HARI),
    ("10\u00a0menit", 10, 10),
    # ranges
    ("1-2 hari", HARI, 2 * HARI),
    ("1 - 2 hari", HARI, 2 * HARI),
    ("1–2 hari", HARI, 2 * HARI),
    ("1—2 hari", HARI, 2 * HARI),
    ("1 s.d. 2 hari", HARI, 2 * HARI),
    ("1 s.d 2 hari", HARI, 2 * HARI),
    ("1 s/d 2 hari", HARI, 2 * HARI),
    ("1 S/D 2 Hari", HARI, 2 * HARI),
    ("1 sd 2 hari", HARI, 2 * HARI),
    ("1 sampai 2 hari", HARI, 2 * HARI),
    ("1 sampai dengan 2 hari", HARI, 2 * HARI),
    ("1 hingga 2 hari", HARI, 2 * HARI),
    ("1 hari - 2 hari", HARI, 2 * HARI),
    ("30 menit - 1 jam", 30, JAM),
    ("30 menit s.d. 1 jam", 30, JAM),
    ("1 jam-1 hari", JAM, HARI),
    ("2-2 hari", 2 * HARI, 2 * HARI),
    ("1-1,5 jam", JAM, 90),
    ("2-3 x 24 jam", 2 * HARI, 3 * HARI),
    # phrases: the limit or estimate is the standard
    ("paling lama 3 hari", 3 * HARI, 3 * HARI),
    ("Paling Lambat 3 hari", 3 * HARI, 3 * HARI),
    ("maksimal 2 jam", 2 * JAM, 2 * JAM),
    ("maks. 2 jam", 2 * JAM, 2 * JAM),
    ("maks 2 jam", 2 * JAM, 2 * JAM),
    ("selambat-lambatnya 5 hari", 5 * HARI, 5 * HARI),
    ("selambat–lambatnya 5 hari", 5 * HARI, 5 * HARI),
    ("± 15 menit", 15, 15),
    ("±15 menit", 15, 15),
    ("+/- 15 menit", 15, 15),
    ("kurang lebih 15 menit", 15, 15),
    ("kurang lebih ± 15 menit", 15, 15),
    ("sekitar 1 jam", JAM, JAM),
    ("minimal 1 hari", HARI, HARI),
    ("paling lama 1-2 hari", HARI, 2 * HARI),
    ("paling lambat 14 (empat belas) hari kerja", 14 * HARI, 14 * HARI),
    # numbers
    ("1,5 jam", 90, 90),
    ("1.5 jam", 90, 90),
    ("0.5 hari", HARI // 2, HARI // 2),
    ("0,5 hari", HARI // 2, HARI // 2),
    ("½ hari", HARI // 2, HARI // 2),
    ("1½ jam", 90, 90),
    ("1 ½ jam", 90, 90),
    ("1.000 menit", 1000, 1000),
    ("0,1 menit", 0, 0),
    ("0,5 menit", 1, 1),  # halves round up
    ("1,5 menit", 2, 2),
    ("satu hari", HARI, HARI),
    ("dua jam", 2 * JAM, 2 * JAM),
    ("Tiga Hari", 3 * HARI, 3 * HARI),
    ("empat jam", 4 * JAM, 4 * JAM),
    ("lima menit", 5, 5),
    ("enam hari", 6 * HARI, 6 * HARI),
    ("tujuh hari", 7 * HARI, 7 * HARI),
    ("delapan jam", 8 * JAM, 8 * JAM),
    ("sembilan menit", 9, 9),
    ("sepuluh menit", 10, 10),
    ("setengah hari", HARI // 2, HARI // 2),
    ("setengah jam", 30, 30),
    ("satu setengah jam", 90, 90),
    ("sehari", HARI, HARI),
    ("seminggu", MINGGU, MINGGU),
    ("3 (tiga) hari", 3 * HARI, 3 * HARI),
    # compounds and multiplication
    ("1 jam 30 menit", 90, 90),
    ("1 jam dan 30 menit", 90, 90),
    ("1 hari 2 jam", HARI + 2 * JAM, HARI + 2 * JAM),
    ("3 x 24 jam", 3 * HARI, 3 * HARI),
    ("3x24 jam", 3 * HARI, 3 * HARI),
    ("1 X 24 Jam", HARI, HARI),
    ("3 × 24 jam", 3 * HARI, 3 * HARI),
    ("2 x 30 menit", JAM, JAM),
    ("24 jam", 24 * JAM, 24 * JAM),  # only the "N x 24 jam" idiom means days
]


@pytest.mark.parametrize(("text", "low", "high"), CASES)
def test_parses(text: str, low: int, high: int) -> None:
    duration = parse_duration(text)
    assert duration == Duration(low, high, text)
    assert duration is not None
    assert duration.as_dict() == {"min": low, "max": high}
    assert is_duration(text)


NOT_DURATIONS: list[str | None] = [
    None,
    "",
    "   ",
    "-",
    "—",
    ".",
    "sesuai jadwal",
    "Sesuai Jadwal",
    "menyesuaikan",
    "tergantung pimpinan",
    "2 hari tergantung pimpinan",
    "tergantung 2 hari",
    "Waktu",
    "2021",
    "5",
    "1,5",
    "1-2",
    "jam",
    "hari kerja",
    "paling lama",
    "maks.",
    "2 hari 2 hari",
    "30 menit 1 jam",  # compounds go from large to small units
    "2-1 hari",  # reversed range
    "1 hari - 30 menit",
    "1 jam dan",
    "2 jam/hari",
    "2 detik",
    "satu",
    "se",
    "3 (banyak) hari",
    "2 x 24 - 3 x 24 jam",
    "x" * 500,
    "1 hari " * 100,
]


@pytest.mark.parametrize("text", NOT_DURATIONS)
def test_not_durations(text: str | None) -> None:
    assert parse_duration(text) is None
    assert not is_duration(text)


def test_non_string_input_is_not_a_duration() -> None:
    # YAML turns `time: 5` into an int; that must be reported, not crash the loader.
    assert parse_duration(5) is None  # type: ignore[arg-type]


def test_text_is_kept_unchanged() -> None:
    text = "  Paling Lama 3 Hari. "
    duration = parse_duration(text)
    assert duration is not None
    assert duration.text == text


def test_default_calendar_unit_minutes() -> None:
    expected = {
        "menit": 1,
        "jam": 60,
        "hari": 450,
        "minggu": 2250,
        "bulan": 9000,
        "tahun": 108000,
    }
    assert {unit: DEFAULT_CALENDAR.unit_minutes(unit) for unit in UNITS} == expected
    assert WorkCalendar() == DEFAULT_CALENDAR


def test_unit_minutes_rejects_unknown_unit() -> None:
    with pytest.raises(ValueError):
        DEFAULT_CALENDAR.unit_minutes("bln")


@pytest.mark.parametrize(
    "field", ["minutes_per_hour", "hours_per_day", "days_per_week", "days_per_month"]
)
def test_calendar_rejects_non_positive(field: str) -> None:
    with pytest.raises(ValueError):
        WorkCalendar(**{field: 0})


def test_custom_calendar() -> None:
    ramadan = WorkCalendar(hours_per_day=6.5, days_per_month=22, days_per_year=250)
    assert parse_duration("1 hari", ramadan) == Duration(390, 390, "1 hari")
    assert parse_duration("1 minggu", ramadan) == Duration(1950, 1950, "1 minggu")
    assert parse_duration("1 bln", ramadan) == Duration(22 * 390, 22 * 390, "1 bln")
    assert parse_duration("1 tahun", ramadan) == Duration(250 * 390, 250 * 390, "1 tahun")
    assert parse_duration("3 x 24 jam", ramadan) == Duration(3 * 390, 3 * 390, "3 x 24 jam")
    assert parse_duration("1-2 jam", ramadan) == Duration(60, 120, "1-2 jam")


def test_duration_is_frozen() -> None:
    duration = Duration(1, 2, "x")
    with pytest.raises(dataclasses.FrozenInstanceError):
        duration.min = 3  # type: ignore[misc]


@given(st.one_of(st.none(), st.text()))
def test_never_raises_on_arbitrary_text(text: str | None) -> None:
    duration = parse_duration(text)
    if duration is not None:
        assert 0 <= duration.min <= duration.max
        assert duration.text == text


_VOCABULARY = [
    "1",
    "2",
    "24",
    "0,5",
    "1.000",
    "½",
    "setengah",
    "dua",
    "se",
    "x",
    "-",
    "–",
    "s.d.",
    "s/d",
    "sampai",
    "dan",
    ",",
    ".",
    "(",
    ")",
    "tiga",
    "belas",
    "menit",
    "mnt.",
    "min",
    "jam",
    "hari",
    "kerja",
    "minggu",
    "bln",
    "tahun",
    "paling lama",
    "maks.",
    "±",
    "+/-",
    "selambat-lambatnya",
    "sesuai jadwal",
    " ",
]


@given(st.lists(st.sampled_from(_VOCABULARY), max_size=10).map("".join))
def test_never_raises_on_near_misses(text: str) -> None:
    duration = parse_duration(text)
    if duration is not None:
        assert 0 <= duration.min <= duration.max
        assert duration.text == text


@given(
    st.integers(min_value=0, max_value=10_000),
    st.sampled_from(UNITS),
    st.sampled_from(["", " ", "  "]),
)
def test_number_and_unit(count: int, unit: str, space: str) -> None:
    expected = round(count * DEFAULT_CALENDAR.unit_minutes(unit))
    assert parse_duration(f"{count}{space}{unit}") == Duration(
        expected, expected, f"{count}{space}{unit}"
    )


@given(
    st.integers(min_value=0, max_value=100),
    st.integers(min_value=0, max_value=100),
    st.sampled_from(UNITS),
    st.sampled_from(["-", " - ", "–", " s.d. ", " s/d ", " sampai "]),
)
def test_ranges(low: int, high: int, unit: str, separator: str) -> None:
    text = f"{low}{separator}{high} {unit}"
    duration = parse_duration(text)
    if low > high:
        assert duration is None
    else:
        per = DEFAULT_CALENDAR.unit_minutes(unit)
        assert duration == Duration(round(low * per), round(high * per), text)
