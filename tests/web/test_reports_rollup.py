"""The dashboard's rollup: kept in step when tasks complete through the case services, rebuilt
equal to the exact figures from the task rows, and its medians estimated from a histogram
close to the exact ones (exact for a single value and for small whole minutes)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from django.utils import timezone

from alur.web.cases import services
from alur.web.reports import queries, rollup
from alur.web.reports.models import LOWS, StepRollup

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    small_sop,
)
from .test_reports import _case, _done, _filters, at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_report_cache(settings):
    settings.ALUR_REPORT_CACHE_SECONDS = 0


@pytest.fixture
def sop(units, user_factory):
    """The SOP of test_reports: steps of 1 jam, 30 menit and none."""
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-laporan", [
        {"number": 1, "activity": "Terima berkas", "actors": ["staf"], "time": "1 jam"},
        {"number": 2, "activity": "Periksa berkas", "actors": ["staf"], "time": "30 menit"},
        {"number": 3, "activity": "Arsipkan", "actors": ["staf"]}]), units["dinsos"], author)
    worker = make_person(user_factory, "staf", units["dinsos"],
                         positions=[position_of(version, "staf")])
    return version, worker


def _table() -> list[tuple]:
    return sorted(StepRollup.objects.values_list(
        "kind", "day", "unit_id", "sop_id", "step", "position_id", "count", "rework",
        "on_time", "with_due", "work_sum", "least", "most", *(f"h{i}" for i in range(len(LOWS)))))


def test_a_histogram_gives_exact_small_minutes_and_close_estimates():
    def bars(values):
        counts = [0] * len(LOWS)
        for v in values:
            counts[rollup.bar_of(v)] += 1
        return counts, min(values), max(values)

    assert rollup.bar_of(0) == 0 and rollup.bar_of(9) == 9 and rollup.bar_of(10) == 10
    assert rollup.bar_of(11) == 10 and rollup.bar_of(10**6) == len(LOWS) - 1
    # One value: its bounds make it exact. Small whole minutes: bars one minute wide.
    assert rollup.estimate(*bars([80]), 50) == 80
    assert rollup.estimate(*bars([1, 2, 3, 4, 8]), 50) == 3
    assert rollup.estimate(*bars([1, 2, 3, 4]), 50) == 2.5
    # Many values: within a few per cent of percentile_cont.
    rng = random.Random(7)
    values = sorted(max(1, int(60 * rng.lognormvariate(0, 0.6))) for _ in range(2001))
    exact_median, exact_p90 = values[1000], values[1800]
    assert rollup.estimate(*bars(values), 50) == pytest.approx(exact_median, rel=0.05)
    assert rollup.estimate(*bars(values), 90) == pytest.approx(exact_p90, rel=0.05)


def test_completing_tasks_keeps_the_rollup_in_step(sop, monkeypatch):
    version, worker = sop
    for day in (27, 30):
        monkeypatch.setattr(timezone, "now", lambda day=day: at(2026, 11, day, 8))
        case = services.start_case(version, worker, at=at(2026, 11, day, 8))
        task = open_tasks(case)[0]
        services.claim(task, services.Actor(worker))
        monkeypatch.setattr(timezone, "now", lambda day=day: at(2026, 11, day, 10))
        services.complete(task, services.Actor(worker))
    kept = _table()
    assert [(row[0], row[1], row[4], row[6]) for row in kept] == [
        (1, dt.date(2026, 11, 27), 1, 1), (1, dt.date(2026, 11, 30), 1, 1),
        (2, dt.date(2026, 11, 1), 1, 2)]
    # The same rows as a rebuild from the task rows, and the same figures as the exact ones.
    rollup.rebuild()
    assert _table() == kept
    filters = _filters(version)
    assert queries.summary(filters, rollup=True) == queries.summary(filters)
    (rolled,), (exact,) = (queries.step_figures(filters, waiting=False, rollup=True),
                           queries.step_figures(filters, waiting=False))
    assert rolled.estimated and not exact.estimated
    assert (rolled.count, rolled.on_time, rolled.with_due, rolled.median) == (
        exact.count, exact.on_time, exact.with_due, exact.median) == (2, 0, 2, 120)


def test_storing_the_minutes_again_changes_nothing_and_new_minutes_move_the_task(sop):
    version, worker = sop
    case = _case(version, worker, at(2026, 11, 2, 8))
    task = _done(case, 1, 10)
    rollup.rebuild()
    before = _table()
    rollup.store_minutes(case.pk, task.key, 10, 0)
    assert _table() == before
    rollup.store_minutes(case.pk, task.key, 500, 0)
    moved = _table()
    rollup.rebuild()
    rebuilt = _table()
    # The same counts and bars; only the least bound is kept wider by the move.
    assert [r[:11] + r[12:] for r in moved] == [r[:11] + r[12:] for r in rebuilt]
    (figure,) = queries.step_figures(_filters(version), waiting=False, rollup=True)
    assert figure.median == 500


def test_a_rebuild_gives_the_exact_counts_and_close_medians(sop):
    version, worker = sop
    rng = random.Random(13)
    case = _case(version, worker, at(2026, 9, 1, 8))
    for i in range(300):
        done = at(2026, 9, 25, 9) + dt.timedelta(hours=7 * i)  # 25 Sep to 22 Oct
        _done(case, 1 + i % 3, max(1, int(45 * rng.lognormvariate(0, 0.8))), done=done,
              late=i % 4 == 0, due=i % 7 != 0, round_=1 + (i % 10 == 0))
    rollup.rebuild()
    # Whole months, days at either end, days only, and a period that is not whole days.
    periods = [(dt.date(2026, 9, 1), dt.date(2026, 10, 31)),
               (dt.date(2026, 9, 28), dt.date(2026, 10, 12)),
               (dt.date(2026, 10, 3), dt.date(2026, 10, 9))]
    for first, last in periods:
        start, end = queries.bounds(first, last)
        filters = queries.Filters(frozenset({version.sop.unit_id}), start, end)
        assert queries.summary(filters, rollup=True) == queries.summary(filters)
        exact = queries.step_figures(filters, waiting=False)
        rolled = queries.step_figures(filters, waiting=False, rollup=True)
        assert [(f.step, f.count, f.rework, f.on_time, f.with_due) for f in rolled] == [
            (f.step, f.count, f.rework, f.on_time, f.with_due) for f in exact]
        for r, e in zip(rolled, exact, strict=True):
            assert r.median == pytest.approx(e.median, rel=0.1, abs=1)
            assert r.p90 == pytest.approx(e.p90, rel=0.1, abs=1)
    start, end = queries.bounds(dt.date(2026, 10, 1), dt.date(2026, 10, 9))
    odd = queries.Filters(frozenset({version.sop.unit_id}), start + dt.timedelta(hours=3), end)
    assert not any(f.estimated for f in queries.step_figures(odd, waiting=False, rollup=True))
    assert queries.summary(odd, rollup=True) == queries.summary(odd)


def test_the_dashboard_says_its_medians_are_estimates(sop, client, user_factory, units):
    from django.urls import reverse

    from alur.web.org.models import Membership

    version, worker = sop
    case = _case(version, worker, at(2026, 11, 2, 8))
    _done(case, 1, 95, done=at(2026, 11, 20, 10))
    rollup.rebuild()
    client.force_login(user_factory("penilai", Membership.Role.EVALUATOR, units["dinsos"]))
    html = client.get(reverse("reports:unit", args=[units["dinsos"].pk]),
                      {"dari": "2026-11-01", "sampai": "2026-11-30"}).content.decode()
    assert "perkiraan" in html.lower()
    assert "1 jam 35 menit" in html  # a single value: exact
