"""REST endpoints for the report figures the dashboard shows (`alur.web.reports`): a unit's
summary and slowest steps, one SOP's figures per step, and the unit's workload analysis (ABK).
For the unit's evaluators, admins and head; times are working minutes, rates fractions (null
when nothing can be measured)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from alur.analysis import DEFAULT_JKE_HOURS, GRADE_BANDS_NOTE
from alur.i18n import _ as core_gettext
from alur.web.abk import services as abk_services
from alur.web.library.models import Sop
from alur.web.org.models import AnyUser, Unit
from alur.web.reports import queries
from alur.web.reports.access import report_units

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
    # The dashboard's figures, from the same rollup (medians estimated, as on the page).
    steps = queries.cached("steps-rollup", filters,
                           lambda: queries.step_figures(filters, waiting=False, rollup=True))
    totals = queries.cached("summary-rollup", filters,
                            lambda: queries.summary(filters, rollup=True)).totals
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


class AbkStepOut(Schema):
    sop: uuid.UUID
    sop_name: str
    step: int
    activity: str
    output_unit: str
    volume: int | None
    norm_minutes: int | None
    norm_minutes_range: dict[str, int] | None
    workload_minutes: int | None


class AbkPositionOut(Schema):
    position: int | None
    name: str
    unit: str | None
    minutes_per_year: int | None
    minutes_per_year_range: dict[str, int] | None
    staff_needed: float | None
    people: int | None
    ej: float | None
    grade: str | None
    sops_without_volume: list[uuid.UUID]
    steps: list[AbkStepOut]


class AbkSopOut(Schema):
    sop: uuid.UUID
    name: str
    version: int
    in_force: bool
    volume: int | None
    volume_from: str | None
    cases_counted: int
    steps_without_time: list[int]


class AbkOut(Schema):
    unit: str
    year: int
    jke_hours: float
    range_end: str
    count_start: dt.date
    count_end: dt.date
    acting_counted: bool
    positions: list[AbkPositionOut]
    sops: list[AbkSopOut]
    grade_bands_note: str
    note: str


def _abk_step(step: abk_services.StepLine) -> dict[str, object]:
    return {"sop": step.sop.sop.public_id, "sop_name": step.sop.name, "step": step.number,
            "activity": step.activity, "output_unit": step.outputs, "volume": step.volume,
            "norm_minutes": step.norm,
            "norm_minutes_range": step.minutes.as_dict() if step.minutes else None,
            "workload_minutes": step.load_minutes}


def _abk_position(line: abk_services.PositionLine) -> dict[str, object]:
    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {"position": line.position.pk if line.position else None, "name": line.name,
            "unit": line.unit.name if line.unit else None,
            "minutes_per_year": line.minutes_per_year,
            "minutes_per_year_range": line.row.minutes.as_dict()
            if line.row and line.row.minutes else None,
            "staff_needed": rounded(line.staff_needed), "people": line.people,
            "ej": rounded(line.ej), "grade": line.grade,
            "sops_without_volume": [s.sop.public_id for s in line.without_volume],
            "steps": [_abk_step(s) for s in line.steps]}


@router.get("/reports/units/{unit_id}/abk", response=AbkOut,
            summary="Analisis Beban Kerja unit")
def unit_abk(request: HttpRequest, unit_id: int, tahun: int | None = None,
             jke: float = DEFAULT_JKE_HOURS,
             ujung: Literal["atas", "bawah"] = "atas") -> dict[str, object]:
    """The workload per position from the unit's SOPs (and those of the units below): minutes
    a year, staff needed, people holding the position, EJ and grade; null where a figure
    cannot be computed (no volume, no time standard, nobody counted)."""
    unit = _unit(request, unit_id)
    if not 0 < jke <= 8784:
        raise HttpError(422, _("The effective working time must be more than 0 hours a year "
                               "(e.g. 1250)."))
    today = timezone.localdate()
    if tahun is not None and not 2000 <= tahun <= 2100:
        raise HttpError(422, _("The year must be between 2000 and 2100."))
    params = abk_services.Params(tahun or today.year, jke, ujung == "atas")
    abk = abk_services.unit_abk(unit, params, today)
    return {"unit": unit.name, "year": params.year, "jke_hours": params.jke_hours,
            "range_end": "max" if params.upper else "min", "count_start": abk.window[0],
            "count_end": abk.window[1], "acting_counted": abk.acting_counted,
            "positions": [_abk_position(p) for p in abk.positions],
            "sops": [{"sop": s.sop.public_id, "name": s.name, "version": s.version.number,
                      "in_force": s.in_force, "volume": s.volume, "volume_from": s.chosen,
                      "cases_counted": s.counted,
                      "steps_without_time": list(s.standard.steps_without_time)}
                     for s in abk.sops],
            "grade_bands_note": core_gettext(GRADE_BANDS_NOTE),
            "note": _("These figures cover only the work written in the unit's SOPs: a "
                      "position's other duties are not counted.")}
