"""Scanned-page import speed, run by hand: `.venv/bin/python benchmarks/import_scan.py [PDF]`.

Time and peak memory to measure ONE scanned A4 page (render at 300 dpi, deskew, ruling, shapes,
Tesseract OCR of the page and of the narrow number column) with `measure_scanned_pdf`, on the
flowchart page of the test fixture (tests/importers/fixtures/scan/surat-ijin-cuti-scan.pdf,
landscape A4 scanned at 200 dpi), or the first page of the PDF given. Peak memory is the
process's maximum resident set (Python, numpy/OpenCV buffers); the Tesseract child's maximum
(resource.RUSAGE_CHILDREN) is shown beside it but is only an upper bound: a child forked from
this process counts its parent's pages until it execs. Target: < 20 s a page on the 2-core
machine; measured there (2026-12): 2.4-5.7 s (most of it Tesseract, depending on the load), 292 MB.

Also timed, since they reuse the same image analysis: the review page's outlines of that page
(`outlines.page_symbols`: deskew, ruling, shapes, no OCR), and reading the fixture whose
flowchart is one picture pasted over the step table (tests/importers/fixtures/picture/
surat-ijin-cuti-gambar.pdf: the vector PDF read plus the picture's shapes and labels).
"""

from __future__ import annotations

import io
import resource
import sys
import time
from pathlib import Path

import pypdfium2 as pdfium

from alur.importers.scan import measure_scanned_pdf, tesseract_command

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests/importers/fixtures/scan/surat-ijin-cuti-scan.pdf"
TARGET = 20.0


def one_page(data: bytes, index: int) -> bytes:
    """The page alone, as a PDF of its own."""
    source = pdfium.PdfDocument(data)
    single = pdfium.PdfDocument.new()
    single.import_pages(source, [index])
    out = io.BytesIO()
    single.save(out)
    return out.getvalue()


def main() -> int:
    if tesseract_command() is None:
        print("Tesseract is not installed (apt-get install tesseract-ocr tesseract-ocr-ind)")
        return 1
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURE
    page = one_page(path.read_bytes(), 0 if len(sys.argv) > 1 else 1)
    started = time.perf_counter()
    measured = measure_scanned_pdf(page, file=path.name)
    elapsed = time.perf_counter() - started
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    grids = sum(1 for s in measured.surfaces for _ in s.grids)
    drawn = sum(len(s.drawn) for s in measured.surfaces)
    verdict = "ok" if elapsed < TARGET else f"SLOWER than the {TARGET:.0f} s target"
    print(f"scan import, 1 A4 page ({path.name}): {elapsed:.1f} s, peak memory "
          f"{own:.0f} MB (python; OCR child <= {child:.0f} MB); {grids} tables, {drawn} drawn "
          f"objects; {verdict}")
    extra(page)
    return 0


def extra(page: bytes) -> None:
    """The review's outlines of the same page, and a pasted flowchart picture read."""
    import tempfile

    from alur.importers import read_document
    from alur.importers.outlines import page_symbols

    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(page)
        file.flush()
        started = time.perf_counter()
        symbols = page_symbols(file.name)
        elapsed = time.perf_counter() - started
    print(f"review outlines of that page (no OCR): {elapsed:.1f} s, {len(symbols)} symbols")
    picture = ROOT / "tests/importers/fixtures/picture/surat-ijin-cuti-gambar.pdf"
    started = time.perf_counter()
    result = read_document(picture)
    elapsed = time.perf_counter() - started
    steps = sum(len(s.steps) for s in result.sops)
    print(f"PDF with the flowchart pasted as a picture ({picture.name}): {elapsed:.1f} s, "
          f"{steps} steps")


if __name__ == "__main__":
    sys.exit(main())
