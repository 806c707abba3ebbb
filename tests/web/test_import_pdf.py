"""PDF imports on the web: accepted, limited (files, size, pages), their pages rendered as
pictures with the recognised symbols, shown beside the review only to the uploader, and deleted
with the job when the import is saved or cancelled."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alur.web.library import jobs
from alur.web.library.models import ImportJob, Sop

from .test_import import (
    form_values,
    job_url,
    post_upload,
    review_url,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]
ROOT = Path(__file__).parents[2]
EXAMPLE = ROOT / "examples" / "library" / "surat-ijin-cuti.yaml"


@pytest.fixture(scope="module")
def example_pdf(tmp_path_factory) -> bytes:
    """The example SOP rendered as alur renders it (two A4 landscape pages)."""
    out = tmp_path_factory.mktemp("pdf") / "surat-ijin-cuti.pdf"
    alur = Path(sys.executable).parent / "alur"
    subprocess.run([str(alur), "render", str(EXAMPLE), "-o", str(out)],
                   check=True, capture_output=True, cwd=ROOT)
    return out.read_bytes()


def pdf_upload(data: bytes, name: str = "surat-ijin-cuti.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_pdf_is_read_and_its_pages_kept_with_symbols(penyusun, units, example_pdf):
    url = review_url(post_upload(penyusun, units["dinsos"], pdf_upload(example_pdf)))
    job = ImportJob.objects.get()
    assert job.sops and len(job.pages) == 1
    entry = job.pages[0]
    assert entry["file"] == "surat-ijin-cuti.pdf" and entry["sops"] == [s["id"] for s in job.sops]
    assert [p["number"] for p in entry["pages"]] == [1, 2]
    for page in entry["pages"]:
        assert default_storage.exists(page["image"])
        assert page["width"] <= 1200 and page["width"] > page["height"]  # landscape, ~100 dpi
        assert 1100 <= page["width"] <= 1200
    symbols = [s for p in entry["pages"] for s in p["symbols"]]
    assert {"terminator", "process", "decision"} <= {s["kind"] for s in symbols}
    width, height = entry["pages"][0]["points"]
    for symbol in symbols:  # boxes in their own page's points, not the stacked surface
        x0, y0, x1, y1 = symbol["box"]
        assert 0 <= x0 < x1 <= width and 0 <= y0 < y1 <= height
    # The uploaded file itself is gone once read; the pictures stay for the review.
    assert not any(f["stored"] and default_storage.exists(f["stored"]) for f in job.files)

    page = penyusun.get(url).content.decode()
    assert 'class="impor-berdampingan"' in page and "alur/import-review.js" in page
    image_url = reverse("imports:page", args=[job.token, 1, 1])
    assert f'src="{image_url}"' in page
    assert page.count('class="simbol simbol-') == len(symbols)
    # The flowchart is on page 2 (page 1 is the identity): each step row leads to its symbol.
    linked = re.findall(r'data-halaman="sop-0-hal-(\d)" data-simbol="sop-0-hal-2-s(\d+)"', page)
    assert len(linked) == len(job.sops[0]["steps"]) and {p for p, _ in linked} == {"2"}
    assert len({s for _, s in linked}) == len(linked)
    assert 'href="#sop-0-hal-2" class="ke-halaman"' in page
    assert 'id="sop-0-hal-1"' in page and "tanpa-langkah" in page


def test_page_images_are_served_only_to_the_uploader(penyusun, client, units, user_factory,
                                                    example_pdf):
    post_upload(penyusun, units["dinsos"], pdf_upload(example_pdf))
    job = ImportJob.objects.get()
    url = reverse("imports:page", args=[job.token, 1, 2])
    response = penyusun.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    assert penyusun.get(reverse("imports:page", args=[job.token, 1, 3])).status_code == 404
    assert penyusun.get(reverse("imports:page", args=[job.token, 2, 1])).status_code == 404
    other = user_factory("lain", "penyusun", units["dinsos"])
    client.force_login(other)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def images(job: ImportJob) -> list[str]:
    return [p["image"] for entry in job.pages for p in entry["pages"]]


def test_pages_deleted_when_cancelled(penyusun, units, example_pdf, settings):
    url = review_url(post_upload(penyusun, units["dinsos"], pdf_upload(example_pdf)))
    job = ImportJob.objects.get()
    stored = images(job)
    assert stored and all(default_storage.exists(name) for name in stored)
    penyusun.post(url, {"aksi": "batal"})
    assert not ImportJob.objects.exists()
    assert not any(default_storage.exists(name) for name in stored)
    assert not (Path(settings.MEDIA_ROOT) / jobs.STORAGE_FOLDER / job.token).exists()


def test_pages_deleted_when_saved(penyusun, units, example_pdf):
    url = review_url(post_upload(penyusun, units["dinsos"], pdf_upload(example_pdf)))
    job = ImportJob.objects.get()
    stored = images(job)
    page = penyusun.get(url).content.decode()
    values = form_values(page)
    values["aksi"] = "simpan"
    values.setdefault("sop-0-nama", "Surat Ijin Cuti")
    response = penyusun.post(url, values)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Sop.objects.exists() and not ImportJob.objects.exists()
    assert stored and not any(default_storage.exists(name) for name in stored)


def test_image_scan_pages_are_kept(penyusun, units, settings, monkeypatch):
    """A scanned image also gets its picture (OCR itself is the scan reader's business)."""
    from PIL import Image

    from alur.importers import ImportResult

    monkeypatch.setattr(jobs, "read_isolated", lambda *a, **k: ImportResult([], []))
    import io
    buffer = io.BytesIO()
    Image.new("RGB", (2480, 1754), "white").save(buffer, format="PNG")
    post_upload(penyusun, units["dinsos"], SimpleUploadedFile("pindai.png", buffer.getvalue()))
    job = ImportJob.objects.get()
    (page,) = job.pages[0]["pages"]
    assert (page["width"], page["height"]) == (1200, 849)
    assert default_storage.exists(page["image"])


def test_pdf_with_too_many_pages_is_a_finding(penyusun, units, example_pdf, settings):
    settings.ALUR_IMPORT_MAX_PAGES = 1
    response = penyusun.get(job_url(post_upload(penyusun, units["dinsos"],
                                                 pdf_upload(example_pdf))))
    page = response.content.decode()
    assert "PDF ini berisi 2 halaman" in page or "2 halaman" in page, page[:3000]
    assert "paling banyak 1 halaman" in page.lower()
    job = ImportJob.objects.get()
    assert job.sops == [] and job.pages == []


def test_101st_file_and_too_large_file_refused(penyusun, units, settings):
    files = [SimpleUploadedFile(f"sop-{i}.pdf", b"%PDF-1.4") for i in range(101)]
    page = post_upload(penyusun, units["dinsos"], *files).content.decode()
    assert "Paling banyak 100 berkas sekali unggah; Anda memilih 101." in page
    assert not ImportJob.objects.exists()
    settings.ALUR_IMPORT_MAX_MB = 1
    big = SimpleUploadedFile("besar.pdf", b"%PDF-1.4\n" + b"0" * (1024 * 1024 + 10))
    page = post_upload(penyusun, units["dinsos"], big).content.decode()
    assert "Berkas &#x27;besar.pdf&#x27; terlalu besar (1.0 MB); batasnya 1 MB per berkas." \
        in page or "terlalu besar" in page
    assert 'aria-invalid="true"' in page and not ImportJob.objects.exists()


def test_pdf_and_images_accepted_by_the_form(penyusun, units):
    page = penyusun.get(reverse("imports:upload")).content.decode()
    accept = re.search(r'accept="([^"]+)"', page).group(1).split(",")
    assert {".pdf", ".png", ".jpg", ".jpeg", ".tif", ".tiff", ".docx"} <= set(accept)
    assert "100 berkas" in page and "50 MB" in page


def test_pages_deleted_when_the_import_expires(penyusun, units, example_pdf):
    from datetime import timedelta

    from django.utils import timezone

    post_upload(penyusun, units["dinsos"], pdf_upload(example_pdf))
    job = ImportJob.objects.get()
    stored = images(job)
    ImportJob.objects.update(created_at=timezone.now() - jobs.ABANDONED_AFTER - timedelta(hours=1))
    assert jobs.forget_abandoned_imports() == 1
    assert stored and not any(default_storage.exists(name) for name in stored)
