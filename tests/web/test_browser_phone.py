"""The pages people use fit a phone: at 390 px wide no page scrolls sideways
(document.documentElement.scrollWidth <= 390), in Debian's Chromium (/usr/bin/chromium, never
a downloaded browser) against the live test server. Each page is also photographed at 390 and
1366 px, into $ALUR_SCREENSHOTS when it is set (to look at them), else the test's tmp dir."""

import datetime as dt
import os
from pathlib import Path

import pytest
from django.utils import timezone

from alur.web.demo import unit_chain
from alur.web.org.models import Assignment, Person

from .cases_fixtures import approved, staff
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"  # the password `user_factory` gives every account
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}
EXTRA_SOPS = ["surat-masuk", "penyusunan-sakip", "pengajuan-kenaikan-gaji-berkala",
              "pengarsipan-surat-masuk-keluar"]

pytestmark = BROWSER_TESTS


@pytest.fixture
def office(user_factory):
    """A Bagian Umum running Surat Ijin Cuti: a case waiting at step 2 (a decision of the
    Pengelola Kepegawaian, whose position has a Plh today and a Plt to come), a few more
    SOPs, an applicant, an admin and an author."""
    from alur.web.cases import services

    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Umum"])
    author = user_factory("penulis", "penyusun", unit)
    version = approved("surat-ijin-cuti", unit, author)
    for name in EXTRA_SOPS:
        approved(name, unit, author)
    holders = staff(version, user_factory)
    applicant = user_factory("pegawai", "pegawai", unit)
    starter = Person.objects.create(user=applicant, name="Budi Pegawai")
    user_factory("admin-umum", "admin", unit)
    case = services.start_case(version, starter, title="Cuti tahunan Budi, 1–5 Desember")
    first = case.tasks.get(step=1)
    services.complete(first, services.Actor(starter), outputs=[], comment="",
                      decision=None, idempotency_key="telepon-1")
    step2 = case.tasks.get(step=2)
    position = step2.position
    Assignment.objects.create(person=Person.objects.create(name="Sari Calon Plt"),
                              position=position, kind=Assignment.Kind.PLT,
                              start=timezone.localdate() + dt.timedelta(days=5),
                              end=timezone.localdate() + dt.timedelta(days=20))
    # Someone standing in for the same position today (Plh), with an account.
    Assignment.objects.create(
        person=Person.objects.create(user=user_factory("plh-kepegawaian", "pegawai", unit),
                                     name="Rudi Plh"),
        position=position, kind=Assignment.Kind.PLH, start=timezone.localdate(),
        end=timezone.localdate() + dt.timedelta(days=2))
    checker = holders["pengelola-kepegawaian"].user.username
    return {"unit": unit, "version": version, "case": case, "task": step2,
            "position": position, "checker": checker}


def _login(browser, base, username, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def _pages(office):
    """(name, who, path) of each page looked at."""
    case, task, version = office["case"], office["task"], office["version"]
    position, unit = office["position"], office["unit"]
    return [
        ("pustaka", "pegawai", "/sop/"),
        ("sop", "pegawai", f"/sop/{version.sop.public_id}/"),
        ("kasus-daftar", "pegawai", "/kasus/"),
        ("kasus", "pegawai", f"/kasus/{case.public_id}/"),
        ("mulai-daftar", "pegawai", "/kasus/mulai/"),
        ("mulai", "pegawai", f"/kasus/mulai/{version.public_id}/"),
        ("tugas-saya", office["checker"], "/tugas/"),
        ("tugas", office["checker"], f"/tugas/{task.public_id}/"),
        ("tugas-saya-plh", "plh-kepegawaian", "/tugas/"),
        ("pemberitahuan", office["checker"], "/notifikasi/"),
        ("organisasi", "admin-umum", "/organisasi/"),
        ("unit", "admin-umum", f"/organisasi/{unit.code}/"),
        ("jabatan", "admin-umum", f"/organisasi/{unit.code}/jabatan/{position.pk}/"),
        ("impor", "penulis", "/impor/"),
    ]


def test_no_page_scrolls_sideways_on_a_phone(live_server, browser, office, tmp_path):
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    base = live_server.url
    wide = []
    for viewport in (PHONE, DESKTOP):
        contexts: dict[str, tuple] = {}
        for name, who, path in _pages(office):
            if who not in contexts:
                contexts[who] = _login(browser, base, who, viewport)
            page = contexts[who][1]
            response = page.goto(f"{base}{path}")
            assert response is not None and response.status == 200, (name, path)
            page.screenshot(path=str(shots / f"{name}-{viewport['width']}.png"),
                            full_page=True)
            width = page.evaluate("() => document.documentElement.scrollWidth")
            if viewport is PHONE and width > PHONE["width"]:
                wide.append((name, width))
        for context, _ in contexts.values():
            context.close()
    assert wide == [], f"pages wider than the phone: {wide}"


def test_login_page_fits_a_phone(live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/masuk/")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]


def test_task_actions_are_in_thumb_reach_and_the_flowchart_zooms(live_server, browser,
                                                                  office, tmp_path):
    """On a phone the decision buttons are full-width halves, at least 44 px tall, kept at
    the bottom of the screen; the case page's flowchart grows with + and pans in its box."""
    context, page = _login(browser, live_server.url, office["checker"], PHONE)
    page.goto(f"{live_server.url}/tugas/{office['task'].public_id}/")
    for value in ("ya", "tidak"):
        box = page.locator(f'form.selesaikan button[name="decision"][value="{value}"]') \
            .bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 120
        assert box["y"] + box["height"] <= PHONE["height"]  # in view without scrolling
    # What the phone's screen shows (not the whole page): the buttons at its foot.
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / "tugas-layar-390.png"))
    # The holder's inbox does not say "as Plt/Plh": that is for who stands in for them.
    page.goto(f"{live_server.url}/tugas/")
    assert "sebagai Pl" not in page.locator("main").inner_text()
    context.close()
    context, page = _login(browser, live_server.url, "plh-kepegawaian", PHONE)
    page.goto(f"{live_server.url}/tugas/")
    assert f"sebagai Plh {office['position'].name}" in page.locator("main").inner_text()

    page.goto(f"{live_server.url}/kasus/{office['case'].public_id}/")
    figure = page.locator(".bagan-kotak").first
    before = figure.evaluate("el => el.querySelector('svg').getBoundingClientRect().width")
    page.locator(".bagan-zoom button[data-zoom='in']").first.click()
    page.locator(".bagan-zoom button[data-zoom='in']").first.click()
    after = figure.evaluate("el => el.querySelector('svg').getBoundingClientRect().width")
    assert after >= 1.9 * before
    assert figure.evaluate("el => el.scrollWidth > el.clientWidth")  # it pans inside its box
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.locator(".bagan-zoom button[data-zoom='reset']").first.click()
    reset = figure.evaluate("el => el.querySelector('svg').getBoundingClientRect().width")
    assert abs(reset - before) < 1
    context.close()
