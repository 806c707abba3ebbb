"""The tamper-evident event log (`verify`, `alur audit verify`) and the e-mail job
(`notify.run`, `alur notify`)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

import pytest
from click.testing import CliRunner
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.utils import timezone, translation

from alur.cli.main import main
from alur.web.cases import notify, services
from alur.web.cases.audit import GENESIS, verify
from alur.web.cases.models import Case, Event, Notification, Task
from alur.web.cases.services import Actor

from .cases_fixtures import approved, staff
from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    run_to_end,
    small_sop,
)

pytestmark = pytest.mark.django_db

LONG_AGO = dt.timedelta(days=60)


@pytest.fixture
def finished(units, user_factory, settings, tmp_path):
    """Two cases of SURAT IJIN CUTI with comments and a file: one finished, one running."""
    settings.MEDIA_ROOT = tmp_path
    author = user_factory("penulis")
    version = approved("surat-ijin-cuti", units["dinsos"], author)
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    case = services.start_case(version, starter, title="Selesai")
    [first] = open_tasks(case)
    services.comment(case, Actor(starter), "Mohon diproses — terima kasih ✓", first)
    services.attach(first, Actor(starter), SimpleUploadedFile("berkas.pdf", b"%PDF"), "input",
                    "Berkas")
    services.complete(first, Actor(starter))
    checker = people["pengelola-kepegawaian"]
    services.claim(Task.objects.get(case=case, key="2.1"), Actor(checker))
    run_to_end(case, people, answers=["tidak"], check_rows=False)
    other = services.start_case(version, starter, title="Berjalan")
    return {"case": case, "other": other, "people": people, "starter": starter}


def problems(case=None):
    with translation.override("en"):  # the messages are checked in English
        return list(verify(None if case is None else Case.objects.filter(pk=case.pk)))


def cli(*args):
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.output


# --- verify -----------------------------------------------------------------------------------

def test_a_normal_run_verifies(finished):
    case = finished["case"]
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED
    assert problems() == []
    events = list(case.events.order_by("seq"))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(events))
    assert case.head_hash == events[-1].hash and case.event_count == len(events)
    assert {"started", "commented", "attached", "completed"} <= {e.kind for e in events}


def test_events_are_append_only(finished):
    event = finished["case"].events.first()
    event.data = {"forged": True}
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    assert problems() == []


def test_changed_event_is_detected(finished):
    case = finished["case"]
    target = case.events.get(kind="commented")
    Event.objects.filter(pk=target.pk).update(data={"text": "Diubah diam-diam"})
    found = problems()
    assert [(p.case, p.seq) for p in found] == [(str(case.public_id), target.seq)]
    assert "changed" in found[0].message
    assert problems(finished["other"]) == []


def test_any_changed_field_is_detected(finished):
    case = finished["case"]
    target = case.events.get(seq=2)
    assert target.kind == "commented" and target.by_id == finished["starter"].pk
    original = {"by_name": target.by_name, "kind": target.kind, "task_key": target.task_key,
                "at": target.at, "by": target.by, "data": target.data}
    changes = [{"by_name": "Orang Lain"}, {"kind": "cancelled"}, {"task_key": "9.9"},
               {"at": target.at - dt.timedelta(seconds=1)}, {"by": None},
               {"data": {**target.data, "extra": 1}}]
    for change in changes:
        Event.objects.filter(pk=target.pk).update(**change)
        assert [p.seq for p in problems()] == [2], change
        Event.objects.filter(pk=target.pk).update(**original)
        assert problems() == [], change


def test_deleted_last_event_is_detected(finished):
    case = finished["case"]
    last = case.events.order_by("-seq").first()
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE id = %s", [last.pk])
    found = problems()
    assert len(found) == 1 and found[0].seq is None and found[0].case == str(case.public_id)
    assert str(last.seq - 1) in found[0].message and str(case.event_count) in found[0].message


def test_deleted_middle_event_is_detected(finished):
    case = finished["case"]
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Event._meta.db_table} WHERE case_id = %s AND seq = 3",
                       [case.pk])
    found = problems()
    assert found and found[0].seq == 4
    assert any("sequence" in p.message for p in found)
    assert any("previous hash" in p.message for p in found)


def test_changed_head_hash_is_detected(finished):
    case = finished["case"]
    Case.objects.filter(pk=case.pk).update(head_hash="f" * 64)
    found = problems()
    assert [(p.case, p.seq) for p in found] == [(str(case.public_id), None)]
    Case.objects.filter(pk=case.pk).update(head_hash=case.head_hash,
                                           event_count=case.event_count + 1)
    assert [p.seq for p in problems()] == [None]


def test_rehashed_forgery_breaks_the_next_link(finished):
    """Changing an event and recomputing its own hash still breaks the event after it."""
    from alur.web.cases.audit import event_hash

    case = finished["case"]
    target = case.events.get(seq=2)
    data = {"text": "Palsu"}
    forged = event_hash(target.prev_hash, case=str(case.public_id), seq=2, kind=target.kind,
                        at=target.at, by=target.by_id, by_name=target.by_name,
                        task_key=target.task_key, data=data)
    Event.objects.filter(pk=target.pk).update(data=data, hash=forged)
    assert [p.seq for p in problems()] == [3]


def test_audit_verify_command(finished):
    code, output = cli("audit", "verify")
    assert code == 0, output
    events = Event.objects.count()
    assert str(events) in output
    target = finished["case"].events.get(kind="commented")
    Event.objects.filter(pk=target.pk).update(data={"text": "Diubah"})
    code, output = cli("audit", "verify")
    assert code == 1
    assert str(finished["case"].public_id) in output
    assert str(finished["other"].public_id) not in output


# --- notify -----------------------------------------------------------------------------------

@pytest.fixture
def office(units, user_factory):
    """A two-step SOP: 'staf' (two holders, one without e-mail) then 'kasubag'."""
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-notify", [
        {"number": 1, "activity": "Siapkan berkas", "actors": ["staf"], "time": "10 menit"},
        {"number": 2, "activity": "Periksa berkas", "actors": ["kasubag"],
         "time": "10 menit"}]), units["dinsos"], author)
    staf, kasubag = position_of(version, "staf"), position_of(version, "kasubag")
    return {
        "version": version,
        "budi": make_person(user_factory, "budi", units["dinsos"], positions=[staf]),
        "tanpa": make_person(user_factory, "tanpa-surel", units["dinsos"], positions=[staf],
                             email=""),
        "kasubag": make_person(user_factory, "kasubag", units["dinsos"], positions=[kasubag]),
        "pemohon": make_person(user_factory, "pemohon", units["dinsos"]),
    }


def test_new_tasks_are_mailed_once_per_person(office, mailoutbox, settings):
    settings.ALUR_BASE_URL = "https://alur.contoh.go.id"
    first = services.start_case(office["version"], office["pemohon"], title="Kasus A")
    second = services.start_case(office["version"], office["pemohon"], title="Kasus B")
    notes = Notification.objects.filter(kind=Notification.Kind.NEW_TASK)
    assert sorted(notes.values_list("person__name", flat=True)) == [
        "Budi", "Budi", "Tanpa-Surel", "Tanpa-Surel"]
    result = notify.run()
    assert (result.emails, result.notifications, result.skipped_no_email, result.overdue) == (
        1, 2, 2, 0)
    [mail] = mailoutbox
    assert mail.to == ["budi@contoh.go.id"]
    assert "2" in mail.subject
    assert "Kasus A" in mail.body and "Kasus B" in mail.body
    for case in (first, second):
        task = open_tasks(case)[0]
        assert f"https://alur.contoh.go.id/tugas/{task.public_id}/" in mail.body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    # Nothing is sent twice.
    again = notify.run()
    assert (again.emails, again.notifications, again.skipped_no_email) == (0, 0, 0)
    assert len(mailoutbox) == 1
    # The next step's holder is mailed when it becomes theirs.
    services.complete(open_tasks(first)[0], Actor(office["budi"]))
    notify.run()
    assert [m.to for m in mailoutbox[1:]] == [["kasubag@contoh.go.id"]]
    assert "Periksa berkas" in mailoutbox[1].body


def test_overdue_recorded_once_and_mailed(office, mailoutbox):
    long_ago = timezone.now() - LONG_AGO
    late = services.start_case(office["version"], office["pemohon"], title="Terlambat",
                               at=long_ago)
    on_time = services.start_case(office["version"], office["pemohon"], title="Tepat waktu")
    [late_task] = open_tasks(late)
    assert late_task.due_at < timezone.now() < open_tasks(on_time)[0].due_at
    result = notify.run()
    # One OVERDUE per holder of the position; the one without e-mail is skipped. Budi's
    # two new tasks and the overdue one come in a single message.
    assert result.overdue == 2 and result.emails == 1
    assert result.notifications == 3 and result.skipped_no_email == 3
    overdue = Notification.objects.filter(kind=Notification.Kind.OVERDUE)
    assert sorted(overdue.values_list("person__name", flat=True)) == ["Budi", "Tanpa-Surel"]
    assert set(overdue.values_list("task", flat=True)) == {late_task.pk}
    [mail] = mailoutbox
    assert mail.to == ["budi@contoh.go.id"]
    assert "3" in mail.subject
    assert mail.body.count("Terlambat") == 2 and mail.body.count("Tepat waktu") == 1
    assert re.search(r"\d{2}-\d{2}-\d{4} \d{2}:\d{2}", mail.body)  # the due time
    late_task.refresh_from_db()
    assert late_task.overdue_notified_at is not None
    # Recorded once only.
    result = notify.run()
    assert result.overdue == 0 and result.emails == 0
    assert Notification.objects.filter(kind=Notification.Kind.OVERDUE).count() == 2
    assert len(mailoutbox) == 1


def test_overdue_claimed_task_goes_to_its_holder_only(office, mailoutbox):
    late = services.start_case(office["version"], office["pemohon"],
                               at=timezone.now() - LONG_AGO)
    [task] = open_tasks(late)
    services.claim(task, Actor(office["budi"]))
    Notification.objects.update(emailed_at=timezone.now())
    result = notify.run()
    assert result.overdue == 1
    assert list(Notification.objects.filter(kind=Notification.Kind.OVERDUE)
                .values_list("person", flat=True)) == [office["budi"].pk]
    assert [m.to for m in mailoutbox] == [["budi@contoh.go.id"]]


def test_finished_tasks_are_not_overdue(office, mailoutbox):
    late = services.start_case(office["version"], office["pemohon"],
                               at=timezone.now() - LONG_AGO)
    services.complete(open_tasks(late)[0], Actor(office["budi"]))
    services.complete(open_tasks(late)[0], Actor(office["kasubag"]))
    late.refresh_from_db()
    assert late.status == Case.Status.FINISHED
    assert notify.run().overdue == 0
    assert not Notification.objects.filter(kind=Notification.Kind.OVERDUE).exists()


def test_notify_command(office, mailoutbox):
    services.start_case(office["version"], office["pemohon"])
    code, output = cli("notify")
    assert code == 0, output
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["budi@contoh.go.id"]


def test_one_refused_address_does_not_stop_the_others(office, mailoutbox, monkeypatch,
                                                      user_factory, units):
    import smtplib

    from django.core import mail as django_mail

    from alur.web.org.models import Person

    Person.objects.filter(pk=office["tanpa"].pk).update(email="ditolak@contoh.go.id")
    services.start_case(office["version"], office["pemohon"])
    real_send = notify.send_mail

    def send(subject, body, sender, recipients, **kwargs):
        if recipients == ["ditolak@contoh.go.id"]:
            raise smtplib.SMTPRecipientsRefused({"ditolak@contoh.go.id": (550, b"no")})
        return real_send(subject, body, sender, recipients, **kwargs)

    monkeypatch.setattr(notify, "send_mail", send)
    result = notify.run()
    assert [m.to for m in django_mail.outbox] == [["budi@contoh.go.id"]]
    assert result.emails == 1 and result.failed == 1
    # The refused one stays pending and is tried again next time.
    pending = Notification.objects.filter(emailed_at__isnull=True)
    assert list(pending.values_list("person", flat=True)) == [office["tanpa"].pk]
    monkeypatch.setattr(notify, "send_mail", real_send)
    assert notify.run().emails == 1
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_overlapping_runs_record_overdue_once(office, monkeypatch):
    """`alur notify` from cron may start while the previous run is still busy: a task the
    other run has just handled is not notified again."""
    from alur.web.cases import routing

    late = services.start_case(office["version"], office["pemohon"],
                               at=timezone.now() - LONG_AGO)
    real_holders = routing.holders
    calls = []

    def holders(position_id, on):
        calls.append(position_id)
        if len(calls) == 1:  # the other run handles the task while this one is at it
            notify.record_overdue(timezone.now())
        return real_holders(position_id, on)

    monkeypatch.setattr(routing, "holders", holders)
    notify.record_overdue(timezone.now())
    overdue = Notification.objects.filter(kind=Notification.Kind.OVERDUE)
    assert sorted(overdue.values_list("person__name", flat=True)) == ["Budi", "Tanpa-Surel"]
    assert set(overdue.values_list("task__case", flat=True)) == {late.pk}
