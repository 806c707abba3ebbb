"""The semester monitoring form (Permenpan RB 35/2012, Tabel 7): rows proposed from the
semester's cases against the on-time threshold, edited with errors next to the cell, initialled,
finalised and frozen, carried over to the next semester, recapped, falling due in Tugas saya
with one notification, and downloaded as PDF and DOCX in the six-column layout."""

from __future__ import annotations

import datetime as dt
import io
import uuid
from pathlib import Path
from zoneinfo import ZoneInfo

import pdfplumber
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import ProtectedError
from django.urls import reverse
from docx import Document
from openpyxl import load_workbook

from alur.web import upload_guard
from alur.web.cases.models import Case, Notification, Task
from alur.web.monitoring import queries, services, work
from alur.web.monitoring.models import Judgement, MonitoringForm, MonitoringRow
from alur.web.org.models import Membership, Person
from alur.web.work import items

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    small_sop,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
# Semester II 2025, looked at in January 2026 (fixed, so the tests do not depend on today).
NOW = dt.datetime(2026, 1, 12, 9, tzinfo=WIB)
EFFECTIVE = dt.date(2024, 1, 2)


@pytest.fixture(autouse=True)
def _settings(settings):
    settings.ALUR_REPORT_CACHE_SECONDS = 0
    settings.ALUR_MONITORING_ON_TIME_THRESHOLD = 0.8


@pytest.fixture
def world(units, user_factory):
    """Two SOPs of Dinas Sosial (one with cases in the semester, one without), an evaluator
    linked to an employee and a worker."""
    author = user_factory("penulis")
    unit = units["dinsos"]
    busy = add_approved(small_sop("uji-pantau", [
        {"number": 1, "activity": "Terima berkas", "actors": ["staf"], "time": "1 jam"},
        {"number": 2, "activity": "Memeriksa berkas", "actors": ["staf"], "time": "1 hari"}],
        name="Pelayanan Bantuan Sosial"), unit, author, effective=EFFECTIVE)
    quiet = add_approved(small_sop("uji-sepi", [
        {"number": 1, "activity": "Catat", "actors": ["staf"], "time": "1 jam"}],
        name="Pencatatan Arsip"), unit, author, effective=EFFECTIVE)
    worker = make_person(user_factory, "staf", unit)
    evaluator = user_factory("evaluator", "evaluator", units["pemkab"])
    person = Person.objects.create(user=evaluator, name="Siti Evaluator",
                                   nip="198001012005012001")
    return {"unit": unit, "busy": busy, "quiet": quiet, "worker": worker,
            "evaluator": evaluator, "person": person}


def _tasks(version, person, step: int, on_time: int, late: int, minutes: int = 60) -> None:
    case = Case.objects.create(title="uji", version=version, sop=version.sop,
                               unit=version.sop.unit, initiator=person,
                               started_at=dt.datetime(2025, 10, 1, 8, tzinfo=WIB))
    done = dt.datetime(2025, 10, 20, 10, tzinfo=WIB)
    for index in range(on_time + late):
        Task.objects.create(
            case=case, key=f"{step}.1.{uuid.uuid4().hex[:6]}", step=step, actor_id="staf",
            actor_name="Staf", activity="x", status=Task.Status.DONE,
            ready_at=done - dt.timedelta(minutes=minutes), done_at=done,
            due_at=done + dt.timedelta(minutes=1 if index < on_time else -1),
            work_minutes=minutes, wait_minutes=0)


def _make(world) -> MonitoringForm:
    return services.create_form(world["unit"], 2025, 2, world["evaluator"], now=NOW)


def _rows(form: MonitoringForm) -> dict[str, MonitoringRow]:
    return {r.procedure.split(" (")[0]: r for r in form.rows.all()}


# --- prefill ---------------------------------------------------------------------------------

def test_a_step_under_the_threshold_proposes_not_running_well_with_the_evidence(world):
    _tasks(world["busy"], world["worker"], 1, on_time=10, late=0)
    _tasks(world["busy"], world["worker"], 2, on_time=12, late=18, minutes=1350)
    rows = _rows(_make(world))
    busy = rows["Pelayanan Bantuan Sosial"]
    assert busy.judgement == busy.proposed_judgement == Judgement.TIDAK_BAIK
    assert "Langkah 2 'Memeriksa berkas': 12 dari 30 kasus tepat waktu (40%)" in busy.notes
    assert "median 3 hari" in busy.notes and "standar 1 hari" in busy.notes
    assert "22 dari 40 tugas tepat waktu (55%)" in busy.notes


