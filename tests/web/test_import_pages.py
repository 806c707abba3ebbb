"""Scans on the review page: a scanned PDF and a scanned image get their pages with the symbols
alur found in the pixels outlined (and the steps' inferred values highlighted), measured in a
limited child of their own; when that child fails, the pages are shown without outlines and
nothing else of the import is lost."""

import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alur.importers import ImportResult
from alur.importers.scan import tesseract_command
from alur.sop.fileformat import load
from alur.web.library import jobs
from alur.web.library.models import ImportJob

from .test_import import post_upload, review_url

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]
ROOT = Path(__file__).parents[2]
SCANS = ROOT / "tests" / "importers" / "fixtures" / "scan"
EXAMPLE = ROOT / "examples" / "library" / "surat-ijin-cuti.yaml"
SYMBOLS = 6  # the example's flowchart: two capsules, three rectangles, a diamond

needs_ocr = pytest.mark.skipif(tesseract_command() is None, reason="needs Tesseract OCR")


def _inside(symbol: dict, page: dict) -> bool:
    width, height = page["points"]
    x0, y0, x1, y1 = symbol["box"]
    return 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height


@needs_ocr
def test_a_scanned_pdf_is_reviewed_with_its_symbols_outlined(penyusun, units, settings):
    settings.ALUR_IMPORT_SECONDS = 240  # two pages of OCR on a shared two-core machine
    data = (SCANS / "surat-ijin-cuti-scan.pdf").read_bytes()
    url = review_url(post_upload(penyusun, units["dinsos"], SimpleUploadedFile(
        "surat-ijin-cuti-scan.pdf", data, content_type="application/pdf")))
    job = ImportJob.objects.get()
    [entry] = job.pages
    first, second = entry["pages"]
    assert first["symbols"] == []  # the identity sheet
    assert len(second["symbols"]) == SYMBOLS
    assert all(_inside(s, second) and s["inferred"] for s in second["symbols"])

    page = penyusun.get(url).content.decode()
    assert page.count('class="simbol simbol-') == SYMBOLS
    # Each step row leads to its outlined symbol, and its OCR values are highlighted.
    assert page.count('data-simbol="sop-0-hal-2-s') == len(job.sops[0]["steps"])
    assert page.count('class="pelaksana disimpulkan') == len(job.sops[0]["steps"])


def _scanned_png() -> bytes:
    """The flowchart page of the scanned fixture as an image file at 200 dpi (as a scanner
    saves it)."""
    import pypdfium2 as pdfium

    page = pdfium.PdfDocument((SCANS / "surat-ijin-cuti-scan.pdf").read_bytes())[1]
    image = page.render(scale=200 / 72, grayscale=True).to_pil()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", dpi=(200, 200))
    return buffer.getvalue()


def _read_as_example(monkeypatch) -> None:
    """The reading itself (OCR) is the scan reader's test; here the job gets the example."""
    sop = load(EXAMPLE).sop
    monkeypatch.setattr(jobs, "read_isolated", lambda *a, **k: ImportResult([sop], []))


def test_a_scanned_image_gets_its_symbols_outlined_on_its_picture(penyusun, units,
                                                                  monkeypatch):
    _read_as_example(monkeypatch)
    post_upload(penyusun, units["dinsos"], SimpleUploadedFile("pindai.png", _scanned_png()))
    job = ImportJob.objects.get()
    [page] = job.pages[0]["pages"]
    # The page's size in points is the image's at its resolution: A4 landscape.
    # (PNG stores its resolution per metre: 200 dpi comes back as 199.9.)
    assert page["points"] == pytest.approx([842, 595], abs=1.5)
    assert page["width"] == 1200  # the picture shown, scaled down
    assert len(page["symbols"]) == SYMBOLS
    assert all(_inside(s, page) and s["inferred"] for s in page["symbols"])


def test_when_measuring_the_symbols_fails_the_pages_stay_without_outlines(
        penyusun, units, monkeypatch, settings):
    """A child that runs out of memory (as a crafted file would make it) costs the review its
    outlines only: the pictures and the SOP read stay."""
    _read_as_example(monkeypatch)
    settings.ALUR_IMPORT_MEMORY_MB = 40  # too little for the child to even load OpenCV
    url = review_url(post_upload(penyusun, units["dinsos"], SimpleUploadedFile(
        "pindai.png", _scanned_png())))
    job = ImportJob.objects.get()
    [page] = job.pages[0]["pages"]
    assert page["image"] and page["symbols"] == []
    assert len(job.sops) == 1
    review = penyusun.get(url).content.decode()
    assert 'class="impor-sumber"' in review and 'class="simbol simbol-' not in review
