"""Several people finishing the same tasks at the same moment: every task is done exactly once,
every case ends, and every event chain stays whole.

On PostgreSQL the workers are separate OS processes (as gunicorn workers are), each with its
own connection to the test database. On SQLite they are threads of this process, each with its
own connection to a file copy of the test database.

This module imports nothing from Django at the top: the worker processes import it (with the
"spawn" start method) before they have set Django up.
"""

from __future__ import annotations

import os
import queue
import random
import threading
import time

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

CASES = 5
WORKERS = 3
DEADLINE_SECONDS = 90

# Step 2 is joint (both actors must finish), step 3 a decision: the tasks the workers race for
# are 1.1, 2.1.kasubag, 2.1.staf, 3.1 and 4.1 in every case.
STEPS = [
    {"number": 1, "activity": "Terima berkas", "actors": ["staf"], "time": "10 menit"},
    {"number": 2, "activity": "Paraf bersama", "actors": ["staf", "kasubag"], "joint": "all"},
    {"number": 3, "activity": "Setujui?", "actors": ["kasubag"], "kind": "decision",
     "on_yes": 4, "on_no": 1},
    {"number": 4, "activity": "Arsipkan", "actors": ["staf"]},
]
TASK_KEYS = {"1.1", "2.1.kasubag", "2.1.staf", "3.1", "4.1"}


def race(person_id: int, case_ids: list[int], seed: int) -> tuple[list[int], list[int]]:
    """Take and finish every open task of the cases until none is left; another worker
    getting there first is expected. Returns the task ids this worker claimed and finished."""
    from alur.engine import EngineError
    from alur.web.cases import services
    from alur.web.cases.models import Task
    from alur.web.org.models import Person

    actor = services.Actor(Person.objects.get(pk=person_id))
    rng = random.Random(seed)
    claimed: list[int] = []
    completed: list[int] = []
    deadline = time.monotonic() + DEADLINE_SECONDS
    while time.monotonic() < deadline:
        tasks = list(Task.objects.filter(case_id__in=case_ids, status=Task.Status.OPEN))
        if not tasks:
            break
        rng.shuffle(tasks)
        for task in tasks:
            if task.step % 2:  # odd steps are claimed first, even ones finished straight away
                try:
                    services.claim(task, actor)
                    claimed.append(task.pk)
                except EngineError:
                    pass
            try:
                services.complete(task, actor, decision="ya" if task.is_decision else None)
                completed.append(task.pk)
            except EngineError:
                pass
    return claimed, completed


