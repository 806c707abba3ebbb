"""Standard time: the total over the longest loop-free route, the critical path, time per actor;
every figure computed by hand from the time standards (1 jam = 60, 1 hari = 450 menit)."""

from __future__ import annotations

from alur.analysis import MinuteRange, back_edges, standard_time
from alur.engine.calendar import MINUTES_PER_WORKING_DAY
from alur.sop import Actor, Step, WorkCalendar

from .conftest import make_sop, step


def test_a_straight_flow_sums_minutes_hours_and_days():
    sop = make_sop("lurus", [step(1, "10 menit"), step(2, "2 jam"), step(3, "1 hari")])
    result = standard_time(sop)
    assert result.total == MinuteRange(10 + 120 + 450, 10 + 120 + 450)
    assert result.critical_path == (1, 2, 3)
    assert result.steps_without_time == ()
    assert result.rework_edges == ()


def test_a_day_is_the_engines_working_day():
    sop = make_sop("hari", [step(1, "1 hari")])
    assert standard_time(sop).total == MinuteRange(MINUTES_PER_WORKING_DAY,
                                                   MINUTES_PER_WORKING_DAY)


def test_weeks_months_and_compound_times():
    sop = make_sop("panjang", [step(1, "1 minggu"), step(2, "1 bulan"),
                               step(3, "2 jam 30 menit")])
    assert standard_time(sop).total == MinuteRange(5 * 450 + 20 * 450 + 150,
                                                   5 * 450 + 20 * 450 + 150)


def test_another_calendar_changes_the_day():
    sop = make_sop("ramadan", [step(1, "2 hari")])
    short_days = WorkCalendar(hours_per_day=6.5)
    assert standard_time(sop, short_days).total == MinuteRange(780, 780)


def test_a_tidak_loop_is_rework_and_each_step_counts_once():
    # 1 → 2 (decision: Ya → 3, Tidak → back to 1) → 3
    sop = make_sop("loop", [
        step(1, "10 menit"),
        step(2, "30 menit", kind="decision", on_yes=3, on_no=1),
        step(3, "1-2 hari"),
    ])
    result = standard_time(sop)
    assert result.rework_edges == ((2, 1),)
    assert result.total == MinuteRange(10 + 30 + 450, 10 + 30 + 900)
    assert result.critical_path == (1, 2, 3)
    assert back_edges(sop) == {(2, 1)}


def test_a_loop_through_ya_is_found_too():
    sop = make_sop("loop-ya", [
        step(1, "10 menit"),
        step(2, "5 menit", kind="decision", on_yes=1, on_no=3),
        step(3, "5 menit"),
    ])
    result = standard_time(sop)
    assert result.rework_edges == ((2, 1),)
    assert result.total == MinuteRange(20, 20)


def test_decisions_branch_and_the_total_is_the_longest_route():
    # 1 (decision) → Ya: 2 (1 jam) → 4 ; Tidak: 3 (1-3 hari) → 4
    sop = make_sop("cabang", [
        step(1, "5 menit", kind="decision", on_yes=2, on_no=3),
        step(2, "1 jam", next=4),
        step(3, "1-3 hari"),
        step(4, "10 menit"),
    ])
    result = standard_time(sop)
    assert result.total == MinuteRange(5 + 450 + 10, 5 + 1350 + 10)
    assert result.critical_path == (1, 3, 4)


def test_each_end_takes_its_own_longest_route():
    # Ya: 1-10 hari; Tidak: 5 hari. Upper ends: Ya is longer (4500 > 2250); lower ends: Tidak
    # (2250 > 450). The critical path is the route of the upper end.
    sop = make_sop("bersilang", [
        step(1, "10 menit", kind="decision", on_yes=2, on_no=3),
        step(2, "1-10 hari", next=4),
        step(3, "5 hari"),
        step(4, "10 menit"),
    ])
    result = standard_time(sop)
    assert result.total == MinuteRange(10 + 2250 + 10, 10 + 4500 + 10)
    assert result.critical_path == (1, 2, 4)


def test_a_tie_takes_the_ya_route():
    sop = make_sop("seri", [
        step(1, "10 menit", kind="decision", on_yes=3, on_no=2),
        step(2, "1 jam", next=4),
        step(3, "1 jam", next=4),
        step(4, "10 menit"),
    ])
    assert standard_time(sop).critical_path == (1, 3, 4)


def test_time_per_actor_counts_every_step_once_and_joint_steps_for_each():
    actors = [Actor(id="pemohon", name="Pemohon", applicant=True),
              Actor(id="staf", name="Staf"), Actor(id="kasi", name="Kasi")]
    sop = make_sop("per-pelaksana", [
        step(1, "10 menit", actors=["pemohon"]),
        step(2, "30 menit", actors=["staf"], kind="decision", on_yes=3, on_no=1),
        step(3, "1 jam", actors=["staf", "kasi"]),
        step(4, "1-2 jam", actors=["kasi"]),
    ], actors)
    by_name = {a.name: a for a in standard_time(sop).actors}
    assert by_name["Pemohon"].minutes == MinuteRange(10, 10)
    assert by_name["Pemohon"].applicant
    assert by_name["Staf"].minutes == MinuteRange(90, 90)
    assert by_name["Kasi"].minutes == MinuteRange(120, 180)
    assert by_name["Kasi"].steps == (3, 4)


def test_no_time_standards_is_unknown_not_zero():
    sop = make_sop("tanpa-waktu", [step(1, None), step(2, "sesuai jadwal")])
    result = standard_time(sop)
    assert result.total is None
    assert not result.known
    assert result.steps_without_time == (1, 2)
    assert result.actors[0].minutes is None


def test_a_step_without_time_is_left_out_and_listed():
    sop = make_sop("sebagian", [step(1, "10 menit"), step(2, "sesuai jadwal"),
                                step(3, "20 menit")])
    result = standard_time(sop)
    assert result.total == MinuteRange(30, 30)
    assert result.steps_without_time == (2,)
    assert result.critical_path == (1, 2, 3)


def test_marker_rows_take_no_time_and_are_not_missing():
    sop = make_sop("mulai-selesai", [
        Step(number=1, activity="Mulai", kind="start"),
        step(2, "15 menit"),
        Step(number=3, activity="Selesai", kind="end"),
    ])
    result = standard_time(sop)
    assert result.total == MinuteRange(15, 15)
    assert result.steps_without_time == ()
    assert result.critical_path == (1, 2, 3)


def test_an_sop_without_steps():
    result = standard_time(make_sop("kosong", []))
    assert result.total is None and result.critical_path == ()
