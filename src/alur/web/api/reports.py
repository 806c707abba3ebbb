"""REST endpoints for the report figures the dashboard shows (`alur.web.reports`): a unit's
summary and slowest steps, and one SOP's figures per step. For the unit's evaluators and
admins; times are working minutes, rates fractions (null when nothing can be measured)."""

from __future__ import annotations

import datetime as dt
import uuid

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from alur.web.library.models import Sop
from alur.web.org.models import AnyUser, Unit
from alur.web.reports import queries
from alur.web.reports.views import report_units

router = Router(tags=["laporan"])


class StepOut(Schema):
    sop: uuid.UUID | None
    sop_name: str
    step: int
    activity: str
    count: int
    median_minutes: float
    p90_minutes: float
    wait_median_minutes: float | None
    rework: int
    standard_minutes: dict[str, int] | None
    on_time_rate: float | None
    state: str


class UnitOut(Schema):
    unit: str
    start: dt.date
    end: dt.date
    sops_by_status: dict[str, int]
    sops_total: int
    cases_running: int
    cases_late: int
    tasks_done: int
    on_time_rate: float | None
    slowest_steps: list[StepOut]


class SopOut(Schema):
    sop: uuid.UUID
    start: dt.date
    end: dt.date
    tasks_done: int
    on_time_rate: float | None
    steps: list[StepOut]


def _account(request: HttpRequest) -> AnyUser:
    account: AnyUser = request.auth  # type: ignore[attr-defined]
    return account


def _unit(request: HttpRequest, unit_id: int) -> Unit:
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is None or unit.pk not in report_units(_account(request)):
        raise HttpError(404, _("Unit not found."))
    return unit


def _filters(unit: Unit, start: dt.date | None, end: dt.date | None,
             position: int | None, sop_id: int | None = None
             ) -> tuple[queries.Filters, dt.date, dt.date]:
    first, last = queries.period(start, end)
    low, high = queries.bounds(first, last)
    return (queries.Filters(frozenset(unit.descendant_ids()), low, high, position, sop_id),
            first, last)


def _step_out(figure: queries.StepFigures) -> dict[str, object]:
    return {"sop": uuid.UUID(figure.sop_public_id) if figure.sop_public_id else None,
            "sop_name": figure.sop_name, "step": figure.step, "activity": figure.activity,
            "count": figure.count, "median_minutes": figure.median,
            "p90_minutes": figure.p90, "wait_median_minutes": figure.wait_median,
            "rework": figure.rework,
            "standard_minutes": figure.standard.as_dict() if figure.standard else None,
            "on_time_rate": figure.on_time_rate, "state": figure.state}


@router.get("/reports/units/{unit_id}", response=UnitOut, summary="Angka dasbor unit")
def unit_report(request: HttpRequest, unit_id: int, start: dt.date | None = None,
                end: dt.date | None = None, position: int | None = None) -> dict[str, object]:
    unit = _unit(request, unit_id)
    filters, first, last = _filters(unit, start, end, position)
    figures = queries.unit_figures(filters)
    steps = queries.cached("steps", filters,
                           lambda: queries.step_figures(filters, waiting=False))
    totals = queries.cached("summary", filters, lambda: queries.summary(filters)).totals
    return {"unit": unit.name, "start": first, "end": last,
            "sops_by_status": figures.sops_by_status, "sops_total": figures.sops_total,
            "cases_running": figures.running, "cases_late": figures.late,
            "tasks_done": totals.tasks, "on_time_rate": totals.on_time_rate,
            "slowest_steps": [_step_out(f) for f in queries.slowest(steps)]}


@router.get("/reports/units/{unit_id}/sops/{sop_id}", response=SopOut,
            summary="Angka per langkah satu SOP")
def sop_report(request: HttpRequest, unit_id: int, sop_id: uuid.UUID,
               start: dt.date | None = None, end: dt.date | None = None,
               position: int | None = None) -> dict[str, object]:
    unit = _unit(request, unit_id)
    sop = Sop.objects.filter(public_id=sop_id, unit_id__in=unit.descendant_ids()).first()
    if sop is None:
        raise HttpError(404, _("SOP not found."))
    filters, first, last = _filters(unit, start, end, position, sop.pk)
    totals = queries.cached("summary", filters, lambda: queries.summary(filters)).totals
    return {"sop": sop.public_id, "start": first, "end": last, "tasks_done": totals.tasks,
            "on_time_rate": totals.on_time_rate,
            "steps": [_step_out(f) for f in queries.cached(
                "steps+wait", filters, lambda: queries.step_figures(filters))]}
