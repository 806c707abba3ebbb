"""Helpers shared by the test_cases_* modules: small SOPs made on the spot, people holding
positions, and running a case to its end through the services."""

from __future__ import annotations

import datetime as dt
from collections import Counter

import pytest
from django.utils import timezone

from alur.sop import from_data
from alur.web.cases import services, workcalendar
from alur.web.cases.models import Case, Task
from alur.web.cases.snapshots import snapshots
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Assignment, Person, Position

YEAR_AGO = timezone.localdate() - dt.timedelta(days=365)


@pytest.fixture(autouse=True)
def _cases_environment(settings):
    """Fast password hashing (the tests make many accounts), and caches that do not leak from
    one test to the next: database ids are reused after a rollback, the caches live on."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    services._definitions.clear()
    workcalendar.forget()
    snapshots.clear()
    yield
    services._definitions.clear()
    workcalendar.forget()
    snapshots.clear()


def small_sop(sop_id: str, steps: list[dict], actors: dict[str, str] | None = None,
              name: str | None = None):
    """An `alur-sop/1` model from a few steps; `actors` maps id → name (default: every actor
    named in the steps, titled)."""
    if actors is None:
        ids = dict.fromkeys(a for s in steps for a in s.get("actors", []))
        actors = {a: a.replace("-", " ").title() for a in ids}
    data = {"format": "alur-sop/1", "id": sop_id, "name": name or sop_id.upper(),
            "actors": [{"id": a, "name": n} for a, n in actors.items()], "steps": steps}
    result = from_data(data)
    assert result.sop is not None, result.findings
    return result.sop


def add_approved(document, unit, author, effective: dt.date = YEAR_AGO):
    version = add_sop(document, unit, author)
    approve(version, author, effective=effective)
    version.refresh_from_db()
    return version


def make_person(user_factory, username: str, unit, *, role: str = "pegawai",
                positions=(), email: str | None = None, kind: str = "definitif",
                start: dt.date = YEAR_AGO, end: dt.date | None = None, **user_extra) -> Person:
    """An account with a role in `unit`, its Person and (optionally) positions held."""
    user = user_factory(username, role, unit, **user_extra)
    person = Person.objects.create(user=user, name=username.title(),
                                   email=f"{username}@contoh.go.id" if email is None else email)
    for position in positions:
        Assignment.objects.create(person=person, position=position, kind=kind, start=start,
                                  end=end)
    return person


def position_of(version, actor_id: str) -> Position:
    return version.sop.actor_links.get(actor_id=actor_id).position


def acting_person(task: Task, case: Case, people: dict[str, Person]) -> Person:
    """Who does a task in these tests: the initiator for applicant actors, else the person
    holding the actor's position."""
    if task.actor_id in services.definition_for(case.version_id).applicants:
        return case.initiator
    return people[task.actor_id]


def open_tasks(case: Case) -> list[Task]:
    return list(case.tasks.filter(status=Task.Status.OPEN).order_by("key"))


def assert_rows_match_engine(case: Case) -> None:
    """The task rows are exactly the engine's tasks after replaying the stored events."""
    case.refresh_from_db()
    run = services.load_run(case)
    rows = {t.key: t for t in case.tasks.all()}
    assert set(rows) == set(run.tasks), (sorted(rows), sorted(run.tasks))
    for key, engine_task in run.tasks.items():
        row = rows[key]
        assert row.status == engine_task.status, key
        assert (row.step, row.round) == (engine_task.step, engine_task.round), key
        assert row.actor_id == (engine_task.actor or ""), key
        assert row.due_at == engine_task.due_at, key
        assert row.done_by_id == (int(engine_task.done_by) if engine_task.done_by else None)
        assert row.decision == (engine_task.decision or ""), key
        if engine_task.assignee:
            assert row.assignee_id == int(engine_task.assignee), key
    assert case.status == (run.status if run.status != "new" else "running")
    assert case.event_count == case.events.count() == len(run.events)


def run_to_end(case: Case, people: dict[str, Person], *, answers=None, limit: int = 60,
               check_rows: bool = True) -> Counter:
    """Complete open tasks until the case ends; `answers` yields decisions (default "ya").
    Returns how many tasks were completed per step."""
    answers = iter(answers or ())
    done: Counter = Counter()
    for _ in range(limit):
        case.refresh_from_db()
        if case.status != Case.Status.RUNNING:
            return done
        task = open_tasks(case)[0]
        decision = next(answers, "ya") if task.is_decision else None
        services.complete(task, services.Actor(acting_person(task, case, people)),
                          decision=decision)
        done[task.step] += 1
        if check_rows:
            assert_rows_match_engine(case)
    raise AssertionError(f"case {case} did not end after {limit} steps")
