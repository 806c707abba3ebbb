"""The import review's rules: accepted documents, who plays each actor (applicant or a position
of the unit), the unit proposed from the heading, paging that keeps choices, and posted values
that are refused with an error next to the field, never a 500."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alur.sop.model import Actor
from alur.web.api import api as api_module
from alur.web.api.models import ApiToken
from alur.web.demo import unit_chain
from alur.web.library import import_review, imports
from alur.web.library.models import ActorLink, Sop, SopVersion
from alur.web.org.models import Position, Unit

from .test_import import (
    SEED_002,
    SEED_004,
    form_values,
    post_upload,
    review_url,
    upload_file,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]

AGENCY = ["PEMERINTAH KABUPATEN BANGKA TENGAH", "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"]
LEAVE = "\n".join([
    *AGENCY,
    "Nomor SOP\t: 800/1/2024",
    "Nama SOP\t: Permohonan Cuti Tahunan",
    "No\tKegiatan\tPNS\tKasubag Umum\tKepala Dinas\tKelengkapan\tWaktu\tOutput",
    "1\tMengajukan permohonan cuti\t□\t\t\tFormulir\t10 menit\tPermohonan",
    "2\tMemeriksa permohonan\t\t□\t\tPermohonan\t1 hari\tPermohonan",
    "3\tMenandatangani surat cuti\t\t\t□\tDraf\t1 hari\tSurat cuti",
]) + "\n"


def leave_file(heading: list[str] | None = None, name: str = "cuti.tsv") -> SimpleUploadedFile:
    text = LEAVE if heading is None else LEAVE.replace("\n".join(AGENCY), "\n".join(heading))
    return SimpleUploadedFile(name, text.encode())


def mapping_select(page: str, sop: int, actor: int) -> str:
    return re.search(rf'<select name="sop-{sop}-peta-{actor}-jabatan"[^>]*>(.*?)</select>',
                     page, re.S).group(1)


def selected(select_body: str) -> str:
    return re.search(r'<option value="([^"]*)" selected>', select_body).group(1)


@pytest.fixture
def author(client, user_factory, units):
    user = user_factory("penyusun", "penyusun", units["dinsos"])
    client.force_login(user)
    client.user = user
    return client


@pytest.fixture
def positions(units):
    dinsos = units["dinsos"]
    sekretariat = Unit.objects.create(name="Sekretariat", kind="bidang", parent=dinsos,
                                      code="sekretariat-dinsos")
    return {
        "kadis": Position.objects.create(unit=dinsos, name="Kepala Dinas"),
        "kasubag": Position.objects.create(unit=sekretariat, name="Kepala Sub Bagian Umum"),
        "staf": Position.objects.create(unit=sekretariat, name="Staf Umum"),
        "foreign": Position.objects.create(unit=units["perpus"], name="Kepala Sub Bagian Umum"),
    }


# -- accepted documents -----------------------------------------------------------------------
NEW_SUFFIXES = [".docx", ".xlsx", ".doc", ".xls", ".odt", ".ods", ".bpmn", ".md", ".mmd"]


def test_one_list_of_suffixes_serves_page_and_api():
    assert set(imports.SUFFIXES) >= {*NEW_SUFFIXES, ".txt", ".tsv", ".htm", ".html", ".pdf",
                                     ".png", ".jpg", ".jpeg", ".tif", ".tiff"}
    assert api_module.DocumentsField is imports.DocumentsField  # the API checks files alike


@pytest.mark.parametrize("suffix", [*NEW_SUFFIXES, ".TXT", ".html"])
def test_upload_accepts_the_importers_documents(author, units, suffix):
    response = post_upload(author, units["dinsos"], leave_file(name=f"cuti{suffix}"))
    page = response.content.decode() if response.status_code == 200 else ""
    # Accepted: read (a review, or findings of a document that is not what its name says),
    # never refused for its name.
    assert response.status_code in (200, 302)
    assert "tidak dapat diimpor" not in page


@pytest.mark.parametrize("name", ["cuti.exe", "cuti", "cuti.docx.zip"])
def test_upload_refuses_other_documents(author, units, name):
    response = post_upload(author, units["dinsos"], leave_file(name=name))
    page = response.content.decode()
    assert response.status_code == 200 and "tidak dapat diimpor" in page
    assert f'accept="{",".join(imports.SUFFIXES)}"' in page and ".pdf" in imports.SUFFIXES
    assert not Sop.objects.exists()


def test_api_accepts_and_refuses_by_the_same_list(client, user_factory, units):
    user = user_factory("api-penyusun", "penyusun", units["dinsos"])
    _, secret = ApiToken.issue(user, "uji")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    response = client.post("/api/import", {"unit": units["dinsos"].pk,
                                           "files": [leave_file(name="cuti.tsv")]}, **auth)
    assert response.status_code == 201, response.content
    for suffix in NEW_SUFFIXES:  # read (into SOPs or findings), never refused for the name
        response = client.post("/api/import", {"unit": units["dinsos"].pk,
                                               "files": [leave_file(name=f"x{suffix}")]}, **auth)
        assert response.status_code in (200, 201) and "findings" in response.json()
    before = SopVersion.objects.count()
    response = client.post("/api/import", {"unit": units["dinsos"].pk,
                                           "files": [leave_file(name="cuti.exe")]}, **auth)
    assert response.status_code == 400 and "cuti.exe" in response.json()["detail"]
    assert SopVersion.objects.count() == before


# -- who plays each actor ---------------------------------------------------------------------
@pytest.mark.parametrize(("name", "applicant"), [
    ("PNS", True), ("Pegawai", True), ("Pemohon", True), ("ASN yang bersangkutan", True),
    ("Pengusul", True), ("Kepala Dinas", False), ("Staf Kepegawaian", False),
])
def test_applicant_proposed_from_the_column_name(name, applicant):
    actor = Actor(id="a", name=name)
    assert (import_review.propose_mapping(actor, [], None) == import_review.APPLICANT) \
        is applicant


def test_applicant_set_by_the_importer_is_respected():
    actor = Actor(id="a", name="Masyarakat", applicant=True)
    assert import_review.propose_mapping(actor, [], None) == import_review.APPLICANT


def test_positions_proposed_by_name_and_linked_on_save(author, units, positions):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    # PNS → the applicant; "Kasubag Umum" is "Kepala Sub Bagian Umum" of a sub-unit; the
    # position of that name in another agency is not offered.
    assert selected(mapping_select(page, 0, 0)) == "pemohon"
    assert selected(mapping_select(page, 0, 1)) == str(positions["kasubag"].pk)
    assert selected(mapping_select(page, 0, 2)) == str(positions["kadis"].pk)
    assert f'value="{positions["foreign"].pk}"' not in mapping_select(page, 0, 1)
    assert '<optgroup label="Sekretariat">' in page and "Pemohon (yang memulai)" in page
    assert page.count('class="lencana usulan"') == 3
    before = Position.objects.count()
    response = author.post(url, form_values(page))
    assert response.status_code == 302, response.content.decode()[:3000]
    sop = Sop.objects.get()
    links = dict(ActorLink.objects.filter(sop=sop).values_list("actor_id", "position"))
    assert links == {"kasubag-umum": positions["kasubag"].pk,
                     "kepala-dinas": positions["kadis"].pk}
    document = sop.versions.get().document
    assert [a.applicant for a in document.actors] == [True, False, False]
    assert Position.objects.count() == before  # no position made up for a column


def test_reviewer_maps_otherwise(author, units, positions):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = form_values(author.get(url).content.decode())
    data.update({"sop-0-peta-0-jabatan": "", "sop-0-peta-1-jabatan": str(positions["staf"].pk),
                 "sop-0-peta-2-jabatan": "pemohon"})
    assert author.post(url, data).status_code == 302
    sop = Sop.objects.get()
    assert dict(sop.actor_links.values_list("actor_id", "position")) == {
        "kasubag-umum": positions["staf"].pk}
    assert [a.applicant for a in sop.versions.get().document.actors] == [False, False, True]


def test_reimport_proposes_the_existing_links(author, units, positions):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = form_values(author.get(url).content.decode())
    data["sop-0-peta-1-jabatan"] = str(positions["staf"].pk)
    assert author.post(url, data).status_code == 302
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert selected(mapping_select(page, 0, 1)) == str(positions["staf"].pk)


def test_unmapped_columns_stay_unlinked(author, units):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert selected(mapping_select(page, 0, 1)) == ""
    assert "belum dipetakan" in page
    assert author.post(url, form_values(page)).status_code == 302
    assert not ActorLink.objects.exists() and not Position.objects.exists()


# -- the unit -------------------------------------------------------------------------------
@pytest.fixture
def regent_author(client, user_factory, units):
    """An author of the whole regency: several units, the unit may be left empty."""
    user = user_factory("penyusun", "penyusun", units["pemkab"])
    client.force_login(user)
    return client


def test_unit_proposed_from_the_heading(regent_author, units):
    upload = regent_author.get(reverse("imports:upload")).content.decode()
    assert "usulkan dari kop dokumen" in upload
    response = regent_author.post(reverse("imports:upload"), {"unit": "", "files": [leave_file()]})
    page = regent_author.get(review_url(response)).content.decode()
    assert f'<option value="{units["dinsos"].pk}" selected>' in page
    assert 'class="lencana usulan"' in page and units["perpus"].name not in page
    assert regent_author.post(review_url(response), form_values(page)).status_code == 302
    assert Sop.objects.get().unit == units["dinsos"]


def test_most_specific_heading_line_wins_and_parents_break_ties(units):
    other = unit_chain(["PEMERINTAH KABUPATEN LAIN", AGENCY[1]])
    candidates = list(Unit.objects.all())
    heading = [*AGENCY, "BIDANG YANG TIDAK ADA"]
    assert import_review.unit_for_heading(heading, candidates) == units["dinsos"]
    assert import_review.unit_for_heading(
        ["PEMERINTAH KABUPATEN LAIN", AGENCY[1]], candidates) == other
    assert import_review.unit_for_heading(
        ["Dinas Sosial Pemberdayaan Masyarakat dan Desa Kabupaten Bangka Tengah"],
        [units["dinsos"], units["perpus"]]) == units["dinsos"]
    assert import_review.unit_for_heading(["KANTOR ANTAH BERANTAH"], candidates) is None
    assert import_review.unit_for_heading([], candidates) is None


def test_no_unit_named_asks_for_one(regent_author, units):
    response = regent_author.post(reverse("imports:upload"), {
        "unit": "", "files": [leave_file(heading=["KANTOR ANTAH BERANTAH"])]})
    url = review_url(response)
    page = regent_author.get(url).content.decode()
    assert "tidak menyebut satu pun unit Anda" in page
    failed = regent_author.post(url, form_values(page))
    assert failed.status_code == 200 and "Pilih unit tujuan impor" in failed.content.decode()
    assert not Sop.objects.exists()
    data = {**form_values(page), "unit": str(units["dinsos"].pk), "aksi": "unit"}
    assert regent_author.post(url, data).status_code == 302
    page = regent_author.get(url).content.decode()
    assert f'<option value="{units["dinsos"].pk}" selected>' in page
    response = regent_author.post(url, form_values(page))
    assert response.status_code == 302
    assert Sop.objects.get().unit == units["dinsos"]


def test_changing_the_unit_is_limited_to_writable_units(author, units):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()), "unit": str(units["perpus"].pk)}
    response = author.post(url, data)
    assert response.status_code == 200 and "tidak dapat Anda pilih" in response.content.decode()
    assert not Sop.objects.exists()


def test_changing_the_unit_proposes_its_positions(regent_author, units, positions):
    response = regent_author.post(reverse("imports:upload"), {
        "unit": str(units["pemkab"].pk), "files": [leave_file()]})
    url = review_url(response)
    page = regent_author.get(url).content.decode()
    # The regency holds the agency: its positions are offered, the proposal found below.
    assert selected(mapping_select(page, 0, 2)) == str(positions["kadis"].pk)
    data = {**form_values(page), "unit": str(units["dinsos"].pk), "aksi": "unit",
            "sop-0-peta-2-jabatan": ""}
    assert regent_author.post(url, data).status_code == 302
    page = regent_author.get(url).content.decode()
    assert "sekarang jabatan unit itu" in page
    assert selected(mapping_select(page, 0, 2)) == str(positions["kadis"].pk)


# -- pages ----------------------------------------------------------------------------------
def test_paging_keeps_choices_and_saves_every_page(author, units):
    url = review_url(post_upload(author, units["dinsos"], upload_file(SEED_002)))
    first = author.get(url).content.decode()
    data = form_values(first)
    data.update({"sop-0-nama": "Analisa Jabatan (diperbaiki)", "aksi": "", "halaman": "3"})
    response = author.post(url, data)
    assert response.status_code == 302 and response["Location"].endswith("?hal=3#sop-10")
    third = author.get(response["Location"]).content.decode()
    assert 'id="sop-10"' in third and 'id="sop-0"' not in third
    data = form_values(third)
    del data["sop-12-simpan"]
    data.update({"aksi": "", "halaman": "1"})
    first = author.get(author.post(url, data)["Location"]).content.decode()
    assert 'value="Analisa Jabatan (diperbaiki)"' in first
    third = author.get(url + "?hal=3").content.decode()
    assert 'name="sop-12-simpan" value="1" checked' not in third
    assert 'name="sop-11-simpan" value="1" checked' in third
    assert author.post(url, form_values(first)).status_code == 302
    names = set(SopVersion.objects.values_list("name", flat=True))
    assert len(names) == 24 and "Analisa Jabatan (diperbaiki)" in names


def test_an_error_on_another_page_shows_that_page(author, units):
    url = review_url(post_upload(author, units["dinsos"], upload_file(SEED_002)))
    third = author.get(url + "?hal=3").content.decode()
    data = {**form_values(third), "sop-13-nama": "   ", "aksi": "", "halaman": "1"}
    first = author.get(author.post(url, data)["Location"]).content.decode()
    response = author.post(url, form_values(first))
    page = response.content.decode()
    assert response.status_code == 200 and not Sop.objects.exists()
    assert 'id="sop-13"' in page and 'aria-current="page">3<' in page
    assert "Nama SOP wajib diisi" in page and 'href="?hal=3#sop-13"' in page


def test_summary_opens_the_page_of_an_sop(author, units):
    url = review_url(post_upload(author, units["dinsos"], upload_file(SEED_002)))
    data = {**form_values(author.get(url).content.decode()), "aksi": "", "ke": "17"}
    assert author.post(url, data)["Location"].endswith("?hal=4#sop-17")


# -- what was inferred, and where it was read ---------------------------------------------------
def test_inferred_fields_and_source_places_are_shown(author, units):
    url = review_url(post_upload(author, units["dinsos"], upload_file(SEED_004)))
    page = author.get(url).content.decode()
    row11 = re.search(r'<tr class="">\s*<td class="">11</td>(.*?)</tr>', page, re.S).group(1)
    assert re.search(r'<span class="lencana simpul" title="[^"]*pelaksana[^"]*">disimpulkan'
                     r'</span>', row11)
    assert re.search(r'<td class="sumber">baris \d+</td>', row11)
    assert "Sumber" in page
    assert "import.actor" not in page and "<code>import" not in page


def test_source_place_words_pages_sheets_and_tables():
    from alur.sop.model import Source

    assert import_review.source_place(Source(table=2, row=5)) == "tabel 2 baris 5"
    assert import_review.source_place(Source(sheet="SOP", cell="D12")) == "lembar 'SOP' sel D12"
    assert import_review.source_place(Source(page=3)) == "halaman 3"
    assert import_review.source_place(Source(line=9)) == "baris 9"
    assert import_review.source_place(None) == ""


# -- bad posts ------------------------------------------------------------------------------
@pytest.mark.parametrize(("field", "value", "message"), [
    ("sop-0-peta-1-jabatan", "foreign", "Pilih jabatan Kasubag Umum dari daftar"),
    ("sop-0-peta-1-jabatan", "99999", "Pilih jabatan Kasubag Umum dari daftar"),
    ("sop-0-langkah-1", "bupati", "Pelaksana langkah 2 tidak dikenal"),
    ("sop-0-nama", "x" * 301, "paling banyak 300 karakter"),
])
def test_bad_values_rerender_next_to_the_field(author, units, positions, field, value, message):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = form_values(author.get(url).content.decode())
    data[field] = str(positions["foreign"].pk) if value == "foreign" else value
    response = author.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert 'class="galat-isian"' in page and 'aria-invalid="true"' in page
    assert not Sop.objects.exists()


@pytest.mark.parametrize("tamper", [
    {"sop-0-peta-TOTAL_FORMS": "999"}, {"sop-0-peta-TOTAL_FORMS": "abc"},
    {"sop-0-peta-TOTAL_FORMS": "1"}, {"sop-0-peta-INITIAL_FORMS": "-5"},
    {"halaman_ini": "zz"}, {"halaman": "9999", "aksi": ""}, {"ke": "-1"}, {"ke": "abc"},
    {"unit": "abc"}, {"sop-0-simpan": "maybe"}, {"aksi": "apa-saja"},
    {"ke": "9" * 40}, {"halaman": "9" * 40}, {"halaman_ini": "-3"}, {"unit": "9" * 40},
    {"sop-0-langkah-0": ["a", "b"]}, {"sop-0-peta-0-jabatan": "9" * 40},
])
def test_tampered_fields_never_give_a_500(author, units, tamper):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()), **tamper}
    response = author.post(url, data)
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert author.get(response["Location"]).status_code in (200, 302)


def test_nul_in_a_review_field_is_refused(author, units):
    """PostgreSQL cannot store NUL; the request is refused before the pending import changes."""
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()), "sop-0-nama": "Cuti\x00"}
    response = author.post(url, {**data, "aksi": "simpan"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert not Sop.objects.exists()
    assert "Cuti\x00" not in author.get(url).content.decode()


def test_missing_management_form_is_an_error(author, units):
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = form_values(author.get(url).content.decode())
    data = {k: v for k, v in data.items() if "INITIAL_FORMS" not in k}
    response = author.post(url, data)
    assert response.status_code == 200 and not Sop.objects.exists()


def test_session_data_outlives_a_page_without_500(author, units):
    """The stored answers are posted values: a page with fewer SOPs than posted indices, or a
    stored index out of range, is ignored rather than crashing."""
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()), "sop-7-peta-TOTAL_FORMS": "3"}
    assert author.post(url, {**data, "aksi": "tetap"}).status_code == 302
    assert author.get(url).status_code == 200

