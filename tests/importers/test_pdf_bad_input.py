"""PDFs the reader must refuse or read in part, each as a finding and never a traceback or a
hang: not a PDF, a password, a damaged cross-reference table, too many pages, a scanned page."""

from __future__ import annotations

import base64
import time
from pathlib import Path

import pytest

from alur.importers.pdf import MAX_PAGES, measure_pdf, read_pdf
from alur.render import layout
from alur.render.html import to_html
from alur.render.pdf import html_to_pdf, to_pdf
from alur.sop.fileformat import load

EXAMPLE = Path(__file__).parents[2] / "examples" / "library" / "surat-masuk.yaml"
# A 2×2 grey PNG: a "scanned" page is a picture without text.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAAAAABX3VL4AAAADklEQVR4nGNoaGBoaAAABgYCASzBUNcAAAAASUVORK5CYII=")


def minimal_pdf(pages: int = 1, *, text: str | None = None, encrypt: bool = False,
                drawing: bytes = b"") -> bytes:
    """A PDF written by hand: `pages` A4 pages (with one line of text each, if given) and, for
    `encrypt`, a standard security handler whose user password is not empty."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               (f"<< /Type /Pages /Kids [{' '.join(f'{3 + 2 * i} 0 R' for i in range(pages))}]"
                f" /Count {pages} /Resources << /Font << /F1 << /Type /Font /Subtype /Type1 "
                f"/BaseFont /Helvetica >> >> >> >>").encode()]
    for i in range(pages):
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
                       f"/Contents {4 + 2 * i} 0 R >>".encode())
        stream = drawing + (f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode() if text else b"")
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
    trailer = f"/Size {len(objects) + 1} /Root 1 0 R"
    if encrypt:
        objects.append(b"<< /Filter /Standard /V 1 /R 2 /O <" + b"11" * 32 + b"> /U <" +
                       b"22" * 32 + b"> /P -4 >>")
        trailer = (f"/Size {len(objects) + 1} /Root 1 0 R /Encrypt {len(objects)} 0 R "
                   f"/ID [<{'ab' * 16}> <{'ab' * 16}>]")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(offsets) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += f"trailer\n<< {trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return bytes(out)


def _codes(findings) -> list[tuple[str, str]]:
    return [(f.code, f.severity) for f in findings if f.severity != "info"]


def test_a_hand_written_pdf_is_read():
    """The fixture itself is a readable PDF: the refusals below come from what they change."""
    measured = measure_pdf(minimal_pdf(2, text="Halo dunia"))
    assert measured.findings == []
    [surface] = measured.surfaces
    assert [line.raw for line in surface.items] == ["Halo dunia", "Halo dunia"]
    assert [line.place.page for line in surface.items] == [1, 2]
    assert surface.items[1].place.page == 2


@pytest.mark.parametrize("data", [b"", b"hello", b"PK\x03\x04 not a pdf", b"%PD"])
def test_not_a_pdf(data):
    sops, findings = read_pdf(data, file="x.pdf")
    assert sops == []
    assert _codes(findings) == [("import.pdf-unreadable", "error")]
    assert "bukan dokumen PDF" in findings[0].message
    assert findings[0].file == "x.pdf"


def test_password_protected():
    sops, findings = read_pdf(minimal_pdf(text="rahasia", encrypt=True))
    assert sops == []
    assert _codes(findings) == [("import.pdf-unreadable", "error")]
    assert "kata sandi" in findings[0].message


@pytest.mark.parametrize("damage", ["startxref", "xref-keyword", "truncated"])
def test_broken_cross_reference(damage):
    sop = load(EXAMPLE).sop
    data = to_pdf(sop, layout(sop))
    if damage == "startxref":
        data = data[:data.rfind(b"startxref")] + b"startxref\n99999999\n%%EOF\n"
    elif damage == "xref-keyword":
        data = data.replace(b"xref", b"xxxx")
    else:
        data = data[: len(data) // 2]
    sops, findings = read_pdf(data)
    assert sops == []
    assert _codes(findings) == [("import.pdf-unreadable", "error")]
    assert "rusak" in findings[0].message
    assert "Traceback" not in findings[0].message


def test_too_many_pages_stops_before_reading_them():
    data = minimal_pdf(500, text="Halaman")
    started = time.perf_counter()
    measured = measure_pdf(data)
    assert time.perf_counter() - started < 5
    assert measured.surfaces == []
    [finding] = measured.findings
    assert (finding.code, finding.severity) == ("import.pdf-too-many-pages", "error")
    assert "500" in finding.message and str(MAX_PAGES) in finding.message


def test_page_limit_is_a_setting():
    assert measure_pdf(minimal_pdf(3, text="x"), max_pages=3).findings == []
    [finding] = measure_pdf(minimal_pdf(3, text="x"), max_pages=2).findings
    assert finding.code == "import.pdf-too-many-pages"


def test_scanned_page_needs_ocr_and_the_other_pages_are_read():
    sop = load(EXAMPLE).sop
    picture = base64.b64encode(PNG).decode()
    document = to_html(sop, layout(sop)).replace(
        "</body>", f'<div style="break-before: page"><img src="data:image/png;base64,{picture}" '
                   f'style="width: 150mm; height: 200mm"></div></body>')
    data = html_to_pdf(document)
    sops, findings = read_pdf(data, file="pindaian.pdf")
    assert [s.name for s in sops] == [sop.name]
    assert [s.model_dump()["steps"][0]["activity"] for s in sops] == \
        [sop.model_dump()["steps"][0]["activity"]]
    scans = [f for f in findings if f.code == "import.pdf-no-text"]
    assert [(f.severity, f.page, f.file) for f in scans] == [("warning", 3, "pindaian.pdf")]
    assert "OCR" in scans[0].message


def test_a_pdf_of_only_a_scan():
    picture = base64.b64encode(PNG).decode()
    data = html_to_pdf(f'<html><body><img src="data:image/png;base64,{picture}" '
                       f'style="width: 100mm"></body></html>')
    sops, findings = read_pdf(data)
    assert sops == []
    assert ("import.pdf-no-text", "warning") in _codes(findings)


def test_stray_giant_objects_do_not_hang():
    """A rectangle a million points wide and a line far off the page (what broken producers
    write) are measured in bounded time."""
    data = minimal_pdf(1, text="Halo", drawing=b"0 0 1000000 1000000 re S "
                       b"-50000 -50000 m 900000 700000 l S " +
                       b"".join(b"%d 100 m %d 300 l S " % (x, x) for x in range(0, 4000, 2)))
    started = time.perf_counter()
    measured = measure_pdf(data)
    assert time.perf_counter() - started < 10
    assert measured.findings == []
    [surface] = measured.surfaces
    assert surface.items
