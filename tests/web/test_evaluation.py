"""The yearly evaluation of an SOP: the criteria form, the proposal, finalising, what revise
and revoke do, the list of SOPs due, the work item in Tugas saya and the PDF."""

import datetime as dt
import io

import pdfplumber
import pytest
from django.urls import reverse
from django.utils import timezone

from alur.sop import load
from alur.web.cases.models import Notification
from alur.web.evaluation import due, evidence, services
from alur.web.evaluation.models import Answer, Evaluation
from alur.web.evaluation.work import evaluations_due, notify_evaluations_due
from alur.web.library.models import SopVersion
from alur.web.library.services import DraftExists, add_sop, approve, new_draft
from alur.web.monitoring.queries import MonitoringResult
from alur.web.org.models import Person

from .conftest import LIBRARY

pytestmark = pytest.mark.django_db

NIP = "198001012005011001"


def months_ago(months: int) -> dt.date:
    return due.add_months(timezone.localdate(), -months)


@pytest.fixture
def sop(units, user_factory):
    """An SOP of Dinas Sosial in force for thirteen months."""
    author = user_factory("penulis")
    version = add_sop(load(LIBRARY / "penyusunan-sakip.yaml").sop, units["dinsos"], author)
    approve(version, author, months_ago(13))
    return version


@pytest.fixture
def evaluator(client, user_factory, units):
    user = user_factory("evaluator", "evaluator", units["dinsos"])
    Person.objects.create(user=user, name="Dra. Sri Evaluasi", nip=NIP)
    client.force_login(user)
    return user


def answers(*failed: int, **extra: str) -> dict[str, str]:
    data = {}
    for n in range(1, 8):
        data[f"kriteria_{n}"] = "tidak" if n in failed else "ya"
        data[f"catatan_{n}"] = f"catatan {n}"
    return {**data, **extra}


def start_url(version) -> str:
    return reverse("evaluation:sop", args=[version.sop.public_id])


def evaluate(client, version, data) -> Evaluation:
    client.post(start_url(version), data)
    return Evaluation.objects.get(sop=version.sop)


def test_invalid_input_re_renders_with_messages_next_to_the_fields(client, sop, evaluator):
    page = client.post(start_url(sop), {"kriteria_1": "mungkin", "result": "hapus",
                                        "catatan_2": "x" * 2001})
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="id_kriteria_1_error"' in html and 'id="id_result_error"' in html
    assert 'id="id_catatan_2_error"' in html
    assert "Evaluasi tidak disimpan" in html
    assert not Evaluation.objects.exists()


def test_finalising_needs_every_answer_the_result_and_a_reason(client, sop, evaluator):
    data = answers()
    del data["kriteria_4"]
    page = client.post(start_url(sop), {**data, "result": "", "finalisasi": "1"})
    html = page.content.decode()
    assert page.status_code == 200
    assert 'id="id_kriteria_4_error"' in html and 'id="id_result_error"' in html
    assert 'id="id_reason_error"' in html
    assert "Jawab Ya atau Tidak sebelum finalisasi." in html
    assert not Evaluation.objects.exists()


def test_saving_keeps_a_partial_evaluation_and_proposes_from_the_answers(client, sop,
                                                                        evaluator):
    evaluation = evaluate(client, sop, {"kriteria_1": "ya", "kriteria_2": "tidak",
                                        "catatan_2": "Bahasa uraian kegiatan sulit."})
    assert not evaluation.final and evaluation.version == sop
    assert evaluation.year == timezone.localdate().year
    stored = {a.criterion: (a.meets, a.notes) for a in evaluation.answers.all()}
    assert stored[1] == (True, "") and stored[2] == (False, "Bahasa uraian kegiatan sulit.")
    assert stored[3] == (None, "")
    page = client.get(reverse("evaluation:detail", args=[evaluation.public_id]))
    html = page.content.decode()
    assert "Usulan: revisi — kriteria 2 dijawab Tidak." in html
    assert '<option value="revisi" selected>' in html
    # the start link now leads to this year's evaluation
    assert client.get(start_url(sop)).url == reverse("evaluation:detail",
                                                     args=[evaluation.public_id])


