"""Running SOPs through `alur.web.cases.services`: starting, routing, due times, joint steps,
sub-procedures, cancelling, unroutable tasks, acting officials and who may act."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from alur.engine import DecisionRequired, NotYourTask, WaitingForSubprocedure
from alur.engine.calendar import JAKARTA as WIB
from alur.web.cases import services
from alur.web.cases.audit import verify
from alur.web.cases.models import Case, Event, Holiday, Notification, Task
from alur.web.cases.queries import my_open_tasks, unroutable_tasks
from alur.web.cases.services import Actor, CannotStart, NotAllowed
from alur.web.cases.snapshots import snapshots
from alur.web.cases.workcalendar import working_calendar
from alur.web.library.models import SopVersion
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Assignment, Membership, Person

from .cases_fixtures import LIBRARY, approved, staff
from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    assert_rows_match_engine,
    make_person,
    open_tasks,
    position_of,
    run_to_end,
    small_sop,
)

pytestmark = pytest.mark.django_db

EXAMPLES = sorted(p.stem for p in LIBRARY.glob("*.yaml"))


@pytest.fixture
def author(user_factory):
    return user_factory("penulis")


def snapshot(case: Case):
    """Everything a refused operation must leave as it was."""
    case.refresh_from_db()
    return (case.event_count, case.head_hash, case.status, Event.objects.count(),
            list(Task.objects.order_by("pk").values_list(
                "key", "status", "assignee_id", "done_by_id", "decision", "claimed_at")),
            Notification.objects.count())


# --- starting -------------------------------------------------------------------------------

def _draft(units, author):
    return add_sop(small_sop("uji-mulai", [{"number": 1, "activity": "Satu",
                                            "actors": ["staf"]}]), units["dinsos"], author)


def _submitted(units, author):
    version = _draft(units, author)
    version.status = SopVersion.Status.DIAJUKAN
    version.save()
    return version


def _future(units, author):
    version = _draft(units, author)
    approve(version, author, effective=timezone.localdate() + dt.timedelta(days=30))
    return version


def _revoked(units, author):
    version = add_approved(small_sop("uji-mulai", [{"number": 1, "activity": "Satu",
                                                    "actors": ["staf"]}]), units["dinsos"],
                           author)
    version.status = SopVersion.Status.DICABUT
    version.save()
    return version


def _replaced(units, author):
    old = add_approved(small_sop("uji-mulai", [{"number": 1, "activity": "Satu",
                                                "actors": ["staf"]}]), units["dinsos"], author)
    new = add_approved(small_sop("uji-mulai", [{"number": 1, "activity": "Satu lagi",
                                                "actors": ["staf"]}]), units["dinsos"], author)
    old.refresh_from_db()
    assert old.status == SopVersion.Status.DIGANTI and new.in_force
    return old


def _broken(units, author):
    """Approved and in force, but a decision without its Tidak exit cannot run."""
    return add_approved(small_sop("uji-rusak", [
        {"number": 1, "activity": "Periksa", "actors": ["staf"], "kind": "decision",
         "on_yes": 2},
        {"number": 2, "activity": "Selesai", "actors": ["staf"]}]), units["dinsos"], author)


@pytest.mark.parametrize("make", [_draft, _submitted, _future, _revoked, _replaced, _broken],
                         ids=["draft", "diajukan", "future", "dicabut", "diganti", "broken"])
def test_only_an_approved_version_in_force_can_start(make, units, author):
    version = make(units, author)
    starter = Person.objects.create(name="Pemohon")
    with pytest.raises(CannotStart):
        services.start_case(version, starter)
    assert not Case.objects.exists() and not Event.objects.exists()
    if make is not _broken:
        assert not services.runnable_versions().filter(pk=version.pk).exists()


def test_start_records_the_first_step(units, author, user_factory):
    version = approved("surat-masuk", units["dinsos"], author)
    people = staff(version, user_factory)
    starter = Person.objects.create(name="Pemohon")
    assert services.runnable_versions().filter(pk=version.pk).exists()
    case = services.start_case(version, starter, title="  Surat dari BKD  ")
    assert case.title == "Surat dari BKD" and case.status == Case.Status.RUNNING
    assert case.unit == units["dinsos"] and case.initiator == starter
    assert list(case.events.values_list("seq", "kind")) == [(1, "started")]
    [first] = open_tasks(case)
    assert first.position == position_of(version, first.actor_id)
    assert not first.unroutable and first.assignee is None
    # The holder of the position is told; the task is in their inbox.
    holder = people[first.actor_id]
    assert Notification.objects.filter(person=holder, task=first,
                                       kind=Notification.Kind.NEW_TASK).count() == 1
    assert list(my_open_tasks(holder)) == [first]
    default = services.start_case(version, starter)
    assert default.title == f"{version.name} — Pemohon"


# --- every example runs ----------------------------------------------------------------------

@pytest.mark.parametrize("name", EXAMPLES)
def test_every_example_runs_to_finished(name, units, author, user_factory):
    version = approved(name, units["dinsos"], author)
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    case = services.start_case(version, starter)
    assert_rows_match_engine(case)
    done = run_to_end(case, people)
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED and case.ended_at is not None
    assert sum(done.values()) == case.events.filter(kind="completed").count()
    assert not case.tasks.filter(status=Task.Status.OPEN).exists()
    assert not case.tasks.filter(unroutable=True).exists()
    # Actors that stand for the applicant went to the initiator, the others to their holder.
    for task in case.tasks.filter(status=Task.Status.DONE):
        if version.document.actor(task.actor_id).applicant:
            assert task.done_by == starter and task.position is None
        else:
            assert task.done_by == people[task.actor_id]
    assert list(verify(Case.objects.filter(pk=case.pk))) == []


def test_decision_no_loops_back_as_round_two(units, author, user_factory):
    version = approved("surat-ijin-cuti", units["dinsos"], author)
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    case = services.start_case(version, starter)
    [first] = open_tasks(case)
    # "PNS dan PTT" is the applicant: the task goes to whoever started the case.
    assert first.key == "1.1" and first.assignee == starter and first.position is None
    assert list(my_open_tasks(starter)) == [first]
    services.complete(first, Actor(starter))
    [check] = open_tasks(case)
    assert check.key == "2.1" and check.is_decision
    with pytest.raises(DecisionRequired):
        services.complete(check, Actor(people[check.actor_id]))
    services.complete(check, Actor(people[check.actor_id]), decision="tidak",
                      comment="Berkas kurang")
    again = open_tasks(case)
    assert [(t.key, t.step, t.round, t.assignee_id) for t in again] == [
        ("1.2", 1, 2, starter.pk)]
    assert Task.objects.get(case=case, key="2.1").decision == "tidak"
    assert_rows_match_engine(case)
    done = run_to_end(case, people)
    assert done[1] == 1 and done[2] == 1  # the second pass of steps 1 and 2
    assert set(case.tasks.values_list("key", flat=True)) >= {"1.1", "1.2", "2.1", "2.2"}
    assert Task.objects.get(case=case, key="2.2").decision == "ya"
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED


# --- due times --------------------------------------------------------------------------------

def test_due_at_follows_the_working_calendar_and_holidays(units, author, user_factory):
    version = add_approved(small_sop("uji-waktu", [
        {"number": 1, "activity": "Catat", "actors": ["staf"], "time": "10 menit"},
        {"number": 2, "activity": "Periksa", "actors": ["staf"], "time": "1 hari"},
        {"number": 3, "activity": "Arsip", "actors": ["staf"]}]), units["dinsos"], author)
    worker = make_person(user_factory, "staf", units["dinsos"],
                         positions=[position_of(version, "staf")])
    # Wednesday 16 July 2025, 15.55 WIB: five working minutes left that day.
    wednesday = dt.datetime(2025, 7, 16, 15, 55, tzinfo=WIB)
    thursday, friday = dt.date(2025, 7, 17), dt.date(2025, 7, 18)
    calendar = working_calendar()
    assert all(calendar.is_working_day(d) for d in (wednesday.date(), thursday, friday))
    case = services.start_case(version, worker, at=wednesday)
    [task] = open_tasks(case)
    assert task.ready_at == wednesday
    assert task.due_at == dt.datetime(2025, 7, 17, 7, 35, tzinfo=WIB)

    # The admin records cuti bersama on Thursday: the signal drops the cached calendar.
    holiday = Holiday.objects.create(date=thursday, name="Cuti bersama")
    assert working_calendar() is not calendar
    later = services.start_case(version, worker, at=wednesday)
    assert open_tasks(later)[0].due_at == dt.datetime(2025, 7, 18, 7, 35, tzinfo=WIB)
    # The task made before the holiday keeps its due time, in its row and in the log: a
    # replay under the new calendar gives the time people were shown.
    task.refresh_from_db()
    assert task.due_at == dt.datetime(2025, 7, 17, 7, 35, tzinfo=WIB)
    assert services.load_run(case).tasks[task.key].due_at == task.due_at
    holiday.delete()
    third = services.start_case(version, worker, at=wednesday)
    assert open_tasks(third)[0].due_at == dt.datetime(2025, 7, 17, 7, 35, tzinfo=WIB)

    # "1 hari" is 450 working minutes from the moment the step became ready.
    services.complete(open_tasks(third)[0], Actor(worker))
    [second] = open_tasks(third)
    assert second.due_at == working_calendar().add_working_minutes(second.ready_at, 450)
    services.complete(second, Actor(worker))
    [third_step] = open_tasks(third)
    assert third_step.due_at is None  # no time standard


# --- joint steps ------------------------------------------------------------------------------

def _joint_version(units, author, user_factory, joint: str | None, decision: bool = False):
    first = {"number": 1, "activity": "Paraf bersama", "actors": ["kasubag", "bendahara"]}
    if joint:
        first["joint"] = joint
    if decision:
        first.update(kind="decision", on_yes=2, on_no=3)
    steps = [first, {"number": 2, "activity": "Tanda tangan", "actors": ["kepala"]},
             {"number": 3, "activity": "Kembalikan", "actors": ["kepala"]}]
    if not decision:
        steps = steps[:2]
    version = add_approved(small_sop(f"uji-bersama-{joint or 'any'}-{int(decision)}", steps),
                           units["dinsos"], author)
    people = {actor: make_person(user_factory, f"{actor}-{joint or 'any'}-{int(decision)}",
                                 units["dinsos"], positions=[position_of(version, actor)])
              for actor in ("kasubag", "bendahara", "kepala")}
    return version, people


@pytest.fixture
def joint(units, author, user_factory):
    def make(joint_policy, decision=False):
        return _joint_version(units, author, user_factory, joint_policy, decision)
    return make


def test_joint_all_waits_for_every_actor(joint):
    version, people = joint("all")
    case = services.start_case(version, people["kepala"])
    tasks = open_tasks(case)
    assert [t.key for t in tasks] == ["1.1.bendahara", "1.1.kasubag"]
    # Each actor's holder sees only their own share.
    assert [t.key for t in my_open_tasks(people["kasubag"])] == ["1.1.kasubag"]
    services.complete(tasks[1], Actor(people["kasubag"]))
    assert [t.key for t in open_tasks(case)] == ["1.1.bendahara"]
    assert_rows_match_engine(case)
    services.complete(tasks[0], Actor(people["bendahara"]))
    assert [t.key for t in open_tasks(case)] == ["2.1"]
    run_to_end(case, people)
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED


def test_joint_any_finishes_with_the_first_actor(joint):
    version, people = joint(None)
    case = services.start_case(version, people["kepala"])
    first = Task.objects.get(case=case, key="1.1.bendahara")
    services.complete(first, Actor(people["bendahara"]))
    assert Task.objects.get(case=case, key="1.1.kasubag").status == Task.Status.WITHDRAWN
    assert [t.key for t in open_tasks(case)] == ["2.1"]
    assert_rows_match_engine(case)


def test_joint_all_decision_needs_every_yes(joint):
    version, people = joint("all", decision=True)
    case = services.start_case(version, people["kepala"])
    services.complete(Task.objects.get(case=case, key="1.1.kasubag"),
                      Actor(people["kasubag"]), decision="ya")
    services.complete(Task.objects.get(case=case, key="1.1.bendahara"),
                      Actor(people["bendahara"]), decision="tidak")
    assert [t.step for t in open_tasks(case)] == [3]
    assert_rows_match_engine(case)


# --- sub-procedures ---------------------------------------------------------------------------

@pytest.fixture
def calling(units, author, user_factory):
    """'induk' calls 'anak' at step 2; an 'anak' of another agency must not be chosen."""
    child_steps = [{"number": 1, "activity": "Verifikasi", "actors": ["verifikator"]},
                   {"number": 2, "activity": "Setujui", "actors": ["kepala"]}]
    elsewhere = add_approved(small_sop("anak", child_steps, name="ANAK LAIN"), units["perpus"],
                             author)
    child = add_approved(small_sop("anak", child_steps), units["dinsos"], author)
    parent = add_approved(small_sop("induk", [
        {"number": 1, "activity": "Ajukan", "actors": ["staf"]},
        {"number": 2, "activity": "Proses anak", "actors": ["staf"], "calls": "anak"},
        {"number": 3, "activity": "Arsipkan", "actors": ["staf"]}]), units["dinsos"], author)
    people = {
        "staf": make_person(user_factory, "staf", units["dinsos"],
                            positions=[position_of(parent, "staf")]),
        "verifikator": make_person(user_factory, "verifikator", units["dinsos"],
                                   positions=[position_of(child, "verifikator")]),
        "kepala": make_person(user_factory, "kepala", units["dinsos"],
                              positions=[position_of(child, "kepala")]),
    }
    return {"parent": parent, "child": child, "elsewhere": elsewhere, "people": people}


def test_calls_step_runs_a_child_case_and_the_parent_continues(calling):
    people = calling["people"]
    case = services.start_case(calling["parent"], people["staf"], title="Induk")
    services.complete(open_tasks(case)[0], Actor(people["staf"]))
    [waiting] = open_tasks(case)
    assert waiting.key == "2.1" and waiting.calls == "anak"
    [child] = Case.objects.filter(parent_task=waiting)
    assert child.version == calling["child"]  # the caller's own unit, not the other agency's
    assert child.unit == case.unit and child.initiator == people["staf"]
    assert child.status == Case.Status.RUNNING
    assert case.events.filter(kind="child_started", task_key="2.1",
                              data__child=str(child.public_id)).exists()
    with pytest.raises(WaitingForSubprocedure):
        services.complete(waiting, Actor(people["staf"]))
    assert_rows_match_engine(case)

    run_to_end(child, people)
    child.refresh_from_db()
    case.refresh_from_db()
    assert child.status == Case.Status.FINISHED
    waiting.refresh_from_db()
    assert waiting.status == Task.Status.DONE
    assert case.events.filter(kind="child_finished", task_key="2.1",
                              data__outcome="finished").exists()
    assert [t.key for t in open_tasks(case)] == ["3.1"]
    assert_rows_match_engine(case)
    run_to_end(case, people)
    case.refresh_from_db()
    assert case.status == Case.Status.FINISHED
    assert list(verify()) == []


def test_cancel_cascades_to_the_running_child(calling, user_factory, units):
    people = calling["people"]
    case = services.start_case(calling["parent"], people["staf"])
    services.complete(open_tasks(case)[0], Actor(people["staf"]))
    child = Case.objects.get(parent_task__case=case)
    outsider = make_person(user_factory, "orang-lain", units["dinsos"])
    with pytest.raises(NotAllowed):
        services.cancel(case, Actor(outsider), "bukan urusan saya")
    with pytest.raises(NotAllowed):
        services.cancel(case, Actor(people["staf"]), "   ")
    services.cancel(case, Actor(people["staf"]), "Salah SOP")
    case.refresh_from_db()
    child.refresh_from_db()
    assert case.status == child.status == Case.Status.CANCELLED
    assert case.ended_at is not None and child.ended_at is not None
    assert not Task.objects.filter(case__in=[case, child], status=Task.Status.OPEN).exists()
    assert Task.objects.get(case=child, key="1.1").status == Task.Status.CANCELLED
    reason = child.events.get(kind="cancelled").data["reason"]
    assert "Salah SOP" in reason
    assert_rows_match_engine(case)
    assert_rows_match_engine(child)
    assert list(verify()) == []


def test_a_joint_calls_step_stops_the_sub_procedures_it_no_longer_needs(calling, units,
                                                                          author):
    """Two actors each run the called SOP; the first to finish finishes the step, and the
    other sub-procedure is cancelled by alur, saying why, instead of being left running."""
    people = calling["people"]
    parent = add_approved(small_sop("induk-bersama", [
        {"number": 1, "activity": "Ajukan", "actors": ["staf"]},
        {"number": 2, "activity": "Proses anak", "actors": ["staf", "kepala"], "calls": "anak"},
        {"number": 3, "activity": "Arsipkan", "actors": ["staf"]}]), units["dinsos"], author)
    Assignment.objects.create(person=people["kepala"], position=position_of(parent, "kepala"),
                              start=timezone.localdate() - dt.timedelta(days=30))
    Assignment.objects.create(person=people["staf"], position=position_of(parent, "staf"),
                              start=timezone.localdate() - dt.timedelta(days=30))
    case = services.start_case(parent, people["staf"])
    services.complete(open_tasks(case)[0], Actor(people["staf"]))
    # Ordered by task key: the Kepala's sub-procedure, then the Staf's, which finishes first.
    first, second = Case.objects.filter(parent_task__case=case).order_by("parent_task__key")
    run_to_end(second, people)
    first.refresh_from_db()
    assert first.status == Case.Status.CANCELLED
    stopped = first.events.get(kind="cancelled")
    assert stopped.by is None  # alur itself
    assert stopped.data["reason"].startswith("Langkah 2 kasus pemanggil sudah diselesaikan")
    assert not Task.objects.filter(case=first, status=Task.Status.OPEN).exists()
    assert {t.key: t.status for t in case.tasks.filter(step=2)} == {
        "2.1.kepala": Task.Status.WITHDRAWN, "2.1.staf": Task.Status.DONE}
    assert [t.key for t in open_tasks(case)] == ["3.1"]
    for each in (case, first, second):
        assert_rows_match_engine(each)
    assert list(verify()) == []


def test_calls_without_a_version_in_force_stays_a_manual_step(units, author, user_factory):
    parent = add_approved(small_sop("induk-sendiri", [
        {"number": 1, "activity": "Proses", "actors": ["staf"], "calls": "tidak-ada"},
        {"number": 2, "activity": "Arsip", "actors": ["staf"]}]), units["dinsos"], author)
    worker = make_person(user_factory, "staf", units["dinsos"],
                         positions=[position_of(parent, "staf")])
    case = services.start_case(parent, worker)
    assert not Case.objects.filter(parent_task__case=case).exists()
    assert case.events.filter(kind="commented", task_key="1.1").count() == 1
    # Later steps on the case do not say it again (even from a replayed state).
    services.claim(open_tasks(case)[0], Actor(worker))
    snapshots.clear()
    services.comment(case, Actor(worker), "Dikerjakan manual.")
    assert case.events.filter(kind="commented", task_key="1.1").count() == 1
    services.complete(open_tasks(case)[0], Actor(worker))
    assert [t.key for t in open_tasks(case)] == ["2.1"]
    assert list(verify()) == []


# --- routing ----------------------------------------------------------------------------------

def test_unroutable_task_is_flagged_and_the_admin_told(units, author, user_factory):
    version = add_approved(small_sop("uji-kosong", [
        {"number": 1, "activity": "Tidak ada yang memegang", "actors": ["kabid"]},
        {"number": 2, "activity": "Arsip", "actors": ["kabid"]}]), units["dinsos"], author)
    # An admin of the Pemkab (the unit above) is responsible for the Dinas too.
    admin = make_person(user_factory, "admin-pemkab", units["pemkab"], role="admin")
    other_admin = make_person(user_factory, "admin-perpus", units["perpus"], role="admin")
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    case = services.start_case(version, starter)
    [task] = open_tasks(case)
    assert task.unroutable and task.position == position_of(version, "kabid")
    notes = Notification.objects.filter(task=task)
    assert list(notes.values_list("person", "kind")) == [
        (admin.pk, Notification.Kind.UNROUTABLE)]
    assert other_admin.pk not in notes.values_list("person", flat=True)
    assert list(unroutable_tasks({units["dinsos"].pk})) == [task]
    # Nobody but an admin can do it ...
    with pytest.raises(NotYourTask):
        services.complete(task, Actor(starter))
    # ... and the admin hands it to a person, who then can.
    services.reassign(task, Actor(admin, is_admin=True), starter, "Tolong dikerjakan")
    task.refresh_from_db()
    assert task.assignee == starter
    assert list(my_open_tasks(starter)) == [task]
    services.complete(task, Actor(starter))
    assert_rows_match_engine(case)


def test_reassigned_unroutable_task_is_no_longer_flagged(units, author, user_factory):
    version = add_approved(small_sop("uji-kosong", [
        {"number": 1, "activity": "Tidak ada yang memegang", "actors": ["kabid"]}]),
        units["dinsos"], author)
    admin = make_person(user_factory, "admin-dinsos", units["dinsos"], role="admin")
    worker = make_person(user_factory, "pelaksana", units["dinsos"])
    case = services.start_case(version, worker)
    [task] = open_tasks(case)
    services.reassign(task, Actor(admin, is_admin=True), worker)
    task.refresh_from_db()
    assert not task.unroutable
    assert list(unroutable_tasks({units["dinsos"].pk})) == []


def test_superuser_person_is_told_of_unroutable_tasks(units, author, user_factory):
    version = add_approved(small_sop("uji-kosong", [
        {"number": 1, "activity": "Tidak ada yang memegang", "actors": ["kabid"]}]),
        units["dinsos"], author)
    root = make_person(user_factory, "root", units["pemkab"], role=None, is_superuser=True)
    case = services.start_case(version, root)
    assert Notification.objects.filter(case=case, person=root,
                                       kind=Notification.Kind.UNROUTABLE).count() == 1


def test_acting_official_only_within_the_dates(units, author, user_factory):
    version = add_approved(small_sop("uji-plt", [
        {"number": 1, "activity": "Tanda tangan", "actors": ["kepala"]},
        {"number": 2, "activity": "Arsip", "actors": ["kepala"]}]), units["dinsos"], author)
    kepala = position_of(version, "kepala")
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    plt = make_person(user_factory, "plt-kepala", units["dinsos"])
    today = timezone.localdate()
    assignment = Assignment.objects.create(person=plt, position=kepala,
                                           kind=Assignment.Kind.PLT,
                                           start=today - dt.timedelta(days=10),
                                           end=today - dt.timedelta(days=1))
    case = services.start_case(version, starter)
    [task] = open_tasks(case)
    assert task.unroutable  # the Plt's term ended yesterday
    before = snapshot(case)
    assert list(my_open_tasks(plt)) == []
    with pytest.raises(NotYourTask):
        services.complete(task, Actor(plt))
    # A Plh appointed from tomorrow cannot act today either.
    plh = make_person(user_factory, "plh-kepala", units["dinsos"], kind=Assignment.Kind.PLH,
                      positions=[kepala], start=today + dt.timedelta(days=1),
                      end=today + dt.timedelta(days=3))
    assert list(my_open_tasks(plh)) == []
    with pytest.raises(NotYourTask):
        services.claim(task, Actor(plh))
    assert snapshot(case) == before
    # Within the term the Plt sees the task (routing is resolved when the inbox is read).
    assignment.end = today + dt.timedelta(days=5)
    assignment.save()
    assert list(my_open_tasks(plt)) == [task]
    assert list(my_open_tasks(plt, today + dt.timedelta(days=6))) == []
    services.complete(task, Actor(plt))
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_by == plt
    assert_rows_match_engine(case)


# --- who may act ------------------------------------------------------------------------------

@pytest.fixture
def simple(units, author, user_factory):
    version = add_approved(small_sop("uji-orang", [
        {"number": 1, "activity": "Kerjakan", "actors": ["staf"]},
        {"number": 2, "activity": "Periksa", "actors": ["kasubag"]}]), units["dinsos"], author)
    staf, kasubag = position_of(version, "staf"), position_of(version, "kasubag")
    people = {
        "staf": make_person(user_factory, "staf-a", units["dinsos"], positions=[staf]),
        "staf2": make_person(user_factory, "staf-b", units["dinsos"], positions=[staf]),
        "kasubag": make_person(user_factory, "kasubag", units["dinsos"], positions=[kasubag]),
        "other": make_person(user_factory, "orang-lain", units["perpus"]),
        "helper": make_person(user_factory, "pembantu", units["dinsos"]),
    }
    case = services.start_case(version, people["kasubag"])
    return version, case, people


def test_wrong_person_is_refused_and_nothing_changes(simple):
    _, case, people = simple
    [task] = open_tasks(case)
    before = snapshot(case)
    for who in ("kasubag", "other", "helper"):
        with pytest.raises(NotYourTask):
            services.complete(task, Actor(people[who]))
        with pytest.raises(NotYourTask):
            services.claim(task, Actor(people[who]))
    assert snapshot(case) == before
    services.complete(task, Actor(people["staf2"]))
    task.refresh_from_db()
    assert task.done_by == people["staf2"]


def test_claimed_task_belongs_to_the_claimer_until_released(simple):
    _, case, people = simple
    [task] = open_tasks(case)
    services.claim(task, Actor(people["staf"]))
    task.refresh_from_db()
    assert task.assignee == people["staf"] and task.claimed_at is not None
    # The colleague at the same position no longer sees it and cannot take or finish it.
    assert list(my_open_tasks(people["staf2"])) == []
    before = snapshot(case)
    with pytest.raises(NotYourTask):
        services.complete(task, Actor(people["staf2"]))
    with pytest.raises(NotYourTask):
        services.claim(task, Actor(people["staf2"]))
    with pytest.raises(NotYourTask):
        services.release(task, Actor(people["staf2"]))
    assert snapshot(case) == before
    services.release(task, Actor(people["staf"]), "Cuti")
    task.refresh_from_db()
    assert task.assignee is None and task.claimed_at is None
    services.complete(task, Actor(people["staf2"]))
    assert_rows_match_engine(case)


def test_reassign_to_another_person(simple):
    _, case, people = simple
    [task] = open_tasks(case)
    before = snapshot(case)
    with pytest.raises(NotAllowed):
        services.reassign(task, Actor(people["other"]), people["other"])
    with pytest.raises(NotAllowed):
        services.reassign(task, Actor(people["helper"]), people["helper"])
    assert snapshot(case) == before
    services.reassign(task, Actor(people["staf"]), people["helper"], "Mohon dibantu")
    event = case.events.get(kind="reassigned")
    assert event.by == people["staf"] and event.task_key == task.key
    assert event.data == {"to": str(people["helper"].pk), "comment": "Mohon dibantu"}
    task.refresh_from_db()
    assert task.assignee == people["helper"]
    assert list(my_open_tasks(people["helper"])) == [task]
    assert list(my_open_tasks(people["staf2"])) == []
    # Once handed over, the position's holders cannot finish it; the new person can.
    with pytest.raises(NotYourTask):
        services.complete(task, Actor(people["staf2"]))
    services.complete(task, Actor(people["helper"]))
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.done_by == people["helper"]
    assert_rows_match_engine(case)


def test_admin_may_act_on_any_task(simple, units, user_factory):
    _, case, people = simple
    admin = make_person(user_factory, "admin", units["dinsos"], role="admin")
    assert Membership.objects.filter(user=admin.user, role="admin").exists()
    [task] = open_tasks(case)
    services.complete(task, Actor(admin, is_admin=True))
    task.refresh_from_db()
    assert task.done_by == admin
    services.comment(case, Actor(people["other"]), "Catatan")
    assert case.events.filter(kind="commented", data__text="Catatan").exists()
