"""The ABK page in Debian's Chromium against the live test server, as an evaluator uses it: a
wrong volume is told next to its field, a right one is saved and the figures follow, the XLSX
downloads; the page fits a phone (no sideways scrolling at 390 px) and the
Content-Security-Policy refuses nothing. Screenshots go to $ALUR_SCREENSHOTS when it is set."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from openpyxl import load_workbook

from alur.web.demo import unit_chain
from alur.web.org.models import Membership

from .cases_fixtures import approved, staff
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = BROWSER_TESTS


@pytest.fixture
def office(user_factory):
    unit = unit_chain(["PEMERINTAH KABUPATEN CONTOH", "SEKRETARIAT DAERAH", "BAGIAN UMUM"])
    author = user_factory("penulis")
    version = approved("surat-ijin-cuti", unit, author)
    staff(version, user_factory)
    user_factory("penilai", Membership.Role.EVALUATOR, unit)
    return {"unit": unit, "version": version}


def _login(browser, base, viewport):
    context = browser.new_context(viewport=viewport, accept_downloads=True)
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "penilai")
    page.fill("#id_password", PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_an_evaluator_enters_a_volume_and_downloads_the_abk(live_server, browser, office,
                                                            tmp_path):
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    unit, sop = office["unit"], office["version"].sop
    url = f"{live_server.url}/abk/unit/{unit.pk}/"
    errors: list[str] = []
    wide = []
    for viewport in (PHONE, DESKTOP):
        context, page = _login(browser, live_server.url, viewport)
        # (A refused form answers 400, which the console reports too: not a page error.)
        page.on("console", lambda m: errors.append(m.text)
                if m.type == "error" and "status of 400" not in m.text else None)
        response = page.goto(url)
        assert response is not None and response.status == 200
        if viewport is PHONE:
            assert "isi volume" in page.content()  # no volume yet: the work is unknown
            page.select_option(f"#id_sumber-{sop.pk}", "entered")
            page.fill(f"#id_volume-{sop.pk}", "12,5")
            page.click("#simpan-volume")
            message = page.locator(f"#id_volume-{sop.pk}_error")
            assert "bilangan bulat" in message.text_content()
            page.fill(f"#id_volume-{sop.pk}", "120")
            page.click("#simpan-volume")
            page.wait_for_load_state()
            assert "sudah disimpan" in page.content()
        width = page.evaluate("() => document.documentElement.scrollWidth")
        if viewport is PHONE and width > PHONE["width"]:
            wide.append(width)
        page.screenshot(path=str(shots / f"abk-{viewport['width']}.png"), full_page=True)
        if viewport is DESKTOP:
            with page.expect_download() as download:
                page.click("text=Unduh XLSX")
            path = download.value.path()
            sheet = load_workbook(io.BytesIO(Path(path).read_bytes())).active
            values = [c.value for row in sheet.iter_rows() for c in row]
            assert "Predikat" in values and 120 in values
        context.close()
    assert wide == [], f"the page is wider than the phone: {wide}"
    assert errors == []  # nothing refused by the Content-Security-Policy