def test_the_proposal_follows_the_answers():
    assert services.propose({n: True for n in range(1, 8)}).result == "tetap"
    mixed = services.propose({**{n: True for n in range(1, 8)}, 2: False, 5: False})
    assert mixed.result == "revisi" and mixed.failed == (2, 5)
    assert services.propose({1: True}).result is None
    assert services.propose({1: False}).result == "revisi"


def test_finalise_freezes_the_evaluation(client, sop, evaluator):
    evaluation = evaluate(client, sop, answers(result="tetap", reason="Berjalan baik.",
                                               finalisasi="1"))
    assert evaluation.final and evaluation.finalised_by == evaluator
    assert (evaluation.evaluator_name, evaluation.evaluator_nip) == ("Dra. Sri Evaluasi", NIP)
    url = reverse("evaluation:detail", args=[evaluation.public_id])
    response = client.post(url, answers(3, result="cabut", reason="Ganti pikiran"),
                           follow=True)
    assert "sudah difinalisasi" in response.content.decode()
    evaluation.refresh_from_db()
    assert evaluation.result == "tetap" and evaluation.reason == "Berjalan baik."
    assert not Answer.objects.filter(evaluation=evaluation, meets=False).exists()
    with pytest.raises(ValueError):
        services.save_answers(evaluation, {}, "cabut", "x")
    page = client.get(url).content.decode()
    assert "<form method=\"post\" novalidate>" not in page
    assert "Dra. Sri Evaluasi" in page


def _penyusun(user_factory, units, name, with_person=True):
    user = user_factory(name, "penyusun", units["pemkab"])  # a unit above reaches down
    return Person.objects.create(user=user, name=name.title()) if with_person else None


def test_revise_creates_a_draft_linked_to_the_evaluation_and_notifies_the_authors_once(
        client, sop, evaluator, user_factory, units):
    author = _penyusun(user_factory, units, "penyusun")
    _penyusun(user_factory, units, "tanpa-pegawai", with_person=False)
    elsewhere = Person.objects.create(
        user=user_factory("penyusun-lain", "penyusun", units["perpus"]), name="Lain")
    evaluation = evaluate(client, sop, answers(2, 5, result="revisi",
                                               reason="Uraian perlu diperjelas.",
                                               finalisasi="1"))
    draft = evaluation.draft
    assert evaluation.final and evaluation.draft_created
    assert draft.status == SopVersion.Status.DRAFT and draft.number == 2
    assert draft.sop == sop.sop and draft.content == sop.content
    notices = Notification.objects.filter(kind=Notification.Kind.RETURNED)
    assert list(notices.values_list("person", flat=True)) == [author.pk]
    notice = notices.get()
    year = evaluation.year
    assert notice.subject == f"Revisi SOP {sop.name} hasil evaluasi tahun {year}"
    assert str(draft.public_id) in notice.link
    assert not Notification.objects.filter(person=elsewhere).exists()
    # finalising again is refused and notifies nobody a second time
    with pytest.raises(ValueError):
        services.finalise(evaluation, evaluator)
    assert notices.count() == 1
    # the draft's page names the evaluation it came from, with a link
    author_client = client.__class__()
    author_client.force_login(author.user)
    page = author_client.get(reverse("library:detail", args=[sop.sop.public_id]),
                             {"versi": draft.public_id}).content.decode()
    assert f"Dibuat dari evaluasi tahun {year}" in page
    detail = reverse("evaluation:detail", args=[evaluation.public_id])
    assert detail in page
    # the author may read the finalised evaluation (read only)
    assert author_client.get(detail).status_code == 200


def test_revise_links_the_draft_already_open_instead_of_making_another(client, sop,
                                                                      evaluator):
    open_draft = new_draft(sop, None)
    with pytest.raises(DraftExists) as refused:
        new_draft(sop, None)
    assert refused.value.draft == open_draft
    page = client.get(start_url(sop)).content.decode()
    assert "sudah memiliki versi terbuka" in page
    response = client.post(start_url(sop), answers(1, result="revisi", reason="Perlu revisi",
                                                   finalisasi="1"), follow=True)
    evaluation = Evaluation.objects.get(sop=sop.sop)
    assert evaluation.draft == open_draft and not evaluation.draft_created
    assert sop.sop.versions.count() == 2
    assert "sudah memiliki versi terbuka" in response.content.decode()


