"""The keyed audit log: HMAC chains under a key outside the database, the cut-over of chains
recorded before the key, the ledger of anchored case heads, the replay of task rows and case
fields, and the exported ledger head (`alur audit anchor|export|verify --anchor`)."""

from __future__ import annotations

import importlib
import json
import stat

import pytest
from click.testing import CliRunner
from django.apps import apps as django_apps
from django.db import connection
from django.utils import translation

from alur.cli.main import main
from alur.web.cases import auditkey, ledger, services
from alur.web.cases.audit import GENESIS, event_hash, legacy_event_hash, verify
from alur.web.cases.models import (
    Case,
    ChainCutover,
    Event,
    LedgerBlock,
    LedgerEntry,
    Notification,
    Task,
)
from alur.web.cases.services import Actor
from alur.web.cases.snapshots import snapshots

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    small_sop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def audit_key_file(settings, tmp_path):
    """Each test its own key file, as a fresh installation makes it."""
    settings.ALUR_AUDIT_KEY = ""
    settings.ALUR_AUDIT_KEY_FILE = tmp_path / "kunci" / "audit.key"
    auditkey.forget()
    yield settings.ALUR_AUDIT_KEY_FILE
    auditkey.forget()


@pytest.fixture
def office(units, user_factory):
    """A three-step SOP with a decision: 'staf' prepares, 'kasubag' decides, 'staf' files."""
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-audit", [
        {"number": 1, "activity": "Siapkan berkas", "actors": ["staf"], "time": "10 menit"},
        {"number": 2, "activity": "Setujui berkas?", "actors": ["kasubag"], "kind": "decision",
         "time": "10 menit", "on_yes": 3, "on_no": 1},
        {"number": 3, "activity": "Arsipkan", "actors": ["staf"], "time": "10 menit"}]),
        units["dinsos"], author)
    staf, kasubag = position_of(version, "staf"), position_of(version, "kasubag")
    return {
        "version": version,
        "budi": make_person(user_factory, "budi", units["dinsos"], positions=[staf]),
        "kasubag": make_person(user_factory, "kasubag", units["dinsos"], positions=[kasubag]),
        "starter": make_person(user_factory, "peminta", units["dinsos"]),
    }


def walk(office, title="Kasus", answers=("tidak", "ya")):
    """A case taken through its steps: prepare, a decision per answer, then filing."""
    case = services.start_case(office["version"], office["starter"], title=title)
    services.comment(case, Actor(office["starter"]), "Mohon diproses")
    answers = list(answers)
    while True:
        case.refresh_from_db()
        if case.status != Case.Status.RUNNING:
            return case
        [task] = open_tasks(case)
        if task.is_decision:
            services.complete(task, Actor(office["kasubag"]), decision=answers.pop(0))
        else:
            services.complete(task, Actor(office["budi"]))


def problems(**kwargs):
    with translation.override("en"):
        return list(verify(**kwargs))


def messages():
    return [p.message for p in problems()]


def cli(*args):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.output


def delete_rows(model, **where):
    """What a database admin does with SQL: no Django guard, no cascade."""
    column, value = next(iter(where.items()))
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE {column} = %s", [value])


def rechain(case, formula, change=None):
    """Rewrite a case's chain from the first event with `formula`, after `change(event)`
    edits what it wants: a forger's recomputation of every later hash."""
    prev = GENESIS
    for event in Event.objects.filter(case=case).order_by("seq"):
        if change:
            change(event)
        digest = formula(prev, case=str(case.public_id), seq=event.seq, kind=event.kind,
                         at=event.at, by=event.by_id, by_name=event.by_name,
                         task_key=event.task_key, data=event.data)
        Event.objects.filter(pk=event.pk).update(data=event.data, prev_hash=prev, hash=digest)
        prev = digest
    Case.objects.filter(pk=case.pk).update(head_hash=prev)
    snapshots.clear()


# --- the key ------------------------------------------------------------------------------------

def test_key_file_is_made_once_for_its_owner_only(audit_key_file, settings):
    assert not audit_key_file.exists()
    key = auditkey.audit_key()
    assert stat.S_IMODE(audit_key_file.stat().st_mode) == 0o600
    auditkey.forget()
    assert auditkey.audit_key() == key  # read back, not made again
    settings.ALUR_AUDIT_KEY = "k" * 40  # the environment wins over the file
    assert auditkey.audit_key() == b"k" * 40
    settings.ALUR_AUDIT_KEY = "pendek"
    with pytest.raises(auditkey.AuditKeyError):
        auditkey.audit_key()