def test_an_sop_over_the_threshold_runs_well_and_one_without_cases_has_no_data(world):
    _tasks(world["busy"], world["worker"], 1, on_time=9, late=1)
    rows = _rows(_make(world))
    assert rows["Pelayanan Bantuan Sosial"].judgement == Judgement.BAIK
    assert "9 dari 10 tugas tepat waktu (90%)" in rows["Pelayanan Bantuan Sosial"].notes
    quiet = rows["Pencatatan Arsip"]
    assert quiet.judgement == Judgement.BELUM_ADA_DATA
    assert quiet.get_judgement_display() == "Belum ada data (tidak dinilai)"


def test_the_threshold_is_a_setting(world, settings):
    settings.ALUR_MONITORING_ON_TIME_THRESHOLD = 0.95
    _tasks(world["busy"], world["worker"], 1, on_time=9, late=1)
    form = _make(world)
    assert _rows(form)["Pelayanan Bantuan Sosial"].judgement == Judgement.TIDAK_BAIK
    assert form.threshold == 0.95


def test_tasks_outside_the_semester_or_another_units_sop_are_not_counted(world, units,
                                                                         user_factory):
    _tasks(world["busy"], world["worker"], 1, on_time=0, late=5)
    Task.objects.update(done_at=dt.datetime(2025, 6, 30, 10, tzinfo=WIB))  # semester I
    other = add_approved(small_sop("uji-lain", [
        {"number": 1, "activity": "A", "actors": ["staf"], "time": "1 jam"}]),
        units["perpus"], user_factory("lain"), effective=EFFECTIVE)
    rows = _rows(_make(world))
    assert rows["Pelayanan Bantuan Sosial"].judgement == Judgement.BELUM_ADA_DATA
    assert other.sop_id not in {r.sop_id for r in rows.values()}


def test_proposing_again_updates_only_the_rows_the_evaluator_left_alone(world, client):
    form = _make(world)
    rows = _rows(form)
    assert {r.judgement for r in rows.values()} == {Judgement.BELUM_ADA_DATA}
    quiet = rows["Pencatatan Arsip"]
    quiet.judgement, quiet.notes = Judgement.BAIK, "Diamati langsung: berjalan"
    quiet.save()
    _tasks(world["busy"], world["worker"], 1, on_time=1, late=4)
    _tasks(world["quiet"], world["worker"], 1, on_time=0, late=3)
    client.force_login(world["evaluator"])
    response = client.post(reverse("monitoring:refresh", args=[form.pk]), follow=True)
    assert "1 baris diperbarui, 0 baris baru; 1 baris" in response.content.decode()
    rows = _rows(form)
    assert rows["Pelayanan Bantuan Sosial"].judgement == Judgement.TIDAK_BAIK
    assert "1 dari 5 tugas tepat waktu" in rows["Pelayanan Bantuan Sosial"].notes
    assert (rows["Pencatatan Arsip"].judgement, rows["Pencatatan Arsip"].notes) == (
        Judgement.BAIK, "Diamati langsung: berjalan")


# --- editing, paraf, finalising -------------------------------------------------------------

def _post_rows(client, form, changes: dict[int, dict[str, str]], **extra):
    data = {"baris-TOTAL_FORMS": str(form.rows.count()),
            "baris-INITIAL_FORMS": str(form.rows.count()),
            "baris-MIN_NUM_FORMS": "0", "baris-MAX_NUM_FORMS": "1000", **extra}
    for index, row in enumerate(form.rows.all()):
        data[f"baris-{index}-id"] = str(row.pk)
        values = {"judgement": row.judgement, "notes": row.notes, "action": row.action,
                  "procedure": row.procedure, "followed_up": row.followed_up,
                  "follow_up_note": row.follow_up_note, **changes.get(row.pk, {})}
        for key, value in values.items():
            data[f"baris-{index}-{key}"] = value
    return client.post(reverse("monitoring:form", args=[form.pk]), data)


@pytest.fixture
def filled(world, client):
    _tasks(world["busy"], world["worker"], 1, on_time=1, late=4)
    form = _make(world)
    client.force_login(world["evaluator"])
    return form, client


