"""Figures as people read them: 1.250 and 0,85 in Indonesian; working days of 7,5 jam."""

from __future__ import annotations

from alur import i18n
from alur.analysis import format_hours, format_minutes, format_number, unknown


def test_indonesian_number_format():
    assert format_number(1250) == "1.250"
    assert format_number(0.845, 2) == "0,85"  # half up
    assert format_number(1234567.5, 1) == "1.234.567,5"
    assert format_number(92.5, 2, trim=True) == "92,5"
    assert format_number(90.0, 2, trim=True) == "90"
    assert format_number(-3.5, 1) == "-3,5"


def test_english_when_asked():
    with i18n.override("en"):
        assert format_number(1250.5, 1) == "1,250.5"
        assert format_minutes(None) == "unknown"


def test_hours_and_minutes():
    assert format_hours(75_000) == "1.250 jam"
    assert format_hours(5_550) == "92,5 jam"
    assert format_minutes(45) == "45 menit"
    assert format_minutes(0) == "0 menit"
    assert format_minutes(450 + 130) == "1 hari 2 jam 10 menit"
    assert format_minutes(3 * 450) == "3 hari"
    assert format_minutes(None) == unknown() == "tidak diketahui"
