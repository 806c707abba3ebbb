"""The Content-Security-Policy in a real browser: Chromium loads the pages people use, as each
role, with alur's policy in force, and every `securitypolicyviolation` it reports (and every
"Content Security Policy" console message) fails the test. Covers the flowcharts (SOP page,
editor preview redrawn by htmx, a running case), the import job and review pages (htmx polling,
the review's script), the organisation tree, the administration and the API's Swagger page."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cases_fixtures import approved, staff
from .chromium import BROWSER_TESTS

PASSWORD = "rahasia-123"  # the password `user_factory` gives every account
SEED_004 = Path(__file__).parents[1] / "importers" / "fixtures" / "seeds" / \
    "004_11c9a70a9030f825.txt"
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(
  `${e.violatedDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber} ${e.sample}`));
"""

pytestmark = [*BROWSER_TESTS, pytest.mark.usefixtures("jobs_in_request")]


class Visitor:
    """One person's browser context, logged in through the login page, that collects what the
    browser reports against the policy."""

    def __init__(self, browser, base: str, username: str | None) -> None:
        self.base, self.reports = base, []
        self.context = browser.new_context(viewport={"width": 1366, "height": 900})
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("console", self._console)
        if username:
            self.open("/masuk/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", PASSWORD)
            self.page.click("button[type=submit]")
            self.page.wait_for_url(f"{base}/")
            self._collect("/masuk/ → /")

    def _console(self, message) -> None:
        if "Content Security Policy" in message.text or "Content-Security-Policy" in message.text:
            self.reports.append(f"console: {message.text}")

    def _collect(self, path: str) -> None:
        self.reports.extend(f"{path}: {r}" for r in self.page.evaluate("window.__csp || []"))

    def open(self, path: str, wait_for: str | None = None) -> None:
        response = self.page.goto(f"{self.base}{path}")
        assert response is not None and response.status == 200, (path, response and
                                                                  response.status)
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        if wait_for:
            self.page.wait_for_selector(wait_for)
        self.page.wait_for_load_state("networkidle")
        self._collect(path)


@pytest.fixture
def office(user_factory, units):
    from alur.web.cases import services
    from alur.web.library.services import add_sop
    from alur.web.org.models import Person

    from .conftest import LIBRARY

    unit = units["dinsos"]
    version = approved("surat-ijin-cuti", unit, user_factory("penulis"))
    staff(version, user_factory)
    applicant = user_factory("pemohon", "pegawai", unit)
    person = Person.objects.create(user=applicant, name="Budi Pemohon")
    case = services.start_case(version, person, title="Cuti Budi")
    user_factory("penyusun", "penyusun", unit)
    user_factory("pengesah", "pengesah", unit)
    user_factory("admin", is_staff=True, is_superuser=True)
    from alur.sop import load

    draft = add_sop(load(LIBRARY / "surat-keluar.yaml").sop, unit)
    return {"version": version, "case": case, "task": case.tasks.get(), "draft": draft}


def test_pages_as_each_role_report_no_policy_violation(live_server, browser, office):
    base = live_server.url
    sop, case, task = office["version"].sop, office["case"], office["task"]
    common = ["/", f"/sop/{sop.public_id}/", "/organisasi/", "/tugas/", "/kasus/",
              "/kasus/mulai/", "/notifikasi/", "/akun/sandi/"]
    reports = []

    anonymous = Visitor(browser, base, None)
    anonymous.open("/masuk/")
    anonymous.open("/akun/lupa/")
    reports += anonymous.reports

    author = Visitor(browser, base, "penyusun")
    for path in common:
        author.open(path, wait_for="svg" if path.startswith("/sop/") else None)
    # The unit tree is indented as before, without style="": 22 px a level.
    author.open("/organisasi/")
    indents = author.page.eval_on_selector_all(
        "ul.pohon li",
        "items => items.map(i => [i.dataset.tingkat, getComputedStyle(i).paddingLeft])")
    assert sorted(indents) == [["0", "0px"], ["0", "0px"], ["1", "22px"]], indents
    # The editor: htmx posts the form and swaps in the redrawn flowchart.
    author.open(f"/versi/{office['draft'].public_id}/ubah/", wait_for="#pratinjau svg")
    author.page.locator("textarea").first.fill("Menerima surat keluar dari pengolah")
    author.page.wait_for_timeout(1200)
    author.page.wait_for_selector("#pratinjau svg")
    author._collect("editor after a change")
    # An import: the job page, then the review with its own script.
    author.open("/impor/")
    author.page.set_input_files("#id_files", str(SEED_004))
    author.page.click("button:has-text('Unggah dan baca')")
    author.page.wait_for_url(f"{base}/impor/*/")  # the job ran in the request: the review
    author.page.wait_for_selector("form.impor-sop, .impor-sop")
    author.page.wait_for_load_state("networkidle")
    author._collect("import review")
    reports += author.reports

    approver = Visitor(browser, base, "pengesah")
    for path in common:
        approver.open(path)
    reports += approver.reports

    applicant = Visitor(browser, base, "pemohon")
    for path in [*common, f"/kasus/{case.public_id}/", f"/tugas/{task.public_id}/"]:
        applicant.open(path, wait_for="svg" if path.startswith("/kasus/") and
                       path != "/kasus/" and "mulai" not in path else None)
    reports += applicant.reports

    admin = Visitor(browser, base, "admin")
    for path in ["/admin/", "/admin/org/unit/", "/admin/auth/user/", "/api/docs",
                 f"/kasus/{case.public_id}/"]:
        admin.open(path, wait_for="#swagger-ui .info" if path == "/api/docs" else None)
    reports += admin.reports

    assert reports == []
