"""The import review in a real browser: an author of the whole regency uploads a Word SOP and a
text extract without choosing a unit, reviews the proposals (unit from the heading, applicant
and positions from the column names, inferred values marked) and saves. A screenshot of the
review page at 1366 px is written to /tmp/review.png for a person to look at."""

from pathlib import Path

import pytest

from alur.web.demo import unit_chain
from alur.web.library.models import ActorLink, SopVersion
from alur.web.org.models import Membership, Position, Unit

from .chromium import BROWSER_TESTS

FIXTURES = Path(__file__).parents[1] / "importers" / "fixtures"
WORD = FIXTURES / "office" / "cuti-bkpsdm-grouped.docx"
HTML = FIXTURES / "kartu-pns.html"
SEED_004 = FIXTURES / "seeds" / "004_11c9a70a9030f825.txt"
SCREENSHOT = Path("/tmp/review.png")
PASSWORD = "sandi-uji-123"

pytestmark = [*BROWSER_TESTS, pytest.mark.usefixtures("jobs_in_request")]


def _document() -> Path:
    """The Word SOP when the importers read it; the HTML page otherwise."""
    from alur.importers import read_document

    if WORD.exists() and read_document(WORD, taken_ids=set()).sops:
        return WORD
    return HTML


@pytest.fixture
def regency(db):
    from django.contrib.auth import get_user_model

    bkpsdm = unit_chain(["PEMERINTAH KABUPATEN BANGKA TENGAH",
                         "BADAN KEPEGAWAIAN DAN PENGEMBANGAN SUMBER DAYA MANUSIA"])
    unit_chain(["PEMERINTAH KABUPATEN BANGKA TENGAH",
                "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"])
    mutasi = Unit.objects.create(name="Bidang Mutasi dan Promosi", kind="bidang",
                                 parent=bkpsdm, code="bidang-mutasi")
    positions = {
        "kaban": Position.objects.create(unit=bkpsdm, name="Kepala Badan"),
        "kabid": Position.objects.create(unit=mutasi, name="Kepala Bidang Mutasi dan Promosi"),
        "kasi": Position.objects.create(unit=mutasi, name="Kepala Seksi Mutasi"),
        "staf": Position.objects.create(unit=mutasi, name="Staf Pengelola Cuti"),
    }
    user = get_user_model().objects.create_user("penyusun", password=PASSWORD)
    Membership.objects.create(user=user, unit=bkpsdm.parent, role="penyusun")
    return bkpsdm, positions


