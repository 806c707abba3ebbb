"""The SOP editor in a real browser (Debian's Chromium through Playwright): the steps grid,
drag to reorder, the flowchart opening a step, unsaved changes surviving a reload, and a save
refused because someone else saved first."""

import os
import re
from pathlib import Path

import pytest

from alur.web.demo import unit_chain
from alur.web.org.models import Membership

from .chromium import BROWSER_TESTS

pytestmark = BROWSER_TESTS
LIBRARY = Path(__file__).parents[2] / "examples" / "library"
# Screenshots go here when set (to look at them), else to the test's temporary folder.
SHOTS = os.environ.get("ALUR_SCREENSHOTS")
KEPT = "() => Object.keys(localStorage).filter(k => k.startsWith('alur-editor:'))"


@pytest.fixture
def draft(db):
    from django.contrib.auth import get_user_model

    from alur.sop import load
    from alur.web.library.services import add_sop

    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Organisasi"])
    for name in ("penyusun", "rekan"):
        user = get_user_model().objects.create_user(name, password="sandi-uji-123")
        Membership.objects.create(user=user, unit=unit.parent, role="penyusun")
    return add_sop(load(LIBRARY / "surat-keluar.yaml").sop, unit)


def _login(page, base, username="penyusun"):
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "sandi-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def _editor(browser, base, draft, width=1366, height=900, username="penyusun", **options):
    page = browser.new_page(viewport={"width": width, "height": height}, **options)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(f"{m.text} {m.location}")
            if m.type == "error" else None)
    page.on("response", lambda r: errors.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.errors = errors
    _login(page, base, username)
    page.goto(f"{base}/versi/{draft.public_id}/ubah/")
    page.wait_for_selector("#pratinjau-bagan svg")
    return page


def _numbers(page):
    return page.eval_on_selector_all("#grid-langkah tbody.baris", "rows => rows.map("
                                     "r => r.querySelector('[name$=\"-number\"]').value)")


def _activities(page):
    return page.eval_on_selector_all("#grid-langkah tbody.baris", "rows => rows.map("
                                     "r => r.querySelector('[name$=\"-activity\"]').value)")


def _shots(tmp_path):
    folder = Path(SHOTS) if SHOTS else tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_grid_edit_add_and_keyboard(live_server, browser, draft, tmp_path):
    page = _editor(browser, live_server.url, draft)
    shots = _shots(tmp_path)
    page.screenshot(path=str(shots / "editor-1366.png"))
    page.screenshot(path=str(shots / "editor-1366-full.png"), full_page=True)
    # One row per step, an actor per column; the actors' ID column is 'advanced'.
    assert len(_numbers(page)) == 6
    assert not page.locator("th.kol-lanjutan").first.is_visible()
    page.check("#lanjutan")
    assert page.locator("th.kol-lanjutan").first.is_visible()
    # Step 4 loses its actor: the preview redraws and the checker says so.
    step4 = page.locator("#grid-langkah tbody.baris").nth(3)
    step4.locator("td.sel-pilih input:checked").uncheck()
    page.wait_for_function(
        "() => document.querySelector('#pratinjau').innerText.includes('Langkah 4 tidak memiliki')")
    step4.locator("td.sel-pilih input").nth(3).check()
    # Ctrl+Enter in a cell adds a step after it, numbered in its place; Enter stays a line break.
    activity = step4.locator("[name$='-activity']")
    activity.click()
    activity.press("End")
    activity.press("Enter")
    assert activity.input_value().endswith("\n")
    activity.press("Control+Enter")
    assert _numbers(page) == ["1", "2", "3", "4", "5", "6", "7"]
    focused = page.evaluate("() => document.activeElement.name")
    assert focused == "step-4-activity"
    page.keyboard.type("Memeriksa lampiran")
    page.keyboard.press("Tab")  # Tab moves on through the grid, to the first actor's box
    assert page.evaluate("() => document.activeElement.name") == "step-4-actors"
    page.keyboard.press("Space")
    # Details open below the row; the yes/no targets that pointed past it followed.
    row5 = page.locator("#grid-langkah tbody.baris").nth(4)
    row5.locator("[data-action=rincian]").click()
    assert row5.locator("[name$='-notes']").is_visible()
    row5.locator("[name$='-notes']").fill("lampiran lengkap")
    # A new actor is a new column of the grid, its id made from its title.
    page.click("[data-action=tambah-pelaksana]")
    page.keyboard.type("Kepala Dinas")
    heads = page.locator("#kepala-grid th.kol-pelaksana")
    assert heads.count() == 6 and heads.nth(5).inner_text() == "Kepala Dinas"
    first = page.locator("#grid-langkah tbody.baris").nth(0).locator("td.sel-pilih input")
    assert first.nth(5).get_attribute("value") == "kepala-dinas"
    first.nth(5).check()
    page.wait_for_timeout(400)
    page.wait_for_load_state("networkidle")  # leaving aborts a preview; htmx logs that
    page.click("#formulir button[type=submit]")
    page.wait_for_selector("text=Draf disimpan")
    draft.refresh_from_db()
    steps = draft.document.steps
    assert len(steps) == 7 and steps[4].activity == "Memeriksa lampiran"
    assert steps[4].notes == "lampiran lengkap" and steps[4].actors == [draft.document.actors[0].id]
    assert draft.document.actors[-1].id == "kepala-dinas" and "kepala-dinas" in steps[0].actors
    assert page.errors == [], page.errors


def test_drag_reorders_and_the_flowchart_opens_a_step(live_server, browser, draft, tmp_path):
    page = _editor(browser, live_server.url, draft)
    before = _activities(page)
    rows = page.locator("#grid-langkah tbody.baris")
    target = rows.nth(4).locator("td.sel-kegiatan")
    height = target.bounding_box()["height"]
    rows.nth(2).locator(".pegangan").drag_to(target, target_position={"x": 20, "y": height - 4})
    after = _activities(page)
    assert after != before and sorted(after) == sorted(before)
    assert after.index(before[2]) > 2
    assert page.locator("#grid-langkah tbody.baris").nth(2).locator(
        "[name$='-number']").input_value() == "3"
    assert _numbers(page) == ["1", "2", "3", "4", "5", "6"]  # numbered again in the new order
    # For the keyboard: the move buttons show when focused, and keep the focus.
    moved = _activities(page)
    rows.nth(3).locator("[data-action=naik]").focus()
    assert rows.nth(3).locator("[data-action=naik]").is_visible()
    page.keyboard.press("Enter")
    assert _activities(page)[2] == moved[3] and _activities(page)[3] == moved[2]
    assert page.evaluate("() => document.activeElement.dataset.action") == "naik"
    page.keyboard.press("Enter")
    assert _activities(page)[1] == moved[3]
    names = page.eval_on_selector_all("#grid-langkah tbody.baris [name$='-activity']",
                                      "xs => xs.map(x => x.name)")
    assert names == [f"step-{i}-activity" for i in range(6)]
    # Clicking a symbol opens its step, which is highlighted in the flowchart.
    page.wait_for_timeout(800)
    page.locator("#pratinjau-bagan .symbol[data-step='5']").click()
    row = page.locator("#grid-langkah tbody.baris").nth(4)
    assert "terpilih" in row.get_attribute("class") and "terbuka" in row.get_attribute("class")
    assert page.evaluate("() => document.activeElement.name") == "step-4-activity"
    assert page.locator("#pratinjau-bagan .symbol.terpilih").get_attribute("data-step") == "5"
    page.screenshot(path=str(_shots(tmp_path) / "editor-1366-step.png"))
    # Selecting a row in the grid highlights its symbol.
    rows.nth(1).locator("[name$='-time']").click()
    assert page.locator("#pratinjau-bagan .symbol.terpilih").get_attribute("data-step") == "2"
    # A broken number: the last good flowchart stays, with a notice; no script error.
    rows.nth(0).locator("[name$='-number']").fill("satu")
    page.wait_for_selector("#pratinjau-catatan .alert")
    assert page.locator("#pratinjau-bagan svg").count() >= 1
    page.screenshot(path=str(_shots(tmp_path) / "editor-1366-broken.png"))
    assert page.errors == [], page.errors
    # The split pane: its width follows the handle and is remembered.
    handle = page.locator("#editor-pegangan").bounding_box()
    page.mouse.move(handle["x"] + 4, handle["y"] + 100)
    page.mouse.down()
    page.mouse.move(handle["x"] - 250, handle["y"] + 100, steps=5)
    page.mouse.up()
    width = page.evaluate("() => localStorage.getItem('alur-tata:editor-lebar')")
    assert width is not None and float(width) < 50
    # The YAML tab: a text that cannot be read says so in words and selects the line.
    page.click("[data-tab=yaml]")
    page.fill("#yaml-isi", page.input_value("#yaml-isi") + "  salah: [\n")
    page.wait_for_function("() => document.querySelector('#pratinjau-temuan').innerText"
                           ".includes('Teks YAML tidak valid')")
    page.wait_for_load_state("networkidle")
    page.on("dialog", lambda dialog: dialog.accept())
    page.click("#yaml button[type=submit]")
    page.wait_for_selector(".alert-danger")
    assert not re.search(r"baris \d", page.locator(".alert-danger").inner_text())
    assert page.evaluate("() => document.activeElement.id") == "yaml-isi"
    page.screenshot(path=str(_shots(tmp_path) / "editor-1366-yaml.png"))
    shown = [e for e in page.errors if "/ubah/" not in e]  # the refused save's 400 is expected
    assert shown == [], shown


# Screen position of a point of the preview's SVG: an exit's start or end, a symbol's side.
_ON_SCREEN = """([selector, which]) => {
  const el = document.querySelector(selector);
  const svg = el.ownerSVGElement || el.closest('svg');
  let x, y;
  if (which === 'start' || which === 'end') {
    const pts = [...el.querySelector('polyline').points];
    ({x, y} = which === 'start' ? pts[0] : pts.at(-1));
  } else {
    const b = el.getBBox();
    x = b.x + b.width / 2; y = b.y + b.height / 2;
    if (which === 'top') y = b.y - 2;
    if (which === 'right') x = b.x + b.width + 3;
    if (which === 'below') y = b.y + b.height + 14;
  }
  const p = new DOMPoint(x, y).matrixTransform(svg.getScreenCTM());
  return [p.x, p.y];
}"""


def _drag(page, start, end):
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move((start[0] + end[0]) / 2, (start[1] + end[1]) / 2, steps=4)
    page.mouse.move(*end, steps=4)
    page.mouse.up()


def _redrawn(page, selector, attribute, before):
    """Wait for the preview to draw the element anew (its attribute changed)."""
    page.wait_for_function(
        "([selector, attribute, old]) => { const el = document.querySelector(selector);"
        " return el !== null && el.getAttribute(attribute) !== old; }",
        arg=[selector, attribute, before])


def test_an_exit_dragged_in_the_flowchart_keeps_its_new_sides(live_server, browser, draft,
                                                                tmp_path):
    """Surat keluar's step 2 decides; its Tidak exit loops back to step 1. Dragging the
    arrowhead onto step 1's top, the start to the diamond's right corner and the words below
    sets the step's layout selects, redraws the preview that way, and is saved with the
    draft."""
    page = _editor(browser, live_server.url, draft)
    no = "#pratinjau-bagan g.arrow.no[data-from='2']"
    line = f"{no} polyline"
    points = page.get_attribute(line, "points")
    _drag(page, page.evaluate(_ON_SCREEN, [no, "end"]),
          page.evaluate(_ON_SCREEN, ["#pratinjau-bagan .symbol[data-step='1']", "top"]))
    _redrawn(page, line, "points", points)
    row = page.locator("#grid-langkah tbody.baris").nth(1)
    assert row.locator("[name$='-entry_no']").input_value() == "top"
    assert "masuk ke tujuannya lewat sisi atas" in page.inner_text("#pratinjau-geser")
    end = page.evaluate(_ON_SCREEN, [no, "end"])
    top = page.evaluate(_ON_SCREEN, ["#pratinjau-bagan .symbol[data-step='1']", "top"])
    assert end[1] < page.evaluate(_ON_SCREEN, ["#pratinjau-bagan .symbol[data-step='1']",
                                               "middle"])[1] and abs(end[1] - top[1]) < 6
    points = page.get_attribute(line, "points")
    _drag(page, page.evaluate(_ON_SCREEN, [no, "start"]),
          page.evaluate(_ON_SCREEN, ["#pratinjau-bagan .symbol[data-step='2']", "right"]))
    _redrawn(page, line, "points", points)
    assert row.locator("[name$='-exit_no']").input_value() == "right"
    words = "#pratinjau-bagan text.label[data-from='2'][data-exit='no']"
    height = page.get_attribute(words, "y")
    _drag(page, page.evaluate(_ON_SCREEN, [words, "middle"]),
          page.evaluate(_ON_SCREEN, [words, "below"]))
    _redrawn(page, words, "y", height)
    assert row.locator("[name$='-label_no_side']").input_value() == "below"
    page.screenshot(path=str(_shots(tmp_path) / "editor-1366-dragged-exit.png"))
    assert not page.locator("#pratinjau-catatan .alert").count()
    assert page.errors == [], page.errors
    page.locator("#formulir button[type=submit]").first.click()
    page.wait_for_load_state("networkidle")
    draft.refresh_from_db()
    layout = draft.document.step(2).layout
    assert (layout.no, layout.no_in, layout.no_label) == ("right", "top", "below")


def test_unsaved_changes_survive_a_reload(live_server, browser, draft):
    page = _editor(browser, live_server.url, draft)
    page.fill("#name", "SURAT KELUAR (belum disimpan)")
    page.locator("#grid-langkah tbody.baris").nth(0).locator("[data-action=sisip]").click()
    page.keyboard.type("Langkah baru")
    page.wait_for_timeout(600)
    assert len(page.evaluate(KEPT)) == 1
    page.on("dialog", lambda dialog: dialog.accept())  # leaving asks first
    page.reload()
    page.wait_for_selector("#pulihkan:not([hidden])")
    assert "Pulihkan perubahan yang belum disimpan?" in page.locator("#pulihkan").inner_text()
    page.click("[data-action=pulihkan]")
    assert page.input_value("#name") == "SURAT KELUAR (belum disimpan)"
    assert "Langkah baru" in _activities(page) and len(_numbers(page)) == 7
    # A newer saved draft: what was kept is never offered over it.
    from alur.sop import load

    newer = load(LIBRARY / "surat-keluar.yaml").sop.model_copy(update={"number": "999"})
    draft.set_document(newer)
    draft.save()
    page.reload()
    page.wait_for_selector("#pratinjau-bagan svg")
    assert page.locator("#pulihkan").is_hidden()
    assert page.evaluate(KEPT) == []
    # Logging out forgets kept changes (logout.js).
    page.fill("#name", "lagi")
    page.wait_for_timeout(600)
    assert len(page.evaluate(KEPT)) == 1
    page.click("form.keluar button[type=submit]")
    page.wait_for_load_state()
    assert page.evaluate(KEPT) == []
    assert page.errors == [], page.errors


def test_a_save_over_a_newer_draft_is_refused(live_server, browser, draft, tmp_path):
    mine = _editor(browser, live_server.url, draft)
    theirs = _editor(browser, live_server.url, draft, username="rekan")
    theirs.fill("#name", "SURAT KELUAR (rekan)")
    theirs.click("#formulir button[type=submit]")
    theirs.wait_for_selector("text=Draf disimpan")
    mine.locator("#grid-langkah tbody.baris").nth(1).locator("[name$='-time']").fill("8 menit")
    mine.click("#formulir button[type=submit]")
    mine.wait_for_selector("#bentrok")
    mine.screenshot(path=str(_shots(tmp_path) / "editor-1366-conflict.png"))
    assert "Nama SOP" in mine.locator("#bentrok").inner_text()
    assert mine.locator("#grid-langkah tbody.baris").nth(1).locator(
        "[name$='-time']").input_value() == "8 menit"
    draft.refresh_from_db()
    assert draft.name == "SURAT KELUAR (rekan)" and draft.document.step(2).time != "8 menit"
    mine.click("#formulir button[type=submit]")  # again, knowingly
    mine.wait_for_selector("text=Draf disimpan")
    draft.refresh_from_db()
    assert draft.document.step(2).time == "8 menit"


def test_phone_layout(live_server, browser, draft, tmp_path):
    page = _editor(browser, live_server.url, draft, width=390, height=844, has_touch=True,
                   is_mobile=True)
    shots = _shots(tmp_path)
    page.screenshot(path=str(shots / "editor-390.png"))
    page.screenshot(path=str(shots / "editor-390-full.png"), full_page=True)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390
    grid = page.locator(".grid-kotak").bounding_box()
    chart = page.locator("#pratinjau-kotak").bounding_box()
    assert chart["y"] > grid["y"]  # stacked: the flowchart below the grid
    # No dragging on a touch screen: the move buttons show.
    up = page.locator("#grid-langkah tbody.baris").nth(1).locator("[data-action=naik]")
    assert up.bounding_box()["width"] > 10
    assert page.errors == [], page.errors

