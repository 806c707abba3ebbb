"""Speed of the reports, run by hand: `.venv/bin/python benchmarks/reports.py`, options
`[--db sqlite|postgres|both] [--sops 200] [--tasks 1000000] [--repeats 5] [--cache-seconds 0]`.

Target (issue 13): the dashboard of a unit with 200 SOPs and 1,000,000 finished tasks renders
in < 1 s on PostgreSQL and < 2 s on SQLite, uncached (ALUR_REPORT_CACHE_SECONDS=0, the
default here: the five-minute cache must not be what meets the target).

Each database gets a fresh store (SQLite: a file in a temporary ALUR_DATA_DIR; PostgreSQL: a
database created on postgres@127.0.0.1:5432 and dropped afterwards) and its own process, as in
benchmarks/web.py. One unit gets `--sops` SOPs of eight steps with time standards (added and
approved through the library's services), then finished cases of eight tasks each are
bulk-created, spread over the last twelve months (so every task falls in the dashboard's
default period), with working minutes around each step's standard, a due time, a position.
The rows are written past the case services, so the reports' rollup is then rebuilt
(`rollup.rebuild`, as `rebuild_report_rollup` does; its time is printed). PostgreSQL is
ANALYZEd after loading.

First the figures are timed one by one, "q ..." rows: the exact ones over the task rows
(window functions sorting every sample: what the dashboard did before the rollup, timed once
at --tasks over 100,000) and the same from the rollup (what the dashboard does now). Then the
dashboard, one SOP's heat map (exact figures of one SOP), the cases behind a step and the
unit's API figures (exact) are requested through Django's test client as a superuser. The
first request of each is "cold" (the process's one-time start: templates, translations, the
SOPs' standards); the others are "warm" — with --cache-seconds 0 nothing is cached but those
standards. Times are in-process (no HTTP). Results vary 2-3x with the load of the shared
machine.

Measured on the quiet 2-core machine (warm medians, uncached), 100,000 → 1,000,000 tasks:
dashboard SQLite 207 → 387 ms, PostgreSQL 101 → 168 ms (before the rollup: ~5 s PG / ~35 s
SQLite at 1M under load; its exact queries alone, steps + summary, 489 → 5,438 ms SQLite and
205 → 2,173 ms PostgreSQL). The rollup's cost follows its rows (SOP steps × the days at the
period's two ends + the months between), not the tasks; its rebuild takes 14.6 s (SQLite) and
7.1 s (PostgreSQL) at 1M.
"""

from __future__ import annotations

import argparse
import random
import signal
import statistics
import sys
import time
import uuid

import workers

TARGETS_MS = {"sqlite": 2000, "postgres": 1000}
STEPS = 8
TIMES = ["5 menit", "10 menit", "15 menit", "30 menit", "1 jam", "2 jam", "1 hari"]


