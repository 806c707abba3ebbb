"""The demo's year of case history: run through the case services on a simulated clock,
labelled as demo data, on the working calendar, within the last year, added once."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from alur.web.cases.audit import verify
from alur.web.cases.models import Case, Event, Notification, Task
from alur.web.cases.workcalendar import working_calendar
from alur.web.demo import load_demo
from alur.web.demo_history import (
    DEMO_PREFIX,
    HISTORY_DAYS,
    history_start,
    load_history,
    simulated_time,
)
from alur.web.library.models import SopVersion
from alur.web.org.models import Membership, Person

from .cases_helpers import (  # noqa: F401 (_cases_environment: an autouse fixture)
    _cases_environment,
    add_approved,
    make_person,
    position_of,
    small_sop,
)
from .conftest import LIBRARY

pytestmark = pytest.mark.django_db


# Two SOPs with a decision; the first has an applicant's column (PNS) too.
SOPS = ("surat-ijin-cuti.yaml", "surat-keluar.yaml")


@pytest.fixture
def small_library(tmp_path, settings):
    # The seven demo accounts' passwords, hashed quickly: this is not what is tested here.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    for name in SOPS:
        (tmp_path / name).write_bytes((LIBRARY / name).read_bytes())
    return tmp_path


@pytest.fixture
def demo(db, small_library):
    loaded = load_demo(small_library, password="demo-rahasia")
    now = timezone.now()
    result = load_history(loaded.sop_ids, sops=2, cases=(6, 8), now=now)
    return result, now


def _on_working_time(calendar, moment: dt.datetime) -> bool:
    local = timezone.localtime(moment)
    return any(start <= local <= end for start, end in calendar.intervals(local.date()))


def test_history_runs_through_the_engine(demo):
    result, _now = demo
    cases = Case.objects.all()
    assert result.sops == 2 and result.cases == cases.filter(parent_task=None).count() >= 12
    assert result.finished + result.running + result.cancelled == result.cases
    assert result.finished > 0
    assert cases.filter(status=Case.Status.FINISHED).count() >= result.finished
    # Every chain verifies and every task row is what a replay of its events gives; the
    # ledger holds every case.
    assert list(verify()) == []
    assert Event.objects.filter(kind="completed").count() == \
        Task.objects.filter(status=Task.Status.DONE).count()
    # Working (and waiting) minutes stored by the engine on completion.
    done = Task.objects.filter(status=Task.Status.DONE)
    assert done.exists() and not done.filter(work_minutes=None).exists()
    assert not done.filter(wait_minutes=None).exists()
    assert all(t.wait_minutes <= t.work_minutes for t in done)
    # Done by the people who hold the positions (or the applicant), never by the system.
    assert not Event.objects.filter(kind__in=["claimed", "completed"], by=None).exists()


def test_history_is_labelled_as_demo_data(demo):
    for case in Case.objects.all():
        if case.parent_task_id is None:
            assert case.title.startswith(DEMO_PREFIX + " ")
        else:  # a sub-procedure: its name, then its caller's title
            assert DEMO_PREFIX in case.title


def test_history_lies_within_the_last_year_on_working_time(demo):
    _result, now = demo
    calendar = working_calendar()
    first = history_start(timezone.localdate(now))
    assert first == timezone.localdate(now) - dt.timedelta(days=HISTORY_DAYS)
    for case in Case.objects.all():
        assert timezone.localdate(case.started_at) >= first
        assert case.started_at <= now
        assert case.ended_at is None or case.started_at <= case.ended_at <= now
    moments = []
    for task in Task.objects.all():
        moments += [m for m in (task.ready_at, task.claimed_at, task.done_at) if m]
        if task.claimed_at:
            assert task.ready_at <= task.claimed_at
        if task.done_at:
            assert (task.claimed_at or task.ready_at) <= task.done_at
    assert moments
    for moment in moments:
        assert moment <= now
        # Never on a Sunday, a holiday or after hours: each moment lies within the working
        # hours of its day (ends included).
        assert _on_working_time(calendar, moment), timezone.localtime(moment)
    # The events' own times agree.
    for at in Event.objects.values_list("at", flat=True):
        assert at <= now and _on_working_time(calendar, at)


def test_history_sops_were_in_force_and_positions_held(demo):
    _result, now = demo
    first = history_start(timezone.localdate(now))
    for version in SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN):
        assert version.effective_date < first
        assert timezone.localdate(version.approved_at) < first
    # Nobody had to stand in: every task went to a position's holder or to the applicant.
    assert not Task.objects.filter(unroutable=True).exists()


def test_old_notifications_are_settled_open_work_is_not(demo):
    _result, now = demo
    old = Notification.objects.filter(created_at__lt=now - dt.timedelta(days=3)) \
        .exclude(task__status=Task.Status.OPEN)
    assert old.exists() and not old.filter(read_at=None).exists()
    assert not Notification.objects.filter(task__status=Task.Status.OPEN) \
        .exclude(read_at=None).exists()


def test_decisions_take_both_branches(db, small_library):
    loaded = load_demo(small_library, password="demo-rahasia")
    load_history(loaded.sop_ids, cases=(30, 30))
    decisions = set(Task.objects.filter(is_decision=True, status=Task.Status.DONE)
                    .values_list("decision", flat=True))
    assert decisions == {"ya", "tidak"}


def test_second_run_adds_nothing(demo, small_library):
    counts = (Case.objects.count(), Task.objects.count(), Event.objects.count(),
              Notification.objects.count())
    ids = list(SopVersion.objects.values_list("sop_id", flat=True))
    again = load_history(ids, sops=2, cases=(6, 8))
    assert again.cases == 0 and again.sops == 0
    assert (Case.objects.count(), Task.objects.count(), Event.objects.count(),
            Notification.objects.count()) == counts
    # Loading the demo again adds no SOP, and the history of the others is added once.
    loaded = load_demo(small_library, password="demo-rahasia")
    assert loaded.sops == 0 and sorted(loaded.sop_ids) == sorted(ids)
    load_history(loaded.sop_ids)
    assert Case.objects.count() == counts[0]


def test_only_the_demo_sops_get_history(db, small_library, library):
    """An SOP of the store that the demo did not load (the agency's own) gets no cases."""
    loaded = load_demo(small_library, password="demo-rahasia")
    assert 10 <= load_history(loaded.sop_ids, cases=(5, 5)).cases <= 12  # (+1 recent)
    assert not Case.objects.filter(sop__in=[library["sakip"].sop, library["skp"].sop]) \
        .exists()


def test_evaluator_is_an_employee_who_evaluates(demo):
    user = get_user_model().objects.get(username="evaluator")
    person = Person.objects.get(user=user)
    assert person.name == "Evaluator Inspektorat"
    assert Membership.objects.filter(user=user, role=Membership.Role.EVALUATOR).exists()


def test_simulated_time_is_contained():
    at = dt.datetime(2025, 1, 6, 8, 0, tzinfo=dt.UTC)
    with simulated_time(at) as clock:
        assert timezone.now() == at
        clock.set(at - dt.timedelta(hours=1))  # never backwards
        assert timezone.now() == at
        clock.set(at + dt.timedelta(hours=1))
        assert timezone.now() == at + dt.timedelta(hours=1)
    assert abs(timezone.now() - dt.datetime.now(dt.UTC)) < dt.timedelta(minutes=1)


def test_sub_procedures_run_within_the_history(db, small_library, units, user_factory):
    """A step that calls another SOP runs it as a child case, driven to its end before the
    caller continues, on the same clock."""
    load_demo(small_library, password="demo-rahasia")
    author = get_user_model().objects.get(username="penyusun")
    child = add_approved(small_sop("anak", [
        {"number": 1, "activity": "Verifikasi", "actors": ["verifikator"], "time": "1 jam"},
        {"number": 2, "activity": "Setujui", "actors": ["kepala"], "time": "30 menit"}]),
        units["dinsos"], author)
    parent = add_approved(small_sop("induk", [
        {"number": 1, "activity": "Ajukan", "actors": ["pelaksana"], "time": "30 menit"},
        {"number": 2, "activity": "Proses anak", "actors": ["pelaksana"], "calls": "anak"},
        {"number": 3, "activity": "Arsipkan", "actors": ["pelaksana"], "time": "15 menit"}]),
        units["dinsos"], author)
    for username, version, actor in [("pelaksana-induk", parent, "pelaksana"),
                                     ("verifikator-anak", child, "verifikator"),
                                     ("kepala-anak", child, "kepala")]:
        make_person(user_factory, username, units["dinsos"],
                    positions=[position_of(version, actor)])
    result = load_history([parent.sop_id], cases=(4, 4))
    assert result.sops == 1 and result.cases >= 4
    callers = Case.objects.filter(sop=parent.sop)
    children = Case.objects.filter(parent_task__case__in=callers)
    assert children.count() >= result.finished
    for case in children:
        assert DEMO_PREFIX in case.title
        assert case.started_at >= case.parent_task.ready_at
    for case in callers.filter(status=Case.Status.FINISHED):
        called = children.get(parent_task__case=case)
        assert called.status == Case.Status.FINISHED and called.ended_at <= case.ended_at
    assert list(verify()) == []
