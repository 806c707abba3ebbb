"""Workload (ABK): Σ yearly volume × standard minutes per position, staff needed, EJ, grades.

The SOP below, by hand (1 jam = 60 menit):
  step 1  pemohon (applicant)   10 menit   — left out of the workload
  step 2  staf                  30 menit
  step 3  staf + kasi (joint)   1 jam      — counts in full for both
  step 4  kasi                  1-2 jam
  staf: 30 + 60 = 90 menit a case;  kasi: 60 + 60 = 120 to 60 + 120 = 180 menit a case.
With 1000 cases a year and JKE 1250 jam = 75000 menit:
  staf 90000 menit = 1500 jam, staff needed 1,2;   kasi 180000 menit (upper end), 2,4.
"""

from __future__ import annotations

import pytest

from alur.analysis import (
    DEFAULT_BANDS,
    GRADE_BANDS_NOTE,
    Band,
    MinuteRange,
    grade,
    standard_time,
    workload,
)
from alur.sop import Actor

from .conftest import make_sop, step

ACTORS = [Actor(id="pemohon", name="Pemohon", applicant=True), Actor(id="staf", name="Staf"),
          Actor(id="kasi", name="Kasi")]


def layanan():
    return make_sop("layanan", [
        step(1, "10 menit", actors=["pemohon"]),
        step(2, "30 menit", actors=["staf"]),
        step(3, "1 jam", actors=["staf", "kasi"]),
        step(4, "1-2 jam", actors=["kasi"]),
    ], ACTORS)


def rows_of(sops, volumes, **options):
    rows = workload([(s, standard_time(s)) for s in sops], volumes, **options)
    return {r.actor: r for r in rows}


def test_workload_staff_needed_and_both_ends():
    rows = rows_of([layanan()], {"layanan": 1000})
    assert set(rows) == {"Staf", "Kasi"}  # the applicant is no position
    staf, kasi = rows["Staf"], rows["Kasi"]
    assert staf.minutes == MinuteRange(90_000, 90_000)
    assert staf.minutes_per_year == 90_000
    assert staf.staff_needed == pytest.approx(1.2)
    assert kasi.minutes == MinuteRange(120_000, 180_000)
    assert kasi.minutes_per_year == 180_000  # the upper end by default
    assert kasi.staff_needed == pytest.approx(2.4)
    assert [r.actor for r in workload([(layanan(), standard_time(layanan()))],
                                      {"layanan": 1000})] == ["Kasi", "Staf"]  # heaviest first


def test_the_lower_end_is_a_setting():
    kasi = rows_of([layanan()], {"layanan": 1000}, upper=False)["Kasi"]
    assert kasi.minutes_per_year == 120_000
    assert kasi.staff_needed == pytest.approx(1.6)


def test_jke_is_a_parameter():
    staf = rows_of([layanan()], {"layanan": 1000}, jke_hours=1200)["Staf"]
    assert staf.staff_needed == pytest.approx(90_000 / 72_000)


def test_ej_and_grade_need_the_people_holding_the_position():
    rows = rows_of([layanan()], {"layanan": 1000}, people={"staf": 2, "kasi": 2})
    assert rows["Staf"].ej == pytest.approx(0.6)
    assert rows["Staf"].grade() == "D"
    assert rows["Kasi"].ej == pytest.approx(1.2)
    assert rows["Kasi"].grade() == "A"
    unknown = rows_of([layanan()], {"layanan": 1000})["Staf"]
    assert unknown.ej is None and unknown.grade() is None
    vacant = rows_of([layanan()], {"layanan": 1000}, people={"staf": 0})["Staf"]
    assert vacant.ej is None  # nobody holds it: EJ is not a number


def test_positions_are_summed_across_sops_by_name():
    other = make_sop("arsip", [step(1, "15 menit", actors=["staf2"])],
                     [Actor(id="staf2", name="STAF.")])
    rows = rows_of([layanan(), other], {"layanan": 1000, "arsip": 200})
    assert rows["Staf"].minutes_per_year == 90_000 + 200 * 15
    assert rows["Staf"].sops == ("layanan", "arsip")


def test_sops_without_a_volume_are_not_counted_and_zero_volume_is_zero():
    other = make_sop("arsip", [step(1, "15 menit")])
    rows = rows_of([layanan(), other], {"layanan": 1000})
    assert rows["Staf"].minutes_per_year == 90_000
    assert rows_of([other], {"arsip": 0})["Staf"].minutes_per_year == 0


def test_unknown_times_stay_unknown():
    sop = make_sop("tanpa-waktu", [step(1, "sesuai jadwal")])
    (row,) = rows_of([sop], {"tanpa-waktu": 50}).values()
    assert row.minutes is None and row.minutes_per_year is None
    assert row.staff_needed is None
    assert row.steps_without_time == (("tanpa-waktu", 1),)
    partly = make_sop("sebagian", [step(1, "sesuai jadwal"), step(2, "10 menit")])
    (row,) = rows_of([partly], {"sebagian": 6}).values()
    assert row.minutes_per_year == 60
    assert row.steps_without_time == (("sebagian", 1),)


def test_bad_parameters_are_refused():
    with pytest.raises(ValueError):
        rows_of([layanan()], {"layanan": 10}, jke_hours=0)
    with pytest.raises(ValueError):
        rows_of([layanan()], {"layanan": -1})


@pytest.mark.parametrize(("ej", "expected"), [
    (1.2, "A"), (1.005, "A"), (1.0049, "B"), (1.00, "B"),  # A is above 1,00
    (0.81, "B"), (0.805, "B"),  # shown as 0,81
    (0.8049, "C"), (0.80, "C"), (0.66, "C"),
    (0.65, "D"), (0.655, "C"),  # 0,655 is shown as 0,66
    (0.50, "D"), (0.495, "D"), (0.494, "E"), (0.0, "E"),
])
def test_grades_at_the_band_edges(ej, expected):
    assert grade(ej) == expected


def test_bands_are_configurable_and_flagged_as_unverified():
    strict = (Band("A", 0.9), Band("B", 0.5), Band("C", None))
    assert grade(0.9, strict) == "A"
    assert grade(0.89, strict) == "B"
    assert grade(0.1, strict) == "C"
    assert [b.grade for b in DEFAULT_BANDS] == ["A", "B", "C", "D", "E"]
    assert "not verified" in GRADE_BANDS_NOTE
