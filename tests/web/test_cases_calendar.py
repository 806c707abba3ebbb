"""The agency's working hours and time zone: kept in the admin (hours) and the environment
(zone), and followed by the due times of new tasks."""

from __future__ import annotations

import datetime as dt
import logging
import os
import subprocess
import sys
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from alur.engine.calendar import DEFAULT_RAMADAN_WEEK, DEFAULT_WEEK, JAKARTA, WorkingHours
from alur.web.cases import services, workcalendar
from alur.web.cases.models import RamadanPeriod, WorkingDay
from alur.web.cases.workcalendar import working_calendar, working_weeks

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    small_sop,
)

pytestmark = pytest.mark.django_db

# Monday 14 July 2025, no holiday in the week.
MONDAY = dt.date(2025, 7, 14)


@pytest.fixture
def timed(units, user_factory):
    """An SOP whose first step takes one working hour, and a person who can start it."""
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-jam", [
        {"number": 1, "activity": "Periksa", "actors": ["staf"], "time": "1 jam"},
        {"number": 2, "activity": "Arsip", "actors": ["staf"]}]), units["dinsos"], author)
    worker = make_person(user_factory, "staf", units["dinsos"],
                         positions=[position_of(version, "staf")])
    return version, worker


def due_of(version, worker, at: dt.datetime) -> dt.datetime:
    case = services.start_case(version, worker, at=at)
    return open_tasks(case)[0].due_at


def changelist_data(days: dict[int, tuple[str, str]]) -> dict[str, str]:
    """The admin list's form, every day as stored except those given."""
    rows = list(WorkingDay.objects.order_by("weekday"))
    data = {"form-TOTAL_FORMS": str(len(rows)), "form-INITIAL_FORMS": str(len(rows)),
            "form-MIN_NUM_FORMS": "0", "form-MAX_NUM_FORMS": "1000", "_save": "Simpan"}
    for i, row in enumerate(rows):
        hours, ramadan = days.get(row.weekday, (row.hours, row.ramadan_hours))
        data |= {f"form-{i}-id": str(row.pk), f"form-{i}-hours": hours,
                 f"form-{i}-ramadan_hours": ramadan}
    return data


def test_a_new_installation_has_the_national_hours():
    rows = list(WorkingDay.objects.order_by("weekday"))
    assert [r.weekday for r in rows] == list(range(7))
    assert rows[0].hours == "07.30-12.00, 13.00-16.00" and rows[5].hours == ""
    week, ramadan_week = working_weeks()
    assert week == dict(DEFAULT_WEEK) and ramadan_week == dict(DEFAULT_RAMADAN_WEEK)
    assert working_calendar().config.tz == JAKARTA


