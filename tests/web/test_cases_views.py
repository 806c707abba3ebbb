"""The pages for running SOPs: who may see what, the task form, comments, attachments, the
list of cases, notifications and the case page's drawing and timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import boto3
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from moto import mock_aws

from alur.web.attachment_storage import s3_storage
from alur.web.cases import forms as case_forms
from alur.web.cases import services
from alur.web.cases.models import Attachment, Case, Event, Notification, Task
from alur.web.cases.services import Actor
from alur.web.library.models import SopVersion

from .cases_fixtures import approved, staff
from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    assert_rows_match_engine,
    make_person,
    open_tasks,
    run_to_end,
)

pytestmark = pytest.mark.django_db

NOT_LINKED = "Your account is not linked to an employee record yet"


@pytest.fixture
def world(units, user_factory):
    """SURAT IJIN CUTI in the Dinas Sosial: step 1 is the applicant's (PNS), step 2 a decision
    of the Pengelola Kepegawaian. One case is running, started by `starter`."""
    author = user_factory("penulis")
    version = approved("surat-ijin-cuti", units["dinsos"], author)
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    outsider = make_person(user_factory, "orang-perpus", units["perpus"])
    case = services.start_case(version, starter, title="Cuti tahunan Pemohon")
    return {"version": version, "people": people, "starter": starter, "outsider": outsider,
            "case": case, "units": units}


def login(client, person_or_user):
    user = getattr(person_or_user, "user", person_or_user)
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def task_url(task, action: str | None = None) -> str:
    if action:
        return reverse("cases:task_action", args=[task.public_id, action])
    return reverse("cases:task", args=[task.public_id])


def case_url(case) -> str:
    return reverse("cases:case", args=[case.public_id])


def text(response) -> str:
    return response.content.decode()


# --- permissions ------------------------------------------------------------------------------

def test_every_page_needs_login(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = world["case"]
    [task] = open_tasks(case)
    attachment = services.attach(task, Actor(world["starter"]),
                                 SimpleUploadedFile("a.pdf", b"%PDF"), "input")
    gets = [reverse("cases:inbox"), task_url(task), reverse("cases:list"),
            reverse("cases:start_list"), reverse("cases:start", args=[world["version"].public_id]),
            case_url(case), reverse("cases:attachment", args=[attachment.public_id]),
            reverse("cases:notifications")]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 302 and "/masuk/" in response["Location"], url
    posts = [task_url(task, action) for action in
             ("ambil", "kembalikan", "selesai", "alihkan", "komentar", "lampiran")]
    posts += [reverse("cases:cancel", args=[case.public_id]), reverse("cases:notifications"),
              reverse("cases:start", args=[world["version"].public_id])]
    before = Event.objects.count()
    for url in posts:
        response = client.post(url, {"comment": "x", "text": "x", "reason": "x"})
        assert response.status_code == 302 and "/masuk/" in response["Location"], url
    assert Event.objects.count() == before and Case.objects.count() == 1


def test_another_agency_cannot_see_the_case_or_its_tasks(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = world["case"]
    [task] = open_tasks(case)
    attachment = services.attach(task, Actor(world["starter"]),
                                 SimpleUploadedFile("a.pdf", b"%PDF"), "input")
    login(client, world["outsider"])
    for url in (case_url(case), task_url(task),
                reverse("cases:attachment", args=[attachment.public_id])):
        assert client.get(url).status_code == 404, url
    before = Event.objects.count()
    for action in ("ambil", "selesai", "komentar", "alihkan", "lampiran", "kembalikan"):
        assert client.post(task_url(task, action), {"text": "hai"}).status_code == 404
    assert client.post(reverse("cases:cancel", args=[case.public_id]),
                       {"reason": "iseng"}).status_code == 404
    assert Event.objects.count() == before
    assert "Cuti tahunan Pemohon" not in text(client.get(reverse("cases:list")))
    assert "Cuti tahunan Pemohon" not in text(client.get(reverse("cases:inbox")))


def test_unknown_objects_and_actions_are_404(client, world):
    login(client, world["starter"])
    [task] = open_tasks(world["case"])
    assert client.post(task_url(task, "hapus")).status_code == 404
    missing = "00000000-0000-0000-0000-000000000000"
    assert client.get(reverse("cases:task", args=[missing])).status_code == 404
    assert client.get(reverse("cases:case", args=[missing])).status_code == 404
    assert client.get(reverse("cases:attachment", args=[missing])).status_code == 404
    assert client.get(reverse("cases:start", args=[missing])).status_code == 404
    # Pages that only show are GET; actions only POST.
    assert client.post(reverse("cases:inbox")).status_code == 405
    assert client.get(task_url(task, "selesai")).status_code == 405


def test_account_without_person_gets_a_clear_message(client, world, user_factory):
    user = user_factory("belum-ditautkan", "pegawai", world["units"]["dinsos"])
    login(client, user)
    page = text(client.get(reverse("cases:inbox")))
    assert NOT_LINKED in page
    response = client.post(reverse("cases:start", args=[world["version"].public_id]),
                           {"title": "Coba"}, follow=True)
    assert NOT_LINKED in text(response)
    assert Case.objects.count() == 1
    assert client.get(reverse("cases:notifications")).status_code == 200
    assert client.get(reverse("cases:list")).status_code == 200


def test_admin_of_the_unit_sees_the_case_and_acts(client, world, user_factory):
    admin = make_person(user_factory, "admin-dinsos", world["units"]["pemkab"], role="admin")
    login(client, admin)
    case = world["case"]
    assert client.get(case_url(case)).status_code == 200
    [task] = open_tasks(case)
    response = client.post(task_url(task, "selesai"), {"inputs": ["0"]})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.done_by == admin


# --- starting ---------------------------------------------------------------------------------

def test_start_a_case_from_the_list(client, world, user_factory):
    draft = SopVersion.objects.create(sop=world["version"].sop, number=2,
                                      content=world["version"].content)
    login(client, world["people"]["kabag"])
    listing = text(client.get(reverse("cases:start_list")))
    assert reverse("cases:start", args=[world["version"].public_id]) in listing
    assert reverse("cases:start", args=[draft.public_id]) not in listing
    assert "SURAT IJIN CUTI" in text(client.get(reverse("cases:start_list"), {"q": "cuti"}))
    assert "SURAT IJIN CUTI" not in text(client.get(reverse("cases:start_list"),
                                                    {"q": "tidak-ada"}))
    page = client.get(reverse("cases:start", args=[world["version"].public_id]))
    assert page.status_code == 200 and "Start the procedure" in text(page)
    response = client.post(reverse("cases:start", args=[world["version"].public_id]),
                           {"title": "Cuti Kabag", "note": "Mohon <b>segera</b>"})
    case = Case.objects.get(title="Cuti Kabag")
    assert response.status_code == 302 and response["Location"] == case_url(case)
    assert case.initiator == world["people"]["kabag"]
    assert case.events.filter(kind="commented", data__text="Mohon <b>segera</b>").exists()
    # A draft cannot be run.
    refused = client.get(reverse("cases:start", args=[draft.public_id]))
    assert refused.status_code == 200 and "cannot be run" in text(refused)
    refused = client.post(reverse("cases:start", args=[draft.public_id]), {"title": "x"})
    assert refused.status_code == 400 and not Case.objects.filter(title="x").exists()


# --- the task form ------------------------------------------------------------------------

def test_complete_form_requires_inputs_and_a_decision(client, world):
    case, starter = world["case"], world["starter"]
    [first] = open_tasks(case)
    login(client, starter)
    page = text(client.get(task_url(first)))
    assert "Berkas Kepegawaian" in page and 'name="inputs"' in page
    assert "Mark the step done" in page and 'name="decision"' not in page
    before = (Event.objects.count(), list(Task.objects.values_list("key", "status")))
    response = client.post(task_url(first, "selesai"), {"comment": "Lengkap"})
    assert response.status_code == 400
    assert "Tick every required input before finishing the step." in text(response)
    assert 'role="alert"' in text(response) and "Lengkap" in text(response)  # form kept
    assert (Event.objects.count(), list(Task.objects.values_list("key", "status"))) == before

    response = client.post(task_url(first, "selesai"),
                           {"inputs": ["0"], "outputs": ["0"], "comment": "Lengkap"})
    assert response.status_code == 302 and response["Location"] == case_url(case)
    done = case.events.get(kind="completed")
    [decision] = open_tasks(case)
    assert done.data == {"decision": None, "outputs": ["Berkas Kepegawaian"],
                         "comment": "Lengkap", "due": decision.due_at.isoformat()}

    checker = world["people"][decision.actor_id]
    login(client, checker)
    page = text(client.get(task_url(decision)))
    assert 'name="decision" value="ya"' in page and 'name="decision" value="tidak"' in page
    count = Event.objects.count()
    response = client.post(task_url(decision, "selesai"), {"inputs": ["0"]})
    assert response.status_code == 400
    assert "This step is a decision: choose Yes or No." in text(response)
    response = client.post(task_url(decision, "selesai"), {"inputs": ["0"], "decision": "mungkin"})
    assert response.status_code == 400
    assert Event.objects.count() == count
    # "Ya" needs the checklist ticked; "Tidak" is the answer for what is missing, so it
    # does not. It sends the applicant back to step 1, a second pass.
    response = client.post(task_url(decision, "selesai"), {"decision": "ya"})
    assert response.status_code == 400 and Event.objects.count() == count
    response = client.post(task_url(decision, "selesai"), {"decision": "tidak"})
    assert response.status_code == 302
    assert [(t.key, t.assignee_id) for t in open_tasks(case)] == [("1.2", starter.pk)]
    login(client, starter)
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    login(client, checker)
    response = client.post(task_url(open_tasks(case)[0], "selesai"),
                           {"inputs": ["0"], "decision": "ya"})
    assert response.status_code == 302
    assert Task.objects.get(case=case, key="2.2").decision == "ya"
    assert [t.step for t in open_tasks(case)] == [3]
    assert_rows_match_engine(case)


def test_wrong_person_gets_the_message_and_nothing_changes(client, world):
    case = world["case"]
    [first] = open_tasks(case)
    login(client, world["starter"])
    client.post(task_url(first, "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    # The applicant sees his own case but is not the Pengelola Kepegawaian.
    before = Event.objects.count()
    response = client.post(task_url(decision, "selesai"), {"inputs": ["0"], "decision": "ya"},
                           follow=True)
    assert "belongs to Pengelola Kepegawaian" in text(response)
    assert Event.objects.count() == before
    decision.refresh_from_db()
    assert decision.status == Task.Status.OPEN


def test_claim_release_and_hand_over(client, world):
    case, people = world["case"], world["people"]
    login(client, world["starter"])
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    checker = people[decision.actor_id]
    login(client, checker)
    assert "Take this task" in text(client.get(task_url(decision)))
    response = client.post(task_url(decision, "ambil"), follow=True)
    assert "You have taken the task." in text(response)
    decision.refresh_from_db()
    assert decision.assignee == checker
    assert "Give back to the position" in text(client.get(task_url(decision)))
    client.post(task_url(decision, "kembalikan"), {"comment": "Salah ambil"})
    decision.refresh_from_db()
    assert decision.assignee is None
    # Hand over to the Kabag (he holds a position in the Dinas).
    kabag = people["kabag"]
    response = client.post(task_url(decision, "alihkan"), {"person": kabag.pk,
                                                           "comment": "Tolong"}, follow=True)
    assert "The task has been handed over." in text(response)
    decision.refresh_from_db()
    assert decision.assignee == kabag
    assert case.events.filter(kind="reassigned", data__to=str(kabag.pk)).exists()
    # Someone not in the unit is not offered.
    response = client.post(task_url(decision, "alihkan"), {"person": world["outsider"].pk})
    assert response.status_code == 400
    # The new holder finishes it.
    login(client, kabag)
    assert decision.public_id.hex in text(client.get(reverse("cases:inbox"))).replace("-", "")
    response = client.post(task_url(decision, "selesai"), {"inputs": ["0"], "decision": "ya"})
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.done_by == kabag


def test_comment_is_recorded_and_escaped(client, world):
    case = world["case"]
    [task] = open_tasks(case)
    login(client, world["starter"])
    payload = '<script>alert("x")</script>'
    response = client.post(task_url(task, "komentar"), {"text": payload}, follow=True)
    assert "Comment added." in text(response)
    assert case.events.filter(kind="commented", task_key=task.key, data__text=payload).exists()
    page = text(client.get(case_url(case)))
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    assert payload not in page
    assert client.post(task_url(task, "komentar"), {"text": ""}).status_code == 400
    assert case.events.filter(kind="commented").count() == 1


# --- attachments ------------------------------------------------------------------------------

def test_attachment_upload_and_download(client, world, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    case = world["case"]
    [task] = open_tasks(case)
    login(client, world["starter"])
    content = b"%PDF-1.4 surat permohonan cuti"
    upload = SimpleUploadedFile("permohonan cuti.pdf", content, content_type="application/pdf")
    response = client.post(task_url(task, "lampiran"),
                           {"role": "input", "label": "Berkas Kepegawaian", "file": upload},
                           follow=True)
    assert "The file is attached." in text(response)
    item = Attachment.objects.get()
    assert item.original_name == "permohonan cuti.pdf" and item.size == len(content)
    assert item.sha256 == hashlib.sha256(content).hexdigest() and item.task == task
    assert item.file.path.startswith(str(tmp_path))
    event = case.events.get(kind="attached")
    assert event.data["sha256"] == item.sha256 and event.data["attachment"] == str(
        item.public_id)
    assert "permohonan cuti.pdf" in text(client.get(task_url(task)))

    # A participant (the holder of a later step, once it is theirs) downloads it.
    client.post(task_url(task, "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    login(client, world["people"][decision.actor_id])
    download = client.get(reverse("cases:attachment", args=[item.public_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert "permohonan" in download["Content-Disposition"]
    login(client, world["outsider"])
    assert client.get(reverse("cases:attachment", args=[item.public_id])).status_code == 404

    # Refused: a kind of file not accepted, and a file too large.
    login(client, world["people"][decision.actor_id])
    bad = SimpleUploadedFile("program.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(task_url(decision, "lampiran"), {"role": "input", "file": bad})
    assert response.status_code == 400
    assert "This kind of file is not accepted" in text(response)
    monkeypatch.setattr(case_forms, "MAX_ATTACHMENT_BYTES", 10)
    big = SimpleUploadedFile("besar.pdf", b"x" * 11, content_type="application/pdf")
    response = client.post(task_url(decision, "lampiran"), {"role": "output", "file": big})
    assert response.status_code == 400 and "The file is larger than" in text(response)
    response = client.post(task_url(decision, "lampiran"), {"role": "input"})
    assert response.status_code == 400
    assert Attachment.objects.count() == 1
    assert case.events.filter(kind="attached").count() == 1
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [
        item.file.name.rsplit("/", 1)[1]]


# --- the case page ----------------------------------------------------------------------------

def test_case_page_draws_progress_and_a_timeline(client, world):
    case = world["case"]
    login(client, world["starter"])
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    page = text(client.get(case_url(case)))
    assert re.search(r'class="symbol [a-z]+ step-done" data-step="1"', page)
    assert re.search(r'class="symbol [a-z]+ step-current" data-step="2"', page)
    assert not re.search(r'step-[a-z-]+" data-step="3"', page)
    timeline = page.split('class="lini-masa"', 1)[1].split("</ol>", 1)[0]
    assert timeline.count("<li>") == case.events.count() == 2
    assert "Pemohon started the case" in timeline
    assert "Pemohon finished task" in timeline
    assert timeline.index("started the case") < timeline.index("finished task")
    assert "Cancel the case" in page  # the initiator may cancel


def test_cancel_from_the_case_page(client, world):
    case = world["case"]
    login(client, world["people"]["kabag"])  # can see nothing yet: not involved
    assert client.get(case_url(case)).status_code == 404
    login(client, world["starter"])
    response = client.post(reverse("cases:cancel", args=[case.public_id]), {"reason": ""},
                           follow=True)
    assert "Give the reason for cancelling." in text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.RUNNING
    response = client.post(reverse("cases:cancel", args=[case.public_id]),
                           {"reason": "Tidak jadi cuti"}, follow=True)
    assert "The case has been cancelled." in text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.CANCELLED
    assert "Cancel the case" not in text(client.get(case_url(case)))
    assert "Tidak jadi cuti" in text(client.get(case_url(case)))


def test_cancel_refused_to_a_participant_who_did_not_start_it(client, world):
    case = world["case"]
    login(client, world["starter"])
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    login(client, world["people"][decision.actor_id])
    page = text(client.get(case_url(case)))
    assert "Cancel the case" not in page
    response = client.post(reverse("cases:cancel", args=[case.public_id]),
                           {"reason": "Saya mau"}, follow=True)
    assert "Only the person who started the case or an admin can cancel it." in text(response)
    case.refresh_from_db()
    assert case.status == Case.Status.RUNNING


# --- lists ------------------------------------------------------------------------------------

def test_case_list_filters(client, world, user_factory):
    version, people = world["version"], world["people"]
    admin = make_person(user_factory, "admin-dinsos", world["units"]["dinsos"], role="admin")
    mine = services.start_case(version, admin, title="Kasus milik admin")
    finished = services.start_case(version, world["starter"], title="Kasus selesai")
    run_to_end(finished, people, check_rows=False)
    cancelled = services.start_case(version, world["starter"], title="Kasus batal")
    services.cancel(cancelled, Actor(world["starter"]), "batal")
    long_ago = timezone.now() - dt.timedelta(days=30)
    late = services.start_case(version, world["starter"], title="Kasus terlambat", at=long_ago)
    assert open_tasks(late)[0].due_at < timezone.now()

    login(client, admin)
    url = reverse("cases:list")

    def titles(**params):
        page = text(client.get(url, params))
        return {t for t in ("Cuti tahunan Pemohon", "Kasus milik admin", "Kasus selesai",
                            "Kasus batal", "Kasus terlambat") if t in page}

    everything = titles()
    assert everything == {"Cuti tahunan Pemohon", "Kasus milik admin", "Kasus selesai",
                          "Kasus batal", "Kasus terlambat"}
    assert titles(status="selesai") == {"Kasus selesai"}
    assert titles(status="dibatalkan") == {"Kasus batal"}
    assert titles(status="berjalan") == {"Cuti tahunan Pemohon", "Kasus milik admin",
                                         "Kasus terlambat"}
    assert titles(terlambat="1") == {"Kasus terlambat"}
    assert titles(milik="saya") == {"Kasus milik admin"}
    assert titles(q="batal") == {"Kasus batal"}
    assert titles(unit=world["units"]["perpus"].pk) == set()
    assert titles(unit=world["units"]["dinsos"].pk) == everything
    assert client.get(url, {"unit": 999999}).status_code == 404
    # The applicant sees his own cases only; the outsider none.
    login(client, world["starter"])
    assert titles() == {"Cuti tahunan Pemohon", "Kasus selesai", "Kasus batal",
                        "Kasus terlambat"}
    assert titles(milik="saya", status="berjalan", terlambat="1") == {"Kasus terlambat"}
    login(client, world["outsider"])
    assert titles() == set()
    assert mine.pk


def test_inbox_lists_my_tasks_overdue_first(client, world):
    version = world["version"]
    starter = world["starter"]
    recent = services.start_case(version, starter, title="Baru")
    old = services.start_case(version, starter, title="Lama",
                              at=timezone.now() - dt.timedelta(days=10))
    login(client, starter)
    page = text(client.get(reverse("cases:inbox")))
    assert page.index("Lama") < page.index("Baru")
    assert 'class="lewat"' in page
    assert recent.pk and old.pk


def test_inbox_says_a_task_reaches_an_acting_official_as_plt(client, world, user_factory):
    from .cases_helpers import position_of

    case, version = world["case"], world["version"]
    login(client, world["starter"])
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    position = position_of(version, "pengelola-kepegawaian")
    acting = make_person(user_factory, "plt-kepegawaian", world["units"]["dinsos"],
                         positions=[position], kind="plt")
    page = text(login(client, acting).get(reverse("cases:inbox")))
    assert "Cuti tahunan Pemohon" in page and f"as Plt {position.name}" in page
    # The definitif holder of the same position is not told they act for it.
    page = text(login(client, world["people"]["pengelola-kepegawaian"]).get(
        reverse("cases:inbox")))
    assert "Cuti tahunan Pemohon" in page and "as Plt" not in page


UNREAD = re.compile(r'<li class="[^"]*\bbaru\b')  # an unread notification's row


def test_notifications_page_and_mark_all_read(client, world):
    case = world["case"]
    login(client, world["starter"])
    client.post(task_url(open_tasks(case)[0], "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    checker = world["people"][decision.actor_id]
    note = Notification.objects.get(person=checker, task=decision)
    assert note.kind == Notification.Kind.NEW_TASK and note.read_at is None
    login(client, checker)
    page = text(client.get(reverse("cases:notifications")))
    assert task_url(decision) in page and "Cuti tahunan Pemohon" in page
    assert UNREAD.search(page)
    response = client.post(reverse("cases:notifications"))
    assert response.status_code == 302
    note.refresh_from_db()
    assert note.read_at is not None
    assert not UNREAD.search(text(client.get(reverse("cases:notifications"))))
    # Someone else's notifications are untouched and unseen.
    own = Notification.objects.get(person=world["starter"])
    assert own.task.key == "1.1" and own.read_at is None
    assert task_url(own.task) not in page
    login(client, world["people"]["kabag"])
    assert "No notifications." in text(client.get(reverse("cases:notifications")))


def attach_to_a_cancelled_case(client, world) -> None:
    """The applicant cancels the case, then tries to attach a file to its first step."""
    case = world["case"]
    [task] = open_tasks(case)
    services.cancel(case, Actor(world["starter"]), "Tidak jadi")
    login(client, world["starter"])
    upload = SimpleUploadedFile("terlambat.pdf", b"%PDF-1.4", content_type="application/pdf")
    response = client.post(task_url(task, "lampiran"), {"role": "input", "file": upload},
                           follow=True)
    assert "The case is closed" in text(response)
    assert not Attachment.objects.exists()


def test_attachment_to_a_closed_case_is_refused_and_no_file_is_left(client, world, settings,
                                                                     tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = world["case"]
    attach_to_a_cancelled_case(client, world)
    assert not case.events.filter(kind="attached").exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []


# --- attachments in S3-compatible storage ------------------------------------------------
# Configured from the environment (`ALUR_S3_*`). The object store is moto's in-process one:
# the same boto3 calls and HTTP requests as against MinIO, answered without a network.

BUCKET = "alur-lampiran"
ENDPOINT = "http://minio.dinas.example:9000"
ENVIRONMENT = {"ALUR_S3_BUCKET": BUCKET, "ALUR_S3_ENDPOINT_URL": ENDPOINT,
               "ALUR_S3_ACCESS_KEY": "kunci", "ALUR_S3_SECRET_KEY": "rahasia",
               "ALUR_S3_REGION": "us-east-1"}


@pytest.fixture
def bucket(settings, monkeypatch):
    """An empty bucket at a MinIO-like endpoint, and the settings pointing attachments to it."""
    monkeypatch.setenv("MOTO_S3_CUSTOM_ENDPOINTS", ENDPOINT)
    with mock_aws():
        client = boto3.client("s3", endpoint_url=ENDPOINT, region_name="us-east-1",
                              aws_access_key_id="kunci", aws_secret_access_key="rahasia")
        client.create_bucket(Bucket=BUCKET)
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage(ENVIRONMENT)}
        yield client


def objects(client) -> dict[str, bytes]:
    listed = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: client.get_object(Bucket=BUCKET, Key=o["Key"])["Body"].read()
            for o in listed}


def test_no_bucket_means_local_disk():
    assert s3_storage({}) is None
    assert s3_storage({"ALUR_S3_BUCKET": ""}) is None
    options = s3_storage({"ALUR_S3_BUCKET": "b"})["OPTIONS"]
    assert options["endpoint_url"] is None and options["default_acl"] is None
    assert options["querystring_auth"] and not options["file_overwrite"]


def test_attachment_goes_to_the_bucket_and_comes_back(client, world, bucket):
    case = world["case"]
    [task] = open_tasks(case)
    login(client, world["starter"])
    content = b"%PDF-1.4 surat permohonan cuti"
    for _ in range(2):  # the same name twice: both kept, neither overwritten
        upload = SimpleUploadedFile("permohonan cuti.pdf", content,
                                    content_type="application/pdf")
        response = client.post(task_url(task, "lampiran"),
                               {"role": "input", "label": "Berkas", "file": upload},
                               follow=True)
        assert "The file is attached." in text(response)
    first, second = Attachment.objects.order_by("pk")
    stored = objects(bucket)
    assert sorted(stored) == sorted([first.file.name, second.file.name])
    assert first.file.name != second.file.name
    assert first.file.name.startswith(f"lampiran/{case.public_id}/")
    assert all(body == content for body in stored.values())
    assert first.sha256 == hashlib.sha256(content).hexdigest()

    # Downloaded through alur (the bucket stays private), by someone who may see the case.
    client.post(task_url(task, "selesai"), {"inputs": ["0"]})
    [decision] = open_tasks(case)
    login(client, world["people"][decision.actor_id])
    download = client.get(reverse("cases:attachment", args=[first.public_id]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    login(client, world["outsider"])
    assert client.get(reverse("cases:attachment", args=[first.public_id])).status_code == 404


def test_refused_attachment_leaves_no_object_in_the_bucket(client, world, bucket):
    attach_to_a_cancelled_case(client, world)
    assert objects(bucket) == {}


def test_late_step_is_drawn_late(client, world):
    late = services.start_case(world["version"], world["starter"], title="Terlambat",
                               at=timezone.now() - dt.timedelta(days=30))
    login(client, world["starter"])
    page = text(client.get(case_url(late)))
    assert re.search(r'class="symbol [a-z]+ step-late" data-step="1"', page)
    client.post(task_url(open_tasks(late)[0], "selesai"), {"inputs": ["0"]})
    page = text(client.get(case_url(late)))
    assert re.search(r'class="symbol [a-z]+ step-done-late" data-step="1"', page)


def test_admin_inbox_lists_tasks_nobody_can_take(client, world, user_factory):
    from alur.web.org.models import Assignment

    from .cases_helpers import add_approved, position_of, small_sop

    units = world["units"]
    version = add_approved(small_sop("uji-kosong", [
        {"number": 1, "activity": "Tugas tanpa pemegang", "actors": ["kabid"]}]),
        units["dinsos"], user_factory("penulis-2"))
    admin = make_person(user_factory, "admin-dinsos", units["dinsos"], role="admin")
    case = services.start_case(version, world["starter"], title="Kasus tanpa pemegang")
    [task] = open_tasks(case)
    login(client, admin)
    page = text(client.get(reverse("cases:inbox")))
    assert "Tasks nobody can take" in page and task_url(task) in page
    login(client, world["starter"])
    assert task_url(task) not in text(client.get(reverse("cases:inbox")))
    # Once somebody holds the position, the admin's list no longer shows it.
    Assignment.objects.create(person=world["people"]["kabag"],
                              position=position_of(version, "kabid"),
                              start=timezone.localdate())
    login(client, admin)
    assert task_url(task) not in text(client.get(reverse("cases:inbox")))
    login(client, world["people"]["kabag"])
    assert task_url(task) in text(client.get(reverse("cases:inbox")))


def test_a_decisions_own_words_are_its_buttons(client, units, user_factory):
    from .cases_helpers import add_approved, small_sop

    version = add_approved(small_sop("uji-kata", [
        {"number": 1, "activity": "Memeriksa berkas", "actors": ["petugas"],
         "kind": "decision", "on_yes": 2, "on_no": 1,
         "labels": {"yes": "Lengkap", "no": "Tidak lengkap"}},
        {"number": 2, "activity": "Mengarsipkan", "actors": ["petugas"]}]),
        units["dinsos"], user_factory("penulis-kata"))
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon-kata", units["dinsos"])
    case = services.start_case(version, starter, title="Uji kata keputusan")
    [task] = open_tasks(case)
    login(client, people["petugas"])
    page = text(client.get(task_url(task)))
    assert re.search(r'value="ya"[^>]*>Lengkap<', page)
    assert re.search(r'value="tidak"[^>]*>Tidak lengkap<', page)
    client.post(task_url(task, "selesai"), {"decision": "tidak"})
    task.refresh_from_db()
    assert "— Tidak lengkap" in text(client.get(task_url(task)))