def test_chains_are_keyed_and_the_key_is_in_no_table(office, audit_key_file):
    case = walk(office)
    first = case.events.get(seq=1)
    fields = dict(case=str(case.public_id), seq=1, kind=first.kind, at=first.at,
                  by=first.by_id, by_name=first.by_name, task_key=first.task_key,
                  data=first.data)
    assert first.hash == event_hash(GENESIS, **fields) != legacy_event_hash(GENESIS, **fields)
    key = audit_key_file.read_text().strip()
    for model in (Event, Case, LedgerBlock, LedgerEntry, ChainCutover):
        for row in model.objects.values():
            assert key not in json.dumps(row, default=str)
    assert problems() == []


# --- tampering ----------------------------------------------------------------------------------

def test_recomputation_with_the_public_formula_is_detected(office):
    case = walk(office)
    other = walk(office, "Lain")
    assert problems() == []

    def forge(event):
        if event.kind == "commented":
            event.data = {**event.data, "text": "Diubah diam-diam"}

    rechain(case, legacy_event_hash, forge)
    found = problems()
    assert found and {p.case for p in found} == {str(case.public_id)}
    assert all("changed" in p.message for p in found)
    assert str(other.public_id) not in {p.case for p in found}


def test_deleting_a_case_with_its_events_is_detected(office):
    case = walk(office, "Dihapus")
    walk(office, "Tetap")
    assert ledger.anchor() is not None
    assert problems() == []
    ref = str(case.public_id)
    for model in (Notification, Event, Task):
        delete_rows(model, case_id=case.pk)
    delete_rows(Case, id=case.pk)
    found = problems()
    assert [(p.case, "deleted" in p.message) for p in found] == [(ref, True)]


def test_cutting_a_chain_back_is_detected(office):
    case = walk(office)
    ledger.anchor()
    last = case.events.order_by("-seq").first()
    earlier = case.events.get(seq=last.seq - 1)
    delete_rows(Event, id=last.pk)
    # The earlier head is a genuine one: the chain alone cannot tell.
    Case.objects.filter(pk=case.pk).update(event_count=earlier.seq, head_hash=earlier.hash)
    found = messages()
    assert any("cut back" in m for m in found), found


def test_an_edited_task_row_is_detected(office):
    case = walk(office)
    assert problems() == []
    task = case.tasks.get(key="2.1")
    assert task.decision == "tidak"
    Task.objects.filter(pk=task.pk).update(decision="ya")
    found = problems()
    assert [(p.case, p.seq) for p in found] == [(str(case.public_id), None)]
    assert "2.1" in found[0].message and "decision" in found[0].message
    Task.objects.filter(pk=task.pk).update(decision="tidak", done_by=office["budi"])
    assert any("done_by_id" in m for m in messages())
    Task.objects.filter(pk=task.pk).update(done_by=office["kasubag"])
    assert problems() == []
    delete_rows(Task, id=task.pk)
    assert any("2.1" in m and "no row" in m for m in messages())


def test_edited_case_fields_are_detected(office, units):
    case = walk(office)
    running = services.start_case(office["version"], office["starter"], title="Berjalan")
    ledger.anchor()
    assert problems() == []
    Case.objects.filter(pk=running.pk).update(status=Case.Status.FINISHED)
    assert any("'status'" in m for m in messages())
    Case.objects.filter(pk=running.pk).update(status=Case.Status.RUNNING)
    Case.objects.filter(pk=case.pk).update(title="Judul lain", unit=units["perpus"])
    found = problems()
    assert [p.case for p in found] == [str(case.public_id)]
    assert "differ from those anchored" in found[0].message


# --- the cut-over -------------------------------------------------------------------------------

def test_chains_recorded_before_the_key_verify_through_the_cutover(office):
    old = walk(office, "Lama")
    running = services.start_case(office["version"], office["starter"], title="Lama berjalan")
    for case in (old, running):  # as they were before keyed chains existed
        rechain(case, legacy_event_hash)
    assert problems()  # no cut-over yet: the old links are not keyed ones
    migration = importlib.import_module("alur.web.cases.migrations.0004_keyed_audit")
    migration.record_cutovers(django_apps, None)
    assert ChainCutover.objects.count() == 2
    assert problems() == []
    # The case goes on: its new events are keyed, after the cut-over.
    running.refresh_from_db()
    cut = running.event_count
    services.complete(open_tasks(running)[0], Actor(office["budi"]))
    assert problems() == []
    newest = running.events.order_by("-seq").first()
    assert newest.seq > cut and newest.hash == event_hash(
        newest.prev_hash, case=str(running.public_id), seq=newest.seq, kind=newest.kind,
        at=newest.at, by=newest.by_id, by_name=newest.by_name, task_key=newest.task_key,
        data=newest.data)
    assert ledger.anchor() is not None and problems() == []