def worker_process(db_name, person_id, case_ids, seed, barrier, results) -> None:
    """A separate OS process: its own Django, its own connection to the test database."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "alur.web.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.db import connections

    settings.DATABASES["default"]["NAME"] = db_name
    connections["default"].settings_dict["NAME"] = db_name
    try:
        barrier.wait(timeout=120)
        results.put((person_id, *race(person_id, case_ids, seed), None))
    except Exception as error:  # reported to the test, which fails with it
        results.put((person_id, [], [], repr(error)))
    finally:
        connections.close_all()


@pytest.fixture(autouse=True)
def _environment(settings):
    from alur.web.cases import services, workcalendar

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services._definitions.clear()
    workcalendar.forget()
    yield
    services._definitions.clear()


@pytest.fixture
def cases(units, user_factory):
    """CASES running cases; WORKERS people, each holding both positions of the SOP."""
    from alur.web.cases import services

    from .cases_helpers import add_approved, make_person, position_of, small_sop

    author = user_factory("penulis")
    version = add_approved(small_sop("uji-balapan", STEPS), units["dinsos"], author)
    positions = [position_of(version, "staf"), position_of(version, "kasubag")]
    people = [make_person(user_factory, f"pegawai-{n}", units["dinsos"], positions=positions)
              for n in range(WORKERS)]
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    started = [services.start_case(version, starter, title=f"Balapan {n}")
               for n in range(CASES)]
    return {"cases": started, "people": people}


def check_outcome(cases, reports) -> None:
    from alur.web.cases.audit import verify
    from alur.web.cases.models import Case, Event, Task

    case_ids = [c.pk for c in cases]
    claimed = [task for _, mine, _ in reports for task in mine]
    completed = [task for _, _, mine in reports for task in mine]
    tasks = Task.objects.filter(case_id__in=case_ids)
    # Each task was finished exactly once, by the worker that says it did.
    assert len(completed) == len(set(completed)) == tasks.count() == CASES * len(TASK_KEYS)
    assert len(claimed) == len(set(claimed))
    done_by = dict(tasks.values_list("pk", "done_by_id"))
    for person_id, _, mine in reports:
        assert all(done_by[task] == person_id for task in mine)
    assert set(tasks.values_list("status", flat=True)) == {Task.Status.DONE}
    for case in Case.objects.filter(pk__in=case_ids):
        assert case.status == Case.Status.FINISHED, case
        assert set(case.tasks.values_list("key", flat=True)) == TASK_KEYS
        seqs = list(case.events.order_by("seq").values_list("seq", flat=True))
        assert seqs == list(range(1, case.event_count + 1))
        # Time runs forward along the chain, and no task is done before it was ready.
        times = list(case.events.order_by("seq").values_list("at", flat=True))
        assert times == sorted(times), case
        for key, ready, done in case.tasks.values_list("key", "ready_at", "done_at"):
            assert ready <= done, (case, key)
        completions = list(case.events.filter(kind="completed").values_list("task_key",
                                                                            flat=True))
        assert sorted(completions) == sorted(TASK_KEYS)
        claims = list(case.events.filter(kind="claimed").values_list("task_key", flat=True))
        assert len(claims) == len(set(claims))
    assert Event.objects.filter(case_id__in=case_ids, kind="completed").count() == len(completed)
    assert list(verify(Case.objects.filter(pk__in=case_ids))) == []


def test_processes_complete_the_same_tasks_at_once(cases):
    import multiprocessing

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: the worker processes share the test database, which "
                    "SQLite keeps in this process's memory (the thread test covers SQLite)")
    db_name = connection.settings_dict["NAME"]
    case_ids = [c.pk for c in cases["cases"]]
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(WORKERS)
    results = context.Queue()
    processes = [context.Process(target=worker_process, daemon=True, args=(
        db_name, person.pk, case_ids, n, barrier, results))
        for n, person in enumerate(cases["people"])]
    for process in processes:
        process.start()
    reports = []
    try:
        for _ in processes:
            reports.append(results.get(timeout=DEADLINE_SECONDS + 120))
    finally:
        for process in processes:
            process.join(timeout=30)
            if process.is_alive():
                process.kill()
    errors = [error for *_, error in reports if error]
    assert not errors, errors
    assert all(p.exitcode == 0 for p in processes)
    check_outcome(cases["cases"], [report[:3] for report in reports])


def test_threads_complete_the_same_tasks_at_once(cases, tmp_path):
    """SQLite: threads of one process, each with its own connection. The test database lives
    in memory with a shared cache, whose table locks fail at once instead of waiting, unlike a
    database file (what alur runs on): so the threads work on a file copy of the test
    database (WAL, BEGIN IMMEDIATE, as configured), which is copied back to be checked."""
    import sqlite3

    from django.db import connection, connections

    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant; on PostgreSQL the process test runs")
    case_ids = [c.pk for c in cases["cases"]]
    path = tmp_path / "balapan.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    copy.close()
    file_settings = {**connection.settings_dict, "NAME": str(path)}
    wrapper = type(connections["default"])
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    barrier = threading.Barrier(WORKERS)
    results: queue.Queue = queue.Queue()

    def work(person_id: int, seed: int) -> None:
        connections["default"] = wrapper(dict(file_settings), "default")
        try:
            barrier.wait(timeout=60)
            results.put((person_id, *race(person_id, case_ids, seed), None))
        except Exception as error:
            results.put((person_id, [], [], repr(error)))
        finally:
            connections["default"].close()

    threads = [threading.Thread(target=work, args=(person.pk, n), daemon=True)
               for n, person in enumerate(cases["people"])]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=DEADLINE_SECONDS + 60)
    reports = [results.get_nowait() for _ in threads]
    errors = [error for *_, error in reports if error]
    assert not errors, (connection.vendor, errors)
    done = sqlite3.connect(path)
    done.backup(connection.connection)
    done.close()
    check_outcome(cases["cases"], [report[:3] for report in reports])
