"""Importing a document the library holds already, and naming what the document does not name.

An SOP whose number (Nomor SOP) is the number of an SOP the reviewer may write to is proposed
as a new draft version of that SOP, never silently saved as a second SOP; the reviewer may
still import it as a separate SOP. A new version is never made beside a version still open.
An SOP is named and identified from its document, never from the uploaded file's name."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from alur.importers import read_text
from alur.sop.slug import slugify
from alur.web.library import import_targets
from alur.web.library.import_targets import number_key
from alur.web.library.models import ActorLink, Sop, SopVersion
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Position, Unit

from .test_import import SEED_004, form_values, post_upload, review_url, upload_file
from .test_import_review import LEAVE

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]

# The leave SOP of the import review tests: its number is what makes it a new version here.
NUMBER = "800/1/2024"
assert f"Nomor SOP\t: {NUMBER}" in LEAVE


def leave_file(name: str = "cuti.tsv", text: str = LEAVE) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode())


def in_library(unit, user, *, name: str, number: str = NUMBER, approved: bool = True,
               positions=None) -> SopVersion:
    """The leave SOP as the library holds it: under another name (so another id), with
    `number`, approved or still a draft."""
    document = read_text(LEAVE, file="lama.tsv").sops[0]
    document = document.model_copy(update={"name": name, "number": number,
                                           "id": slugify(name)})
    version = add_sop(document, unit, user, positions=positions)
    if approved:
        approve(version, user)
    return version


def radios(page: str, index: int = 0) -> dict[str, bool]:
    """The choices of an imported SOP's 'already in the library' question: value → checked."""
    found = re.findall(rf'<input type="radio" name="sop-{index}-tujuan" value="([^"]+)"([^>]*)>',
                       page)
    return {value: "checked" in rest for value, rest in found}


@pytest.fixture
def author(client, user_factory, units):
    user = user_factory("penyusun", "penyusun", units["dinsos"])
    client.force_login(user)
    client.user = user
    return client


# -- the same SOP number ----------------------------------------------------------------------
def test_same_number_is_proposed_as_a_new_version_and_saved_as_one(author, units):
    old = in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai")
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert "Sudah ada di pustaka" in page
    assert f"Jadikan versi baru dari SOP Cuti Tahunan Pegawai (nomor {NUMBER})" in page
    assert "Impor sebagai SOP tersendiri" in page
    assert radios(page) == {str(old.sop.pk): True, "terpisah": False}  # the version, proposed
    response = author.post(url, form_values(page))
    assert response.status_code == 302, response.content.decode()[:3000]
    # One SOP, two versions: the import is version 2, a draft, under the SOP's own id.
    assert Sop.objects.count() == 1
    new = SopVersion.objects.get(sop=old.sop, number=2)
    assert new.status == SopVersion.Status.DRAFT and new.created_by == author.user
    assert new.name == "Permohonan Cuti Tahunan" and new.sop_number == NUMBER
    assert new.document.id == old.sop.slug
    listing = author.get(response["Location"]).content.decode()
    assert "1 draf SOP disimpan" in listing and "versi baru dari SOP yang sudah ada" in listing


def test_the_reviewer_may_import_it_as_a_separate_sop(author, units):
    old = in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai")
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()), "sop-0-tujuan": "terpisah"}
    assert author.post(url, data).status_code == 302
    assert Sop.objects.count() == 2 and old.sop.versions.count() == 1
    assert Sop.objects.exclude(pk=old.sop.pk).get().slug == "permohonan-cuti-tahunan"


def test_numbers_match_whatever_their_spacing_and_case():
    assert number_key("800 / 1 / sop / 2024") == number_key("800/1/SOP/2024") != ""
    assert number_key("-") == number_key("…") == number_key("") == ""


def test_a_separate_sop_with_a_taken_id_gets_an_id_of_its_own(author, units):
    """The same id in the unit made a version before; as a separate SOP it is a second SOP."""
    old = in_library(units["dinsos"], author.user, name="Permohonan Cuti Tahunan",
                     number="800/9/2020")
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert "sudah ada di unit ini" in page
    assert radios(page) == {str(old.sop.pk): True, "terpisah": False}
    assert "Jadikan versi baru dari SOP Permohonan Cuti Tahunan (nomor 800/9/2020)" in page
    data = {**form_values(page), "sop-0-tujuan": "terpisah"}
    assert author.post(url, data).status_code == 302
    assert set(Sop.objects.values_list("slug", flat=True)) == {
        "permohonan-cuti-tahunan", "permohonan-cuti-tahunan-2"}
    assert old.sop.versions.count() == 1


