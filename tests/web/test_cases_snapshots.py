"""The replayed state a process keeps between steps (`cases/snapshots.py`): used when it is
the state the locked case row names, brought forward when another process moved the case,
dropped when it belongs to a history the database does not have, and never a reason for a
different result than replaying the whole log."""

from __future__ import annotations

import copy
import dataclasses

import pytest

from alur.engine import DecisionRequired
from alur.web.cases import services, store
from alur.web.cases.models import Task
from alur.web.cases.services import Actor
from alur.web.cases.snapshots import Snapshot, SnapshotStore, snapshots

from .cases_fixtures import approved, staff
from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    acting_person,
    assert_rows_match_engine,
    open_tasks,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def surat_keluar(units, user_factory):
    version = approved("surat-keluar", units["dinsos"], user_factory("penulis"))
    return version, staff(version, user_factory)


@pytest.fixture
def replays(monkeypatch):
    """The cases whose whole log was replayed (checks that replay too: assert before them)."""
    calls = []
    original = services._replay

    def counting(case, rows):
        calls.append(case.pk)
        return original(case, rows)

    monkeypatch.setattr(services, "_replay", counting)
    return calls


def _step(case, people, decision="ya"):
    task = open_tasks(case)[0]
    return services.complete(task, Actor(acting_person(task, case, people)),
                             decision=decision if task.is_decision else None)


def test_a_step_uses_the_state_the_previous_step_left(surat_keluar, replays):
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    for _ in range(3):
        _step(case, people)
    assert replays == []
    kept = snapshots.take(case.pk)
    case.refresh_from_db()
    assert (kept.event_count, kept.head_hash) == (case.event_count, case.head_hash)
    assert_rows_match_engine(case)


def test_events_another_process_recorded_are_applied_to_the_kept_state(surat_keluar, replays):
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    _step(case, people)
    stale = copy.deepcopy(snapshots.take(case.pk))  # what this process keeps ...
    snapshots.put(case.pk, stale)
    old = copy.deepcopy(stale)
    _step(case, people)  # ... while "another process" takes two steps
    _step(case, people)
    snapshots.put(case.pk, old)
    _step(case, people)
    assert replays == []  # brought forward, not replayed
    assert snapshots.take(case.pk).run.tasks == services.load_run(case).tasks
    assert_rows_match_engine(case)


def test_a_state_the_database_does_not_have_is_dropped(surat_keluar, replays):
    """A snapshot left by a transaction that was rolled back names a head the case row does
    not have: the step replays the log instead."""
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    _step(case, people)
    kept = snapshots.take(case.pk)
    rolled_back = copy.deepcopy(kept)
    rolled_back.run.complete(rolled_back.run.open_tasks[0].id, "x", case.started_at,
                             decision="ya")
    snapshots.put(case.pk, dataclasses.replace(
        rolled_back, event_count=kept.event_count + 1, head_hash="f" * 64))
    _step(case, people)
    assert replays == [case.pk]
    assert_rows_match_engine(case)


def test_same_count_other_head_is_dropped(surat_keluar, replays):
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    kept = snapshots.take(case.pk)
    snapshots.put(case.pk, dataclasses.replace(kept, head_hash="e" * 64))
    _step(case, people)
    assert replays == [case.pk]
    assert_rows_match_engine(case)


def test_events_read_before_the_lock_are_read_again(surat_keluar, replays, monkeypatch):
    """On PostgreSQL the load's subqueries may miss what the lock's previous holder recorded:
    events that fall short of the locked head are read again before anything is decided."""
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    _step(case, people)
    snapshots.clear()
    load = store.load

    def short_load(case_pk, on, after=0):
        loaded = load(case_pk, on, after)
        return dataclasses.replace(loaded, events=loaded.events[:-1])

    monkeypatch.setattr(store, "load", short_load)
    _step(case, people)
    assert_rows_match_engine(case)


def test_a_refused_step_keeps_the_state_and_changes_nothing(surat_keluar, replays):
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    while not open_tasks(case)[0].is_decision:
        _step(case, people)
    decision = open_tasks(case)[0]
    before = case.events.count()
    with pytest.raises(DecisionRequired):
        services.complete(decision, Actor(acting_person(decision, case, people)))
    assert case.events.count() == before
    kept = snapshots.take(case.pk)
    assert kept is not None
    snapshots.put(case.pk, kept)
    _step(case, people, "tidak")
    assert replays == []
    assert_rows_match_engine(case)


def test_the_tasks_a_step_opened_come_back_as_written(surat_keluar):
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    [first] = case.opened
    row = Task.objects.get(case=case, key=first.key)
    assert (first.public_id, first.position_id, first.due_at) == \
        (row.public_id, row.position_id, row.due_at)
    after = services.complete(first, Actor(people["pengelola"]))
    assert [t.key for t in after.opened] == [t.key for t in open_tasks(case)]


def test_the_store_is_bounded():
    store_ = SnapshotStore(size=2)
    for pk in (1, 2, 3):
        store_.put(pk, Snapshot(pk, "", None))  # type: ignore[arg-type]
    assert len(store_) == 2
    assert store_.take(1) is None and store_.take(3).event_count == 3
    off = SnapshotStore(size=0)
    off.put(1, Snapshot(1, "", None))  # type: ignore[arg-type]
    assert off.take(1) is None


def test_without_snapshots_every_step_replays(surat_keluar, replays, monkeypatch):
    monkeypatch.setattr(snapshots, "size", 0)
    version, people = surat_keluar
    case = services.start_case(version, people["pengelola"])
    _step(case, people)
    _step(case, people)
    assert replays == [case.pk, case.pk]
    assert_rows_match_engine(case)