def test_the_cutover_cannot_be_moved_or_the_old_part_recomputed(office):
    case = walk(office)
    rechain(case, legacy_event_hash)
    migration = importlib.import_module("alur.web.cases.migrations.0004_keyed_audit")
    migration.record_cutovers(django_apps, None)
    assert problems() == []
    # Recomputing the old part with the public formula no longer matches the sealed head.

    def forge(event):
        if event.kind == "commented":
            event.data = {"text": "Palsu"}

    rechain(case, legacy_event_hash, forge)
    assert any("before the cut-over" in m for m in messages())
    # Nor can the cut-over be given to another case, or moved.
    rechain(case, legacy_event_hash, lambda e: e.data.update({"text": "Mohon diproses"})
            if e.kind == "commented" else None)
    assert problems() == []
    ChainCutover.objects.filter(case=case).update(seq=1)
    assert any("cut-over record" in m for m in messages())


# --- the ledger and its exported head ------------------------------------------------------------

def test_anchor_takes_only_what_moved_and_never_waits_for_cases(office):
    first = walk(office, "Satu")
    block = ledger.anchor()
    assert block.seq == 1 and block.prev_hash == GENESIS
    assert [(str(e.case_ref), e.event_count) for e in block.entries.all()] == [
        (str(first.public_id), first.event_count)]
    assert ledger.anchor() is None  # nothing moved
    second = services.start_case(office["version"], office["starter"], title="Dua")
    block = ledger.anchor()
    assert block.seq == 2 and [e.case_ref for e in block.entries.all()] == [second.public_id]
    with pytest.raises(RuntimeError):
        block.delete()
    assert problems() == []


def test_an_edited_ledger_is_detected(office):
    walk(office)
    block = ledger.anchor()
    LedgerEntry.objects.filter(block=block).update(event_count=1)
    found = problems()
    assert any(p.block == 1 and "changed" in p.message for p in found), found


def test_export_and_verify_against_it(office, tmp_path):
    walk(office, "Satu")
    target = tmp_path / "jangkar.json"
    code, output = cli("audit", "export", str(target))
    assert code == 0, output
    exported = json.loads(target.read_text())
    assert exported["block"] == 1 and exported["format"] == ledger.EXPORT_FORMAT
    assert exported["hash"] == LedgerBlock.objects.get(seq=1).hash
    code, output = cli("audit", "verify", "--anchor", str(target))
    assert code == 0, output
    # The newest ledger block removed (with the case heads it held): only the file can tell.
    walk(office, "Dua")
    code, output = cli("audit", "export", str(target))
    assert code == 0 and json.loads(target.read_text())["block"] == 2
    newest = LedgerBlock.objects.get(seq=2)
    delete_rows(LedgerEntry, block_id=newest.pk)
    delete_rows(LedgerBlock, id=newest.pk)
    assert problems() == []
    with translation.override("en"):
        code, output = cli("audit", "verify", "--anchor", str(target))
    assert code == 1 and "no longer holds the block" in output
    # A file not signed with the key is refused as such.
    forged = {**exported, "block": 1, "hash": "0" * 64}
    target.write_text(json.dumps(forged))
    with translation.override("en"):
        code, output = cli("audit", "verify", "--anchor", str(target))
    assert code == 1 and "not signed" in output


def test_anchor_command(office):
    walk(office)
    with translation.override("en"):
        code, output = cli("audit", "anchor")
        assert code == 0 and "block 1" in output and "1 case" in output
        code, output = cli("audit", "anchor")
        assert code == 0 and "No case moved" in output


def test_the_worker_anchors_every_minute(office):
    from django.utils.module_loading import import_string
    from django_q.models import Schedule

    from alur.web.library import jobs

    jobs.ensure_schedules()
    schedule = Schedule.objects.get(name="alur: jangkar audit")
    assert schedule.schedule_type == Schedule.MINUTES
    walk(office)
    assert import_string(schedule.func)() == 1  # the job the worker runs: one case anchored
    assert LedgerBlock.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent connections need PostgreSQL")
def test_anchoring_does_not_wait_for_a_case_in_a_step(office):
    """A step holds its case's row lock until it commits; the anchor reads committed heads
    and takes no case lock, so it finishes meanwhile (with the head before that step)."""
    import threading

    from django.db import connections, transaction

    case = walk(office)
    locked, release = threading.Event(), threading.Event()

    def step_in_progress():
        try:
            with transaction.atomic():
                Case.objects.select_for_update().get(pk=case.pk)
                locked.set()
                release.wait(30)
        finally:
            connections.close_all()

    holder = threading.Thread(target=step_in_progress)
    holder.start()
    assert locked.wait(30)
    done = []
    anchoring = threading.Thread(target=lambda: (done.append(ledger.anchor()),
                                                 connections.close_all()))
    anchoring.start()
    anchoring.join(20)
    finished = not anchoring.is_alive()
    release.set()
    holder.join(30)
    anchoring.join(30)
    assert finished, "the anchor waited for the case's lock"
    assert [e.event_count for e in done[0].entries.all()] == [case.event_count]
