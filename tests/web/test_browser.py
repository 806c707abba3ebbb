"""The pages people use, in a real browser: Playwright driving Debian's Chromium
(/usr/bin/chromium; never a downloaded browser) against the live test server."""

from pathlib import Path

import pytest
from django.utils import timezone

from alur.web.demo import unit_chain
from alur.web.org.models import Membership

from .chromium import BROWSER_TESTS
from .test_signing import seal  # noqa: F401  (the demo seal, jobs in the request)

SEEDS = Path(__file__).parents[1] / "importers" / "fixtures" / "seeds"

pytestmark = BROWSER_TESTS


@pytest.fixture
def people(db):
    from django.contrib.auth import get_user_model

    unit = unit_chain(["Sekretariat Daerah (uji)", "Bagian Organisasi"])
    made = {}
    for name, role in (("penyusun", "penyusun"), ("pengesah", "pengesah"),
                       ("peninjau", "peninjau")):
        user = get_user_model().objects.create_user(name, password="sandi-uji-123")
        Membership.objects.create(user=user, unit=unit.parent, role=role)
        made[name] = user
    # The approver signs as the head of the bureau: an employee record with a NIP.
    import datetime as dt

    from alur.web.org.models import Assignment, Person, Position
    head = Person.objects.create(user=made["pengesah"], name="Dra. Siti Aminah, M.Si.",
                                 nip="197001011995032001")
    Assignment.objects.create(person=head, start=dt.date(2020, 1, 1), position=Position.objects
                              .create(unit=unit, name="Kepala Bagian Organisasi"))
    return unit, made


def _login(page, base, username):
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", "sandi-uji-123")
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_author_edits_submits_and_official_approves(live_server, browser, people, tmp_path,
                                                    seal):  # noqa: F811
    """The whole path: the author edits and submits, the bureau returns it with a note, the
    author fixes it and submits again, the bureau passes it, the official approves, and an
    anonymous visitor downloads the signed PDF from the public archive and verifies it."""
    from alur.sop import load
    from alur.web.library.services import add_sop
    from alur.web.signing.models import SignedDocument

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
    page.wait_for_selector("text=direviu lebih dahulu oleh biro organisasi")

    # The bureau returns it with a note on step 4.
    bureau = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(bureau, base, "peninjau")
    bureau.goto(f"{base}/tugas/")
    bureau.click("text=Reviu SOP")
    bureau.fill("#id_langkah_4", "Waktu 7 menit terlalu singkat untuk paraf hierarki")
    bureau.screenshot(path=str(tmp_path / "reviu.png"), full_page=True)
    bureau.check("input[name=result][value=perbaikan]")
    bureau.click("text=Catat hasil reviu")
    bureau.wait_for_selector("text=dikembalikan ke penyusun dengan catatan reviu")

    # The author reads the note beside step 4 in the editor, fixes it and submits again.
    page.goto(f"{base}/sop/{version.sop.public_id}/")
    page.click("text=Ubah draf")
    page.click("a[href='#langkah-4']")
    note = page.locator(".baris").nth(3).locator(".catatan-reviu")
    assert "terlalu singkat" in note.inner_text()
    page.screenshot(path=str(tmp_path / "catatan-reviu.png"))
    step4 = page.locator(".baris").nth(3)
    page.fill(f'[name="step-{step4.get_attribute("data-key")}-time"]', "15 menit")
    page.click("#formulir button[type=submit]")
    page.wait_for_selector("text=Draf disimpan")
    page.click("text=Ajukan untuk disahkan")
    page.wait_for_selector("text=direviu lebih dahulu oleh biro organisasi")

    # The bureau passes it and numbers it.
    bureau.goto(f"{base}/tugas/")
    bureau.click("text=Reviu SOP")
    bureau.fill("#id_sop_number", "800/021/SOP/ORG/2026")
    bureau.check("input[name=result][value=sesuai]")
    bureau.click("text=Catat hasil reviu")
    bureau.wait_for_selector("text=diteruskan ke pengesah")

    official = browser.new_page(viewport={"width": 1400, "height": 1000})
    _login(official, base, "pengesah")
    official.goto(f"{base}/sop/{version.sop.public_id}/")
    official.click("text=Sahkan atau kembalikan")
    assert official.locator("text=Berita Acara Hasil Reviu (PDF)").count() == 1
    official.fill("#id_effective", "2026-12-01")
    official.fill("#id_decree_number", "188.4/12/ORG/2026")
    if official.locator("#id_acknowledge").count():
        official.check("#id_acknowledge")
    official.click("form:has(input[value=sahkan]) button[type=submit]")
    official.wait_for_selector("text=berlaku mulai 01-12-2026")
    # The document records its approval: the identity sheet names who signed, as what.
    identity = official.locator(".identitas-sop").inner_text()
    assert "Kepala Bagian Organisasi" in identity and "Dra. Siti Aminah, M.Si." in identity
    assert "197001011995032001" in identity and "800/021/SOP/ORG/2026" in identity
    official.screenshot(path=str(tmp_path / "disahkan.png"), full_page=True)
    version.refresh_from_db()
    assert version.status == "disahkan" and version.document.step(4).time == "15 menit"

    # An anonymous visitor downloads the signed PDF from the public archive and checks it.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}, locale="id-ID")
    public = visitor.new_page()
    public.goto(f"{base}/publik/")
    public.click("text=SURAT KELUAR")
    with public.expect_download() as download:
        public.click("text=Unduh dokumen (PDF)")
    signed = Path(download.value.path())
    data = signed.read_bytes()
    record = SignedDocument.objects.get(version=version)
    import hashlib
    assert hashlib.sha256(data).hexdigest() == record.sha256
    public.goto(f"{base}/verifikasi/{record.code}/")
    public.set_input_files("input[type=file]", str(signed))
    public.get_by_role("button", name="Periksa berkas").click()
    assert "Berkas ini asli." in public.locator("#hasil").inner_text()
    visitor.close()


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
    today = timezone.localdate()
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
