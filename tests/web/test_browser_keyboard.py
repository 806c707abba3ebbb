"""Keyboard only: a Pegawai logs in, starts "Surat Ijin Cuti" from the home page and completes
the first step, with Tab, Enter and Space and typing into the field Tab reached. No click, no
fill, no focus() by script: every control on the way must be reachable and usable from the
keyboard, the focus must show where it is, and the skip link must jump over the menu."""

from __future__ import annotations

from typing import Any

from .browser_office import PASSWORD, build_office
from .chromium import BROWSER_TESTS

pytestmark = BROWSER_TESTS
TITLE = "Cuti tahunan Sari, 8–10 Desember"
FOCUSED = """(selector) => {
  const e = document.activeElement;
  return !!e && e !== document.body && e.matches(selector);
}"""
# Where the focus is, in words, for a failure message.
DESCRIBE = """() => {
  const e = document.activeElement;
  if (!e || e === document.body) return "(nothing)";
  const text = (e.innerText || e.value || e.getAttribute("aria-label") || "").trim();
  return `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""} "${text.slice(0, 40)}"`;
}"""
# A focused control shows it: an outline or a box-shadow (Bootstrap's focus ring).
FOCUS_VISIBLE = """() => {
  const s = getComputedStyle(document.activeElement);
  return (s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== "none";
}"""


def tab_to(page: Any, selector: str, limit: int = 80) -> None:
    """Press Tab until the focus is on an element matching `selector` (already there: no
    press), checking that the control shows its focus."""
    seen = []
    for _ in range(limit):
        if page.evaluate(FOCUSED, selector):
            assert page.evaluate(FOCUS_VISIBLE), f"{selector} has focus but shows no focus ring"
            return
        page.keyboard.press("Tab")
        seen.append(page.evaluate(DESCRIBE))
    raise AssertionError(f"{selector} not reached with Tab; the focus went through:\n" +
                         "\n".join(seen))


def test_a_pegawai_starts_a_case_and_completes_a_task_by_keyboard(
        live_server, browser, transactional_db):
    from alur.web.cases.models import Case

    office = build_office()
    version = office.sop.latest()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})

    page.goto(f"{base}/masuk/")
    tab_to(page, "#id_username")
    page.keyboard.type("pegawai")
    tab_to(page, "#id_password")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/")

    # The first Tab reaches the skip link, which jumps over the menu into the page.
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED, "a.skip"), page.evaluate(DESCRIBE)
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED, "main *"), page.evaluate(DESCRIBE)
    # The home offers the procedures a Pegawai can start.
    tab_to(page, f'main a[href="/kasus/mulai/{version.public_id}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/kasus/mulai/{version.public_id}/")
    tab_to(page, "input[name=title]")
    page.keyboard.type(TITLE)
    tab_to(page, "main form[method=post] button[type=submit]")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/kasus/*/")
    case = Case.objects.get(title=TITLE)
    task = case.tasks.get(status="open")

    # From the case page to its open task (the first is the applicant's own step).
    tab_to(page, f'main a[href="/tugas/{task.public_id}/"]')
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/tugas/{task.public_id}/")
    boxes = page.locator('form.selesaikan input[name="inputs"]')
    assert boxes.count() >= 1
    for i in range(boxes.count()):
        value = boxes.nth(i).get_attribute("value")
        tab_to(page, f'form.selesaikan input[name="inputs"][value="{value}"]')
        page.keyboard.press("Space")
        assert boxes.nth(i).is_checked()
    tab_to(page, "form.selesaikan textarea, form.selesaikan input[name=comment]")
    page.keyboard.type("Berkas lengkap.")
    tab_to(page, "form.selesaikan button.selesai")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    task.refresh_from_db()
    assert task.status == "done", page.locator("main").inner_text()
    assert case.tasks.filter(status="open").exclude(pk=task.pk).exists()  # the next step
    assert "Berkas lengkap." in str(case.events.values_list("data", flat=True))
