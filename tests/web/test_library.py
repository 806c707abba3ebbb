"""The library pages: who may see them, search, filters, the SOP page and downloads."""

import io
import uuid

import pytest
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, user_factory, units):
    user = user_factory("pembaca", "pegawai", units["pemkab"])
    client.force_login(user)
    return client


def test_pages_need_login(client, library):
    for url in (reverse("library:list"),
                reverse("library:detail", args=[library["sakip"].sop.public_id]),
                reverse("library:download", args=[library["sakip"].public_id, "pdf"])):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_login_page_and_wrong_password(client, user_factory):
    user_factory("budi")
    assert client.get(reverse("login")).status_code == 200
    response = client.post(reverse("login"), {"username": "budi", "password": "salah"})
    assert response.status_code == 200 and "salah" in response.content.decode()
    response = client.post(reverse("login"), {"username": "budi", "password": "rahasia-123"})
    assert response.status_code == 302


def test_list_search_filter_sort(reader, library, units):
    page = reader.get(reverse("library:list")).content.decode()
    assert "PENYUSUNAN SAKIP" in page and "Pengkoordinir Penyusunan SKP" in page
    assert "SURAT KELUAR" in page and "3 SOP" in page
    # Step text is searched too: "Perarsipan" is a step of the SKP SOP only.
    found = reader.get(reverse("library:list"), {"q": "perarsipan"}).content.decode()
    assert "Pengkoordinir Penyusunan SKP" in found and "SAKIP" not in found
    by_unit = reader.get(reverse("library:list"), {"unit": units["perpus"].pk}).content.decode()
    assert "SKP" in by_unit and "SAKIP" not in by_unit
    # A unit includes its sub-units: the Pemkab holds the Dinas Sosial's SOPs.
    by_parent = reader.get(reverse("library:list"),
                           {"unit": units["pemkab"].pk}).content.decode()
    assert "PENYUSUNAN SAKIP" in by_parent and "SKP" not in by_parent
    drafts = reader.get(reverse("library:list"), {"status": "draft"}).content.decode()
    assert "SURAT KELUAR" in drafts and "SAKIP" not in drafts
    by_number = reader.get(reverse("library:list"), {"urut": "nomor"})
    assert by_number.status_code == 200


def test_list_sorts_names_ignoring_case(reader, library, units):
    from alur.sop import load
    from alur.web.library.services import add_sop

    from .conftest import LIBRARY

    lower = load(LIBRARY / "surat-masuk.yaml").sop.model_copy(
        update={"id": "arsip-dinamis", "name": "arsip dinamis"})
    add_sop(lower, units["dinsos"])
    page = reader.get(reverse("library:list"), {"urut": "nama"}).content.decode()
    # "arsip dinamis" sorts before "PENYUSUNAN SAKIP", not after every capital letter.
    assert page.index("arsip dinamis") < page.index("PENYUSUNAN SAKIP") < \
        page.index("SURAT KELUAR")


def test_empty_library_says_what_to_do_next(client, units, user_factory):
    client.force_login(user_factory("penyusun-baru", "penyusun", units["dinsos"]))
    page = client.get(reverse("library:list")).content.decode()
    assert "Belum ada SOP." in page and reverse("imports:upload") in page
    client.force_login(user_factory("pegawai-baru", "pegawai", units["dinsos"]))
    page = client.get(reverse("library:list")).content.decode()
    assert "Belum ada SOP." in page and reverse("imports:upload") not in page


def test_list_pages(reader, library, monkeypatch):
    from alur.web.library import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = reader.get(reverse("library:list")).content.decode()
    assert "Halaman 1 dari 2" in first
    second = reader.get(reverse("library:list"), {"hal": 2}).content.decode()
    assert "Halaman 2 dari 2" in second


def test_detail_shows_identity_flowchart_findings_and_versions(reader, library):
    version = library["sakip"]
    page = reader.get(reverse("library:detail", args=[version.sop.public_id])).content.decode()
    assert "SOP.014.SEKRE" in page and "PADLILLAH" in page
    from alur.render import layout

    assert page.count("<svg") == len(layout(version.document).pages) and 'class="symbol' in page
    assert "langkah 9–10 tidak ada" in page  # the checker's finding for the 8 → 11 gap
    assert "Disahkan" in page and "berlaku" in page
    for fmt in ("pdf", "docx", "xlsx", "bpmn", "yaml"):
        assert reverse("library:download", args=[version.public_id, fmt]) in page


def test_keterkaitan_links_to_the_related_sop(reader, library, units, user_factory):
    from alur.sop import load
    from alur.web.library.services import add_sop

    from .conftest import LIBRARY

    renja = load(LIBRARY / "penyusunan-renja.yaml").sop  # names "SOP Pengumpulan Data"
    related = load(LIBRARY / "surat-masuk.yaml").sop.model_copy(
        update={"id": "pengumpulan-data", "name": "Pengumpulan Data"})
    add_sop(related, units["dinsos"])
    version = add_sop(renja, units["dinsos"])
    page = reader.get(reverse("library:detail", args=[version.sop.public_id])).content.decode()
    target = reverse("library:detail", args=[
        version.sop.unit.sops.get(slug="pengumpulan-data").public_id])
    assert f'<a href="{target}">SOP Pengumpulan Data</a>' in page


@pytest.mark.parametrize(("fmt", "content_type"), [
    ("pdf", "application/pdf"), ("yaml", "application/yaml"), ("svg", "image/svg+xml"),
    ("bpmn", "application/xml"), ("mermaid", "text/plain"),
    ("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")])
def test_downloads(reader, library, fmt, content_type):
    version = library["skp"]
    response = reader.get(reverse("library:download", args=[version.public_id, fmt]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith(content_type)
    assert 'filename="pengkoordinir-penyusunan-skp-v1.' in response["Content-Disposition"]
    body = response.content
    if fmt == "pdf":
        assert body.startswith(b"%PDF")
    elif fmt == "docx":
        text = "".join(c.text for t in Document(io.BytesIO(body)).tables
                       for r in t.rows for c in r.cells)
        assert "Penggandaan" in text
    elif fmt == "xlsx":
        assert "Bagan Alir" in load_workbook(io.BytesIO(body)).sheetnames
    elif fmt == "yaml":
        assert b"id: pengkoordinir-penyusunan-skp" in body


def test_unknown_objects_are_404(reader, library):
    assert reader.get(reverse("library:detail", args=[uuid.uuid4()])).status_code == 404
    assert reader.get(reverse("library:download",
                              args=[library["skp"].public_id, "exe"])).status_code == 404
    detail = reverse("library:detail", args=[library["skp"].sop.public_id])
    assert reader.get(detail, {"versi": "bukan-uuid"}).status_code == 404
    assert reader.get(detail, {"versi": str(library["sakip"].public_id)}).status_code == 404
    # Ids are UUIDs: a sequential number is no address.
    assert reader.get(f"/sop/{library['skp'].sop.pk}/").status_code == 404


def test_text_from_documents_is_escaped(reader, units):
    from alur.sop import Actor, Sop, Step
    from alur.web.library.services import add_sop

    hostile = "<script>alert(1)</script>"
    version = add_sop(Sop(id="jahat", name=hostile, related=[hostile],
                          actors=[Actor(id="a", name=hostile)],
                          steps=[Step(number=1, activity=hostile, actors=["a"])]),
                      units["dinsos"])
    page = reader.get(reverse("library:detail", args=[version.sop.public_id])).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    listing = reader.get(reverse("library:list")).content.decode()
    assert "<script>alert(1)</script>" not in listing
