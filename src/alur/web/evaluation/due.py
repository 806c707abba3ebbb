"""Which SOPs in force fall due for their yearly evaluation, and why.

An SOP in force is due `ALUR_EVALUATION_MONTHS` (default 12, Permenpan RB 35/2012's "at least
yearly") after the later of its effective date and its last finalised evaluation — or sooner,
on the planned revision date its document names (`dates.revised`, when that lies after the
effective date). The list of `/evaluasi/` also names the SOPs never evaluated and never
monitored (`alur.web.monitoring.queries.last_monitored`), and those whose planned revision is
still ahead, so an evaluator sees them before they fall due.

The dates come from one query of (version, effective date, revised date) tuples — the revised
date read from the stored document by a JSON key lookup — and one aggregate over evaluations:
nothing loads an SOP's document.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from ..library.models import SopVersion
from ..monitoring.queries import last_monitored
from .models import Evaluation

DEFAULT_MONTHS = 12


def interval_months() -> int:
    """ALUR_EVALUATION_MONTHS, at least 1 (a wrong setting falls back to the default)."""
    value = getattr(settings, "ALUR_EVALUATION_MONTHS", DEFAULT_MONTHS)
    try:
        months = int(value)
    except (TypeError, ValueError):
        return DEFAULT_MONTHS
    return months if months >= 1 else DEFAULT_MONTHS


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, the month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def partial_date(text: object) -> dt.date | None:
    """A document date (YYYY-MM-DD or YYYY-MM) as a date; None when absent or unreadable."""
    if not isinstance(text, str) or not text:
        return None
    try:
        return dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
    except ValueError:
        return None


@dataclass(frozen=True)
class Due:
    """One SOP in force and its evaluation schedule."""

    sop_id: int
    sop_public_id: str
    version_id: int
    name: str
    number: str
    unit_id: int
    unit_name: str
    effective: dt.date
    due_on: dt.date
    last_evaluated: dt.date | None
    last_monitored: dt.date | None
    planned_revision: dt.date | None  # from the document, when after the effective date

    def overdue(self, today: dt.date) -> bool:
        return self.due_on <= today

    def revision_ahead(self, today: dt.date) -> bool:
        return self.planned_revision is not None and self.planned_revision > today

    def listed(self, today: dt.date) -> bool:
        """On the list of `/evaluasi/`: due, never evaluated, never monitored, or a planned
        revision still ahead."""
        return (self.overdue(today) or self.last_evaluated is None
                or self.last_monitored is None or self.revision_ahead(today))


def schedule(unit_ids: Iterable[int], today: dt.date | None = None) -> list[Due]:
    """Every SOP in force in the units with its due date, the soonest due first."""
    today = today or timezone.localdate()
    months = interval_months()
    rows = list(SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN,
                                          sop__unit_id__in=set(unit_ids),
                                          effective_date__lte=today)
                .order_by("sop_id", "-number")
                .values_list("pk", "sop_id", "sop__public_id", "name", "sop_number",
                             "sop__unit_id", "sop__unit__name", "effective_date",
                             "content__dates__revised"))
    seen: set[int] = set()
    versions = []
    for row in rows:  # the newest approved version of each SOP is the one in force
        if row[1] not in seen:
            seen.add(row[1])
            versions.append(row)
    sop_ids = [row[1] for row in versions]
    evaluated = {sop: moment for sop, moment in Evaluation.objects
                 .filter(sop_id__in=sop_ids, finalised_at__isnull=False)
                 .values_list("sop_id").annotate(last=Max("finalised_at"))
                 .values_list("sop_id", "last")}
    monitored = last_monitored(sop_ids)
    out = []
    for pk, sop_id, public_id, name, number, unit_id, unit_name, effective, revised in versions:
        if effective is None:  # excluded by the filter; says so to the type checker
            continue
        last = timezone.localtime(evaluated[sop_id]).date() if sop_id in evaluated else None
        base = max(effective, last) if last else effective
        due_on = add_months(base, months)
        planned = partial_date(revised)
        if planned is not None and planned <= effective:
            planned = None  # the date of a revision already made, not a plan
        if planned is not None and planned > base:
            due_on = min(due_on, planned)
        out.append(Due(sop_id, str(public_id), pk, name, number, unit_id, unit_name,
                       effective, due_on, last, monitored.get(sop_id), planned))
    return sorted(out, key=lambda d: (d.due_on, d.name.lower(), d.sop_id))


def due_list(unit_ids: Iterable[int], today: dt.date | None = None) -> list[Due]:
    """The SOPs `/evaluasi/` lists (see `Due.listed`)."""
    today = today or timezone.localdate()
    return [d for d in schedule(unit_ids, today) if d.listed(today)]


def falling_due(unit_ids: Iterable[int], today: dt.date | None = None) -> list[Due]:
    """The SOPs whose evaluation is due today or overdue: Tugas saya and the notices."""
    today = today or timezone.localdate()
    return [d for d in schedule(unit_ids, today) if d.overdue(today)]
