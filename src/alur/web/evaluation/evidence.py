"""The evidence beside the criteria: the SOP's monitoring results in the evaluation's period
(from the monitoring app) and its analytics from the cases (from the reports' queries), over
the same period."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from ..cases.models import Case
from ..library.models import Sop
from ..monitoring.queries import MonitoringResult, results_for_sop
from ..reports import queries

SLOWEST = 5


@dataclass(frozen=True)
class Evidence:
    monitoring: list[MonitoringResult]
    cases: int
    totals: queries.Totals
    slowest: list[queries.StepFigures]
    heatmap_url: str
    cases_url: str


def evidence(sop: Sop, start: dt.date, end: dt.date) -> Evidence:
    unit_ids = frozenset(sop.unit.descendant_ids())
    low, high = queries.bounds(start, end)
    filters = queries.Filters(unit_ids=unit_ids, start=low, end=high, sop_id=sop.pk)
    summary = queries.cached("summary", filters, lambda: queries.summary(filters))
    steps = queries.cached("steps", filters,
                           lambda: queries.step_figures(filters, waiting=False))
    query = urlencode({"dari": start.isoformat(), "sampai": end.isoformat()})
    cases = Case.objects.filter(sop=sop, started_at__gte=low, started_at__lt=high).count()
    return Evidence(
        monitoring=results_for_sop(sop.pk, start, end),
        cases=cases,
        totals=summary.totals,
        slowest=queries.slowest(steps, SLOWEST),
        heatmap_url=f"{reverse('reports:sop', args=[sop.unit_id, sop.public_id])}?{query}",
        cases_url=f"{reverse('reports:cases', args=[sop.unit_id])}?{query}"
                  f"&sop={sop.public_id}")
