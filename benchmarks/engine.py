"""Workflow engine speed, run by hand: `.venv/bin/python benchmarks/engine.py`, options
`[--only engine|persisted|inbox] [--cases 2000] [--completions 3000] [--threads 4]
[--tasks 1000000]
[--queries 300] [--reuse] [--postgres URL] [--profile]` (see `--help` for the rest).

Three measurements, all on SOP Surat Keluar (examples/library/surat-keluar.yaml: six steps,
a decision at step 2 whose Tidak exit goes back to step 1); case i takes the revision loop
once when i % 10 == 0 and goes straight through otherwise, so a case is 6 user tasks, or 8
when it revises (6.2 on average).

1. Engine in memory, alur beside SpiffWorkflow (the `bench` extra). alur: `Definition.from_sop`
   once, then per case `Case(definition, WorkingCalendar())`, `start`, and `complete` of each
   open task (the calendar computes every task's due time, as in real use; a row without it is
   shown for information). SpiffWorkflow: the same SOP exported by alur's own BPMN writer
   (`alur.render.bpmn.to_bpmn`: userTasks, an exclusiveGateway after the decision task, Ya/Tidak
   conditionExpressions, the loop back), with two mechanical changes Spiff needs: the process
   is marked executable, and `${keputusan == "ya"}` (an EL expression) becomes the Python
   expression `keputusan == "ya"` its script engine evaluates. Parsed once; per case
   `BpmnWorkflow(spec)`, `do_engine_steps()`, then for each READY manual task `set_data` (the
   decision), `run()`, `do_engine_steps()`. Both engines run the same cases; before timing, the
   sequence of steps each completes is compared case by case. Rate = user tasks completed per
   second of wall time (case creation included); best and median of `--repeats` rounds after
   a warm-up, the engines alternating in each round. Target: alur >= 10x SpiffWorkflow.

2. Persisted completions, one process, through the web layer's services
   (`alur.web.cases.services.complete`, one transaction each: the case row locked, its engine
   state (the snapshot the process kept, checked against the locked head, else a replay of
   the events), the acting-as check, the hash-chained event, the task projection, the
   notifications), on SQLite (a file in a temporary ALUR_DATA_DIR, the app's WAL settings)
   and on PostgreSQL (a scratch database `alur_bench_engine`, created and dropped here). The
   SOP is added and approved through `add_sop`/`approve` (in force since a year ago); every
   position linked to its actors has two holders. Cases are started with `start_case` (timed
   separately). Each completion is given the task row the previous step of its case returned
   (`case.opened`), as a client going from task to task holds it; finding a task by its id is
   the task page's read, measured for information as "with the task read first" (an ORM
   query before each call, as the page makes). Completions go round-robin over the running
   cases, as many people working at once would, each as a holder of the task's position.
   `--active` (500) cases are worked on at a time; a finished case's place goes to the next
   one started. Two runs: one thread (latencies p50/p95 from it), and `--threads` (4)
   threads of the same process, each on its own connection and its own share of the cases,
   as a threaded web server process works, in `--rounds` (3) rounds reported by their
   median; on PostgreSQL the threads overlap each other's waits for the server, on SQLite
   (one writer at a time, in-process) they cannot help. Target: >= 1,000 completions/s in
   one process on each database; the verdict takes the better of the one-thread figure and
   the threads' median, and says which. Then every hash chain is verified, and a breakdown
   follows: CPU per completion (this process, and the PostgreSQL backends' from /proc) and
   the share of the machine's CPU time the hypervisor stole meanwhile (other guests of a
   shared host slow every figure), the statements by name (count and ms per completion,
   commit included), and with `--profile` cProfile's top costs.

3. "Tugas saya" on PostgreSQL with `--tasks` (1,000,000) task rows in a scratch database
   `alur_bench_engine_inbox`: 200 units each with its own approved Surat Keluar, its five
   actor positions plus two without its tasks, 1-4 holders a position (some former holders whose
   assignment ended, some acting officials holding a second position), cases spread unevenly
   over the units (a few busy ones). `--open-share` (5%) of the tasks are open: each running case
   has one open task (a fifth of them claimed by a holder), the rest of its tasks done;
   finished cases have all done. Rows go in by COPY with triggers off (so FK checks are
   skipped; the references are checked with a join afterwards), then VACUUM ANALYZE (what
   autovacuum does soon after). Events are not loaded (the inbox does not read them). Timed:
   `list(my_open_tasks(person)[:50])` (its positions query included) for `--queries` random
   people; target p95 < 50 ms. Printed too: the time spent in the database driver, and the
   EXPLAIN ANALYZE of the heaviest inbox (a holder of the busiest position) and of the slowest
   person's query.
   `--reuse` keeps the database and reuses it while the sizes match.

Each database part runs in its own process (the settings read DATABASE_URL at import): the
script runs itself with `--worker`. The machine's load average is printed first: other work
on it slows every figure, which is why the engine rounds alternate and report the best.
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as dt
import itertools
import json
import math
import os
import pstats
import random
import re
import shutil
import signal
import statistics
import sys
import tempfile
import time
import uuid
from collections import deque
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import workers

ROOT = Path(__file__).resolve().parents[1]
PROCEDURE = ROOT / "examples" / "library" / "surat-keluar.yaml"
POSTGRES = "postgres://postgres@127.0.0.1:5432/postgres"
PERSISTED_DB = "alur_bench_engine"
INBOX_DB = "alur_bench_engine_inbox"
RATIO_TARGET = 10  # alur / SpiffWorkflow, in memory
SPIFF_REFERENCE = 7300  # user tasks/s, the measurement of SpiffWorkflow in memory
PERSISTED_TARGET = 1000  # completions/s on each database
INBOX_TARGET = 50  # ms, p95
LOADER_VERSION = 1  # bump when the inbox data changes, so --reuse reloads


def main() -> None:
    parser = argparse.ArgumentParser(description="Workflow engine speed (see the docstring).")
    parser.add_argument("--only", choices=["engine", "persisted", "inbox"])
    parser.add_argument("--cases", type=int, default=2000,
                        help="cases per engine round (default 2000)")
    parser.add_argument("--repeats", type=int, default=3, help="engine rounds (default 3)")
    parser.add_argument("--completions", type=int, default=3000,
                        help="timed persisted completions per database (default 3000)")
    parser.add_argument("--active", type=int, default=500,
                        help="cases worked on at a time in the persisted runs (default 500)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the threaded persisted run (default 3)")
    parser.add_argument("--threads", type=int, default=4,
                        help="threads of the second persisted run (default 4)")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both",
                        help="databases for the persisted completions (default both)")
    parser.add_argument("--profile", action="store_true",
                        help="profile the persisted completions even when the target is met")
    parser.add_argument("--tasks", type=int, default=1_000_000,
                        help="task rows for the inbox (default 1000000)")
    parser.add_argument("--open-share", type=float, default=0.05,
                        help="share of open tasks in the inbox data (default 0.05)")
    parser.add_argument("--queries", type=int, default=300,
                        help="timed inbox queries (default 300)")
    parser.add_argument("--reuse", action="store_true",
                        help=f"keep {INBOX_DB} after the run and reuse it when the sizes match")
    parser.add_argument("--postgres", default=POSTGRES,
                        help=f"admin connection for creating scratch databases ({POSTGRES})")
    parser.add_argument("--worker", choices=["persisted", "inbox"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker == "persisted":
        persisted_worker(args)
        return
    if args.worker == "inbox":
        inbox_worker(args)
        return
    # ^C raises KeyboardInterrupt; make `kill` and a closed terminal clean up the same way.
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda *_: sys.exit("interrupted"))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load average {load}")
    parts = [args.only] if args.only else ["engine", "persisted", "inbox"]
    if "engine" in parts:
        engine_part(args)
    if "persisted" in parts:
        persisted_part(args)
    if "inbox" in parts:
        inbox_part(args)


def verdict(ok: bool) -> str:
    return "OK" if ok else "MISSED"


# --- 1. the engine in memory, beside SpiffWorkflow -----------------------------------------------

def engine_part(args) -> None:
    try:
        from SpiffWorkflow.version import __version__ as spiff_version
    except ImportError:
        raise SystemExit("SpiffWorkflow is missing: .venv/bin/pip install -e '.[bench]'") \
            from None

    from alur.engine import Definition
    from alur.engine.calendar import WorkingCalendar
    from alur.sop import load

    sop = load(PROCEDURE).sop
    assert sop is not None
    definition = Definition.from_sop(sop)
    calendar = WorkingCalendar()
    spec = spiff_spec(sop)
    decisions = {n for n, step in definition.steps.items() if step.is_decision}

    # The same procedure: each engine walks the same steps, case by case.
    ours = [alur_cases(definition, calendar, decisions, i, 1, trace=True)[1][0]
            for i in range(min(args.cases, 50))]
    theirs = [spiff_cases(spec, decisions, i, 1, trace=True)[1][0]
              for i in range(min(args.cases, 50))]
    assert ours == theirs, (ours[:2], theirs[:2])
    expected = sum(8 if i % 10 == 0 else 6 for i in range(args.cases))
    lengths = sorted({len(path) for path in ours})
    print(f"\nvalidated: both engines take the same steps case by case, "
          f"{' or '.join(map(str, lengths))} user tasks a case "
          f"(e.g. revising case: {'-'.join(map(str, ours[0]))})")

    runners = {
        "alur (WorkingCalendar: due times computed)":
            lambda: alur_cases(definition, calendar, decisions, 0, args.cases)[0],
        "alur, no calendar (information)":
            lambda: alur_cases(definition, None, decisions, 0, args.cases)[0],
        f"SpiffWorkflow {spiff_version} (alur's BPMN export)":
            lambda: spiff_cases(spec, decisions, 0, args.cases)[0],
    }
    warm = max(args.cases // 10, 1)
    alur_cases(definition, calendar, decisions, 0, warm)
    alur_cases(definition, None, decisions, 0, warm)
    spiff_cases(spec, decisions, 0, warm)
    rates: dict[str, list[float]] = {name: [] for name in runners}
    cpu_rates: dict[str, list[float]] = {name: [] for name in runners}
    for round_ in range(args.repeats):
        for name, run in runners.items():
            start, cpu = time.perf_counter(), time.process_time()
            done = run()
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            assert done == expected, (name, done, expected)
            rates[name].append(done / elapsed)
            cpu_rates[name].append(done / cpu)
        print(f"engine round {round_ + 1}/{args.repeats}: " + ", ".join(
            f"{r[-1]:,.0f}" for r in rates.values()) + " user tasks/s", flush=True)

    print(f"\n1. Engine in memory: SOP {sop.name}, {args.cases} cases, {expected} user tasks "
          f"a round (1 case in 10 revises once); user tasks/s over wall time (and over the "
          f"process's CPU time, less disturbed by other work on the machine), best and median "
          f"of {args.repeats} rounds after a warm-up of {warm} cases")
    for name, values in rates.items():
        print(f"  {name:<48} best {max(values):9,.0f}/s  median {statistics.median(values):9,.0f}"
              f"/s  (CPU: best {max(cpu_rates[name]):9,.0f}/s)")
    alur_name, _, spiff_name = runners
    ratio = max(rates[alur_name]) / max(rates[spiff_name])
    median_ratio = statistics.median(rates[alur_name]) / statistics.median(rates[spiff_name])
    cpu_ratio = max(cpu_rates[alur_name]) / max(cpu_rates[spiff_name])
    print(f"  {'ratio alur / SpiffWorkflow':<48} best {ratio:8.1f}x   median {median_ratio:8.1f}x"
          f"   (CPU: best {cpu_ratio:8.1f}x)   target >= {RATIO_TARGET}x  "
          f"{verdict(ratio >= RATIO_TARGET)}")
    print(f"  (the issue's reference: SpiffWorkflow ~{SPIFF_REFERENCE:,} user tasks/s in memory; "
          f"here {max(rates[spiff_name]):,.0f}/s on this procedure and machine)")


def alur_cases(definition, calendar, decisions: set[int], first: int, count: int,
               trace: bool = False) -> tuple[int, list[list[int]]]:
    """Run cases first..first+count to their end; the user tasks completed (and each case's
    steps with `trace`)."""
    from alur.engine import Case
    from alur.engine.calendar import JAKARTA

    base = dt.datetime(2025, 3, 3, 7, 45, tzinfo=JAKARTA)  # a Monday morning
    step = dt.timedelta(minutes=7)
    done, paths = 0, []
    for i in range(first, first + count):
        at = base + dt.timedelta(minutes=11 * i)
        case = Case(definition, calendar)
        case.start("pengelola", at)
        revise = i % 10 == 0
        path = []
        while True:
            tasks = case.open_tasks
            if not tasks:
                break
            task = tasks[0]
            decision = None
            if task.step in decisions:
                decision = "tidak" if revise else "ya"
                revise = False
            at += step
            case.complete(task.id, "pegawai", at, decision=decision)
            done += 1
            if trace:
                path.append(task.step)
        if trace:
            assert case.status == "finished"
            paths.append(path)
    return done, paths


def spiff_bpmn(sop) -> bytes:
    """alur's BPMN export, made runnable by SpiffWorkflow (see the docstring)."""
    from lxml import etree

    from alur.render.bpmn import BPMN, to_bpmn

    root = etree.fromstring(to_bpmn(sop).encode())
    for process in root.iter(f"{{{BPMN}}}process"):
        process.set("isExecutable", "true")
    for condition in root.iter(f"{{{BPMN}}}conditionExpression"):
        match = re.fullmatch(r"\$\{(.*)\}", (condition.text or "").strip())
        assert match, condition.text
        condition.text = match.group(1)
    return etree.tostring(root)


