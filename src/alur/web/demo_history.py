"""A year of case history for the demo, so the Evaluator's pages (the unit dashboard, the heat
map, the monitoring form's prefill, the ABK's counted volumes) have something to show.

Every case runs through the real services (`cases.services`: start_case, claim, complete,
cancel), so each event, hash, task row, notification and stored working minute is what the
engine makes. Only the clock is simulated: `start_case` takes its time as `at=`, the other
transitions read `django.utils.timezone.now()`, so they run inside `simulated_time`, which
replaces that function for the duration of the block (this process only, nothing else runs
meanwhile: `alur demo` builds the history before it serves).

The history is labelled as demo data: every case's title begins with `DEMO_PREFIX` (a
sub-procedure's case carries its caller's title after its own name). The case model has no
field for such a mark; the title is where people and queries find it.

What is drawn, from a seeded random generator (the same history on every run for the same
day): 5–40 cases per SOP over the last 12 months, started at working moments; each step's
working time around its time standard (most within it, a few steps of some SOPs
systematically slow, so the heat map shows colour); the waiting part (ready → claimed);
decisions answered "Tidak" now and then (rework rounds); a few requests withdrawn by the
applicant. Cases whose next action would fall after now stay running, some of them overdue.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import random
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from unittest import mock

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from alur.engine import Definition
from alur.engine.calendar import WorkingCalendar

from .cases import services
from .cases.ledger import anchor
from .cases.models import Case, Notification, Task
from .cases.workcalendar import working_calendar
from .library.models import SopVersion
from .org.models import Assignment, Person

DEMO_PREFIX = "[Contoh]"
HISTORY_DAYS = 365
SEED = 2012  # (Permenpan RB 35/2012)
CASES_PER_SOP = (5, 40)
# How a step's working time is drawn: its standard's upper end × a factor whose median is
# drawn per step (most steps finish within their standard; a slow step's median lies past it)
# × a lognormal spread around that median.
NORMAL_MEDIAN = (0.45, 0.9)
SLOW_MEDIAN = (1.3, 2.4)
SLOW_SOP_SHARE = 0.45  # SOPs with one systematically slow step
SPREAD = 0.35
NO_STANDARD_MINUTES = (20, 240)  # a step without a time standard
# Decisions answered "Tidak" (the rework loop, or a refusal), by round; never after round 2.
NO_BY_ROUND = {1: 0.15, 2: 0.07}
WITHDRAWN_SHARE = 0.03
WITHDRAWN_REASON = "Permohonan ditarik kembali oleh pemohon."
RECENT_DAYS = 12  # an extra case started this recently in about half the SOPs: still running
SETTLED_AFTER = dt.timedelta(days=3)


@dataclass
class HistoryResult:
    sops: int = 0
    cases: int = 0
    finished: int = 0
    running: int = 0
    cancelled: int = 0
    overdue: int = 0
    seconds: float = 0.0


def history_start(today: dt.date) -> dt.date:
    """The first day of the demo history (its SOPs are in force and its positions held
    from the day before)."""
    return today - dt.timedelta(days=HISTORY_DAYS)


class SimulatedClock:
    """The time `timezone.now()` answers inside `simulated_time`: moved forward by the
    driver, never backward."""

    def __init__(self, at: dt.datetime) -> None:
        self.at = at

    def set(self, at: dt.datetime) -> None:
        self.at = max(self.at, at)

    def now(self) -> dt.datetime:
        return self.at.astimezone(dt.UTC)


@contextlib.contextmanager
def simulated_time(at: dt.datetime) -> Iterator[SimulatedClock]:
    """Within the block, `django.utils.timezone.now()` (and so `localdate()`, the services'
    transition time, `auto_now` fields) answers the clock's time."""
    clock = SimulatedClock(at)
    with mock.patch.object(timezone, "now", clock.now):
        yield clock


@dataclass(frozen=True)
class _People:
    applicant: Person
    admin: Person
    holders: dict[int, Person]  # position id → the person who holds it


@dataclass
class _Profile:
    """How one SOP's steps behave in the history: each step's median factor."""

    medians: dict[int, float]