def main() -> None:
    parser = argparse.ArgumentParser(description="Reports speed (see the docstring).")
    parser.add_argument("--db", choices=["sqlite", "postgres", "both"], default="both")
    parser.add_argument("--sops", type=int, default=200)
    parser.add_argument("--tasks", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--cache-seconds", type=int, default=0)
    parser.add_argument("--worker", choices=["sqlite", "postgres"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        worker(args.sops, args.tasks, args.repeats, args.cache_seconds)
        return
    for number in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(number, lambda *_: sys.exit("interrupted"))
    databases = ["sqlite", "postgres"] if args.db == "both" else [args.db]
    results = {db: run_worker(db, args) for db in databases}
    print()
    print(f"Unit of {args.sops} SOPs, {args.tasks:,} finished tasks; dashboard targets: "
          f"< {TARGETS_MS['postgres']} ms PostgreSQL, < {TARGETS_MS['sqlite']} ms SQLite "
          f"(report cache: {args.cache_seconds} s)")
    for db, result in results.items():
        print(f"\n{db} ({result['version']}): generated in {result['generate_s']:.0f} s, "
              f"rollup rebuilt in {result['rollup_s']:.1f} s")
        for name, times in result["rows"].items():
            cold, warm = times[0], statistics.median(times[1:] or times)
            mark = ""
            if name == "dashboard":
                mark = "  ok" if warm < TARGETS_MS[db] else "  OVER TARGET"
            print(f"  {name:<12} cold {cold:8.0f} ms   warm (median) {warm:8.0f} ms{mark}")


def run_worker(db: str, args: argparse.Namespace) -> dict:
    return workers.run_in_scratch_store(__file__, db, "reports", [
        "--sops", str(args.sops), "--tasks", str(args.tasks), "--repeats", str(args.repeats),
        "--cache-seconds", str(args.cache_seconds)])


def worker(sops: int, tasks: int, repeats: int, cache_seconds: int) -> None:
    import django

    django.setup()
    from django.conf import settings

    settings.ALUR_REPORT_CACHE_SECONDS = cache_seconds
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    unit, sop_ids = generate(sops, tasks)
    generate_s = time.perf_counter() - start
    from alur.web.reports.rollup import rebuild

    start = time.perf_counter()
    days = rebuild()
    rollup_s = time.perf_counter() - start
    print(f"rollup rebuilt in {rollup_s:.1f} s ({days:,} day rows)", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    version = f"SQLite {connection.Database.sqlite_version}" if connection.vendor == "sqlite" \
        else f"PostgreSQL {connection.pg_version // 10000}.{connection.pg_version % 10000}"
    rows = measure(unit, sop_ids, repeats, tasks)
    workers.report({"version": version, "generate_s": generate_s, "rollup_s": rollup_s,
                    "rows": rows})


def _document(i: int):
    from alur.sop import from_data

    steps = []
    for n in range(1, STEPS + 1):
        step = {"number": n, "activity": f"Kegiatan {n} prosedur {i}",
                "actors": ["pemohon" if n == 1 else f"petugas-{n % 3}"],
                "time": TIMES[(i + n) % len(TIMES)]}
        if n == 1:
            step["kind"] = "start"
        if n == STEPS:
            step["kind"] = "end"
        steps.append(step)
    data = {"format": "alur-sop/1", "id": f"prosedur-{i}", "name": f"PROSEDUR UJI {i}",
            "actors": [{"id": "pemohon", "name": "Pemohon", "applicant": True},
                       {"id": "petugas-0", "name": "Petugas A"},
                       {"id": "petugas-1", "name": "Petugas B"},
                       {"id": "petugas-2", "name": "Petugas C"}],
            "steps": steps}
    result = from_data(data)
    assert result.sop is not None, result.findings
    return result.sop


def generate(sop_count: int, task_count: int):
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from alur.analysis import standard_time
    from alur.web.cases.models import Case, Task
    from alur.web.demo import unit_chain
    from alur.web.library.services import add_sop, approve
    from alur.web.org.models import Person, Position

    unit = unit_chain(["PEMERINTAH KABUPATEN UJI", "DINAS UJI"])
    author = get_user_model().objects.create_user("penulis", password="x")
    person = Person.objects.create(name="Pemohon Uji")
    positions = [Position.objects.create(unit=unit, name=f"Petugas {c}") for c in "ABC"]
    t = time.perf_counter()
    sops = []
    for i in range(sop_count):
        document = _document(i)
        version = add_sop(document, unit, author)
        approve(version, author, effective=dt.date.today() - dt.timedelta(days=400))
        minutes = standard_time(document).step_minutes
        sops.append((version, [minutes[n].max for n in range(1, STEPS + 1)]))
    print(f"{sop_count} SOPs added and approved in {time.perf_counter() - t:.1f} s", flush=True)

    rng = random.Random(13)
    now = timezone.now()
    cases_total = task_count // STEPS
    t = time.perf_counter()
    case_table = _Insert(Case, ["id", "public_id", "title", "version_id", "sop_id", "unit_id",
                                "initiator_id", "status", "started_at", "ended_at",
                                "event_count", "head_hash"])
    task_table = _Insert(Task, ["public_id", "case_id", "key", "step", "round", "actor_id",
                                "actor_name", "activity", "is_decision", "position_id",
                                "status", "ready_at", "due_at", "claimed_at", "done_at",
                                "decision", "calls", "unroutable", "work_minutes",
                                "wait_minutes"])
    next_id = (Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    batch = 2000
    for made in range(0, cases_total, batch):
        cases, tasks = [], []
        for k in range(min(batch, cases_total - made)):
            version, standards = sops[(made + k) % len(sops)]
            case_id = next_id + made + k
            moment = now - dt.timedelta(minutes=rng.randrange(5 * 24 * 60, 360 * 24 * 60))
            cases.append((case_id, uuid.uuid4(), f"Kasus {made + k}", version.pk,
                          version.sop_id, unit.pk, person.pk, "finished", moment, moment,
                          0, ""))
            for n in range(1, STEPS + 1):
                limit = standards[n - 1]
                minutes = max(1, int(limit * rng.lognormvariate(0, 0.6)))
                done = moment + dt.timedelta(minutes=minutes)
                tasks.append((uuid.uuid4(), case_id, f"{n}.1", n, 1, "petugas", "Petugas",
                              "x", False, positions[n % 3].pk, "done", moment,
                              moment + dt.timedelta(minutes=limit), moment, done, "", "",
                              False, minutes, min(minutes, rng.randrange(0, 30))))
                moment = done
        with transaction.atomic():
            case_table.write(cases)
            task_table.write(tasks)
        if (made // batch) % 10 == 9:
            print(f"  {(made + batch) * STEPS:,} tasks ({time.perf_counter() - t:.0f} s)",
                  flush=True)
    _reset_sequences(Case)
    return unit, [version.sop.public_id for version, _ in sops]


class _Insert:
    """Plain INSERTs of many rows (Django's bulk_create builds a model instance per row,
    which would make generating a million tasks take many minutes)."""

    def __init__(self, model, columns: list[str]) -> None:
        from django.db import connection

        self.connection = connection
        fields = [model._meta.get_field(c) for c in columns]
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {model._meta.db_table} ({names}) VALUES ({marks})"
        self.kinds = [f.get_internal_type() for f in fields]

    def _value(self, kind: str, value):
        if kind == "DateTimeField":
            return self.connection.ops.adapt_datetimefield_value(value)
        if kind == "UUIDField" and self.connection.vendor != "postgresql":
            return value.hex
        return value

    def write(self, rows: list[tuple]) -> None:
        with self.connection.cursor() as cursor:
            cursor.executemany(self.sql, [tuple(self._value(k, v) for k, v in
                                                zip(self.kinds, row, strict=True))
                                          for row in rows])


def _reset_sequences(model) -> None:
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [model]):
            cursor.execute(statement)


def _parts(unit, repeats: int, tasks: int) -> dict[str, list[float]]:
    """The dashboard's queries one by one: exact over the task rows, and from the rollup."""
    from alur.web.reports import queries

    start, end = queries.bounds(*queries.period(None, None))
    filters = queries.Filters(frozenset(unit.descendant_ids()), start, end)
    parts = {"q steps exact": lambda: queries.step_figures(filters, waiting=False),
             "q sum. exact": lambda: queries.summary(filters),
             "q steps rollup": lambda: queries.step_figures(filters, waiting=False, rollup=True),
             "q sum. rollup": lambda: queries.summary(filters, rollup=True),
             "q unit": lambda: queries.unit_figures(filters)}
    rows = {}
    for name, part in parts.items():
        times = []
        for _ in range(1 if "exact" in name and tasks > 100_000 else repeats):
            begin = time.perf_counter()
            part()
            times.append((time.perf_counter() - begin) * 1000)
        rows[name] = times
    return rows


def measure(unit, sop_ids, repeats: int, tasks: int) -> dict[str, list[float]]:
    from django.contrib.auth import get_user_model
    from django.test import Client

    from alur.web.api.models import ApiToken

    admin = get_user_model().objects.create_superuser("admin", password="x")
    client = Client(headers={"Authorization": f"Bearer {ApiToken.issue(admin, 'uji')[1]}"})
    client.force_login(admin)
    urls = {"dashboard": f"/laporan/unit/{unit.pk}/",
            "heat map": f"/laporan/unit/{unit.pk}/sop/{sop_ids[0]}/",
            "cases": f"/laporan/unit/{unit.pk}/kasus/?sop={sop_ids[0]}&langkah=3",
            "API": f"/api/reports/units/{unit.pk}"}
    rows: dict[str, list[float]] = {}
    rows.update(_parts(unit, repeats, tasks))
    for name, url in urls.items():
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            times.append((time.perf_counter() - start) * 1000)
        rows[name] = times
    return rows


if __name__ == "__main__":
    main()