def spiff_spec(sop):
    from SpiffWorkflow.bpmn.parser import BpmnParser

    from alur.render.bpmn import ncname

    parser = BpmnParser()
    parser.add_bpmn_str(spiff_bpmn(sop))
    return parser.get_spec(ncname(sop.id))


def spiff_cases(spec, decisions: set[int], first: int, count: int,
                trace: bool = False) -> tuple[int, list[list[int]]]:
    """The same cases in SpiffWorkflow; alur's writer names a step's task `Step_<number>`."""
    from SpiffWorkflow.bpmn import BpmnWorkflow
    from SpiffWorkflow.util.task import TaskState

    gateways = {f"Step_{n}" for n in decisions}
    done, paths = 0, []
    for i in range(first, first + count):
        workflow = BpmnWorkflow(spec)
        workflow.do_engine_steps()
        revise = i % 10 == 0
        path = []
        while True:
            ready = workflow.get_tasks(state=TaskState.READY, manual=True)
            if not ready:
                break
            task = ready[0]
            if task.task_spec.bpmn_id in gateways:
                task.set_data(keputusan="tidak" if revise else "ya")
                revise = False
            task.run()
            workflow.do_engine_steps()
            done += 1
            if trace:
                path.append(int(task.task_spec.bpmn_id.removeprefix("Step_")))
        if trace:
            assert workflow.is_completed()
            paths.append(path)
    return done, paths


