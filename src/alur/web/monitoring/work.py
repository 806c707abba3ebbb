"""The semester's monitoring falling due: every unit with SOPs in force must have its form of a
semester finalised once the semester ends. Until it is, the unit's evaluators see it in their
Tugas saya (from `ALUR_MONITORING_NOTICE_DAYS`, default 30, before the semester's last day),
and when the semester has ended each evaluator linked to an employee is notified once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from ..cases.models import Notification
from ..library.models import SopVersion
from ..org.models import AnyUser, Membership, Person, Unit
from ..reports.access import evaluator_units
from ..work import WorkItem, notify_once, provider, recorder
from .models import MonitoringForm, previous_semester, semester_bounds, semester_of


def notice_days() -> int:
    return int(getattr(settings, "ALUR_MONITORING_NOTICE_DAYS", 30))


def units_to_monitor(year: int, semester: int) -> set[int]:
    """Units owning an SOP with a signed version in force on or before the semester's end."""
    _start, end = semester_bounds(year, semester)
    return set(SopVersion.objects.filter(
        status__in=(SopVersion.Status.DISAHKAN, SopVersion.Status.DIGANTI),
        effective_date__lte=end).values_list("sop__unit_id", flat=True).distinct())


def due_semesters(today: dt.date) -> list[tuple[int, int]]:
    """The semesters whose monitoring is due or about to be: the one just ended, and the
    running one in its last `notice_days()`."""
    current = semester_of(today)
    due = [previous_semester(*current)]
    if semester_bounds(*current)[1] - dt.timedelta(days=notice_days()) <= today:
        due.append(current)
    return due


def _open_units(unit_ids: set[int], year: int, semester: int) -> dict[int, MonitoringForm | None]:
    """Of these units, those whose form of the semester is not final, with the draft if any."""
    forms = {f.unit_id: f for f in MonitoringForm.objects.filter(
        unit_id__in=unit_ids, year=year, semester=semester)}
    return {pk: forms.get(pk) for pk in unit_ids
            if pk not in forms or not forms[pk].final}


def _link(unit_id: int, year: int, semester: int, form: MonitoringForm | None) -> str:
    if form is not None:
        return reverse("monitoring:form", args=[form.pk])
    return reverse("monitoring:index") + "?" + urlencode(
        {"unit": str(unit_id), "periode": f"{year}-{semester}"})


def _title(year: int, semester: int) -> str:
    return _("Fill in and finalise the SOP monitoring form, semester %(s)s %(y)s") % {
        "s": "I" if semester == 1 else "II", "y": year}


@provider
def monitoring_due(user: AnyUser, person: Person | None, now: dt.datetime) -> Iterable[WorkItem]:
    mine = evaluator_units(user)
    if not mine:
        return []
    today = timezone.localdate(now)
    items = []
    for year, semester in due_semesters(today):
        units = mine & units_to_monitor(year, semester)
        end = semester_bounds(year, semester)[1]
        since = timezone.make_aware(dt.datetime.combine(
            end - dt.timedelta(days=notice_days()), dt.time()))
        names = dict(Unit.objects.filter(pk__in=units).values_list("pk", "name"))
        for unit_id, form in sorted(_open_units(units, year, semester).items(),
                                    key=lambda pair: names.get(pair[0], "")):
            items.append(WorkItem("monitoring", _("Monitoring"), _title(year, semester),
                                  names.get(unit_id, ""),
                                  _link(unit_id, year, semester, form), since=since, due=end))
    return items


def evaluators_of(unit: Unit) -> set[int]:
    """Employees (org.Person ids) linked to an account that evaluates the unit: an evaluator
    or admin of the unit or of a unit above it."""
    users = Membership.objects.filter(unit_id__in=unit.chain_ids(),
                                      role__in=["evaluator", "admin"]).values_list("user_id",
                                                                                   flat=True)
    return set(Person.objects.filter(user_id__in=users).values_list("pk", flat=True))


@recorder
def record_monitoring_due(now: dt.datetime) -> int:
    """Once the semester has ended, notify each unit's evaluators (once per unit and
    semester) while its form is not final."""
    year, semester = previous_semester(*semester_of(timezone.localdate(now)))
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        title = _title(year, semester)
        units = Unit.objects.filter(pk__in=units_to_monitor(year, semester))
        open_units = _open_units({u.pk for u in units}, year, semester)
        for unit in units:
            if unit.pk not in open_units:
                continue
            created += notify_once(
                evaluators_of(unit), Notification.Kind.MONITORING_DUE,
                f"{title}: {unit.name}", _link(unit.pk, year, semester, open_units[unit.pk]),
                key=f"monitoring:{unit.pk}:{year}-{semester}")
    return created
