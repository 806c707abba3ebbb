"""A PDF import reviewed beside its source pages in a real browser: the author uploads a PDF
alur rendered from an example, the review shows the pages next to the steps with the symbols
outlined, and clicking a step marks its page and symbol. A screenshot of the review at 1366 px
is written to /tmp/review-pdf.png for a person to look at."""

import subprocess
import sys
from pathlib import Path

import pytest

from alur.web.org.models import Membership, Position, Unit

from .chromium import BROWSER_TESTS

EXAMPLE = Path(__file__).parents[2] / "examples" / "library" / "surat-ijin-cuti.yaml"
SCREENSHOT = Path("/tmp/review-pdf.png")
PASSWORD = "sandi-uji-123"

pytestmark = [*BROWSER_TESTS, pytest.mark.usefixtures("jobs_in_request")]


@pytest.fixture
def pdf(tmp_path) -> Path:
    """The example rendered as `alur render` renders it."""
    out = tmp_path / "surat-ijin-cuti.pdf"
    subprocess.run([str(Path(sys.executable).parent / "alur"), "render", str(EXAMPLE), "-o",
                    str(out)], check=True, capture_output=True)
    return out


@pytest.fixture
def author(db):
    from django.contrib.auth import get_user_model

    unit = Unit.objects.create(name="Badan Kepegawaian Daerah", kind="badan", code="bkd")
    Position.objects.create(unit=unit, name="Kepala Sub Bagian Umum")
    user = get_user_model().objects.create_user("penyusun", password=PASSWORD)
    Membership.objects.create(user=user, unit=unit, role="penyusun")
    return unit


def upload_as_author(browser, base: str, document: Path, *, timeout: float | None = None):
    """A new 1366 px page, signed in as the `author` fixture's penyusun, on the review of
    `document` uploaded through the import page (`timeout` in ms, for slow reading)."""
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", "penyusun")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.goto(f"{base}/impor/")
    page.set_input_files("#id_files", [str(document)])
    if timeout is not None:
        page.set_default_timeout(timeout)
    page.click("button:has-text('Unggah dan baca')")
    page.wait_for_selector("h1:has-text('Tinjau hasil impor')")
    return page


def test_pdf_review_beside_its_pages(live_server, browser, author, pdf):
    page = upload_as_author(browser, live_server.url, pdf)

    # The pages stand beside the steps, loaded through the authenticated view.
    aside = page.locator(".impor-sumber").first
    assert aside.is_visible()
    table_box = page.locator(".impor-berdampingan > .gulir").first.bounding_box()
    aside_box = aside.bounding_box()
    assert aside_box["x"] > table_box["x"] + table_box["width"] - 5  # to the right
    images = page.locator("figure.impor-halaman img")
    assert images.count() == 2
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=images.nth(index).element_handle())
    assert page.locator("rect.simbol").count() >= 6

    # A step's row marks its page and its symbol.
    row = page.locator("tr[data-simbol]").nth(1)
    row.locator("td").nth(1).click()
    symbol_id = row.get_attribute("data-simbol")
    assert "sorot" in (page.locator(f"#{symbol_id}").get_attribute("class") or "")
    assert page.locator("figure.impor-halaman.sorot").count() == 1
    assert "sorot" in (row.get_attribute("class") or "")

    page.locator("section.impor-sop").first.scroll_into_view_if_needed()
    page.locator("details.impor-langkah").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT), full_page=True)

    # On a phone the pages stack below the steps instead of beside them.
    page.set_viewport_size({"width": 390, "height": 844})
    table_box = page.locator(".impor-berdampingan > .gulir").first.bounding_box()
    aside_box = page.locator(".impor-sumber").first.bounding_box()
    assert aside_box["y"] >= table_box["y"] + table_box["height"] - 5
    assert aside_box["width"] <= 390
    page.screenshot(path="/tmp/review-pdf-phone.png", full_page=True)
