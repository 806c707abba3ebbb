"""The pages people use, in a real browser: Playwright driving Debian's Chromium
(/usr/bin/chromium; never a downloaded browser) against the live test server."""

from pathlib import Path

import pytest

from alur.web.demo import unit_chain
from alur.web.org.models import Membership

from .chromium import BROWSER_TESTS

SEEDS = Path(__file__).parents[1] / "importers" / "fixtures" / "seeds"

pytestmark = BROWSER_TESTS


@pytest.fixture
def people(db):
    from django.contrib.auth import get_user_model

    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Organisasi"])
    made = {}
    for name, role in (("penyusun", "penyusun"), ("pengesah", "pengesah")):
        user = get_user_model().objects.create_user(name, password="sandi-uji-123")
        Membership.objects.create(user=user, unit=unit.parent, role=role)
        made[name] = user
    return unit, made


def _login(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "sandi-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_author_edits_submits_and_official_approves(live_server, browser, people, tmp_path):
    from alur.sop import load
    from alur.web.library.services import add_sop

    unit, _ = people
    library = Path(__file__).parents[2] / "examples" / "library"
    version = add_sop(load(library / "surat-keluar.yaml").sop, unit)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(page, base, "penyusun")
    page.goto(f"{base}/sop/")  # the library (home is the role's own page)
    page.fill("#q", "surat keluar")
    page.click("form.saring-daftar button")
    page.click("text=SURAT KELUAR")
    page.click("text=Ubah draf")
    page.wait_for_selector("#pratinjau svg")
    assert page.locator("#pratinjau").inner_text().count("tidak memiliki pelaksana") == 0
    # Step 4 loses its actor: the preview redraws and the checker says so.
    step4 = page.locator(".baris").nth(3)
    step4.locator("input[type=checkbox]:checked").uncheck()
    page.wait_for_function(  # a function: a bare expression would need CSP's 'unsafe-eval'
        "() => document.querySelector('#pratinjau').innerText.includes('Langkah 4 tidak memiliki')")
    step4.locator("input[type=checkbox]").nth(3).check()  # Kabag again
    page.fill(f'[name="step-{step4.get_attribute("data-key")}-time"]', "7 menit")
    page.click("#formulir button[type=submit]")
    page.wait_for_selector("text=Draf disimpan")
    page.click("text=Ajukan untuk disahkan")
    page.wait_for_selector("text=diajukan untuk disahkan")
    page.screenshot(path=str(tmp_path / "diajukan.png"))

    official = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(official, base, "pengesah")
    official.goto(f"{base}/sop/{version.sop.public_id}/")
    official.fill("#efektif", "2026-12-01")
    official.click("button:has-text('Sahkan')")
    official.wait_for_selector("text=berlaku mulai 01-12-2026")
    with official.expect_download() as download:
        official.click("a:has-text('PDF')")
    path = download.value.path()
    assert Path(path).read_bytes().startswith(b"%PDF")
    version.refresh_from_db()
    assert version.status == "disahkan" and version.document.step(4).time == "7 menit"


def test_author_imports_a_seed_and_fixes_an_inferred_actor(live_server, browser, people,
                                                           jobs_in_request):
    from alur.web.library.models import SopVersion

    base = live_server.url
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(page, base, "penyusun")
    page.click("text=Impor SOP")
    page.select_option("select", label="Bagian Organisasi")
    page.set_input_files("input[type=file]", str(SEEDS / "004_11c9a70a9030f825.txt"))
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("h1:has-text('Tinjau hasil impor')")
    # Seed 004 has no Nama SOP; step 11's actor was inferred from "oleh Kepala Banda".
    page.fill('[name="sop-0-nama"]', "Penyusunan Rencana Kerja (Renja)")
    step11 = page.locator('[name="sop-0-langkah-10"]')
    assert "disimpulkan" in step11.locator("option").first.inner_text()
    step11.select_option(label="Kepala Badan")
    page.select_option('[name="sop-0-langkah-1"]', label="Kasubbag")
    page.click("button[value=simpan]")
    page.wait_for_selector("text=1 draf SOP disimpan")
    saved = SopVersion.objects.get(name="Penyusunan Rencana Kerja (Renja)")
    assert saved.status == "draft"
    assert saved.document.step(11).actors == ["kepala-badan"]
    assert "actors" not in saved.document.step(11).inferred
    assert saved.document.step(2).actors == ["kasubbag"]


def test_unit_admin_appoints_a_plh_to_a_vacant_position(live_server, browser):
    """From the unit page's 'vacant' warning to a holder, with a refused date on the way."""
    import datetime as dt

    from django.contrib.auth import get_user_model

    from alur.web.org.models import Assignment, Person, Position

    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Umum"])
    position = Position.objects.create(unit=unit, name="Kepala Bagian Umum")
    admin = get_user_model().objects.create_user("admin-umum", password="sandi-uji-123")
    Membership.objects.create(user=admin, unit=unit, role="admin")
    Person.objects.create(name="Rina Kasubag", nip="198502022010012002")
    page = browser.new_page()
    base = live_server.url
    _login(page, base, "admin-umum")
    page.goto(f"{base}/organisasi/{unit.code}/")
    row = page.locator("tr", has_text="Kepala Bagian Umum")
    assert "kosong" in row.inner_text()
    row.get_by_role("link", name="Angkat pemegang jabatan").click()
    page.wait_for_url(f"**/jabatan/{position.pk}/#angkat")
    page.select_option("#id_person", label="Rina Kasubag — NIP 198502022010012002")
    page.select_option("#id_kind", value="plh")
    today = dt.date.today()
    page.fill("#id_start", today.isoformat())
    page.fill("#id_end", (today - dt.timedelta(days=1)).isoformat())
    with page.expect_navigation():
        page.click("form.form-angkat button[type=submit]")
    assert "Tanggal akhir sebelum tanggal mulai." in page.locator("form.form-angkat").inner_text()
    assert not Assignment.objects.exists()
    page.fill("#id_end", (today + dt.timedelta(days=3)).isoformat())
    with page.expect_navigation():
        page.click("form.form-angkat button[type=submit]")
    holders = page.locator("table.pemegang tbody").inner_text()
    assert "Rina Kasubag" in holders and "sedang menjabat" in holders
    page.goto(f"{base}/organisasi/{unit.code}/")
    row = page.locator("tr", has_text="Kepala Bagian Umum")
    assert "Rina Kasubag" in row.inner_text() and "kosong" not in row.inner_text()
