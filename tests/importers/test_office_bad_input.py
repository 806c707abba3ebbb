"""Word and Excel files that cannot be read give a finding with what to do, never a traceback
or a hang; a document that is readable but holds no SOP says so."""

from __future__ import annotations

import io
import zipfile

from docx import Document
from docx.oxml import parse_xml

from alur.importers import read_document
from alur.importers.office import read_docx, read_xlsx
from alur.sop.findings import Severity

_NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
       'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
       'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
       'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"')


def _shape(index: int, x: float, y: float, preset: str = "rect") -> str:
    emu = 12700
    return (f'<w:r {_NS}><w:drawing><wp:anchor simplePos="0" relativeHeight="{index}" '
            f'behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">'
            f'<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="page"><wp:posOffset>'
            f'{int(x * emu)}</wp:posOffset></wp:positionH><wp:positionV relativeFrom="page">'
            f'<wp:posOffset>{int(y * emu)}</wp:posOffset></wp:positionV>'
            f'<wp:extent cx="{20 * emu}" cy="{10 * emu}"/><wp:wrapNone/>'
            f'<wp:docPr id="{index}" name="s{index}"/><a:graphic><a:graphicData '
            f'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            f'<wps:wsp><wps:cNvSpPr/><wps:spPr><a:xfrm><a:off x="0" y="0"/>'
            f'<a:ext cx="{20 * emu}" cy="{10 * emu}"/></a:xfrm><a:prstGeom prst="{preset}">'
            f'<a:avLst/></a:prstGeom></wps:spPr><wps:bodyPr/></wps:wsp></a:graphicData>'
            f'</a:graphic></wp:anchor></w:drawing></w:r>')


def _docx(build) -> bytes:
    document = Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _codes(findings) -> list[str]:
    return [f.code for f in findings if f.severity is Severity.ERROR]


def test_a_corrupt_zip_is_a_finding(tmp_path):
    path = tmp_path / "rusak.docx"
    good = _docx(lambda d: d.add_paragraph("SOP SURAT"))
    path.write_bytes(good[: len(good) // 2])
    result = read_document(path)
    assert result.sops == [] and _codes(result.findings) == ["import.office-unreadable"]
    assert "simpan ulang" in result.findings[0].message


def test_a_password_protected_file_says_how_to_open_it(tmp_path):
    # Office keeps a protected .docx/.xlsx as an OLE container with EncryptionInfo and
    # EncryptedPackage streams (names in UTF-16).
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + \
        "EncryptionInfo".encode("utf-16-le") + b"\x00" * 64 + \
        "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2048
    for name in ("rahasia.docx", "rahasia.xlsx"):
        path = tmp_path / name
        path.write_bytes(ole)
        result = read_document(path)
        assert _codes(result.findings) == ["import.office-unreadable"]
        assert "kata sandi" in result.findings[0].message


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", b"\x00" * (150 * 1024 * 1024))
    sops, findings = read_docx(out.getvalue())
    assert sops == [] and _codes(findings) == ["import.office-unreadable"]
    assert "mencurigakan" in findings[0].message


def test_xml_entities_are_refused():
    bomb = (b'<?xml version="1.0"?><!DOCTYPE w [<!ENTITY a "aaaaaaaaaa">'
            b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><w:document '
            b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            b'<w:body><w:p><w:r><w:t>&b;</w:t></w:r></w:p></w:body></w:document>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("word/document.xml", bomb)
    _sops, findings = read_docx(out.getvalue())
    assert _codes(findings) == ["import.office-unreadable"]
    assert "entitas" in findings[0].message


def test_a_document_without_a_step_table_says_so(tmp_path):
    path = tmp_path / "surat.docx"
    path.write_bytes(_docx(lambda d: [d.add_paragraph("SOP SURAT KELUAR"),
                                      d.add_paragraph("Nomor SOP: 12/2024")]))
    result = read_document(path)
    assert "import.no-table" in _codes(result.findings)


def test_a_table_with_shapes_but_no_text_reports_every_shape(tmp_path):
    def build(document):
        table = document.add_table(rows=3, cols=4)
        table.style = "Table Grid"
        anchor = document.add_paragraph()
        for index in range(6):
            anchor._p.append(parse_xml(_shape(index + 1, 100 + 40 * (index % 3),
                                              90 + 20 * (index // 3))))
    path = tmp_path / "kosong.docx"
    path.write_bytes(_docx(build))
    result = read_document(path)
    findings = result.findings
    assert result.sops == [] and "import.no-sop" in _codes(findings)
    outside = [f for f in findings if f.code == "import.shape-outside"]
    assert len(outside) == 6  # nothing drawn is dropped silently


def test_five_thousand_shapes_are_read_without_hanging():
    def build(document):
        document.add_paragraph("SOP BANYAK BENTUK")
        anchor = document.add_paragraph()
        for index in range(5000):
            anchor._p.append(parse_xml(_shape(index + 1, 30 + (index % 50) * 10,
                                              30 + (index // 50) * 7)))
    _sops, findings = read_docx(_docx(build))
    # Fifty named one by one, the rest counted: nothing drawn is dropped without a word.
    assert sum(1 for f in findings if f.code == "import.shape-outside") == 50
    [more] = [f for f in findings if f.code == "import.shapes-outside-more"]
    assert "4950" in more.message


def test_a_workbook_that_is_not_one_is_a_finding():
    sops, findings = read_xlsx(b"PK\x03\x04 not really a zip")
    assert sops == [] and _codes(findings) == ["import.office-unreadable"]
