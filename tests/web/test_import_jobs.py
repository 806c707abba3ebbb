"""Imports as background jobs: the upload creates a job, a worker reads it (here django-q2's
sync mode runs it inside the request), the job page shows progress and leads to the review,
a file that exceeds its limits becomes a finding, and a job is its uploader's alone."""

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from alur.importers.isolated import TEST_SLOW_VARIABLE
from alur.web.library import jobs
from alur.web.library.models import ImportJob, Sop

from .test_import import (
    KARTU,
    SEED_004,
    form_values,
    job_url,
    post_upload,
    review_url,
    upload_file,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jobs_in_request")]
WORD = Path(__file__).parents[1] / "importers" / "fixtures" / "office" / "renja-kesbangpol.docx"


def test_the_queue_is_the_database_with_limits():
    conf = django_settings.Q_CLUSTER
    assert conf["orm"] == "default" and conf["catch_up"] is False
    assert conf["retry"] > conf["timeout"] == django_settings.ALUR_JOB_TIMEOUT
    assert 1 <= conf["workers"] <= 2
    if django_settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        init = django_settings.DATABASES["default"]["OPTIONS"]["init_command"]
        assert "journal_mode=WAL" in init and "busy_timeout=" in init


def test_upload_runs_a_job_and_the_review_reads_it(penyusun, units, settings):
    response = post_upload(penyusun, units["dinsos"], upload_file(SEED_004), upload_file(KARTU))
    url = job_url(response)
    job = ImportJob.objects.get()
    assert url == reverse("imports:job", args=[job.token])
    assert job.user == penyusun.user and job.unit == units["dinsos"]
    assert job.status == ImportJob.Status.DONE and (job.done, job.total) == (2, 2)
    assert job.file_names == [SEED_004.name, KARTU.name]
    assert {s["id"] for s in job.sops} >= {"pengajuan-kartu-pns-dan-kartu-istri-suami"}
    assert any(f["file"] == KARTU.name for f in job.findings)
    # The uploaded files were needed only until they were read.
    assert not any((settings.MEDIA_ROOT / jobs.STORAGE_FOLDER).rglob("*"))
    # The review reads the job, not the session.
    assert not any(key.startswith("alur_import") for key, _value in penyusun.session.items())
    page = penyusun.get(review_url(response)).content.decode()
    assert "Pengajuan Kartu PNS dan Kartu Istri/Suami" in page and "2 SOP dari 2 berkas" in page
    # Answers posted on the review page are kept in the job.
    data = form_values(page)
    data["sop-0-nama"], data["aksi"] = "Nama Dari Peninjau", "tetap"
    assert penyusun.post(review_url(response), data).status_code == 302
    job.refresh_from_db()
    assert job.posted["0"]["form"]["sop-0-nama"] == "Nama Dari Peninjau"
    # Saving turns the job into drafts and forgets it.
    data["aksi"] = "simpan"
    assert penyusun.post(review_url(response), data)["Location"] == reverse("library:list")
    assert Sop.objects.count() == 2 and not ImportJob.objects.exists()


def test_job_page_shows_progress_then_leads_to_the_review(penyusun, units, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}  # queued; no worker runs it
    url = job_url(post_upload(penyusun, units["dinsos"], upload_file(SEED_004),
                              upload_file(KARTU)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.QUEUED and job.done == 0
    stored = [f["stored"] for f in job.files]
    assert all((settings.MEDIA_ROOT / name).is_file() for name in stored)
    page = penyusun.get(url).content.decode()
    assert "Menunggu dalam antrean" in page
    assert f'hx-get="{url}"' in page and 'hx-trigger="every 2s"' in page
    assert "vendor/htmx.min.js" in page and "http-equiv=\"refresh\"" in page
    # The review is not open yet: it sends back to the job page.
    assert penyusun.get(reverse("imports:review", args=[job.token]))["Location"] == url
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING, done=1)
    assert "1 dari 2 berkas sudah dibaca" in penyusun.get(url).content.decode()
    # A long PDF or scan being read: its pages count on the bar (1 file + 3/4 of the next).
    ImportJob.objects.filter(pk=job.pk).update(page=3, pages_total=4)
    page = penyusun.get(url).content.decode()
    assert f"Membaca {KARTU.name}: halaman 3 dari 4." in page
    assert '<progress max="100" value="87">' in page
    jobs.run_import(job.pk)  # what the worker does with the queued task
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE and job.done == 2 and job.sops
    assert not any((settings.MEDIA_ROOT / name).exists() for name in stored)
    polled = penyusun.get(url, headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == reverse("imports:review", args=[job.token])
    assert penyusun.get(url)["Location"] == reverse("imports:review", args=[job.token])


def test_a_file_over_its_time_limit_is_a_finding(penyusun, units, settings, monkeypatch):
    settings.ALUR_IMPORT_SECONDS = 3
    monkeypatch.setenv(TEST_SLOW_VARIABLE, "lambat")  # that child sleeps instead of reading
    response = post_upload(penyusun, units["dinsos"], upload_file(KARTU),
                           upload_file(SEED_004, "lambat.txt"))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.DONE and job.done == 2
    slow = [f for f in job.findings if f["file"] == "lambat.txt"]
    assert [f["code"] for f in slow] == ["import.time-limit"]
    page = penyusun.get(review_url(response)).content.decode()
    assert "Pengajuan Kartu PNS" in page  # the other file was read
    assert "melebihi 3 detik dan dihentikan" in page and "lambat.txt" in page
    assert "Traceback" not in page


def test_a_file_over_its_memory_limit_is_a_finding(penyusun, units, settings):
    """Less address space than the child already has: the Word reader cannot even load."""
    settings.ALUR_IMPORT_MEMORY_MB = 8
    url = job_url(post_upload(penyusun, units["dinsos"], upload_file(WORD)))
    job = ImportJob.objects.get()
    assert [f["code"] for f in job.findings] == ["import.memory-limit"] and not job.sops
    page = penyusun.get(url).content.decode()
    assert "Tidak ada SOP yang ditemukan" in page and "lebih dari 8 MB" in page
    assert WORD.name in page and "Traceback" not in page


def test_a_failing_job_shows_a_message_not_a_stack_trace(penyusun, units, monkeypatch):
    def broken(job):
        raise RuntimeError("disk on fire /srv/alur/secret")
    monkeypatch.setattr(jobs, "_read_files", broken)
    url = job_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
    job = ImportJob.objects.get()
    assert job.status == ImportJob.Status.FAILED and job.error
    page = penyusun.get(url).content.decode()
    assert "galat di alur" in page and "disk on fire" not in page and "Traceback" not in page
    assert "hx-trigger" not in page


def test_a_job_stopped_by_the_queue_is_marked_failed(penyusun, units, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    url = job_url(post_upload(penyusun, units["dinsos"], upload_file(KARTU)))
    job = ImportJob.objects.get()
    ImportJob.objects.filter(pk=job.pk).update(status=ImportJob.Status.RUNNING)
    # django-q2 calls the hook with the task it stopped at the job's time limit.
    jobs.job_finished(SimpleNamespace(success=False, args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED
    assert not any((settings.MEDIA_ROOT / f["stored"]).exists() for f in job.files)
    assert "melebihi batas waktu" in penyusun.get(url).content.decode()
    # A successful run of an already finished job changes nothing.
    jobs.job_finished(SimpleNamespace(success=True, args=[job.pk]))
    jobs.run_import(job.pk)
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED


def test_jobs_and_reviews_are_the_uploaders_alone(penyusun, units, client, user_factory):
    response = post_upload(penyusun, units["dinsos"], upload_file(KARTU))
    job_page, review = job_url(response), review_url(response)
    other = user_factory("rekan", "penyusun", units["dinsos"])  # same unit, same role
    client.force_login(other)
    assert client.get(job_page).status_code == 404
    assert client.get(review).status_code == 404
    assert client.post(review, {"aksi": "batal"}).status_code == 404
    assert client.post(review, {"aksi": "simpan"}).status_code == 404
    assert ImportJob.objects.filter(user=penyusun.user).exists() and not Sop.objects.exists()


def test_old_imports_are_forgotten(penyusun, units):
    for _ in range(7):
        post_upload(penyusun, units["dinsos"], upload_file(KARTU))
    assert ImportJob.objects.filter(user=penyusun.user).count() == 5


def test_upload_form_errors_create_no_job(penyusun, units):
    response = post_upload(penyusun, units["dinsos"], SimpleUploadedFile("surat.exe", b"MZ"))
    assert response.status_code == 200 and not ImportJob.objects.exists()


def test_abandoned_imports_are_forgotten_by_a_daily_schedule(penyusun, units, settings):
    from django_q.models import Schedule

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    post_upload(penyusun, units["dinsos"], upload_file(KARTU))
    post_upload(penyusun, units["dinsos"], upload_file(SEED_004))
    old, recent = ImportJob.objects.order_by("pk")
    ImportJob.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - jobs.ABANDONED_AFTER - timedelta(hours=1))
    assert jobs.forget_abandoned_imports() == 1
    assert list(ImportJob.objects.all()) == [recent]
    assert not (settings.MEDIA_ROOT / old.files[0]["stored"]).exists()
    assert (settings.MEDIA_ROOT / recent.files[0]["stored"]).exists()
    jobs.ensure_schedules()
    jobs.ensure_schedules()  # idempotent
    schedule = Schedule.objects.get(name="alur: impor terbengkalai")
    assert schedule.func == "alur.web.library.jobs.forget_abandoned_imports"
    assert schedule.schedule_type == Schedule.DAILY
