"""The verification page as a visitor uses it: no login, on a phone and a desktop, checking
the genuine signed PDF and an altered copy. Screenshots go to $ALUR_SCREENSHOTS when set."""

import os
from pathlib import Path

from django.core.files.storage import default_storage

from alur.web.signing import services

from .chromium import BROWSER_TESTS
from .test_signing import _altered, seal  # noqa: F401  (the demo seal fixture)

pytestmark = BROWSER_TESTS
WIDTHS = {"ponsel": {"width": 390, "height": 844}, "desktop": {"width": 1366, "height": 900}}


def test_verification_page(browser, live_server, seal, library, tmp_path):  # noqa: F811
    signed = services.sign_version(library["sakip"].pk)
    assert signed is not None
    with default_storage.open(signed.stored_name) as stored:
        data = stored.read()
    good, bad = tmp_path / "sop.pdf", tmp_path / "sop-diubah.pdf"
    good.write_bytes(data)
    bad.write_bytes(_altered(data))
    shots = Path(os.environ.get("ALUR_SCREENSHOTS") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    url = f"{live_server.url}/verifikasi/{signed.code}/"
    for name, size in WIDTHS.items():
        context = browser.new_context(viewport=size, locale="id-ID")
        page = context.new_page()
        page.goto(url)
        assert page.locator("h1").inner_text() == "Verifikasi keaslian dokumen"
        assert "Segel demo, bukan TTE tersertifikasi" in page.content()
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        page.screenshot(path=str(shots / f"verifikasi-{name}.png"), full_page=True)
        page.set_input_files("input[type=file]", str(good))
        page.get_by_role("button", name="Periksa berkas").click()
        assert "Berkas ini asli." in page.locator("#hasil").inner_text()
        page.screenshot(path=str(shots / f"verifikasi-asli-{name}.png"), full_page=True)
        page.set_input_files("input[type=file]", str(bad))
        page.get_by_role("button", name="Periksa berkas").click()
        assert "BUKAN" in page.locator("#hasil").inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= size["width"]
        page.screenshot(path=str(shots / f"verifikasi-diubah-{name}.png"), full_page=True)
        context.close()
