"""The report pages in Debian's Chromium against the live test server: the dashboard, the
heat map and the cases behind a figure fit a phone (no sideways scrolling at 390 px) and are
photographed at 390 and 1366 px into $ALUR_SCREENSHOTS when it is set (else the tmp dir)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from alur.analysis import standard_time
from alur.web.cases.models import Case, Task
from alur.web.demo import unit_chain
from alur.web.org.models import Membership, Person
from alur.web.reports import rollup

from .cases_fixtures import approved, staff
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = BROWSER_TESTS


@pytest.fixture
def history(user_factory):
    """Surat Ijin Cuti with forty finished cases over four months: some steps within their
    standard, one a little over, one far over."""
    unit = unit_chain(["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH", "BAGIAN UMUM"])
    author = user_factory("penulis")
    version = approved("surat-ijin-cuti", unit, author)
    people = staff(version, user_factory)
    initiator = next(iter(people.values()))
    document = version.document
    standard = standard_time(document).step_minutes
    links = {link.actor_id: link.position_id for link in version.sop.actor_links.all()}
    now = timezone.now()
    tasks = []
    for n in range(40):
        started = now - dt.timedelta(days=4 + n * 3)
        case = Case.objects.create(title=f"Cuti {n + 1}", version=version, sop=version.sop,
                                   unit=unit, initiator=initiator, started_at=started,
                                   status=Case.Status.FINISHED, ended_at=started)
        moment = started
        for step in document.steps:
            limit = standard.get(step.number)
            base = limit.max if limit else 30
            factor = (0.6, 0.9, 1.2, 2.5)[(step.number + n) % 4 if step.number % 3 else 0]
            minutes = max(1, int(base * factor))
            done = moment + dt.timedelta(minutes=minutes)
            actor = step.actors[0] if step.actors else ""
            tasks.append(Task(case=case, key=f"{step.number}.1", step=step.number,
                              actor_id=actor, actor_name=actor, activity=step.activity_text,
                              position_id=links.get(actor), status=Task.Status.DONE,
                              ready_at=moment, claimed_at=moment + dt.timedelta(minutes=1),
                              done_at=done,
                              due_at=moment + dt.timedelta(minutes=base) if limit else None,
                              work_minutes=minutes, wait_minutes=1))
            moment = done
    Task.objects.bulk_create(tasks)
    rollup.rebuild()  # rows written past the case services: the dashboard's rollup rebuilt
    user = user_factory("penilai", Membership.Role.EVALUATOR, unit)
    Person.objects.create(user=user, name="Penilai")
    return {"unit": unit, "version": version}


def _login(browser, base, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "penilai")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_the_report_pages_fit_a_phone(live_server, browser, history, tmp_path, settings):
    settings.ALUR_REPORT_CACHE_SECONDS = 0
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    unit, sop = history["unit"], history["version"].sop
    pages = [("laporan-unit", f"/laporan/unit/{unit.pk}/"),
             ("laporan-sop", f"/laporan/unit/{unit.pk}/sop/{sop.public_id}/"),
             ("laporan-kasus", f"/laporan/unit/{unit.pk}/kasus/?sop={sop.public_id}")]
    wide, errors = [], []
    for viewport in (PHONE, DESKTOP):
        context, page = _login(browser, live_server.url, viewport)
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        for name, path in pages:
            response = page.goto(f"{live_server.url}{path}")
            assert response is not None and response.status == 200, path
            page.screenshot(path=str(shots / f"{name}-{viewport['width']}.png"), full_page=True)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if viewport is PHONE and width > PHONE["width"]:
                wide.append((name, width))
        context.close()
    assert wide == [], f"pages wider than the phone: {wide}"
    assert errors == []  # nothing refused by the Content-Security-Policy


def test_a_step_of_the_heat_map_shows_its_figures_by_keyboard(live_server, browser, history,
                                                               tmp_path, settings):
    settings.ALUR_REPORT_CACHE_SECONDS = 0
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    unit, sop = history["unit"], history["version"].sop
    context, page = _login(browser, live_server.url, DESKTOP)
    page.goto(f"{live_server.url}/laporan/unit/{unit.pk}/sop/{sop.public_id}/")
    first = page.locator(".bagan-kotak [data-step='1'][aria-label]").first
    label = first.get_attribute("aria-label") or ""
    assert label.startswith("Langkah 1: 40 tugas, median ")
    assert first.locator("title").text_content() == label  # the tooltip on hover
    # By keyboard: Tab goes from the scrollable drawing to its first step, which shows its
    # figures beside it.
    page.focus(".bagan-kotak")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "1"
    tip = page.locator("#peta-tip")
    assert tip.is_visible() and tip.text_content() == label
    page.screenshot(path=str(shots / "laporan-sop-fokus.png"))
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.getAttribute('data-step')") == "2"
    context.close()