def load_history(sop_ids: Iterable[int], *, sops: int | None = None,
                 cases: tuple[int, int] = CASES_PER_SOP, seed: int = SEED,
                 now: dt.datetime | None = None) -> HistoryResult:
    """Give each of these SOPs (the demo's: `DemoResult.sop_ids`) that is in force and has no
    demo history yet a year of cases; `sops` limits how many SOPs (the first by slug),
    `cases` the range of cases per SOP. Running it again adds nothing."""
    began = time.perf_counter()
    now = now or timezone.now()
    today = timezone.localdate(now)
    calendar = working_calendar()
    people = _people()
    result = HistoryResult()
    versions = SopVersion.objects.filter(
        sop_id__in=list(sop_ids), status=SopVersion.Status.DISAHKAN,
        effective_date__lte=today) \
        .select_related("sop").order_by("sop__slug", "sop__unit_id")
    if sops is not None:
        versions = versions[:sops]
    for version in versions:
        if Case.objects.filter(sop_id=version.sop_id, title__startswith=DEMO_PREFIX).exists():
            continue
        rng = random.Random(f"{seed}:{version.sop.slug}:{today.isoformat()}")
        definition = services.definition_for(version)
        first = max(history_start(today), version.effective_date or today)
        starts = _starts(rng, calendar, first, now, rng.randint(*cases))
        profile = _profile(rng, definition)
        with transaction.atomic():
            for number, start in enumerate(starts, 1):
                case = _run_case(version, definition, profile, start, now, rng, calendar,
                                 people, number)
                result.cases += 1
                if case.status == Case.Status.FINISHED:
                    result.finished += 1
                elif case.status == Case.Status.CANCELLED:
                    result.cancelled += 1
                else:
                    result.running += 1
        result.sops += 1
    if result.cases:
        _settle_notifications(now)
        result.overdue = Task.objects.filter(
            status=Task.Status.OPEN, due_at__lt=now,
            case__title__contains=DEMO_PREFIX).count()
        # The periodic anchoring would do it within minutes; done now, the ledger holds
        # the history before anyone looks.
        anchor(now)
    result.seconds = time.perf_counter() - began
    return result


def _people() -> _People:
    users = get_user_model().objects.filter(username__in=["pegawai", "admin"])
    by_name = {u.username: Person.objects.get(user=u) for u in users}
    holders: dict[int, Person] = {}
    for assignment in Assignment.objects.select_related("person").order_by("start", "pk"):
        holders.setdefault(assignment.position_id, assignment.person)
    return _People(by_name["pegawai"], by_name["admin"], holders)


