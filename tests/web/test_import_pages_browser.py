"""A scanned PDF reviewed beside its pages in a real browser: the symbols found in the scan's
pixels are outlined over the page, the steps' OCR values are highlighted as inferred, and
clicking a step marks its symbol. A screenshot is written to /tmp/review-scan.png for a person
to look at."""

from pathlib import Path

import pytest

from alur.importers.scan import tesseract_command

from .chromium import BROWSER_TESTS
from .test_browser_import_pdf import author, upload_as_author  # noqa: F401 - the author fixture

SCAN = Path(__file__).parents[2] / "tests" / "importers" / "fixtures" / "scan" / \
    "surat-ijin-cuti-scan.pdf"
SCREENSHOT = Path("/tmp/review-scan.png")

pytestmark = [*BROWSER_TESTS, pytest.mark.usefixtures("jobs_in_request"),
              pytest.mark.skipif(tesseract_command() is None, reason="needs Tesseract OCR")]


def test_scanned_pdf_review_outlines_the_symbols_found_in_its_pixels(live_server, browser,
                                                                     author, settings):  # noqa: F811
    settings.ALUR_IMPORT_SECONDS = 240  # two pages of OCR on a shared two-core machine
    # The job runs OCR inside the upload request here.
    page = upload_as_author(browser, live_server.url, SCAN, timeout=300_000)
    page.set_default_timeout(30_000)

    images = page.locator("figure.impor-halaman img")
    assert images.count() == 2
    for index in range(images.count()):
        images.nth(index).scroll_into_view_if_needed()
        page.wait_for_function("img => img.complete && img.naturalWidth > 0",
                               arg=images.nth(index).element_handle())
    symbols = page.locator("figure.impor-halaman").nth(1).locator("rect.simbol")
    assert symbols.count() == 6
    # The outlines stand on the page picture, within it.
    picture = page.locator("figure.impor-halaman img").nth(1).bounding_box()
    for index in range(symbols.count()):
        box = symbols.nth(index).bounding_box()
        assert picture["x"] <= box["x"] and box["x"] + box["width"] <= \
            picture["x"] + picture["width"] + 1
        assert picture["y"] <= box["y"] and box["y"] + box["height"] <= \
            picture["y"] + picture["height"] + 1
    # Every actor read from the scan is highlighted as inferred.
    rows = page.locator("table.impor-langkah-tabel tbody tr")
    assert page.locator("td.pelaksana.disimpulkan").count() == rows.count()

    # A step's row marks its symbol on the scan.
    row = page.locator("tr[data-simbol]").nth(1)
    row.locator("td").nth(1).click()
    symbol_id = row.get_attribute("data-simbol")
    assert "sorot" in (page.locator(f"#{symbol_id}").get_attribute("class") or "")

    page.locator("details.impor-langkah").first.scroll_into_view_if_needed()
    page.screenshot(path=str(SCREENSHOT), full_page=True)
