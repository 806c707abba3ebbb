"""Reports from what really ran: each task's working minutes stored when it completes, the
figures per SOP and step aggregated in SQL (count, median, p90, waiting, on-time rate), the
unit's dashboard, the SOP's heat map, the cases behind a figure and the API — every figure
against small cases computed by hand."""

from __future__ import annotations

import datetime as dt
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from alur.analysis.actual import task_minutes
from alur.web.api.models import ApiToken
from alur.web.cases import services
from alur.web.cases.models import Case, Holiday, Task
from alur.web.cases.workcalendar import working_calendar
from alur.web.org.models import Membership, Person
from alur.web.reports import queries, rollup

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    small_sop,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")


@pytest.fixture(autouse=True)
def _no_report_cache(settings):
    """Figures computed on every request: ids are reused from one test to the next."""
    settings.ALUR_REPORT_CACHE_SECONDS = 0


def at(y: int, m: int, d: int, hh: int, mm: int = 0) -> dt.datetime:
    return dt.datetime(y, m, d, hh, mm, tzinfo=WIB)


# --- working minutes of one task --------------------------------------------------------------

def test_a_task_done_over_a_weekend_counts_only_working_minutes():
    calendar = working_calendar()
    # Friday 27 Nov 2026 15.00 (Friday ends 16.30) to Monday 30 Nov 09.00 (from 07.30).
    minutes = task_minutes(calendar, at(2026, 11, 27, 15), at(2026, 11, 30, 9),
                           at(2026, 11, 27, 16))
    assert minutes.work == 90 + 90
    assert minutes.wait == 60


def test_a_holiday_of_the_agency_is_not_working_time():
    Holiday.objects.create(date=dt.date(2026, 12, 2), name="Hari jadi kabupaten",
                           kind=Holiday.Kind.LOCAL)
    # Tuesday 15.00 → Thursday 08.30 with Wednesday off: 60 + 60.
    assert task_minutes(working_calendar(), at(2026, 12, 1, 15),
                        at(2026, 12, 3, 8, 30)).work == 120


def test_a_task_completed_without_a_claim_waited_all_its_time():
    minutes = task_minutes(working_calendar(), at(2026, 11, 30, 8), at(2026, 11, 30, 10))
    assert minutes == (120, 120)


@pytest.fixture
def sop(units, user_factory):
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-laporan", [
        {"number": 1, "activity": "Terima berkas", "actors": ["staf"], "time": "1 jam"},
        {"number": 2, "activity": "Periksa berkas", "actors": ["staf"], "time": "30 menit"},
        {"number": 3, "activity": "Arsipkan", "actors": ["staf"]}]), units["dinsos"], author)
    worker = make_person(user_factory, "staf", units["dinsos"],
                         positions=[position_of(version, "staf")])
    return version, worker


def test_completing_a_task_stores_its_working_and_waiting_minutes(sop, monkeypatch):
    version, worker = sop
    case = services.start_case(version, worker, at=at(2026, 11, 27, 15))
    task = open_tasks(case)[0]
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 27, 16))
    services.claim(task, services.Actor(worker))
    monkeypatch.setattr(timezone, "now", lambda: at(2026, 11, 30, 9))
    services.complete(task, services.Actor(worker))
    task.refresh_from_db()
    assert (task.work_minutes, task.wait_minutes) == (180, 60)
    assert open_tasks(case)[0].work_minutes is None  # the next step is still open


# --- figures per step, in SQL ---------------------------------------------------------------

def _case(version, person, started: dt.datetime) -> Case:
    return Case.objects.create(title="uji", version=version, sop=version.sop,
                               unit=version.sop.unit, initiator=person, started_at=started)


