"""The import pages: upload documents, review what was read, save the chosen SOPs as drafts."""

import html
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alur.web.library import imports
from alur.web.library.models import Sop, SopVersion
from alur.web.library.services import approve

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]

FIXTURES = Path(__file__).parents[1] / "importers" / "fixtures"
SEED_002 = FIXTURES / "seeds" / "002_222709af16668202.txt"
SEED_004 = FIXTURES / "seeds" / "004_11c9a70a9030f825.txt"
KARTU = FIXTURES / "kartu-pns.html"


def upload_file(path: Path, name: str | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name or path.name, path.read_bytes())


def post_upload(client, unit, *files):
    return client.post(reverse("imports:upload"), {"unit": unit.pk, "files": list(files)})


def job_url(response) -> str:
    assert response.status_code == 302, response.content.decode()[:2000]
    assert re.fullmatch(r"/impor/[\w-]+/proses/", response["Location"]), response["Location"]
    return response["Location"]


def review_url(response, client=None) -> str:
    """The upload leads to its job's page; a finished job with SOPs leads to the review."""
    job_page = job_url(response)
    client = client or response.client
    done = client.get(job_page)
    assert done.status_code == 302, done.content.decode()[:2000]
    assert done["Location"] == job_page.removesuffix("proses/")
    return done["Location"]