def test_revoke_notifies_the_approvers_and_leaves_the_sop_in_force(client, sop, evaluator,
                                                                  user_factory, units):
    approver = Person.objects.create(
        user=user_factory("pengesah", "pengesah", units["dinsos"]), name="Kepala Dinas")
    evaluation = evaluate(client, sop, answers(1, 2, 3, 4, 5, 6, 7, result="cabut",
                                               reason="Prosedur tidak lagi dijalankan.",
                                               finalisasi="1"))
    assert evaluation.final and evaluation.draft is None
    notice = Notification.objects.get(person=approver)
    assert notice.kind == Notification.Kind.EVALUATION_RESULT
    assert "pencabutan" in notice.subject
    assert notice.link == reverse("evaluation:detail", args=[evaluation.public_id])
    sop.refresh_from_db()
    assert sop.status == SopVersion.Status.DISAHKAN and sop.sop.versions.count() == 1


def test_the_due_list(client, units, user_factory, evaluator, settings, monkeypatch):
    author = user_factory("penulis")

    def in_force(name, effective):
        version = add_sop(load(LIBRARY / name).sop, units["dinsos"], author)
        approve(version, author, effective)
        return version

    old = in_force("penyusunan-sakip.yaml", months_ago(13))
    recent = in_force("surat-keluar.yaml", months_ago(4))
    other_unit = add_sop(load(LIBRARY / "pengkoordinir-penyusunan-skp.yaml").sop,
                         units["perpus"], author)
    approve(other_unit, author, months_ago(20))
    today = timezone.localdate()
    schedule = {d.sop_id: d for d in due.schedule({units["dinsos"].pk}, today)}
    assert schedule[old.sop_id].overdue(today)
    assert schedule[old.sop_id].due_on == due.add_months(old.effective_date, 12)
    assert not schedule[recent.sop_id].overdue(today)
    assert other_unit.sop_id not in schedule
    # never evaluated and never monitored: both listed, the due one marked
    html = client.get(reverse("evaluation:index")).content.decode()
    assert old.name in html and recent.name in html and other_unit.name not in html
    assert "belum pernah dievaluasi" in html and "belum pernah dipantau" in html
    # a shorter interval makes the recent one due too
    settings.ALUR_EVALUATION_MONTHS = 3
    assert schedule[recent.sop_id].sop_id in {d.sop_id for d in due.falling_due(
        {units["dinsos"].pk}, today)}
    settings.ALUR_EVALUATION_MONTHS = 12
    # monitored, and evaluated this year: the recent one drops off the list
    monkeypatch.setattr(due, "last_monitored", lambda ids: {pk: today for pk in ids})
    evaluate(client, recent, answers(result="tetap", reason="Baik", finalisasi="1"))
    listed = {d.sop_id for d in due.due_list({units["dinsos"].pk}, today)}
    assert listed == {old.sop_id}
    html = client.get(reverse("evaluation:index")).content.decode()
    assert "Evaluasi selesai" in html and "Tetap" in html


def test_a_planned_revision_date_ahead_is_listed_and_brings_the_due_date_forward(
        units, user_factory):
    author = user_factory("penulis")
    document = load(LIBRARY / "surat-keluar.yaml").sop
    planned = due.add_months(timezone.localdate(), 2)
    document.dates.revised = planned.isoformat()
    version = add_sop(document, units["dinsos"], author)
    approve(version, author, months_ago(1))
    today = timezone.localdate()
    [item] = due.schedule({units["dinsos"].pk}, today)
    assert item.planned_revision == planned and item.due_on == planned
    assert item.revision_ahead(today) and item.listed(today) and not item.overdue(today)


def test_an_evaluator_of_another_unit_sees_nothing(client, sop, user_factory, units):
    client.force_login(user_factory("evaluator-lain", "evaluator", units["perpus"]))
    assert client.get(start_url(sop)).status_code == 404
    assert sop.name not in client.get(reverse("evaluation:index")).content.decode()