def test_hours_changed_in_the_admin_give_new_due_times(client, user_factory, timed):
    version, worker = timed
    at = dt.datetime.combine(MONDAY, dt.time(11, 30), tzinfo=JAKARTA)
    # National hours: half an hour before the break, half an hour after it.
    assert due_of(version, worker, at) == at.replace(hour=13, minute=30)

    admin = user_factory("admin-jam", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:cases_workingday_changelist")
    page = client.get(url).content.decode()
    assert "07.30-12.00, 13.00-16.00" in page and "Senin" in page
    # A Pemda's own rule: Monday 08.00 to 12.00 only, Saturday morning worked.
    response = client.post(url, changelist_data({0: ("8:00 - 12:00", ""),
                                                 5: ("08.00-11.00", "")}), follow=True)
    assert response.status_code == 200 and "berhasil" in response.content.decode()
    monday, saturday = (WorkingDay.objects.get(weekday=d) for d in (0, 5))
    assert monday.hours == "08.00-12.00" and monday.ramadan_hours == ""  # tidied
    assert saturday.hours == "08.00-11.00"
    # The signal dropped the cached calendar: half an hour on Monday, half on Tuesday.
    assert due_of(version, worker, at) == dt.datetime.combine(
        MONDAY + dt.timedelta(days=1), dt.time(8), tzinfo=JAKARTA)
    friday = dt.datetime.combine(MONDAY + dt.timedelta(days=4), dt.time(16), tzinfo=JAKARTA)
    # Half an hour left on Friday (to 16.30), the other half on Saturday morning.
    assert due_of(version, worker, friday) == friday.replace(day=19, hour=8, minute=30)

    # Ramadan hours apply on the dates of a Ramadan period; Monday has none.
    RamadanPeriod.objects.create(year=2025, start=MONDAY, end=MONDAY + dt.timedelta(days=6))
    assert due_of(version, worker, at) == dt.datetime.combine(
        MONDAY + dt.timedelta(days=1), dt.time(9), tzinfo=JAKARTA)


def test_hours_the_admin_cannot_use_are_refused_in_indonesian(client, user_factory):
    admin = user_factory("admin-jam", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:cases_workingday_changelist")
    for wrong in ("16.00-07.30", "07.30-12.00 13.00-16.00", "07.30-12.00, 11.00-13.00",
                  "pagi"):
        response = client.post(url, changelist_data({1: (wrong, "")}))
        assert response.status_code == 200
        assert "Tulis jam kerja seperti 07.30-12.00, 13.00-16.00" in response.content.decode()
        assert WorkingDay.objects.get(weekday=1).hours == "07.30-12.00, 13.00-16.00"
    # A week without any working time could never reach a due time.
    for day in range(1, 5):
        WorkingDay.objects.filter(weekday=day).update(hours="")
    response = client.post(url, changelist_data({0: ("", "")}))
    assert "Setidaknya satu hari dalam seminggu harus memiliki jam kerja" in \
        response.content.decode()
    assert WorkingDay.objects.get(weekday=0).hours != ""
    # Nor when the last two working days are emptied in one save (each row alone would
    # still see the other one's hours).
    WorkingDay.objects.filter(weekday__in=[0, 1]).update(hours="07.30-12.00")
    response = client.post(url, changelist_data({d: ("", "") for d in range(7)}))
    assert response.status_code == 200
    assert "Setidaknya satu hari dalam seminggu harus memiliki jam kerja" in \
        response.content.decode()
    assert WorkingDay.objects.get(weekday=0).hours == "07.30-12.00"
    assert "errornote" in response.content.decode()
    # Rows are neither added nor removed.
    assert client.get(reverse("admin:cases_workingday_add")).status_code == 403


def test_rows_written_around_the_form_do_not_stop_the_calendar(caplog, timed):
    version, worker = timed
    WorkingDay.objects.filter(weekday=2).update(hours="sepanjang hari")
    with caplog.at_level(logging.ERROR, logger="alur.web.cases.workcalendar"):
        week, _ = working_weeks()
    assert week[2] == DEFAULT_WEEK[2] and "sepanjang hari" in caplog.text
    WorkingDay.objects.update(hours="")
    workcalendar.forget()
    with caplog.at_level(logging.ERROR, logger="alur.web.cases.workcalendar"):
        calendar = working_calendar()
    assert calendar.config.week == DEFAULT_WEEK and "no working time" in caplog.text
    at = dt.datetime.combine(MONDAY, dt.time(11, 30), tzinfo=JAKARTA)
    assert due_of(version, worker, at) == at.replace(hour=13, minute=30)


def test_hours_are_counted_in_the_agency_time_zone(settings, timed):
    version, worker = timed
    settings.TIME_ZONE = "Asia/Makassar"  # WITA, an hour ahead of WIB
    workcalendar.forget()
    wita = ZoneInfo("Asia/Makassar")
    assert working_calendar().config.tz == wita
    at = dt.datetime.combine(MONDAY, dt.time(11, 30), tzinfo=wita)
    due = due_of(version, worker, at)
    assert due == at.replace(hour=13, minute=30)
    assert due == dt.datetime.combine(MONDAY, dt.time(12, 30), tzinfo=JAKARTA)


@pytest.mark.parametrize(("zone", "works"), [("Asia/Jayapura", True), ("WITA", False)])
def test_the_time_zone_comes_from_the_environment(tmp_path, zone, works):
    env = {**os.environ, "ALUR_TIME_ZONE": zone, "ALUR_DATA_DIR": str(tmp_path),
           "DJANGO_SETTINGS_MODULE": "alur.web.settings"}
    env.pop("DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-c", "from django.conf import settings; print(settings.TIME_ZONE)"],
        env=env, capture_output=True, text=True, timeout=60)
    if works:
        assert result.returncode == 0 and result.stdout.strip() == zone
    else:
        assert result.returncode != 0
        assert "ALUR_TIME_ZONE='WITA' is not a time zone name" in result.stderr


def test_hours_text_reads_back_for_every_default_row():
    for row in WorkingDay.objects.all():
        assert WorkingHours.from_text(row.hours).text == row.hours
