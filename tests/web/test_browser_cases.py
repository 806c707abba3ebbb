"""Running an SOP in a real browser: Playwright driving Debian's Chromium (/usr/bin/chromium;
never a downloaded browser) against the live test server. The issue's acceptance test: a
Pegawai starts "Surat Ijin Cuti" and each position acts in turn until the case finishes."""

import re

import pytest

from alur.web.demo import unit_chain
from alur.web.org.models import Person

from .cases_fixtures import approved, staff
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"  # the password `user_factory` gives every account
TITLE = "Cuti tahunan Budi, 1–5 Desember"
# Who carries out each step of examples/library/surat-ijin-cuti.yaml, and whether it asks Ya/Tidak.
STEPS = [(1, "pns-dan-ptt", False), (2, "pengelola-kepegawaian", True),
         (3, "pengadm-umum", False), (4, "kabag", False), (5, "pengadm-umum", False),
         (6, "pengelola-kepegawaian", False)]

pytestmark = BROWSER_TESTS


@pytest.fixture
def leave_sop(user_factory):
    """Surat Ijin Cuti approved in a unit, a holder with an account for every linked position,
    and an applicant who holds none of them ("PNS dan PTT" routes to whoever starts)."""
    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Umum"])
    version = approved("surat-ijin-cuti", unit, user_factory("penulis"))
    holders = staff(version, user_factory)
    applicant = user_factory("pegawai", "pegawai", unit)
    Person.objects.create(user=applicant, name="Budi Pegawai", email="budi@contoh.go.id")
    usernames = {actor: person.user.username for actor, person in holders.items()}
    usernames["pns-dan-ptt"] = "pegawai"
    return version, usernames


def _login(context, base, username):
    """A fresh page in `context`, logged in as `username`."""
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _open_task(page, base, step):
    """From "Tugas saya", open this case's task for `step`; returns the task's path."""
    page.click('header nav a[href="/tugas/"]')
    page.wait_for_url(f"{base}/tugas/")
    row = page.locator("table.tugas tbody tr", has_text=TITLE)
    assert row.count() == 1, page.locator("main").inner_text()
    link = row.locator('a[href^="/tugas/"]')
    assert link.inner_text().startswith(f"{step}. ")
    href = link.get_attribute("href")
    link.click()
    page.wait_for_url(f"{base}{href}")
    assert f"{step}:" in page.locator("h1").inner_text()
    return href


def _tick_inputs(page):
    boxes = page.locator('form.selesaikan input[name="inputs"]')
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        boxes.nth(i).check()


def _case_path(case):
    return f"/kasus/{case.public_id}/"


def test_applicant_starts_leave_request_and_each_position_acts_until_done(
        live_server, browser, leave_sop):
    from alur.web.cases.models import Case, Task

    version, usernames = leave_sop
    base = live_server.url
    viewport = {"viewport": {"width": 1366, "height": 900}}

    # The applicant starts the SOP from the list of runnable ones.
    applicant = browser.new_context(**viewport)
    page = _login(applicant, base, "pegawai")
    page.goto(f"{base}/kasus/mulai/")
    row = page.locator("tbody tr", has_text="SURAT IJIN CUTI")
    assert row.count() == 1
    row.locator(f'a[href="/kasus/mulai/{version.public_id}/"]').click()
    page.wait_for_url(f"{base}/kasus/mulai/{version.public_id}/")
    assert page.locator("h1").inner_text() == "SURAT IJIN CUTI"
    page.fill("#id_title", TITLE)
    page.click("form.form-mulai button[type=submit]")
    page.wait_for_url(re.compile(r".*/kasus/[0-9a-f-]{36}/$"))
    case = Case.objects.get()
    assert page.url == f"{base}{_case_path(case)}"
    assert page.locator("h1").inner_text() == TITLE
    assert page.locator(".status.kasus-running").count() == 1
    assert page.locator('svg [data-step="1"].step-current').count() == 1
    assert case.initiator.name == "Budi Pegawai" and case.status == "running"

    # Step 1 is the applicant's own ("PNS dan PTT"): it waits in their inbox.
    _open_task(page, base, 1)
    assert page.locator('form.selesaikan button[name="decision"]').count() == 0
    _tick_inputs(page)
    page.click("form.selesaikan button[type=submit]")
    page.wait_for_url(f"{base}{_case_path(case)}")
    assert page.locator('svg [data-step="1"].step-done').count() == 1
    assert page.locator('svg [data-step="2"].step-current').count() == 1
    applicant.close()

    # Every next position's holder, in their own browser context.
    for number, actor, decision in STEPS[1:]:
        context = browser.new_context(**viewport)
        page = _login(context, base, usernames[actor])
        href = _open_task(page, base, number)
        task = Task.objects.get(case=case, public_id=href.split("/")[2])
        assert task.step == number and task.status == "open"
        if number == 3:
            # Submitting without ticking the required inputs is refused; the task stays open.
            page.click("form.selesaikan button[type=submit]")
            page.wait_for_load_state()
            error = page.locator('form.selesaikan fieldset [role="alert"]')
            assert error.count() == 1 and error.inner_text().strip()
            assert page.locator('form.selesaikan input[name="inputs"]:checked').count() == 0
            task.refresh_from_db()
            assert task.status == "open" and task.done_at is None
            assert Task.objects.filter(case=case, step=4).count() == 0
        _tick_inputs(page)
        if decision:
            yes = page.locator('form.selesaikan button[name="decision"][value="ya"]')
            no = page.locator('form.selesaikan button[name="decision"][value="tidak"]')
            assert yes.is_visible() and no.is_visible()
            yes.click()
        else:
            assert page.locator('form.selesaikan button[name="decision"]').count() == 0
            page.click("form.selesaikan button[type=submit]")
        page.wait_for_url(f"{base}{_case_path(case)}")
        task.refresh_from_db()
        assert task.status == "done" and task.done_by.user.username == usernames[actor]
        if decision:
            assert task.decision == "ya"
        assert page.locator(f'svg [data-step="{number}"].step-done').count() >= 1
        context.close()

    # The applicant sees the case finished and every symbol of the flowchart done.
    context = browser.new_context(**viewport)
    page = _login(context, base, "pegawai")
    page.goto(f"{base}{_case_path(case)}")
    assert page.locator(".status.kasus-finished").count() == 1
    symbols = page.locator("svg .symbol")
    assert symbols.count() >= len(STEPS)
    assert page.locator("svg .symbol.step-done").count() == symbols.count()
    drawn = {int(s) for s in symbols.evaluate_all("els => els.map(e => e.dataset.step)")}
    assert drawn == {number for number, _, _ in STEPS}
    case.refresh_from_db()
    assert case.status == "finished" and case.ended_at is not None
    assert list(case.tasks.order_by("ready_at", "pk").values_list("step", "status")) == [
        (number, "done") for number, _, _ in STEPS]
    # Nothing is left in anybody's inbox.
    page.click('header nav a[href="/tugas/"]')
    page.wait_for_url(f"{base}/tugas/")
    assert page.locator("table.tugas tbody tr", has_text=TITLE).count() == 0
    context.close()
