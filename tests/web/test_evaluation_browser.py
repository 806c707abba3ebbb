"""The evaluation in Debian's Chromium against the live test server: the evaluator opens the
list, starts the SOP's evaluation, answers (the proposal follows the answers as they are
given), finalises with revise, and the author finds the draft that names the evaluation. The
pages fit a phone and the Content-Security-Policy refuses nothing."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from django.utils import timezone

from alur.web.evaluation.models import Evaluation
from alur.web.library.models import SopVersion
from alur.web.org.models import Person

from .cases_fixtures import approved
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}

pytestmark = BROWSER_TESTS


def _login(browser, base, username, viewport):
    context = browser.new_context(viewport=viewport)
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    return context, page


def test_evaluate_and_send_for_revision(live_server, browser, user_factory, units, tmp_path):
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    unit = units["dinsos"]
    author = user_factory("penulis", "penyusun", unit)
    Person.objects.create(user=author, name="Sari Penyusun")
    version = approved("surat-ijin-cuti", unit, author)
    version.effective_date = timezone.localdate() - dt.timedelta(days=400)
    version.save()
    evaluator = user_factory("penilai", "evaluator", unit)
    Person.objects.create(user=evaluator, name="Budi Evaluator", nip="198001012005011001")

    errors: list[str] = []
    context, page = _login(browser, live_server.url, "penilai", PHONE)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/evaluasi/")
    page.screenshot(path=str(shots / "evaluasi-daftar-390.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_role("link", name="Evaluasi", exact=True).click()
    page.wait_for_load_state()
    for n in range(1, 8):
        page.check(f"#id_kriteria_{n}_0")  # Ya
    assert "semua kriteria dijawab Ya" in page.inner_text("#usulan")
    assert page.input_value("#id_result") == "tetap"
    page.check("#id_kriteria_3_1")  # Tidak
    assert "kriteria 3 dijawab Tidak" in page.inner_text("#usulan")
    assert page.input_value("#id_result") == "revisi"
    page.fill("#id_catatan_3", "Formulir cuti sulit diisi tanpa bantuan.")
    page.screenshot(path=str(shots / "evaluasi-formulir-390.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["width"]
    # finalising without a reason says so next to the field
    page.click("button[name=finalisasi]")
    page.wait_for_load_state()
    assert page.locator("#id_reason_error").is_visible()
    assert page.input_value("#id_catatan_3") == "Formulir cuti sulit diisi tanpa bantuan."
    page.fill("#id_reason", "Kriteria 3 tidak terpenuhi.")
    page.click("button[name=finalisasi]")
    page.wait_for_load_state()
    assert "Evaluasi telah difinalisasi." in page.content()
    page.screenshot(path=str(shots / "evaluasi-final-390.png"), full_page=True)
    context.close()

    evaluation = Evaluation.objects.get()
    assert evaluation.final and evaluation.result == "revisi"
    assert evaluation.draft.status == SopVersion.Status.DRAFT

    context, page = _login(browser, live_server.url, "penulis", DESKTOP)
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(f"{live_server.url}/notifikasi/")
    page.get_by_role("link", name="Revisi SOP").first.click()
    page.wait_for_load_state()
    page.get_by_role("link", name=f"Dibuat dari evaluasi tahun {evaluation.year}").click()
    page.wait_for_load_state()
    assert "Formulir cuti sulit diisi tanpa bantuan." in page.content()
    page.screenshot(path=str(shots / "evaluasi-dibaca-penyusun-1366.png"), full_page=True)
    context.close()
    assert errors == []