def form_values(page: str) -> dict:
    """What a browser would post from the review form as loaded: checked boxes, text
    inputs and each select's selected option."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data[name] = html.unescape(value)
    for name in re.findall(r'<input type="checkbox" name="([^"]+)" value="1" checked', page):
        data[name] = "1"
    for name, value in re.findall(r'<input type="text" id="[^"]+" name="([^"]+)" value="([^"]*)"',
                                  page):
        data[name] = html.unescape(value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', page, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected>', body) or \
            re.search(r'<option value="([^"]*)"', body)
        data[name] = html.unescape(chosen.group(1))
    data["aksi"] = "simpan"
    return data


def select_for(page: str, index: int, step_index: int) -> str:
    match = re.search(rf'<select name="sop-{index}-langkah-{step_index}"[^>]*>(.*?)</select>',
                      page, re.S)
    return match.group(1)


def test_pages_need_login(client):
    for url in (reverse("imports:upload"), reverse("imports:review", args=["abc"])):
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_pegawai_sees_no_form_and_cannot_post(client, user_factory, units):
    client.force_login(user_factory("pegawai", "pegawai", units["pemkab"]))
    page = client.get(reverse("imports:upload")).content.decode()
    assert "belum dapat mengimpor" in page and 'type="file"' not in page
    response = post_upload(client, units["dinsos"], upload_file(SEED_004))
    assert response.status_code == 403
    assert not Sop.objects.exists()


def test_only_penyusun_units_are_offered(penyusun, units):
    page = penyusun.get(reverse("imports:upload")).content.decode()
    assert units["dinsos"].name in page and units["perpus"].name not in page
    # The only unit is chosen already; another unit is refused.
    assert f'value="{units["dinsos"].pk}" selected' in page
    response = post_upload(penyusun, units["perpus"], upload_file(SEED_004))
    assert response.status_code == 200 and "tidak dapat Anda pilih" in response.content.decode()


def test_seed_002_lists_25_sops_with_findings(penyusun, units):
    response = post_upload(penyusun, units["dinsos"], upload_file(SEED_002))
    page = penyusun.get(review_url(response)).content.decode()
    assert "25 SOP dari 1 berkas" in page
    # Reviewed five a page; the summary lists all 25.
    assert page.count('class="kartu impor-sop') == imports.PAGE_SIZE == 5
    assert len(re.findall(r'name="sop-\d+-simpan"', page)) == 5
    assert len(re.findall(r'<button type="submit" name="ke" value="\d+"', page)) == 25
    assert "ANALISA DAN KOMPETENSI JABATAN" in page and "PENATAAN KELEMBAGAAN" in page
    assert 'aria-current="page">1<' in page and 'name="halaman" value="5"' in page
    # Findings per SOP, with severity in Indonesian and the readable place, no codes.
    assert 'class="tingkat">peringatan<' in page and 'class="tingkat">info<' in page
    assert re.search(r'class="lokasi">baris \d+</span>', page)
    assert "import." not in page and "check." not in page
    assert "Temuan:" in page and "Ringkasan" in page


def test_seed_004_review_names_the_sop_and_corrects_actors(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_004)))
    page = penyusun.get(url).content.decode()
    assert "(tanpa nama)" in page and "Dokumen tidak menyebut nama SOP" in page
    assert "Nama SOP belum diisi." in page  # the checker ran on the SOP
    assert "Nama SOP tidak ditemukan di dokumen." in page  # a reading finding
    assert 'class="tingkat">galat<' in page
    # Step 11's actor, Kepala Badan, was inferred from "oleh Kepala Banda": highlighted.
    step11 = select_for(page, 0, 10)
    assert '<option value="=" selected>Kepala Badan (disimpulkan)</option>' in step11
    row11 = re.search(r'<tr class="">\s*<td class="">11</td>(.*?)</tr>', page, re.S).group(1)
    assert 'class="pelaksana disimpulkan"' in row11 and "lencana simpul" in row11
    assert "oleh Kepala Banda" in page  # the finding naming the source phrase
    # Steps 2–10, 12, 13 have no actor: flagged.
    assert page.count('<tr class="tanpa-pelaksana">') == 11
    assert "11 tanpa pelaksana" in page
    assert "legenda" in page
    # Without a name, saving fails and keeps every choice.
    data = form_values(page)
    data["sop-0-langkah-1"] = "kasubbag"
    response = penyusun.post(url, data)
    failed = response.content.decode()
    assert response.status_code == 200 and "Nama SOP wajib diisi" in failed
    assert '<option value="kasubbag" selected>' in select_for(failed, 0, 1)
    assert 'name="sop-0-simpan" value="1" checked' in failed
    assert not Sop.objects.exists()
    # Named and saved: step 2's corrected actor is no longer inferred; step 11 still is.
    data["sop-0-nama"] = "  Penyusunan   Rencana Kerja "
    response = penyusun.post(url, data)
    assert response.status_code == 302 and response["Location"] == reverse("library:list")
    version = SopVersion.objects.get()
    document = version.document
    assert document.name == version.name == "Penyusunan Rencana Kerja"
    step2, step11 = document.step(2), document.step(11)
    assert step2.actors == ["kasubbag"] and "actors" not in step2.inferred
    assert step11.actors == ["kepala-badan"] and "actors" in step11.inferred
    assert step11.source.file == SEED_004.name
    listing = penyusun.get(response["Location"]).content.decode()
    assert "1 draf SOP disimpan" in listing
    # The review data is gone from the session.
    assert penyusun.get(url)["Location"] == reverse("imports:upload")


def test_confirming_an_inferred_actor_drops_inferred(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_004)))
    data = form_values(penyusun.get(url).content.decode())
    data.update({"sop-0-nama": "Renja", "sop-0-langkah-10": "kepala-badan",
                 "sop-0-langkah-2": "sekretaris"})
    assert penyusun.post(url, data).status_code == 302
    document = SopVersion.objects.get().document
    assert document.step(11).actors == ["kepala-badan"]
    assert "actors" not in document.step(11).inferred
    assert document.step(3).actors == ["sekretaris"]


def test_unticked_sops_are_not_saved(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_002)))
    page = penyusun.get(url).content.decode()
    for number in range(1, 6):  # untick every SOP but the first two, page by page
        data = form_values(page)
        for index in range(max(2, (number - 1) * 5), number * 5):
            del data[f"sop-{index}-simpan"]
        del data["aksi"]
        data["halaman"] = str(number + 1)
        response = penyusun.post(url, data)
        assert response.status_code == 302
        page = penyusun.get(response["Location"]).content.decode()
    response = penyusun.post(url, {**form_values(page), "aksi": "simpan"})
    assert response.status_code == 302
    assert SopVersion.objects.count() == 2
    assert set(SopVersion.objects.values_list("name", flat=True)) == {
        "ANALISA DAN KOMPETENSI JABATAN", "PENATAAN KELEMBAGAAN"}
    assert "2 draf SOP disimpan" in penyusun.get(reverse("library:list")).content.decode()


def test_nothing_ticked_is_an_error(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
    data = form_values(penyusun.get(url).content.decode())
    del data["sop-0-simpan"]
    page = penyusun.post(url, data).content.decode()
    assert "Pilih minimal satu SOP" in page and not Sop.objects.exists()
    assert 'name="sop-0-simpan" value="1" checked' not in page


def test_a_foreign_actor_value_is_refused(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_004)))
    data = form_values(penyusun.get(url).content.decode())
    data.update({"sop-0-nama": "Renja", "sop-0-langkah-1": "bupati"})
    page = penyusun.post(url, data).content.decode()
    assert "Pelaksana langkah 2 tidak dikenal" in page and not Sop.objects.exists()


def test_saved_drafts_belong_to_the_unit_and_user(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_002),
                                 upload_file(KARTU)))
    page = penyusun.get(url).content.decode()
    assert "26 SOP dari 2 berkas" in page
    # Several files: each SOP names its file.
    assert "<dt>Berkas</dt><dd>002_222709af16668202.txt</dd>" in page
    last = penyusun.get(url + "?hal=6").content.decode()
    assert "<dt>Berkas</dt><dd>kartu-pns.html</dd>" in last
    # Saved from the first page: the SOPs of pages never opened are saved as proposed.
    response = penyusun.post(url, form_values(page))
    assert response.status_code == 302
    versions = SopVersion.objects.select_related("sop__unit")
    assert versions.count() == 26
    for version in versions:
        assert version.sop.unit == units["dinsos"]
        assert version.status == SopVersion.Status.DRAFT
        assert version.created_by == penyusun.user
    assert "26 draf SOP disimpan" in penyusun.get(reverse("library:list")).content.decode()


def test_reimport_becomes_a_new_version(penyusun, units):
    for _ in range(2):
        url = review_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
        page = penyusun.get(url).content.decode()
        assert penyusun.post(url, form_values(page)).status_code == 302
        # The first version is finished before the second is made (a new version is never
        # made beside an open one: test_import_reimport.py).
        approve(SopVersion.objects.latest("pk"), penyusun.user)
    assert "sudah ada di unit ini" in page
    assert Sop.objects.count() == 1 and SopVersion.objects.count() == 2


def test_html_fixture_imports(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
    page = penyusun.get(url).content.decode()
    assert "1 SOP dari 1 berkas" in page
    assert "Pengajuan Kartu PNS dan Kartu Istri/Suami" in page
    assert "800/012/ORG/2023" in page


def test_cancel_forgets_the_upload(penyusun, units):
    url = review_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
    response = penyusun.post(url, {"aksi": "batal"})
    assert response["Location"] == reverse("imports:upload") and not Sop.objects.exists()
    assert penyusun.get(url)["Location"] == reverse("imports:upload")


@pytest.mark.parametrize(("files", "message"), [
    ([SimpleUploadedFile("laporan.exe", b"MZ")], "Berkas &#x27;laporan.exe&#x27; tidak"),
    ([SimpleUploadedFile(f"sop-{i}.txt", b"x") for i in range(101)], "Paling banyak 100 berkas"),
    ([], "Pilih minimal satu berkas"),
    ([SimpleUploadedFile("kosong.txt", b"")], "Berkas &#x27;kosong.txt&#x27; kosong"),
])
def test_bad_uploads_keep_the_unit(client, user_factory, units, files, message):
    user = user_factory("penyusun", "penyusun", units["pemkab"])  # several units offered
    client.force_login(user)
    response = client.post(reverse("imports:upload"),
                           {"unit": units["dinsos"].pk, "files": files})
    page = response.content.decode()
    assert response.status_code == 200 and message in page
    assert f'<option value="{units["dinsos"].pk}" selected>' in page
    assert f'<option value="{units["pemkab"].pk}" >' in page or \
        f'<option value="{units["pemkab"].pk}">' in page
    assert not Sop.objects.exists()


def test_wrong_extension_names_the_file_among_good_ones(penyusun, units):
    response = post_upload(penyusun, units["dinsos"], upload_file(SEED_004),
                           SimpleUploadedFile("surat.exe", b"MZ"))
    page = response.content.decode()
    assert response.status_code == 200 and "surat.exe" in page and "004_" not in page
    assert ", ".join(imports.SUFFIXES) in page and ".pdf" in imports.SUFFIXES


def test_too_large_file(penyusun, units, settings):
    settings.ALUR_IMPORT_MAX_MB = 0
    response = post_upload(penyusun, units["dinsos"], upload_file(SEED_004))
    assert "terlalu besar" in response.content.decode()


def test_no_sop_found_is_shown_on_the_job_page(penyusun, units):
    url = job_url(post_upload(penyusun, units["dinsos"],
                              SimpleUploadedFile("catatan.txt", b"Hanya catatan biasa.\n")))
    response = penyusun.get(url)
    page = response.content.decode()
    assert response.status_code == 200 and "Tidak ada SOP yang ditemukan" in page
    assert 'hx-trigger' not in page  # finished: no more polling
    assert penyusun.get(url.removesuffix("proses/"))["Location"] == url  # nothing to review
    assert "catatan.txt" in page and "/tmp" not in page


# Markup as text: in a cell of an HTML page (escaped, as a page shows "<script>" typed as
# text) and in a text extract; plus a real <script> element in a cell.
HOSTILE = """<!DOCTYPE html><html><body>
<table border="1">
<tr><td>Nomor SOP</td><td>: 1/2024</td></tr>
<tr><td>Nama SOP</td><td>Uji &lt;script&gt;alert('nama')&lt;/script&gt;</td></tr>
</table>
<table border="1">
<tr><th>No</th><th>Kegiatan</th><th>Staf &lt;img src=x onerror=alert(3)&gt;</th>
<th>Kepala</th><th>Kelengkapan</th><th>Waktu</th><th>Output</th><th>Keterangan</th></tr>
<tr><td>1</td><td>Menerima &lt;script&gt;alert(1)&lt;/script&gt; berkas</td>
<td>□</td><td></td><td>-</td><td>5 menit</td><td>Berkas</td><td></td></tr>
<tr><td>2</td><td>Memeriksa <script>alert(2)</script>berkas</td><td></td><td>□</td>
<td>-</td><td>5 menit</td><td>Berkas</td><td></td></tr>
</table></body></html>"""
HOSTILE_TEXT = ("SOP UJI TEKS\nNo\tKegiatan\tStaf\tKepala\tKelengkapan\tWaktu\tOutput\n"
                "1\tMenyusun &lt;script&gt;alert(4)&lt;/script&gt; konsep\t□\t\t-\t5 menit"
                "\tKonsep\n")


def test_hostile_uploads_are_escaped(penyusun, units):
    response = post_upload(penyusun, units["dinsos"],
                           SimpleUploadedFile("jahat.html", HOSTILE.encode()),
                           SimpleUploadedFile("jahat.tsv", HOSTILE_TEXT.encode()))
    page = penyusun.get(review_url(response)).content.decode()
    assert "2 SOP dari 2 berkas" in page
    # The only scripts and pictures are alur's own static files (the header's logo, the
    # vendored libraries); nothing from the documents became markup.
    tags = re.findall(r"<(?:script|img)\b[^>]*>", page)
    assert tags and all(re.search(r'\bsrc="/static/[^"]+"', tag) for tag in tags), tags
    assert "alert(2)" not in page
    for text in ("Menerima &lt;script&gt;alert(1)&lt;/script&gt; berkas",  # step activity
                 "Uji &lt;script&gt;alert(&#x27;nama&#x27;)&lt;/script&gt;",  # name, input
                 "Staf &lt;img src=x onerror=alert(3)&gt;",  # actor name, select option
                 "Menyusun &lt;script&gt;alert(4)&lt;/script&gt; konsep"):
        assert text in page
    assert 'value="Uji &lt;script&gt;alert(&#x27;nama&#x27;)&lt;/script&gt;"' in page
    assert penyusun.post(review_url(response), form_values(page)).status_code == 302
    assert SopVersion.objects.filter(name="Uji <script>alert('nama')</script>").exists()