def _login(page, base: str) -> None:
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "penyusun")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_author_reviews_proposals_and_saves(live_server, browser, regency):
    bkpsdm, positions = regency
    document = _document()
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, base)
    page.goto(f"{base}/impor/")
    assert page.locator("#id_unit").input_value() == ""  # left to the heading
    page.set_input_files("#id_files", [str(document), str(SEED_004)])
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("h1:has-text('Tinjau hasil impor')")

    # The unit named by the Word document's heading is proposed, marked as such.
    unit_select = page.locator("#id_unit")
    if document == WORD:
        assert unit_select.input_value() == str(bkpsdm.pk)
        assert page.locator(".impor-unit .lencana.usulan").is_visible()
        first = page.locator("#sop-0")
        # Pegawai starts the case; the others are the positions of the same names.
        assert first.locator("#id_sop-0-peta-0-jabatan").input_value() == "pemohon"
        assert first.locator("#id_sop-0-peta-4-jabatan").input_value() == \
            str(positions["kaban"].pk)
        assert first.locator("#id_sop-0-peta-2-jabatan").input_value() == \
            str(positions["kasi"].pk)
        assert "tabel 2 baris" in first.locator("td.sumber").first.inner_text()
    else:
        unit_select.select_option(str(bkpsdm.pk))
        page.click("button:has-text('Ganti unit')")
        page.wait_for_selector("text=jabatan yang diusulkan sekarang")
    # The text extract's inferred actor is marked, its tooltip naming the field.
    second = page.locator("#sop-1")
    badge = second.locator("td.pelaksana .lencana.simpul").first
    assert badge.inner_text() == "disimpulkan"
    assert "pelaksana" in badge.get_attribute("title")
    assert second.locator("td.sumber").first.inner_text().startswith("baris ")
    assert page.locator("text=import.").count() == 0  # findings without internal codes
    # As tall as the page, so the sticky save bar sits at its foot rather than over a card.
    height = page.evaluate("document.documentElement.scrollHeight")
    page.set_viewport_size({"width": 1366, "height": height})
    page.screenshot(path=str(SCREENSHOT), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The text extract names no SOP: saving without a name says so next to the field.
    page.click("button:has-text('Simpan SOP yang dicentang')")
    page.wait_for_selector("#sop-1 .galat-isian")
    page.fill("#id_sop-1-nama", "Penyusunan Rencana Kerja")
    page.locator("#id_sop-0-peta-1-jabatan").select_option(str(positions["staf"].pk))
    page.click("button:has-text('Simpan SOP yang dicentang')")
    page.wait_for_selector("text=draf SOP disimpan")
    assert SopVersion.objects.filter(sop__unit=bkpsdm).count() == 2
    links = ActorLink.objects.filter(sop__unit=bkpsdm, position=positions["staf"])
    assert links.count() == 1


def test_pages_keep_choices_and_enter_stays_on_the_page(live_server, browser, regency):
    bkpsdm, _ = regency
    seed_002 = SEED_004.with_name("002_222709af16668202.txt")
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, base)
    page.goto(f"{base}/impor/")
    page.select_option("#id_unit", str(bkpsdm.pk))
    page.set_input_files("#id_files", [str(seed_002)])
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("h1:has-text('Tinjau hasil impor')")
    assert page.locator("section.impor-sop").count() == 5
    page.uncheck("input[name=sop-1-simpan]")
    page.fill("#id_sop-0-nama", "Analisa Jabatan")
    page.press("#id_sop-0-nama", "Enter")  # the page is kept, nothing is saved
    page.wait_for_load_state()
    assert page.locator("#sop-0").is_visible() and not SopVersion.objects.exists()
    page.click("nav.impor-halaman >> nth=0 >> button:has-text('3')")
    page.wait_for_selector("#sop-10")
    page.locator("nav.impor-halaman").first.scroll_into_view_if_needed()
    page.screenshot(path="/tmp/review-pages.png")
    page.click("nav.impor-halaman >> nth=0 >> button:has-text('1')")
    page.wait_for_selector("#sop-0")
    assert page.input_value("#id_sop-0-nama") == "Analisa Jabatan"
    assert not page.is_checked("input[name=sop-1-simpan]")
    page.click("button:has-text('Simpan SOP yang dicentang')")
    page.wait_for_selector("text=24 draf SOP disimpan")


def test_job_page_polls_until_the_review_opens(live_server, browser, regency, settings):
    """A queued upload shows the job page; when a worker has read it, htmx's polling opens the
    review by itself."""
    from alur.web.library import jobs
    from alur.web.library.models import ImportJob

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}  # stays queued: no worker runs
    bkpsdm, _ = regency
    base = live_server.url
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    _login(page, base)
    page.goto(f"{base}/impor/")
    page.select_option("#id_unit", str(bkpsdm.pk))
    page.set_input_files("#id_files", [str(SEED_004), str(HTML)])
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("text=Menunggu dalam antrean")
    assert page.locator("progress").is_visible() and "/proses/" in page.url
    jobs.run_import(ImportJob.objects.get().pk)  # the worker's turn
    page.wait_for_selector("h1:has-text('Tinjau hasil impor')", timeout=10_000)
    assert "/proses/" not in page.url and page.locator("section.impor-sop").count() == 2
