"""The importer never raises, whatever it is fed, and never loses a row silently."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.importers import read_document, read_text
from alur.sop import dumps_yaml, loads

CELL = st.one_of(
    st.sampled_from(["", "□", "◇", "Ya", "Tidak", "mulai", "SELESAI", "-", "10 menit", "1-2 hari",
                     "No", "Kegiatan", "Pelaksana", "Mutu Baku", "Waktu", "Output", "Kabag",
                     "<ul><li>a</li>", "Nomor SOP", "Disahkan oleh", "SOP X", "1.", "2021",
                     "Dasar Hukum", "A. Latar Belakang", "NIP. 19631223 198603 1 006"]),
    st.text(max_size=30),
)
ROW = st.lists(CELL, min_size=1, max_size=12).map("\t".join)
DOCUMENT = st.lists(ROW, max_size=40).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENT)
def test_text_importer_never_raises_and_output_round_trips(document):
    result = read_text(document, kind="text")
    for sop in result.sops:
        assert loads(dumps_yaml(sop)).sop == sop
    for finding in result.findings:
        assert finding.message


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=400))
def test_importers_never_raise_on_arbitrary_text(text):
    read_text(text, kind="text")
    read_text(text, kind="html")
    read_text(text)


HTML_FRAGMENT = st.lists(st.one_of(
    st.sampled_from(["<table>", "</table>", "<tr>", "</tr>", "<td>", "</td>", "<th colspan=3>",
                     "<td rowspan=99>", "<td colspan=x>", "<ul><li>", "</li>", "<p>", "<br>",
                     "No", "Kegiatan", "Pelaksana", "Waktu", "□", "5 menit", "1", "&amp;",
                     "<script>x</script>", "<!--", "-->", "<h1>SOP A</h1>"]),
    st.text(max_size=10)), max_size=80).map("".join)


@settings(max_examples=200, deadline=None)
@given(HTML_FRAGMENT)
def test_html_importer_never_raises(page):
    result = read_text("<html><body>" + page, kind="html")
    for sop in result.sops:
        assert loads(dumps_yaml(sop)).sop == sop


def test_unreadable_files_are_findings(tmp_path):
    binary = tmp_path / "x.docx"
    binary.write_bytes(b"PK\x03\x04\x00\x00binary")
    assert [f.code for f in read_document(binary).findings] == ["import.office-unreadable"]
    image = tmp_path / "x.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    assert [f.code for f in read_document(image).findings] == ["import.binary"]
    latin = tmp_path / "latin.txt"
    latin.write_bytes("SOP SURAT\nNo\tKegiatan\tKabag\tWaktu\n1\tMenandatangani "
                      "surat\tmulai\t5 menit\n".encode("cp1252") + b"\xe9")
    result = read_document(latin)
    assert result.findings[0].code == "import.encoding"
    assert result.sops[0].steps[0].actors == ["kabag"]
    assert [f.code for f in read_document(tmp_path / "missing.txt").findings] == \
        ["import.unreadable"]


def test_scans_are_read_by_ocr_only_when_asked(tmp_path):
    from pathlib import Path

    scan = Path(__file__).parent / "fixtures" / "scan" / "surat-ijin-cuti-scan.pdf"
    result = read_document(scan, ocr=False)
    assert result.sops == []
    assert "import.pdf-no-text" in [f.code for f in result.findings]
    image = tmp_path / "halaman.png"
    image.write_bytes(b"\x89PNG\r\n\x1a\n")
    assert [f.code for f in read_document(image, ocr=False).findings] == ["import.ocr-off"]