def test_a_row_not_running_well_needs_an_action_said_next_to_the_cell(filled):
    form, client = filled
    row = form.rows.get(judgement=Judgement.TIDAK_BAIK)
    response = _post_rows(client, form, {row.pk: {"action": "  ", "notes": "ubah"}})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tuliskan apa yang harus dilakukan" in page
    assert 'class="invalid-feedback d-block" role="alert" id="id_baris-' in page
    row.refresh_from_db()
    assert row.notes != "ubah"  # nothing saved


def test_an_unknown_judgement_is_refused_not_a_crash(filled):
    form, client = filled
    row = form.rows.first()
    response = _post_rows(client, form, {row.pk: {"judgement": "<script>"}})
    assert response.status_code == 400
    assert "Pilih salah satu pilihan yang tersedia" in response.content.decode()


def test_edit_then_initial_records_the_evaluators_name_and_time(filled):
    form, client = filled
    row = form.rows.get(judgement=Judgement.TIDAK_BAIK)
    response = _post_rows(client, form, {row.pk: {"action": "Latih ulang petugas loket"}},
                          paraf=str(row.pk))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.action == "Latih ulang petugas loket"
    assert row.initialled_name == "Siti Evaluator" and row.initialled_at is not None
    # Changing the row afterwards removes the initials: they vouched for the old text.
    _post_rows(client, form, {row.pk: {"action": "Tambah petugas"}})
    row.refresh_from_db()
    assert row.action == "Tambah petugas" and not row.initialled


def test_finalise_needs_every_row_judged_and_initialled_then_freezes(filled):
    form, client = filled
    url = reverse("monitoring:finalise", args=[form.pk])
    response = client.post(url)
    assert response.status_code == 400
    assert "belum diparaf" in response.content.decode()
    form.refresh_from_db()
    assert not form.final
    for row in form.rows.all():
        assert client.post(reverse("monitoring:initial", args=[form.pk, row.pk])).status_code \
            == 302
    assert client.post(url).status_code == 302
    form.refresh_from_db()
    assert form.final and form.evaluator_name == "Siti Evaluator"
    assert form.evaluator_nip == "198001012005012001" and form.finalised_at
    page = client.get(reverse("monitoring:form", args=[form.pk])).content.decode()
    assert "Difinalkan oleh Siti Evaluator" in page and "<textarea" not in page
    # Frozen: edits, findings, initials and files are all refused, nothing changes.
    row = form.rows.first()
    before = (row.notes, row.initialled_at)
    refused = [_post_rows(client, form, {row.pk: {"notes": "diubah"}}),
               client.post(reverse("monitoring:add_finding", args=[form.pk]),
                           {"temuan-procedure": "x", "temuan-judgement": "baik"}),
               client.post(reverse("monitoring:initial", args=[form.pk, row.pk])),
               client.post(reverse("monitoring:refresh", args=[form.pk])),
               client.post(url)]
    assert [r.status_code for r in refused] == [409] * 5
    row.refresh_from_db()
    assert (row.notes, row.initialled_at) == before
    assert form.rows.count() == 2
    with pytest.raises(ProtectedError):
        form.delete()


def test_a_finding_from_observation_is_a_row_of_its_own(filled):
    form, client = filled
    sop = form.rows.first().sop
    bad = client.post(reverse("monitoring:add_finding", args=[form.pk]),
                      {"temuan-procedure": "Antrean", "temuan-step": "2",
                       "temuan-judgement": "baik"})
    assert bad.status_code == 400 and "pilih juga SOP-nya" in bad.content.decode()
    missing = client.post(reverse("monitoring:add_finding", args=[form.pk]), {
        "temuan-procedure": "Antrean", "temuan-sop": str(sop.pk), "temuan-step": "9",
        "temuan-judgement": "baik"})
    assert missing.status_code == 400
    assert "SOP ini tidak memiliki langkah 9 (langkahnya 2)" in missing.content.decode()
    response = client.post(reverse("monitoring:add_finding", args=[form.pk]), {
        "temuan-procedure": "Loket tutup sebelum jam layanan", "temuan-sop": str(sop.pk),
        "temuan-step": "1", "temuan-judgement": "tidak_baik",
        "temuan-notes": "Wawancara dengan 5 pemohon", "temuan-action": "Tegur petugas"})
    assert response.status_code == 302
    finding = form.rows.get(is_finding=True)
    assert (finding.number, finding.step, finding.sop_id) == (3, 1, sop.pk)