def test_the_matched_sops_links_are_proposed(author, units):
    kasubag = Position.objects.create(unit=units["dinsos"], name="Pengelola Cuti")
    in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai",
               positions={"kasubag-umum": kasubag})
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    select = re.search(r'<select name="sop-0-peta-1-jabatan"[^>]*>(.*?)</select>', page,
                       re.S).group(1)
    assert f'<option value="{kasubag.pk}" selected>' in select
    assert author.post(url, form_values(page)).status_code == 302
    assert ActorLink.objects.filter(position=kasubag).count() == 1  # the same SOP's one link


def test_an_open_version_is_said_and_never_forked(author, units):
    draft = in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai",
                       approved=False)
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert "versi belum selesai" in page
    assert "SOP Cuti Tahunan Pegawai masih memiliki versi 1 yang belum selesai (draf)" in page
    response = author.post(url, form_values(page))
    failed = response.content.decode()
    assert response.status_code == 200
    assert "SOP belum disimpan" in failed and "belum selesai (draf)" in failed
    assert 'id="sop-0-tujuan-galat"' in failed
    assert SopVersion.objects.count() == 1 and Sop.objects.count() == 1
    assert "Traceback" not in failed and "DraftExists" not in failed
    # Unticked, or imported as a separate SOP, it is saved; the draft is left as it was.
    data = {**form_values(failed), "sop-0-tujuan": "terpisah"}
    assert author.post(url, data).status_code == 302
    assert Sop.objects.count() == 2 and draft.sop.versions.count() == 1


def test_a_version_opened_while_reviewing_is_refused_without_saving_anything(author, units,
                                                                             monkeypatch):
    """The review showed no open version; one is opened before the save: nothing is saved,
    the reviewer reads why."""
    old = in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai")
    url = review_url(post_upload(author, units["dinsos"], leave_file(),
                                 leave_file("lain.tsv", LEAVE.replace(NUMBER, "800/2/2024")
                                            .replace("Cuti Tahunan", "Cuti Besar"))))
    page = author.get(url).content.decode()
    monkeypatch.setattr(import_targets.Match, "refusal", lambda self: None)
    add_sop(old.document, units["dinsos"], author.user)  # a draft opened meanwhile
    page = author.post(url, form_values(page)).content.decode()
    assert "Tidak ada yang disimpan" in page and "belum selesai (draf)" in page
    assert Sop.objects.count() == 1 and SopVersion.objects.count() == 2
    assert "DraftExists" not in page and "Traceback" not in page


def test_two_sops_of_one_import_cannot_both_continue_one_sop(author, units):
    in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai")
    url = review_url(post_upload(author, units["dinsos"], leave_file(),
                                 leave_file("salinan.tsv")))
    page = author.get(url).content.decode()
    failed = author.post(url, form_values(page)).content.decode()
    assert "SOP 1 dan SOP 2 dari impor ini sama-sama akan menjadi versi baru" in failed
    assert SopVersion.objects.count() == 1
    data = {**form_values(failed), "sop-1-tujuan": "terpisah"}
    assert author.post(url, data).status_code == 302
    assert Sop.objects.count() == 2 and SopVersion.objects.count() == 3


# -- where the reviewer may write -------------------------------------------------------------
def test_a_number_in_another_writable_unit_is_offered_with_its_unit(client, user_factory,
                                                                    units):
    author = user_factory("penyusun-kab", "penyusun", units["pemkab"])
    client.force_login(author)
    health = Unit.objects.create(name="Dinas Kesehatan", kind="dinas", parent=units["pemkab"],
                                 code="dinkes")
    old = in_library(health, author, name="Cuti Tahunan Pegawai")
    url = review_url(post_upload(client, units["dinsos"], leave_file()))
    page = client.get(url).content.decode()
    assert ("Jadikan versi baru dari SOP Cuti Tahunan Pegawai (nomor 800/1/2024) di "
            "Dinas Kesehatan") in page
    assert radios(page)[str(old.sop.pk)] is True
    assert client.post(url, form_values(page)).status_code == 302
    assert Sop.objects.count() == 1 and old.sop.versions.count() == 2


def test_a_number_where_the_reviewer_cannot_write_is_not_offered(author, units, user_factory):
    other = in_library(units["perpus"], user_factory("pustakawan"), name="Cuti Pustaka")
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    page = author.get(url).content.decode()
    assert radios(page) == {} and "Cuti Pustaka" not in page
    # Nothing to choose, so a forged choice of that SOP is ignored: a separate SOP is saved.
    data = {**form_values(page), "sop-0-tujuan": str(other.sop.pk)}
    assert author.post(url, data).status_code == 302
    assert other.sop.versions.count() == 1 and Sop.objects.count() == 2