def _done(case: Case, step: int, minutes: int, *, wait: int = 0, late: bool = False,
          done: dt.datetime | None = None, round_: int = 1, due: bool = True) -> Task:
    """A finished task whose minutes are given (the figures read the stored numbers)."""
    done = done or at(2026, 11, 20, 10)
    return Task.objects.create(
        case=case, key=f"{step}.{round_}.{uuid.uuid4().hex[:6]}", step=step, round=round_,
        actor_id="staf", actor_name="Staf", activity=f"langkah {step}", status=Task.Status.DONE,
        ready_at=done - dt.timedelta(minutes=minutes), done_at=done,
        due_at=(done + dt.timedelta(minutes=-1 if late else 1)) if due else None,
        work_minutes=minutes, wait_minutes=wait)


def _filters(version, **more) -> queries.Filters:
    start, end = queries.bounds(dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    return queries.Filters(frozenset({version.sop.unit_id}), start, end, **more)


def test_median_p90_waiting_and_on_time_per_step(sop):
    version, worker = sop
    case = _case(version, worker, at(2026, 11, 2, 8))
    for minutes, wait, late in ((10, 1, False), (20, 2, False), (30, 3, True), (40, 4, False)):
        _done(case, 1, minutes, wait=wait, late=late)
    for minutes in (1, 2, 3, 4, 100):
        _done(case, 2, minutes, round_=2 if minutes == 100 else 1, due=minutes != 4)
    _done(case, 3, 7)
    figures = {f.step: f for f in queries.step_figures(_filters(version))}
    one, two, three = figures[1], figures[2], figures[3]
    # 10 20 30 40: median halfway between 20 and 30; p90 at rank 1 + 0.9 × 3 = 3.7.
    assert (one.count, one.median, one.p90) == (4, 25, pytest.approx(37))
    assert one.wait_median == 2.5
    assert (one.on_time, one.with_due, one.on_time_rate) == (3, 4, 0.75)
    # 1 2 3 4 100: median 3; p90 at rank 4.6 = 4 + 0.6 × 96.
    assert (two.median, two.p90) == (3, pytest.approx(61.6))
    assert two.rework == 1  # the second round counts as a sample of its own
    assert (two.on_time, two.with_due) == (4, 4)  # the task without a due time is left out
    assert (three.count, three.median, three.p90) == (1, 7, 7)
    # Standards from the SOP: 1 jam and 30 menit; step 3 has none.
    assert one.standard.max == 60 and one.state == "ok"
    assert two.standard.max == 30 and two.state == "ok"
    assert three.standard is None and three.state == "unknown"


def test_slow_steps_and_the_slowest_first(sop):
    version, worker = sop
    case = _case(version, worker, at(2026, 11, 2, 8))
    _done(case, 1, 80)  # 80 of 60: slow (≤ 1.5 ×)
    _done(case, 2, 60)  # 60 of 30: very slow
    steps = queries.step_figures(_filters(version))
    assert [(f.step, f.state) for f in steps] == [(1, "slow"), (2, "very-slow")]
    assert [f.step for f in queries.slowest(steps)] == [2, 1]


def test_filters_by_period_and_position(sop):
    version, worker = sop
    case = _case(version, worker, at(2026, 10, 1, 8))
    _done(case, 1, 10, done=at(2026, 10, 31, 10))  # before the period
    _done(case, 1, 20, done=at(2026, 11, 30, 16))  # its last day is in
    _done(case, 1, 30, done=at(2026, 12, 1, 8))  # after
    _done(case, 1, 40, done=at(2026, 12, 1, 3))  # after, though still 30 Nov in UTC
    _done(case, 1, 50, done=at(2026, 11, 1, 6))  # in, though still 31 Oct in UTC
    (figure,) = queries.step_figures(_filters(version))
    assert (figure.count, figure.median) == (2, 35)
    assert queries.totals(_filters(version)).tasks == 2
    other = position_of(version, "staf").pk + 1000
    assert queries.step_figures(_filters(version, position_id=other)) == []


def test_monthly_on_time_and_histogram(sop):
    version, worker = sop
    case = _case(version, worker, at(2026, 10, 1, 8))
    start, end = queries.bounds(dt.date(2026, 10, 1), dt.date(2026, 11, 30))
    filters = queries.Filters(frozenset({version.sop.unit_id}), start, end)
    _done(case, 1, 10, done=at(2026, 10, 5, 10))
    _done(case, 1, 45, late=True, done=at(2026, 10, 6, 10))
    _done(case, 1, 500, done=at(2026, 11, 5, 10))
    assert queries.monthly_on_time(filters) == [(dt.date(2026, 10, 1), 1, 2),
                                                (dt.date(2026, 11, 1), 1, 1)]
    # Bars: <30, 30–60, 60–120, 120–240, 240–450, 450–900, 900–2250, ≥2250.
    assert queries.histogram(filters) == [1, 1, 0, 0, 0, 1, 0, 0]
    assert queries.totals(filters).on_time_rate == pytest.approx(2 / 3)


def test_a_unit_with_no_cases_shows_unknown_not_zero(sop):
    version, _worker = sop
    figures = queries.unit_figures(_filters(version))
    totals = queries.totals(_filters(version))
    assert totals.tasks == 0 and totals.on_time_rate is None
    assert figures.sops_total == 1 and figures.running == 0


# --- pages --------------------------------------------------------------------------------

@pytest.fixture
def evaluator(client, user_factory, units, sop):
    user = user_factory("penilai", Membership.Role.EVALUATOR, units["dinsos"])
    Person.objects.create(user=user, name="Penilai")
    client.force_login(user)
    return client


def _history(version, worker) -> Case:
    case = _case(version, worker, at(2026, 11, 2, 8))
    _done(case, 1, 80, late=True, done=at(2026, 11, 20, 10))
    _done(case, 2, 10, done=at(2026, 11, 20, 11))
    rollup.rebuild()  # rows written past the case services: the dashboard's rollup rebuilt
    return case


def test_the_dashboard_shows_the_figures_and_links_to_the_cases(evaluator, units, sop):
    version, worker = sop
    case = _history(version, worker)
    unit = units["dinsos"]
    url = reverse("reports:unit", args=[unit.pk])
    page = evaluator.get(url, {"dari": "2026-11-01", "sampai": "2026-11-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert "Langkah paling lambat" in html and "Terima berkas" in html
    assert "50%" in html  # one of the two steps on time
    assert "<svg" in html and "<script>" not in html
    behind = evaluator.get(reverse("reports:cases", args=[unit.pk]), {
        "dari": "2026-11-01", "sampai": "2026-11-30", "sop": str(version.sop.public_id),
        "langkah": "1", "terlambat": "1"})
    assert behind.status_code == 200
    assert reverse("cases:case", args=[case.public_id]) in behind.content.decode()


def test_the_heat_map_colours_each_step_by_its_median(evaluator, units, sop):
    version, worker = sop
    _history(version, worker)
    page = evaluator.get(reverse("reports:sop", args=[units["dinsos"].pk, version.sop.public_id]),
                         {"dari": "2026-11-01", "sampai": "2026-11-30"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'step-done-late" data-step="1"' in html  # 80 of 60 minutes
    assert 'step-done" data-step="2"' in html  # 10 of 30
    assert 'data-step="3"' in html and 'step-done" data-step="3"' not in html
    assert "1 jam 20 menit" in html


def test_reports_are_for_evaluators_and_admins_only(client, user_factory, units, sop):
    user = user_factory("pegawai-biasa", "pegawai", units["dinsos"])
    client.force_login(user)
    assert client.get(reverse("reports:unit", args=[units["dinsos"].pk])).status_code == 404
    assert client.get(reverse("reports:index")).status_code == 404


def test_a_date_that_cannot_be_read_is_said_and_the_default_used(evaluator, units):
    page = evaluator.get(reverse("reports:unit", args=[units["dinsos"].pk]), {"dari": "kemarin"})
    assert page.status_code == 200
    assert "TTTT-BB-HH" in page.content.decode()


# --- API ----------------------------------------------------------------------------------

def test_the_api_gives_the_dashboard_figures(client, user_factory, units, sop):
    version, worker = sop
    _history(version, worker)
    user = user_factory("penilai-api", Membership.Role.EVALUATOR, units["dinsos"])
    _, token = ApiToken.issue(user, "uji")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    query = {"start": "2026-11-01", "end": "2026-11-30"}
    body = client.get(f"/api/reports/units/{units['dinsos'].pk}", query, **headers).json()
    assert body["tasks_done"] == 2 and body["on_time_rate"] == 0.5
    assert [s["step"] for s in body["slowest_steps"]] == [1]
    assert body["slowest_steps"][0]["median_minutes"] == 80
    steps = client.get(f"/api/reports/units/{units['dinsos'].pk}/sops/{version.sop.public_id}",
                       query, **headers).json()["steps"]
    assert [(s["step"], s["median_minutes"], s["standard_minutes"]) for s in steps] == [
        (1, 80, {"min": 60, "max": 60}), (2, 10, {"min": 30, "max": 30})]
    outsider = user_factory("luar", "pegawai", units["dinsos"])
    denied = client.get(f"/api/reports/units/{units['dinsos'].pk}",
                        HTTP_AUTHORIZATION=f"Bearer {ApiToken.issue(outsider, 'x')[1]}")
    assert denied.status_code == 404


def test_the_migration_fills_the_tasks_already_done(sop):
    import importlib

    from django.apps import apps

    migration = importlib.import_module("alur.web.cases.migrations.0005_task_minutes")
    version, worker = sop
    case = _case(version, worker, at(2026, 11, 27, 8))
    task = _done(case, 1, 0, done=at(2026, 11, 30, 9))
    Task.objects.filter(pk=task.pk).update(ready_at=at(2026, 11, 27, 15),
                                           claimed_at=at(2026, 11, 27, 16),
                                           work_minutes=None, wait_minutes=None)
    open_task = Task.objects.create(case=case, key="2.1", step=2, activity="x",
                                    ready_at=at(2026, 11, 30, 9))
    migration.fill_minutes(apps, None)
    task.refresh_from_db()
    open_task.refresh_from_db()
    assert (task.work_minutes, task.wait_minutes) == (180, 60)
    assert open_task.work_minutes is None


def test_the_heavy_figures_are_kept_for_a_while(sop, settings):
    from django.core.cache import cache

    settings.ALUR_REPORT_CACHE_SECONDS = 300
    version, worker = sop
    _done(_case(version, worker, at(2026, 11, 2, 8)), 1, 10)
    filters = _filters(version)
    calls = []

    def compute():
        calls.append(1)
        return queries.step_figures(filters)

    try:
        first = queries.cached("steps", filters, compute)
        again = queries.cached("steps", filters, compute)
        other = queries.cached("steps", _filters(version, position_id=-1), lambda: [])
    finally:
        cache.clear()
    assert len(calls) == 1 and [f.median for f in again] == [f.median for f in first] == [10]
    assert other == []


def test_each_step_of_the_heat_map_gives_its_figures_on_hover_and_focus(evaluator, units, sop):
    version, worker = sop
    _history(version, worker)
    page = evaluator.get(reverse("reports:sop", args=[units["dinsos"].pk, version.sop.public_id]),
                         {"dari": "2026-11-01", "sampai": "2026-11-30"})
    html = page.content.decode()
    one = ("Langkah 1: 1 tugas, median 1 jam 20 menit, persentil ke-90 1 jam 20 menit, "
           "standar 1 jam, tepat waktu 0%.")
    assert 'data-step="1"' in html and f"<title>{one}</title>" in html
    assert f'tabindex="0" role="img" aria-label="{one}"' in html
    assert ("<title>Langkah 3: belum ada tugas yang selesai dalam periode ini; standar belum "
            "ditetapkan.</title>") in html
    assert html.count('tabindex="0" role="img"') >= 3
    assert "alur/reports.js" in html
