"""What a unit's dashboard says is due: the semester monitoring forms of the unit and the units
below it, and the yearly evaluations that have fallen due. The monitoring and evaluation apps own
the rules; this only gathers their answers for one unit."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse

from ..evaluation.due import Due, due_list
from ..monitoring.models import MonitoringForm
from ..monitoring.work import due_semesters, units_to_monitor
from ..org.models import Unit


@dataclass(frozen=True)
class SemesterStatus:
    """One due semester's monitoring across the unit and the units below it."""

    year: int
    semester: int
    units: int  # units that owe a form (an SOP in force)
    final: int
    drafts: int
    recap_url: str

    @property
    def roman(self) -> str:
        return "I" if self.semester == 1 else "II"

    @property
    def missing(self) -> int:
        return self.units - self.final - self.drafts


@dataclass(frozen=True)
class Duties:
    monitoring: list[SemesterStatus]
    evaluations: list[Due]  # overdue evaluations, the longest overdue first

    @property
    def any(self) -> bool:
        return bool(self.evaluations) or any(s.final < s.units for s in self.monitoring)


def unit_duties(unit: Unit, today: dt.date) -> Duties:
    ids = unit.descendant_ids()
    semesters = []
    for year, semester in due_semesters(today):
        owing = ids & units_to_monitor(year, semester)
        if not owing:
            continue
        forms = MonitoringForm.objects.filter(unit_id__in=owing, year=year, semester=semester)
        final = sum(1 for form in forms if form.final)
        semesters.append(SemesterStatus(
            year, semester, len(owing), final, forms.count() - final,
            reverse("monitoring:recap") + "?" + urlencode({"tahun": year,
                                                          "semester": semester})))
    overdue = [due for due in due_list(ids, today) if due.overdue(today)]
    return Duties(semesters, overdue)
