"""What other apps ask about monitoring: the judgements of an SOP's rows in the semester
forms, and when each SOP was last monitored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Q
from django.urls import reverse

from .models import MonitoringForm, MonitoringRow, semester_bounds, semester_of


@dataclass(frozen=True)
class MonitoringResult:
    """One row of a semester form about an SOP."""

    year: int
    semester: int
    unit_name: str
    judgement: str  # "baik" | "tidak_baik" | "belum_ada_data" ("" while a draft row is unjudged)
    judgement_label: str
    notes: str
    action: str
    finalised: bool
    url: str


def _semesters_between(since: dt.date, until: dt.date) -> Q:
    """Forms whose semester shares a day with [since, until]."""
    wanted = Q(pk__in=[])
    year, semester = semester_of(since)
    while semester_bounds(year, semester)[0] <= until:
        wanted |= Q(form__year=year, form__semester=semester)
        year, semester = (year, 2) if semester == 1 else (year + 1, 1)
    return wanted


def results_for_sop(sop_id: int, since: dt.date, until: dt.date) -> list[MonitoringResult]:
    """The rows about the SOP (its own row and findings tied to it) in forms whose semester
    overlaps [since, until], oldest first; draft forms included, marked not finalised."""
    if since > until:
        since, until = until, since
    rows = (MonitoringRow.objects.filter(_semesters_between(since, until), sop_id=sop_id)
            .select_related("form__unit")
            .order_by("form__year", "form__semester", "form__unit__name", "number"))
    return [MonitoringResult(
        year=row.form.year, semester=row.form.semester, unit_name=row.form.unit.name,
        judgement=row.judgement,
        judgement_label=row.get_judgement_display() if row.judgement else "",
        notes=row.notes, action=row.action,
        finalised=row.form.status == MonitoringForm.Status.FINAL,
        url=reverse("monitoring:form", args=[row.form_id]) + f"#baris-{row.pk}")
        for row in rows]


def last_monitored(sop_ids: Iterable[int]) -> dict[int, dt.date]:
    """Per SOP (library.Sop pk), the last day of the semester of its newest finalised row;
    SOPs never in a finalised form are left out."""
    found: dict[int, dt.date] = {}
    rows = MonitoringRow.objects.filter(sop_id__in=list(sop_ids),
                                        form__status=MonitoringForm.Status.FINAL) \
        .values_list("sop_id", "form__year", "form__semester").distinct()
    for sop_id, year, semester in rows:
        end = semester_bounds(year, semester)[1]
        if sop_id is not None and (sop_id not in found or found[sop_id] < end):
            found[sop_id] = end
    return found