def test_a_forged_choice_is_refused_next_to_the_field(author, units, user_factory):
    in_library(units["dinsos"], author.user, name="Cuti Tahunan Pegawai")
    foreign = in_library(units["perpus"], user_factory("pustakawan"), name="Cuti Pustaka")
    url = review_url(post_upload(author, units["dinsos"], leave_file()))
    data = {**form_values(author.get(url).content.decode()),
            "sop-0-tujuan": str(foreign.sop.pk)}
    response = author.post(url, data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Pilih apakah SOP ini menjadi versi baru atau SOP tersendiri." in page
    assert foreign.sop.versions.count() == 1 and SopVersion.objects.count() == 2


def test_changing_the_unit_proposes_that_units_sops_again(client, user_factory, units):
    author = user_factory("penyusun-kab", "penyusun", units["pemkab"])
    client.force_login(author)
    old = in_library(units["dinsos"], author, name="Permohonan Cuti Tahunan",
                     number="")  # matched by its id in the unit only
    url = review_url(post_upload(client, units["dinsos"], leave_file()))
    page = client.get(url).content.decode()
    assert radios(page) == {str(old.sop.pk): True, "terpisah": False}
    data = {**form_values(page), "sop-0-tujuan": "terpisah", "aksi": "unit",
            "unit": units["pemkab"].pk}
    assert client.post(url, data).status_code == 302
    assert radios(client.get(url).content.decode()) == {}  # no SOP of that id in Pemkab


# -- names from the document, never from the file ---------------------------------------------
def test_an_unnamed_sop_is_not_named_after_its_file(author, units):
    url = review_url(post_upload(author, units["dinsos"],
                                 upload_file(SEED_004, "Prosedur Renja Kesbangpol.txt")))
    page = author.get(url).content.decode()
    assert "(tanpa nama)" in page and "Nama SOP tidak ditemukan di dokumen." in page
    assert "<code>sop-tanpa-nama</code>" in page
    assert "prosedur-renja" not in page  # the file's name is no SOP's id
    data = {**form_values(page), "sop-0-nama": "Penyusunan Rencana Kerja"}
    assert author.post(url, data).status_code == 302
    sop = Sop.objects.get()
    assert sop.slug == "penyusunan-rencana-kerja"  # from the name the reviewer gave
    assert sop.versions.get().name == "Penyusunan Rencana Kerja"
    # The same document again: matched by its number, a new version once the first is done.
    approve(sop.versions.get(), author.user)
    url = review_url(post_upload(author, units["dinsos"], upload_file(SEED_004, "lagi.txt")))
    page = author.get(url).content.decode()
    assert radios(page) == {str(sop.pk): True, "terpisah": False}
    data = {**form_values(page), "sop-0-nama": "Penyusunan Renja"}
    assert author.post(url, data).status_code == 302
    assert Sop.objects.count() == 1 and sop.versions.count() == 2


def test_two_unnamed_sops_never_share_an_sop(author, units):
    unnamed = LEAVE.replace("Nama SOP\t: Permohonan Cuti Tahunan\n", "")
    for name, number in (("Cuti A", "1/A"), ("Cuti B", "2/B")):
        url = review_url(post_upload(author, units["dinsos"],
                                     leave_file("cuti.tsv", unnamed.replace(NUMBER, number))))
        data = {**form_values(author.get(url).content.decode()), "sop-0-nama": name}
        assert author.post(url, data).status_code == 302
    assert set(Sop.objects.values_list("slug", flat=True)) == {"cuti-a", "cuti-b"}


def test_the_api_never_names_an_unnamed_sop_after_its_file(client, user_factory, units):
    from alur.web.api.models import ApiToken

    user = user_factory("api-penyusun", "penyusun", units["dinsos"])
    _, secret = ApiToken.issue(user, "uji")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
    for _round in range(2):
        response = client.post("/api/import", {
            "unit": units["dinsos"].pk, "files": [upload_file(SEED_004, "renja-kesbangpol.txt")]},
            **auth)
        assert response.status_code == 201, response.content
    # Two unnamed SOPs, never one SOP under the file's name.
    assert set(Sop.objects.values_list("slug", flat=True)) == {"sop-tanpa-nama",
                                                               "sop-tanpa-nama-2"}