def _working_moment(rng: random.Random, calendar: WorkingCalendar,
                    day: dt.date) -> dt.datetime | None:
    """A random whole minute within the working hours of `day`; None on a day off."""
    intervals = calendar.intervals(day)
    if not intervals:
        return None
    minutes = [int((end - start).total_seconds() // 60) for start, end in intervals]
    pick = rng.randrange(sum(minutes))
    for (start, _end), length in zip(intervals, minutes, strict=True):
        if pick < length:
            return start + dt.timedelta(minutes=pick)
        pick -= length
    return None  # (unreachable: the pick lies within the day's minutes)


def _starts(rng: random.Random, calendar: WorkingCalendar, first: dt.date,
            now: dt.datetime, count: int) -> list[dt.datetime]:
    """`count` working moments between `first` and now, in order, plus (for about half the
    SOPs) one in the last days, so some cases are still running at the end."""
    today = timezone.localdate(now)
    span = (today - first).days
    if span < 0:
        return []
    moments: list[dt.datetime] = []
    wanted = count + (1 if rng.random() < 0.5 else 0)
    attempts = 0
    while len(moments) < wanted and attempts < wanted * 20:
        attempts += 1
        recent = len(moments) == count
        offset = rng.randint(max(0, span - RECENT_DAYS), span) if recent else \
            rng.randint(0, span)
        moment = _working_moment(rng, calendar, first + dt.timedelta(days=offset))
        if moment is not None and moment < now:
            moments.append(moment)
    return sorted(moments)


def _profile(rng: random.Random, definition: Definition) -> _Profile:
    steps = [n for n, spec in definition.steps.items() if spec.is_task]
    medians = {n: rng.uniform(*NORMAL_MEDIAN) for n in steps}
    plain = [n for n in steps if not definition.step(n).is_decision]
    if plain and rng.random() < SLOW_SOP_SHARE:
        medians[rng.choice(plain)] = rng.uniform(*SLOW_MEDIAN)
    return _Profile(medians)


def _minutes(rng: random.Random, standard: int | None, median: float) -> int:
    if standard is None:
        low, high = NO_STANDARD_MINUTES
        return rng.randint(low, high)
    return max(1, round(standard * median * math.exp(rng.gauss(0, SPREAD))))


def _run_case(version: SopVersion, definition: Definition, profile: _Profile,
              start: dt.datetime, now: dt.datetime, rng: random.Random,
              calendar: WorkingCalendar, people: _People, number: int) -> Case:
    """One case from its start until it ends or its next action would fall after `now`."""
    initiator = people.applicant
    local = timezone.localtime(start)
    title = f"{DEMO_PREFIX} {version.name} — {initiator.name}, {local:%d-%m-%Y} ({number})"
    withdraw_after = rng.randint(1, 4) if rng.random() < WITHDRAWN_SHARE else None
    with simulated_time(start) as clock:
        case = services.start_case(version, initiator, title=title, at=start)
        tree = {case.pk: version.pk}
        done = 0
        while True:
            task = _next_task(tree)
            if task is None:
                break
            if withdraw_after is not None and done >= withdraw_after:
                at = calendar.add_working_minutes(clock.at, rng.randint(10, 120))
                if at > now:
                    break
                clock.set(at)
                services.cancel(Case.objects.get(pk=case.pk),
                                services.Actor(initiator), WITHDRAWN_REASON)
                break
            own = tree[task.case_id] == version.pk  # (else a sub-procedure's step)
            if not _act(task, definition if own else
                        services.definition_for(tree[task.case_id]),
                        profile if own else _Profile({}), now, rng, calendar, people, clock):
                break  # its next action lies in the future: the case is still running
            done += 1
    case.refresh_from_db()
    return case


def _next_task(tree: dict[int, int]) -> Task | None:
    """The open task to act on next in the case or its running sub-procedures (`tree`: case
    id → version id, grown here by the sub-procedures started since). A task waiting for a
    sub-procedure is not one: the sub-procedure's tasks come first."""
    while True:
        tasks = list(Task.objects.filter(case_id__in=list(tree), status=Task.Status.OPEN)
                     .order_by("ready_at", "pk"))
        calling = [t.pk for t in tasks if t.calls]
        children = list(Case.objects.filter(parent_task__in=calling, status=Case.Status.RUNNING)
                         .values_list("pk", "version_id", "parent_task_id")) if calling else []
        started = {pk: version for pk, version, _task in children if pk not in tree}
        if started:
            tree.update(started)
            continue
        waiting = {task for _pk, _version, task in children}
        return next((t for t in tasks if t.pk not in waiting), None)


def _act(task: Task, definition: Definition, profile: _Profile, now: dt.datetime,
         rng: random.Random, calendar: WorkingCalendar, people: _People,
         clock: SimulatedClock) -> bool:
    """Claim and complete one task at drawn times; False when that lies after `now` (the
    task is left as it would be now: claimed if the claim is already past)."""
    spec = definition.step(task.step)
    median = profile.medians.get(task.step, sum(NORMAL_MEDIAN) / 2)
    minutes = _minutes(rng, spec.minutes, median)
    wait = max(0, min(minutes - 1, round(minutes * rng.uniform(0.05, 0.4))))
    ready = max(task.ready_at, clock.at)
    claim_at = calendar.add_working_minutes(ready, wait)
    done_at = calendar.add_working_minutes(ready, minutes)
    person, is_admin = _performer(task, people)
    actor = services.Actor(person, is_admin=is_admin)
    if claim_at > now:
        return False
    if task.assignee_id != person.pk:
        clock.set(claim_at)
        services.claim(task, actor)
    if done_at > now:
        return False
    clock.set(done_at)
    decision = None
    if spec.is_decision:
        no = rng.random() < NO_BY_ROUND.get(task.round, 0.0)
        decision = "tidak" if no else "ya"
    services.complete(task, actor, decision=decision)
    return True


def _performer(task: Task, people: _People) -> tuple[Person, bool]:
    """Who does the task: the applicant (the task routes to them), the position's holder, or
    — for a step nobody holds — the admin, as in the application."""
    if task.assignee_id == people.applicant.pk:
        return people.applicant, False
    if task.position_id and task.position_id in people.holders:
        return people.holders[task.position_id], False
    return people.admin, True


def _settle_notifications(now: dt.datetime) -> None:
    """The history's older notifications as they would stand today: read (and mailed) when
    they came, unless they concern a task still open; the last days' stay new."""
    settled = Notification.objects.filter(
        Q(case__title__contains=DEMO_PREFIX) | Q(task__case__title__contains=DEMO_PREFIX),
        read_at__isnull=True, created_at__lt=now - SETTLED_AFTER) \
        .exclude(task__status=Task.Status.OPEN)
    settled.update(read_at=F("created_at"), emailed_at=F("created_at"))