def test_the_evaluation_falls_due_in_tugas_saya_and_is_notified_once(client, sop, evaluator,
                                                                     user_factory, units):
    now = timezone.now()
    person = Person.objects.get(user=evaluator)
    other = Person.objects.create(
        user=user_factory("evaluator-lain", "evaluator", units["perpus"]), name="Lain")
    [item] = evaluations_due(evaluator, person, now)
    assert evaluations_due(other.user, other, now) == []
    assert item.kind == "evaluation" and item.url == start_url(sop)
    page = client.get(reverse("cases:inbox")).content.decode()
    assert sop.name in page and f'href="{start_url(sop)}"' in page
    assert notify_evaluations_due(now) == 1
    assert notify_evaluations_due(now) == 0
    notice = Notification.objects.get(person=person)
    year = due.add_months(sop.effective_date, 12).year
    assert notice.kind == Notification.Kind.EVALUATION_DUE
    assert notice.key == f"evaluation:{sop.sop_id}:{year}"
    assert not Notification.objects.filter(person=other).exists()
    # once finalised, it leaves Tugas saya
    evaluate(client, sop, answers(result="tetap", reason="Baik", finalisasi="1"))
    assert evaluations_due(evaluator, person, now) == []


def test_the_pdf_opens_with_the_criteria(client, sop, evaluator):
    evaluation = evaluate(client, sop, answers(4, result="revisi",
                                               reason="Peran pelaksana belum jelas.",
                                               finalisasi="1"))
    response = client.get(reverse("evaluation:pdf", args=[evaluation.public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    with pdfplumber.open(io.BytesIO(response.content)) as document:
        text = " ".join((page.extract_text() or "") for page in document.pages)
        rows = [[" ".join((cell or "").split()) for cell in row]
                for page in document.pages for table in page.extract_tables()
                for row in table]
    criteria = {row[0]: row for row in rows if row and row[0].isdigit()}
    assert criteria["1"][1] == "Mampu mendorong peningkatan kinerja"
    assert criteria["2"][1] == "Mudah dipahami"
    assert criteria["7"][1] == "Sistem berjalan sinergis antar pelaksana tanpa tumpang tindih"
    assert criteria["4"][2:4] == ["", "✓"] and criteria["1"][2:4] == ["✓", ""]
    assert criteria["4"][4] == "catatan 4"
    text = " ".join(text.split())
    for words in ("EVALUASI PENERAPAN SOP TAHUN", "Hasil: Revisi",
                  "Peran pelaksana belum jelas.", "Dra. Sri Evaluasi", NIP):
        assert words in text, words


def test_no_pdf_before_finalising(client, sop, evaluator):
    evaluation = evaluate(client, sop, answers())
    response = client.get(reverse("evaluation:pdf", args=[evaluation.public_id]))
    assert response.status_code == 302


def test_the_evidence_shows_the_monitoring_of_the_period_and_links_the_heat_map(
        client, sop, evaluator, monkeypatch):
    asked = []

    def results(sop_id, since, until):
        asked.append((sop_id, since, until))
        return [MonitoringResult(2026, 1, "Dinas Sosial", "tidak_baik",
                                 "Tidak berjalan dengan baik", "Tepat waktu 42%",
                                 "Tambah petugas verifikasi", True, "/pemantauan/3/#baris-9")]

    monkeypatch.setattr(evidence, "results_for_sop", results)
    html = client.get(start_url(sop)).content.decode()
    today = timezone.localdate()
    assert asked == [(sop.sop_id, *services.period_for(today))]
    assert "Tidak berjalan dengan baik" in html and "Tambah petugas verifikasi" in html
    assert 'href="/pemantauan/3/#baris-9"' in html
    heat_map = reverse("reports:sop", args=[sop.sop.unit_id, sop.sop.public_id])
    assert heat_map in html


@pytest.mark.parametrize(("value", "months"), [(3, 3), ("6", 6), (0, 12), ("setahun", 12),
                                               (None, 12)])
def test_the_interval_setting(settings, value, months):
    settings.ALUR_EVALUATION_MONTHS = value
    assert due.interval_months() == months