def test_evidence_files_are_attached_and_served_only_to_readers(
        filled, monkeypatch, client, user_factory, units, settings, tmp_path,
        django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    # The upload guard lets files through only on endpoints it lists.
    assert any(u.view_name == "monitoring:attach" for u in upload_guard.UPLOADS)
    form, client = filled
    row = form.rows.first()
    url = reverse("monitoring:attach", args=[form.pk])
    bad = client.post(url, {"bukti-file": SimpleUploadedFile("x.exe", b"MZ")})
    assert bad.status_code == 400 and "tidak diterima" in bad.content.decode()
    ok = client.post(url, {"bukti-file": SimpleUploadedFile("wawancara.pdf", b"%PDF-1.4 x"),
                           "bukti-label": "Catatan wawancara", "bukti-row": str(row.pk)})
    assert ok.status_code == 302
    evidence = form.evidence.get()
    assert evidence.row == row and evidence.size == 10
    link = reverse("monitoring:evidence", args=[evidence.public_id])
    assert b"".join(client.get(link).streaming_content) == b"%PDF-1.4 x"
    second = client.post(url, {"bukti-file": SimpleUploadedFile("foto.jpg", b"\xff\xd8x")})
    assert second.status_code == 302 and form.evidence.count() == 2
    mistaken = form.evidence.get(original_name="foto.jpg")
    stored = Path(mistaken.file.path)
    with django_capture_on_commit_callbacks(execute=True):
        removed = client.post(reverse("monitoring:remove_evidence",
                                      args=[mistaken.public_id]))
    assert removed.status_code == 302 and form.evidence.count() == 1
    assert not stored.exists()
    client.force_login(user_factory("orang-lain", "evaluator", units["perpus"]))
    assert client.get(link).status_code == 404
    assert client.get(reverse("monitoring:form", args=[form.pk])).status_code == 404


def test_a_reader_of_another_unit_cannot_fill_and_a_pegawai_cannot_see(filled, client,
                                                                      user_factory, units):
    form, _client = filled
    client.force_login(user_factory("pegawai-x", "pegawai", units["dinsos"]))
    assert client.get(reverse("monitoring:form", args=[form.pk])).status_code == 404
    assert client.get(reverse("monitoring:index")).status_code == 404


# --- follow-up -------------------------------------------------------------------------------

def test_the_next_semester_shows_the_previous_action_to_follow_up(world, client):
    first = _make(world)
    row = first.rows.get(sop=world["busy"].sop)
    row.action = "Perbarui standar waktu langkah 2"
    row.save()
    MonitoringRow.objects.create(form=first, number=3, is_finding=True, procedure="Antrean",
                                 judgement="tidak_baik", action="Tambah kursi tunggu")
    second = services.create_form(world["unit"], 2026, 1, world["evaluator"],
                                  now=dt.datetime(2026, 7, 10, tzinfo=WIB))
    carried = second.rows.get(sop=world["busy"].sop)
    assert carried.previous == row and carried.previous_action == row.action
    finding = second.rows.get(is_finding=True)
    assert finding.previous_action == "Tambah kursi tunggu" and finding.procedure == "Antrean"
    client.force_login(world["evaluator"])
    page = client.get(reverse("monitoring:form", args=[second.pk])).content.decode()
    assert "Tindakan semester lalu" in page and "Perbarui standar waktu langkah 2" in page
    # "Belum" needs a reason; "sudah" is stored.
    response = _post_rows(client, second, {carried.pk: {"followed_up": "belum"}})
    assert response.status_code == 400 and "Jelaskan mengapa" in response.content.decode()
    _post_rows(client, second, {carried.pk: {"followed_up": "sudah",
                                             "follow_up_note": "SK baru terbit"}})
    carried.refresh_from_db()
    assert carried.followed_up == "sudah" and carried.follow_up_note == "SK baru terbit"


# --- list, recap ----------------------------------------------------------------------------

def test_the_list_makes_the_semesters_form_once(world, client):
    client.force_login(world["evaluator"])
    page = client.get(reverse("monitoring:index"))
    assert page.status_code == 200
    periods = [value for value, _label in page.context["new"].fields["period"].choices]
    data = {"unit": str(world["unit"].pk), "period": periods[0]}
    first = client.post(reverse("monitoring:index"), data)
    second = client.post(reverse("monitoring:index"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert MonitoringForm.objects.count() == 1
    bad = client.post(reverse("monitoring:index"), {"unit": "999999", "period": "1999-3"})
    assert bad.status_code == 400
    assert "Pilih salah satu pilihan yang tersedia" in bad.content.decode()


def test_the_recap_lists_every_unit_with_its_status_and_downloads_as_xlsx(filled, world):
    _form, client = filled
    response = client.get(reverse("monitoring:recap") + "?tahun=2025&semester=2")
    lines = {line.unit.name: line for line in response.context["lines"]}
    assert lines[world["unit"].name].status == "draft"
    assert lines[world["unit"].name].not_well == 1
    assert "PEMERINTAH KABUPATEN BANGKA TENGAH" not in lines  # no SOP of its own to monitor
    earlier = client.get(reverse("monitoring:recap") + "?tahun=2025&semester=1")
    assert [(line.unit, line.status) for line in earlier.context["lines"]] == [
        (world["unit"], "none")]
    assert "belum dibuat" in earlier.content.decode()
    odd = client.get(reverse("monitoring:recap") + "?tahun=abc&semester=9")
    assert odd.status_code == 200 and "tidak dapat dibaca" in odd.content.decode()
    xlsx = client.get(reverse("monitoring:recap_xlsx") + "?tahun=2025&semester=2")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert values[0][:5] == ["No", "Unit", "Status", "Baris", "Tidak berjalan dengan baik"]
    assert [world["unit"].name, "Draf", 2, 1] in [v[1:5] for v in values]


# --- falling due -----------------------------------------------------------------------------

def test_the_semesters_monitoring_is_in_tugas_saya_and_notified_once(world, client):
    evaluator, person = world["evaluator"], world["person"]
    client.force_login(evaluator)
    inbox = client.get(reverse("cases:inbox")).content.decode()  # today's semesters
    assert "Isi dan finalkan formulir pemantauan SOP semester" in inbox
    due = items.work_items(evaluator, person, NOW)
    mine = [i for i in due if i.kind == "monitoring" and i.subject == world["unit"].name]
    assert len(mine) == 1 and mine[0].due == dt.date(2025, 12, 31)
    assert mine[0].overdue(NOW.date()) and "periode=2025-2" in mine[0].url
    assert work.record_monitoring_due(NOW) == 1
    assert work.record_monitoring_due(NOW) == 0
    note = Notification.objects.get(person=person)
    assert note.kind == Notification.Kind.MONITORING_DUE
    assert note.key == f"monitoring:{world['unit'].pk}:2025-2"
    assert world["unit"].name in note.subject
    # A worker (no evaluator role) sees nothing; a finalised form is no longer due.
    worker_user = world["worker"].user
    assert not [i for i in items.work_items(worker_user, world["worker"], NOW)
                if i.kind == "monitoring"]
    form = _make(world)
    for row in form.rows.all():
        services.initial(row, evaluator)
    services.finalise(form, evaluator)
    assert not [i for i in items.work_items(evaluator, person, NOW)
                if i.kind == "monitoring" and i.subject == world["unit"].name]


def test_an_evaluator_without_an_employee_gets_the_item_but_no_notification(world):
    Person.objects.filter(pk=world["person"].pk).update(user=None)
    assert [i for i in items.work_items(world["evaluator"], None, NOW) if i.kind == "monitoring"]
    assert work.record_monitoring_due(NOW) == 0
    assert Membership.objects.filter(user=world["evaluator"]).exists()


# --- downloads and the query for the evaluation ----------------------------------------------

def test_pdf_and_docx_carry_the_six_columns_and_the_signature(filled):
    form, client = filled
    draft = client.get(reverse("monitoring:download", args=[form.pk, "pdf"]))
    with pdfplumber.open(io.BytesIO(draft.content)) as document:
        assert "DRAF — belum final" in (document.pages[0].extract_text() or "")
    for row in form.rows.all():
        services.initial(row, form.created_by)
    services.finalise(form, form.created_by)
    headings = ["No", "Prosedur", "Penilaian terhadap penerapan",
                "Catatan hasil penilaian", "Tindakan yang harus diambil", "Paraf penilai"]
    pdf = client.get(reverse("monitoring:download", args=[form.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(pdf.content)) as document:
        page = document.pages[0]
        assert page.width > page.height  # landscape
        text = " ".join((page.extract_text() or "").split())
        table = page.extract_tables()[0]
    for heading in headings:
        assert heading in text
    assert "SEMESTER II TAHUN 2025" in text.upper() and world_unit(form) in text
    assert "Siti Evaluator" in text and "198001012005012001" in text
    assert len(table[0]) == 6 and len(table) == 3
    docx = client.get(reverse("monitoring:download", args=[form.pk, "docx"]))
    document = Document(io.BytesIO(docx.content))
    grid = document.tables[0]
    assert [c.text for c in grid.rows[0].cells][1:] == [
        "Prosedur", "Penilaian terhadap penerapan (Berjalan dengan baik / Tidak berjalan "
        "dengan baik)", "Catatan hasil penilaian", "Tindakan yang harus diambil",
        "Paraf penilai"]
    assert len(grid.rows) == 3
    assert document.sections[0].page_width > document.sections[0].page_height
    assert any("Siti Evaluator" in p.text for p in document.paragraphs)
    assert not any("DRAF" in p.text for p in document.paragraphs)
    assert client.get(reverse("monitoring:download", args=[form.pk, "odt"])).status_code == 404


def world_unit(form: MonitoringForm) -> str:
    return form.unit.name.upper()


def test_results_for_sop_and_last_monitored(filled, world):
    form, _client = filled
    sop_id = world["busy"].sop_id
    results = queries.results_for_sop(sop_id, dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    assert [(r.year, r.semester, r.judgement, r.finalised) for r in results] == [
        (2025, 2, "tidak_baik", False)]
    assert results[0].judgement_label == "Tidak berjalan dengan baik"
    assert results[0].url.startswith(reverse("monitoring:form", args=[form.pk]))
    assert queries.results_for_sop(sop_id, dt.date(2026, 1, 1), dt.date(2026, 3, 1)) == []
    assert queries.last_monitored([sop_id]) == {}
    for row in form.rows.all():
        services.initial(row, world["evaluator"])
    services.finalise(form, world["evaluator"])
    assert queries.last_monitored([sop_id, world["quiet"].sop_id, 0]) == {
        sop_id: dt.date(2025, 12, 31), world["quiet"].sop_id: dt.date(2025, 12, 31)}


def test_the_admin_shows_forms_read_only_and_never_deletes_a_final_one(filled, client,
                                                                        user_factory):
    form, _client = filled
    for row in form.rows.all():
        services.initial(row, form.created_by)
    services.finalise(form, form.created_by)
    client.force_login(user_factory("root", is_superuser=True, is_staff=True))
    assert client.get(reverse("admin:monitoring_monitoringform_changelist")).status_code == 200
    page = client.get(reverse("admin:monitoring_monitoringform_change", args=[form.pk]))
    assert page.status_code == 200 and "Siti Evaluator" in page.content.decode()
    delete = reverse("admin:monitoring_monitoringform_delete", args=[form.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert MonitoringForm.objects.filter(pk=form.pk).exists()


def test_a_tampered_formset_is_refused_or_ignored_never_a_crash(filled):
    form, client = filled
    count = form.rows.count()
    extra = _post_rows(client, form, {}, **{"baris-TOTAL_FORMS": str(count + 1),
                                            "baris-2-procedure": "baru",
                                            "baris-2-judgement": "baik"})
    assert extra.status_code == 400 and form.rows.count() == count
    other = _post_rows(client, form, {}, **{"baris-0-id": "999999"})
    assert other.status_code == 400
    bare = client.post(reverse("monitoring:form", args=[form.pk]), {"x": "1"})
    assert bare.status_code == 400


def test_the_unit_dashboard_says_which_monitoring_and_evaluations_are_due(world, client):
    from alur.web.reports.duties import unit_duties

    today = NOW.date()  # semester II 2025 ended; semester I 2026 not yet in its last month
    duties = unit_duties(world["unit"], today)
    assert [(s.year, s.semester, s.units, s.final, s.drafts) for s in duties.monitoring] == \
        [(2025, 2, 1, 0, 0)]
    # In force since January 2024 and never evaluated: both SOPs' evaluations are overdue.
    assert sorted(d.name for d in duties.evaluations) == ["Pelayanan Bantuan Sosial",
                                                          "Pencatatan Arsip"]
    form = _make(world)
    duties = unit_duties(world["unit"], today)
    assert (duties.monitoring[0].drafts, duties.monitoring[0].missing) == (1, 0)
    assert form.pk
    client.force_login(world["evaluator"])
    page = client.get(reverse("reports:unit", args=[world["unit"].pk])).content.decode()
    assert "Pemantauan dan evaluasi jatuh tempo" in page
    assert "Evaluasi tahunan: Pencatatan Arsip" in page