# --- workers: one process per database ----------------------------------------------------------

def database_url(admin: str, name: str) -> str:
    parts = urlsplit(admin)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def postgres(admin: str, statement: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(admin, autocommit=True) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


def run_worker(kind: str, db: str, args, url: str | None = None) -> dict:
    """Run `--worker kind` on a fresh temporary data dir (and DATABASE_URL `url`)."""
    data_dir = tempfile.mkdtemp(prefix=f"alur-bench-engine-{db}-")
    env = {**os.environ, "ALUR_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "alur.web.settings",
           "ALUR_DEBUG": ""}
    env.pop("DATABASE_URL", None)
    if url:
        env["DATABASE_URL"] = url
    command = [sys.executable, __file__, "--worker", kind, "--completions", str(args.completions),
               "--threads", str(args.threads), "--active", str(args.active),
               "--rounds", str(args.rounds),
               "--tasks", str(args.tasks), "--open-share", str(args.open_share),
               "--queries", str(args.queries), *(["--profile"] if args.profile else [])]
    try:
        return workers.collect(command, env, ROOT, f"{kind} {db}")
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)


def django_setup() -> str:
    """Set Django up on the worker's database, migrated; its name and version."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    return f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"


# --- 2. persisted completions -------------------------------------------------------------------

def persisted_part(args) -> None:
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {}
    for db in databases:
        if db == "sqlite":
            results[db] = run_worker("persisted", db, args)
            continue
        postgres(args.postgres, f"DROP DATABASE IF EXISTS {PERSISTED_DB} WITH (FORCE)")
        postgres(args.postgres, f"CREATE DATABASE {PERSISTED_DB}")
        try:
            results[db] = run_worker("persisted", db, args,
                                     database_url(args.postgres, PERSISTED_DB))
        finally:
            postgres(args.postgres, f"DROP DATABASE IF EXISTS {PERSISTED_DB} WITH (FORCE)")
    first = next(iter(results.values()))
    print(f"\n2. Persisted completions, one process, SOP Surat Keluar: {args.completions} "
          f"completions over {first['cases']} cases (round-robin), each one transaction "
          f"through services.complete, given the task row its case's previous step returned")
    for result in results.values():
        best = max(result["rate"], result["threaded_rate"])
        how = "one thread" if best == result["rate"] else f"{args.threads} threads"
        print(f"  {result['version']:<16} one thread {result['rate']:6,.0f}/s "
              f"(p50 {result['p50']:.2f} ms, p95 {result['p95']:.2f} ms), "
              f"{args.threads} threads {result['threaded_rate']:6,.0f}/s (median of "
              f"{', '.join(f'{r:,.0f}' for r in result['threaded_rates'])})  "
              f"target >= {PERSISTED_TARGET:,}/s in one process  "
              f"{verdict(best >= PERSISTED_TARGET)} ({how})")
    for result in results.values():
        print(f"\n  {result['version']}: {result['check']}.")
        for label, key in (("one thread", ""), (f"{args.threads} threads", "threaded_")):
            server = result[key + "server_ms"]
            backend = f" + the PostgreSQL backends {server:.2f} ms" if server else ""
            print(f"  CPU a completion, {label}: this process "
                  f"{result[key + 'cpu_ms']:.2f} ms{backend}; the hypervisor stole "
                  f"{result[key + 'steal']:.0%} of the machine's CPU time meanwhile")
        print(f"  one thread, for information: with the task read first through the ORM, as "
              f"the task page does, {result['lookup_rate']:,.0f}/s; without the snapshots "
              f"(each step replays its case), {result['replay_rate']:,.0f}/s")
        print(f"  start_case {result['start_rate']:,.0f} cases/s; snapshots reused in "
              f"{result['snapshot_share']:.0%} of the completions; statements (count, ms per "
              f"completion, one thread):")
        for label, count, ms in result["statements"]:
            print(f"    {count:5.2f}  {ms:6.3f} ms  {label}")
        if result.get("profile"):
            print(f"\n  {result['version']}: cProfile of {result['profiled']} completions "
                  f"(with the profiler's overhead):")
            print(result["profile"])


def persisted_worker(args) -> None:
    version_text = django_setup()
    import threading

    from django.contrib.auth import get_user_model
    from django.db import connection

    from alur.sop import load
    from alur.web.cases import services, store
    from alur.web.cases.models import Task
    from alur.web.cases.snapshots import snapshots
    from alur.web.library.services import add_sop, approve
    from alur.web.org.models import Assignment, Person, Unit

    author = get_user_model().objects.create_user("bench-penyusun")
    unit = Unit.objects.create(name="BAGIAN UMUM", kind=Unit.Kind.BIDANG, code="bagian-umum")
    version = add_sop(load(PROCEDURE).sop, unit, author)
    approve(version, author, effective=dt.date.today() - dt.timedelta(days=365))
    holders: dict[int, list] = {}
    for link in version.sop.actor_links.select_related("position"):
        for k in range(2):
            person = Person.objects.create(name=f"{link.position.name} {k + 1}")
            Assignment.objects.create(person=person, position=link.position,
                                      start=dt.date.today() - dt.timedelta(days=400))
            holders.setdefault(link.position_id, []).append(person)
    starter = holders[version.sop.actor_links.get(actor_id="pengelola").position_id]

    warmup, sample, lookups, profiled = 200, 300, 300, 300
    runs = warmup + (1 + args.rounds) * args.completions + 2 * sample + lookups + profiled
    count = runs // 6 + 2 * args.threads + 2  # a case has at least six tasks
    start = time.perf_counter()
    cases = [services.start_case(version, starter[i % 2]) for i in range(count)]
    start_rate = count / (time.perf_counter() - start)
    number = {case.pk: i for i, case in enumerate(cases)}
    # Round-robin over `--active` cases at a time; a finished case's place goes to the next.
    waiting = deque(case.opened[0] for case in cases[:args.active])
    pending = deque(case.opened[0] for case in cases[args.active:])

    def one(queue: deque, turn: int, fresh: deque | None = None) -> float:
        """Complete the next task in turn; its case's next task joins the queue (or, when the
        case is finished, the first task of a case not yet worked on). The seconds
        complete() took."""
        fresh = pending if fresh is None else fresh
        task = queue.popleft()
        decision = None
        if task.is_decision:
            decision = "tidak" if number[task.case_id] % 10 == 0 and task.round == 1 else "ya"
        person = holders[task.position_id][turn % 2]
        begin = time.perf_counter()
        case = services.complete(task, services.Actor(person), decision=decision)
        took = time.perf_counter() - begin
        queue.extend(case.opened)
        if not case.opened and fresh:
            queue.append(fresh.popleft())
        return took

    for turn in range(warmup):
        one(waiting, turn)
    # One thread.
    inside = []
    server = server_cpu()
    machine = cpu_times()
    start, began_cpu = time.perf_counter(), time.process_time()
    for turn in range(args.completions):
        inside.append(one(waiting, turn))
    elapsed, cpu = time.perf_counter() - start, time.process_time() - began_cpu
    stolen = steal_share(machine)
    server = server_cpu() - server
    rate = args.completions / elapsed
    print(f"one thread: {args.completions} completions in {elapsed:.2f} s: {rate:,.0f}/s",
          flush=True)

    # Threads: each its own connection and its own share of the running cases; `--rounds`
    # rounds (the machine's other work moves single figures), reported by their median.
    each = args.completions // args.threads
    threaded_rates: list[float] = []
    cpu_threaded = server_threaded = 0.0
    machine = cpu_times()
    for round_ in range(args.rounds):
        shares = [deque() for _ in range(args.threads)]
        fresh = [deque() for _ in range(args.threads)]
        for i, task in enumerate(waiting):
            shares[i % args.threads].append(task)
        for i, task in enumerate(pending):
            fresh[i % args.threads].append(task)
        servers: list[float] = [0.0] * args.threads
        ready = threading.Barrier(args.threads + 1)

        def worker(k: int, shares=shares, fresh=fresh, servers=servers, ready=ready) -> None:
            try:
                connection.ensure_connection()
                before = server_cpu()
                ready.wait()
                for turn in range(each):
                    one(shares[k], turn, fresh[k])
                servers[k] = server_cpu() - before
            finally:
                connection.close()

        threads = [threading.Thread(target=worker, args=(k,)) for k in range(args.threads)]
        for thread in threads:
            thread.start()
        ready.wait()
        start, began_cpu = time.perf_counter(), time.process_time()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        cpu_threaded += time.process_time() - began_cpu
        server_threaded += sum(servers)
        threaded_rates.append(each * args.threads / elapsed)
        print(f"{args.threads} threads, round {round_ + 1}/{args.rounds}: "
              f"{each * args.threads} completions in {elapsed:.2f} s: "
              f"{threaded_rates[-1]:,.0f}/s", flush=True)
        waiting = deque(task for share in shares for task in share)
        pending = deque(task for share in fresh for task in share)
    threaded_rate = statistics.median(threaded_rates)
    stolen_threaded = steal_share(machine)
    threaded_done = each * args.threads * args.rounds

    # The statements by name, over a further sample (the commit timed as one of them).
    statements: dict[str, list[float]] = {}
    execute = store._execute

    def timed(db, cursor, name, params):
        begin = time.perf_counter()
        try:
            return execute(db, cursor, name, params)
        finally:
            statements.setdefault(name, []).append(time.perf_counter() - begin)

    def commit_timed(execute_commit, *args_):
        begin = time.perf_counter()
        try:
            return execute_commit(*args_)
        finally:
            statements.setdefault("COMMIT", []).append(time.perf_counter() - begin)

    store._execute = timed
    original_commit = connection.commit
    connection.commit = lambda: commit_timed(original_commit)
    taken = [0]
    original_take = snapshots.take

    def counting_take(case_pk):
        snapshot = original_take(case_pk)
        taken[0] += snapshot is not None
        return snapshot

    snapshots.take = counting_take
    try:
        for turn in range(sample):
            one(waiting, turn)
    finally:
        store._execute = execute
        del connection.commit
        snapshots.take = original_take
    reused = taken[0] / sample
    rows = sorted(((label, len(t) / sample, sum(t) / sample * 1000)
                   for label, t in statements.items()), key=lambda r: -r[2])

    # For information: without the snapshots (every step replays its case's events), as when
    # a case's steps land on different processes.
    size = snapshots.size
    snapshots.size = 0
    snapshots.clear()
    start = time.perf_counter()
    for turn in range(sample):
        one(waiting, turn)
    replay_rate = sample / (time.perf_counter() - start)
    snapshots.size = size

    # For information: the task read through the ORM first, as the task page reads it.
    open_task = Task.objects.filter(status=Task.Status.OPEN)
    start = time.perf_counter()
    for turn in range(lookups):
        held = waiting.popleft()
        waiting.appendleft(open_task.get(case_id=held.case_id))
        one(waiting, turn)
    lookup_rate = lookups / (time.perf_counter() - start)

    completed = args.completions + threaded_done
    result = {
        "version": version_text, "cases": count, "rate": rate,
        "threaded_rate": threaded_rate, "lookup_rate": lookup_rate,
        "replay_rate": replay_rate,
        "p50": statistics.median(inside) * 1000,
        "p95": statistics.quantiles(inside, n=20, method="inclusive")[18] * 1000,
        "start_rate": start_rate, "cpu_ms": cpu / args.completions * 1000,
        "server_ms": server / args.completions * 1000,
        "threaded_cpu_ms": cpu_threaded / threaded_done * 1000,
        "threaded_server_ms": server_threaded / threaded_done * 1000,
        "threaded_rates": threaded_rates, "steal": stolen, "threaded_steal": stolen_threaded,
        "statements": rows, "snapshot_share": reused,
    }
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        for turn in range(profiled):
            one(waiting, turn)
        profiler.disable()
        result["profile"], result["profiled"] = profile_text(profiler, profiled), profiled
    # Everything measured was real work: every chain verifies, every task row is accounted.
    from alur.web.cases.audit import verify
    from alur.web.cases.models import Case, Event

    problems = list(verify())
    assert not problems, problems[:3]
    result["check"] = (f"{completed:,} timed completions; {Event.objects.count():,} events in "
                       f"{Case.objects.count()} cases "
                       f"({Case.objects.filter(status=Case.Status.FINISHED).count()} finished), "
                       f"{Task.objects.count():,} task rows; every hash chain verifies")
    workers.report(result)


def cpu_times() -> tuple[float, float]:
    """(all CPU time, time stolen by the hypervisor) of the machine so far, from /proc/stat:
    on a shared virtual machine the steal share says how much of a slow figure is the host's
    other guests."""
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return math.nan, math.nan
    steal = fields[7] if len(fields) > 7 else 0
    return sum(fields[:8]), steal


def steal_share(before: tuple[float, float]) -> float:
    total, steal = cpu_times()
    return (steal - before[1]) / max(total - before[0], 1)


def server_cpu() -> float:
    """CPU seconds used so far by this connection's PostgreSQL backend (0 for SQLite, which
    runs inside this process); read from /proc, as the server runs on this machine."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return 0.0
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return math.nan
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def profile_text(profiler: cProfile.Profile, count: int) -> str:
    """alur's functions by cumulative time, then every function by its own time; both in ms
    per completion (the profiler's overhead included)."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    src = str(ROOT / "src") + "/"

    def name(key: tuple) -> str:
        path, line, function = key
        path = re.sub(r".*/site-packages/", "", path).replace(src, "")
        return f"{path}:{line}({function})"

    ours = sorted(((ct, nc, name(k)) for k, (_, nc, _tt, ct, _) in stats.items()
                   if k[0].startswith(src)), reverse=True)[:22]
    own = sorted(((tt, nc, name(k)) for k, (_, nc, tt, _ct, _) in stats.items()),
                 reverse=True)[:15]
    lines = ["    alur's code, cumulative ms per completion (calls per completion):"]
    lines += [f"    {ct / count * 1000:8.2f} ms  {nc / count:6.1f}  {label}"
              for ct, nc, label in ours]
    lines.append("    every function, own time in ms per completion (calls per completion):")
    lines += [f"    {tt / count * 1000:8.2f} ms  {nc / count:6.1f}  {label}"
              for tt, nc, label in own]
    return "\n".join(lines)


# --- 3. "Tugas saya" with a million tasks -------------------------------------------------------

def inbox_part(args) -> None:
    url = database_url(args.postgres, INBOX_DB)
    exists = postgres(args.postgres, f"SELECT 1 FROM pg_database WHERE datname = '{INBOX_DB}'")
    if exists and not args.reuse:
        postgres(args.postgres, f"DROP DATABASE {INBOX_DB} WITH (FORCE)")
    if not exists or not args.reuse:
        postgres(args.postgres, f"CREATE DATABASE {INBOX_DB}")
    try:
        result = run_worker("inbox", "postgres", args, url)
    finally:
        if not args.reuse:
            postgres(args.postgres, f"DROP DATABASE IF EXISTS {INBOX_DB} WITH (FORCE)")
    print(f"\n3. \"Tugas saya\" on {result['version']}: {result['data']}")
    print(f"  my_open_tasks(person)[:50], {args.queries} random people (of {result['people']}): "
          f"p50 {result['p50']:.1f} ms  p95 {result['p95']:.1f} ms  max {result['max']:.1f} ms  "
          f"target p95 < {INBOX_TARGET} ms  {verdict(result['p95'] < INBOX_TARGET)}")
    print(f"  of which in the database driver (both queries, the positions held and the page): "
          f"p50 {result['sql_p50']:.1f} ms")
    print(f"  rows on the page: median {result['rows_median']:.0f}, a full page of 50 for "
          f"{result['full_pages']} of {args.queries} people; "
          f"{'reused the loaded database' if result['reused'] else 'loaded in ' + result['load']}")
    print(f"  slowest query {result['slowest_ms']:.1f} ms (a person holding "
          f"{result['slowest_positions']} position(s), {result['slow_visible']:,} open tasks "
          f"visible); the heaviest inbox (a holder of the "
          f"position with the most open tasks: {result['heavy_visible']:,} visible, "
          f"{result['heavy_positions']} position(s)) takes {result['heavy_ms']:.1f} ms "
          f"(median of 11)")
    print("\n  EXPLAIN ANALYZE of the heaviest inbox's query:")
    print("\n".join("    " + line for line in result["explain"].splitlines()))
    print("\n  EXPLAIN ANALYZE of the slowest person's query, run again:")
    print("\n".join("    " + line for line in result["slow_explain"].splitlines()))


def inbox_worker(args) -> None:
    version_text = django_setup()
    from django.db import connection

    from alur.web.cases.models import Task
    from alur.web.cases.queries import my_open_tasks
    from alur.web.org.models import Assignment, Person

    wanted = json.dumps({"tasks": args.tasks, "open_share": args.open_share,
                         "loader": LOADER_VERSION}, sort_keys=True)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS alur_bench_meta (params text)")
        cursor.execute("SELECT params FROM alur_bench_meta")
        found = cursor.fetchone()
    reused = found is not None and found[0] == wanted
    load_text = ""
    if not reused:
        if Task.objects.exists() or Person.objects.exists():
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)
        start = time.perf_counter()
        steps = load_inbox(args.tasks, args.open_share)
        load_text = f"{time.perf_counter() - start:.0f} s ({steps})"
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM alur_bench_meta")
            cursor.execute("INSERT INTO alur_bench_meta VALUES (%s)", [wanted])
        print(f"loaded in {load_text}", flush=True)

    tasks = Task.objects.count()
    open_ = Task.objects.filter(status=Task.Status.OPEN).count()
    claimed = Task.objects.filter(status=Task.Status.OPEN, assignee__isnull=False).count()
    from alur.web.cases.models import Case
    from alur.web.org.models import Position

    data = (f"{tasks:,} tasks ({open_:,} open, {claimed:,} of them claimed) in "
            f"{Case.objects.count():,} cases, {Position.objects.count():,} positions, "
            f"{Person.objects.count():,} people, {Assignment.objects.count():,} assignments")
    people = list(Person.objects.all())
    rng = random.Random(11)
    chosen = [rng.choice(people) for _ in range(args.queries)]
    for person in chosen[:30]:  # warm-up: the connection, the plan, the cache
        list(my_open_tasks(person)[:50])
    timings, rows, slowest, sql = [], [], (-1.0, None), []

    def wrapper(execute, statement, params, many, context):
        begin = time.perf_counter()
        try:
            return execute(statement, params, many, context)
        finally:
            sql[-1] += time.perf_counter() - begin

    for person in chosen:
        sql.append(0.0)
        start = time.perf_counter()
        with connection.execute_wrapper(wrapper):
            page = list(my_open_tasks(person)[:50])
        elapsed = (time.perf_counter() - start) * 1000
        timings.append(elapsed)
        rows.append(len(page))
        if elapsed > slowest[0]:
            slowest = (elapsed, person)
    # The heaviest inbox: a holder of the position with the most open unclaimed tasks.
    from django.db.models import Count

    from alur.web.cases.routing import positions_held

    busiest = (Task.objects.filter(status=Task.Status.OPEN, assignee__isnull=True)
               .values("position_id").annotate(n=Count("pk")).order_by("-n").first())
    heavy = Person.objects.filter(assignments__position_id=busiest["position_id"],
                                  assignments__end__isnull=True).first()
    heavy_ms = []
    for _ in range(11):
        start = time.perf_counter()
        list(my_open_tasks(heavy)[:50])
        heavy_ms.append((time.perf_counter() - start) * 1000)
    visible = my_open_tasks(heavy).count()
    explain = my_open_tasks(heavy)[:50].explain(analyze=True, buffers=True)
    slow_explain = my_open_tasks(slowest[1])[:50].explain(analyze=True, buffers=True)
    slow_visible = my_open_tasks(slowest[1]).count()
    result = {
        "version": version_text, "data": data, "people": len(people), "reused": reused,
        "load": load_text, "p50": statistics.median(timings),
        "p95": statistics.quantiles(timings, n=20, method="inclusive")[18],
        "max": max(timings), "rows_median": statistics.median(rows),
        "sql_p50": statistics.median(sql) * 1000,
        "full_pages": sum(r == 50 for r in rows), "slowest_ms": slowest[0],
        "slowest_positions": len(positions_held(slowest[1], dt.date.today())),
        "heavy_ms": statistics.median(heavy_ms), "heavy_visible": visible,
        "heavy_positions": len(positions_held(heavy, dt.date.today())), "explain": explain,
        "slow_explain": slow_explain, "slow_visible": slow_visible,
    }
    workers.report(result)


UNITS = 200
OTHER_POSITIONS = ["Sekretaris", "Bendahara"]  # no Surat Keluar tasks


def task_templates() -> dict[bool, list[tuple]]:
    """The task rows of a straight case and of a revising one, from the engine itself:
    (key, step, round, actor id, actor name, activity, is decision, decision, minutes)."""
    from alur.engine import Case, Definition
    from alur.engine.calendar import JAKARTA
    from alur.sop import load

    definition = Definition.from_sop(load(PROCEDURE).sop)
    templates = {}
    for revise in (False, True):
        case = Case(definition)
        at = dt.datetime(2025, 3, 3, 8, tzinfo=JAKARTA)
        case.start("x", at)
        rows, pending = [], revise
        while case.open_tasks:
            task = case.open_tasks[0]
            spec = definition.step(task.step)
            decision = None
            if spec.is_decision:
                decision, pending = ("tidak" if pending else "ya"), False
            rows.append((task.id, task.step, task.round, task.actor,
                         definition.actor_names[task.actor], spec.activity, spec.is_decision,
                         decision or "", spec.minutes or 0))
            case.complete(task.id, "x", at, decision=decision)
        templates[revise] = rows
    return templates


def load_inbox(total: int, open_share: float) -> str:
    """Units, SOPs, positions, people, then cases and tasks by COPY; returns the timings."""
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from alur.engine.calendar import WorkingCalendar
    from alur.sop import load
    from alur.web.cases.models import Case, Task
    from alur.web.library.services import add_sop, approve
    from alur.web.org.models import Assignment, Person, Position, Unit

    rng = random.Random(2025)
    timings = {}
    clock = time.perf_counter()
    today = dt.date.today()
    sop = load(PROCEDURE).sop
    author = get_user_model().objects.create_user("bench-penyusun")
    with transaction.atomic():
        root = Unit.objects.create(name="PEMERINTAH KABUPATEN CONTOH",
                                   kind=Unit.Kind.PEMERINTAH, code="pemkab-contoh")
        units = Unit.objects.bulk_create([
            Unit(name=f"BAGIAN {k + 1:03d}", kind=Unit.Kind.BIDANG, parent=root,
                 code=f"bagian-{k + 1:03d}") for k in range(UNITS)])
        versions = []
        for unit in units:
            version = add_sop(sop, unit, author)
            approve(version, author, effective=today - dt.timedelta(days=800))
            versions.append(version)
        Position.objects.bulk_create([Position(unit=unit, name=name) for unit in units
                                      for name in OTHER_POSITIONS])
        positions = list(Position.objects.all())
        people: list[Person] = []
        holding: list[tuple[int, int, str, dt.date, dt.date | None]] = []  # person, position
        for position in positions:
            for _ in range(rng.choice([1, 1, 2, 2, 3, 4])):
                people.append(Person(name=f"Pegawai {len(people) + 1:05d}"))
                holding.append((len(people) - 1, position.pk, Assignment.Kind.DEFINITIF,
                                today - dt.timedelta(days=rng.randrange(30, 3000)), None))
            if rng.random() < 0.1:  # a former holder, moved elsewhere
                people.append(Person(name=f"Pegawai {len(people) + 1:05d}"))
                holding.append((len(people) - 1, position.pk, Assignment.Kind.DEFINITIF,
                                today - dt.timedelta(days=3000), today - dt.timedelta(days=90)))
        for index in range(len(people)):
            if rng.random() < 0.05:  # an acting official: a second position for now
                holding.append((index, rng.choice(positions).pk, Assignment.Kind.PLT,
                                today - dt.timedelta(days=rng.randrange(1, 60)), None))
        Person.objects.bulk_create(people, batch_size=2000)
        Assignment.objects.bulk_create([
            Assignment(person=people[p], position_id=pos, kind=kind, start=start, end=end)
            for p, pos, kind, start, end in holding], batch_size=2000)
    holders: dict[int, list[int]] = {}
    for p, pos, _kind, _start, end in holding:
        if end is None:
            holders.setdefault(pos, []).append(people[p].pk)
    links = {(version.pk, link.actor_id): link.position_id for version in versions
             for link in version.sop.actor_links.all()}
    timings["organisation"] = time.perf_counter() - clock

    # Plan the cases: running ones (one open task each) until the open share, then finished.
    clock = time.perf_counter()
    templates = task_templates()
    weights = [1 / (rank + 1) ** 0.8 for rank in range(UNITS)]
    rng.shuffle(weights)
    cumulative = [sum(weights[:k + 1]) for k in range(UNITS)]
    wanted_open = max(round(total * open_share), 1)
    plans: list[tuple[bool, int | None]] = []  # (revises, index of the open task or None)
    for _ in range(wanted_open - 1):
        revise = rng.random() < 0.1
        plans.append((revise, rng.randrange(len(templates[revise]))))
    planned = sum(open_at + 1 for _, open_at in plans)
    while True:
        revise = rng.random() < 0.1
        if total - planned - len(templates[revise]) < 1:
            break
        plans.append((revise, None))
        planned += len(templates[revise])
    left = total - planned  # 1 to 8 tasks: the last running case, a revising one
    assert 1 <= left <= len(templates[True]), left
    plans.append((True, left - 1))
    units_of = rng.choices(range(UNITS), cum_weights=cumulative, k=len(plans))
    rng.shuffle(plans)

    now = dt.datetime.now(dt.UTC)
    calendar = WorkingCalendar()
    case_rows, task_specs = [], []
    for number, ((revise, open_at), v) in enumerate(zip(plans, units_of, strict=True), start=1):
        version = versions[v]
        running = open_at is not None
        back = dt.timedelta(minutes=rng.randrange(60, 30 * 24 * 60)) if running else \
            dt.timedelta(days=rng.randrange(31, 730), minutes=rng.randrange(0, 24 * 60))
        started = now - back
        template = templates[revise][:open_at + 1] if running else templates[revise]
        # Each task takes between ten minutes and three days; running cases end now.
        gaps = [rng.randrange(10, 3 * 24 * 60) for _ in template]
        if running:
            spare = back.total_seconds() / 60
            scale = min(1.0, spare / max(sum(gaps[:-1]), 1) * 0.9)
            gaps = [max(1, int(g * scale)) for g in gaps]
        initiator = rng.choice(holders[links[version.pk, "pengelola"]])
        ready = started
        times = []
        for gap in gaps:
            times.append((ready, ready + dt.timedelta(minutes=gap)))
            ready += dt.timedelta(minutes=gap)
        ended = None if running else times[-1][1]
        case_rows.append({
            "id": number, "public_id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "title": f"{version.name} — kasus {number}", "version_id": version.pk,
            "sop_id": version.sop_id, "unit_id": version.sop.unit_id,
            "initiator_id": initiator, "status": "running" if running else "finished",
            "parent_task_id": None, "started_at": started, "ended_at": ended,
            "event_count": 0, "head_hash": ""})
        task_specs.append((number, version.pk, template, times, running, initiator))
    timings["plan"] = time.perf_counter() - clock

    clock = time.perf_counter()
    case_columns, case_defaults = copy_columns(Case, case_rows[0])
    with transaction.atomic(), connection.cursor() as cursor:
        raw = cursor.cursor
        raw.execute("SET LOCAL session_replication_role = replica")  # no FK triggers
        with raw.copy(f"COPY {Case._meta.db_table} ({', '.join(case_columns)}) "
                      "FROM STDIN") as copy:
            for row in case_rows:
                row.update(case_defaults)
                copy.write_row([row[c] for c in case_columns])
        rows = task_rows(task_specs, templates, links, holders, calendar, rng)
        first = next(rows)
        task_columns, task_defaults = copy_columns(Task, first)
        with raw.copy(f"COPY {Task._meta.db_table} ({', '.join(task_columns)}) "
                      "FROM STDIN") as copy:
            for row in itertools.chain([first], rows):
                row.update(task_defaults)
                copy.write_row([row[c] for c in task_columns])
        cursor.execute(f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), "
                       f"(SELECT max(id) FROM {Case._meta.db_table}))")
    timings["copy"] = time.perf_counter() - clock

    clock = time.perf_counter()
    task, case = Task._meta.db_table, Case._meta.db_table
    with connection.cursor() as cursor:
        for sql in (f"SELECT count(*) FROM {task} t LEFT JOIN {case} c ON c.id = t.case_id "
                    "WHERE c.id IS NULL",
                    f"SELECT count(*) FROM {task} t LEFT JOIN {Position._meta.db_table} p "
                    "ON p.id = t.position_id WHERE p.id IS NULL",
                    f"SELECT count(*) FROM {task} t LEFT JOIN {Person._meta.db_table} p "
                    "ON p.id = t.assignee_id WHERE t.assignee_id IS NOT NULL AND p.id IS NULL"):
            cursor.execute(sql)
            assert cursor.fetchone()[0] == 0, sql
        cursor.execute(f"VACUUM ANALYZE {case}")
        cursor.execute(f"VACUUM ANALYZE {task}")
        cursor.execute("ANALYZE")
    timings["check+vacuum"] = time.perf_counter() - clock
    return ", ".join(f"{name} {seconds:.0f} s" for name, seconds in timings.items())


def copy_columns(model, row: dict) -> tuple[list[str], dict]:
    """The model's columns for COPY, and the defaults of those the generated rows leave out
    (a column added to the model since this was written; its default must be a constant)."""
    columns = [f.column for f in model._meta.concrete_fields if f.column in row or
               f.column != "id"]
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column not in row and field.column != "id":
            assert not callable(field.default), (model, field.column)
            defaults[field.column] = field.get_db_prep_save(field.get_default(), None)
    return columns, defaults


def task_rows(specs, templates, links, holders, calendar, rng):
    """Every task row of every planned case, as column → value."""
    for number, version_pk, template, times, running, _initiator in specs:
        last = len(template) - 1
        for index, (key, step, round_, actor, actor_name, activity, is_decision, decision,
                    minutes) in enumerate(template):
            position = links[version_pk, actor]
            people_here = holders[position]
            ready, done = times[index]
            is_open = running and index == last
            if is_open:
                due = calendar.add_working_minutes(ready, minutes)
            else:
                due = ready + dt.timedelta(minutes=minutes)
            claimed = rng.random() < 0.2
            assignee = rng.choice(people_here) if claimed else None
            done_by = None if is_open else (assignee or rng.choice(people_here))
            yield {
                "public_id": uuid.UUID(int=rng.getrandbits(128), version=4), "case_id": number,
                "key": key, "step": step, "round": round_, "actor_id": actor,
                "actor_name": actor_name, "activity": activity, "is_decision": is_decision,
                "position_id": position, "assignee_id": assignee,
                "status": "open" if is_open else "done", "ready_at": ready, "due_at": due,
                "claimed_at": ready if claimed else None, "done_at": None if is_open else done,
                "done_by_id": done_by, "decision": "" if is_open else decision, "calls": "",
                "unroutable": False, "overdue_notified_at": None}


if __name__ == "__main__":
    main()
