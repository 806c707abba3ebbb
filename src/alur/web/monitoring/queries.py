"""What other apps ask about monitoring: the judgements of an SOP's rows in the semester
forms, and when each SOP was last monitored."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class MonitoringResult:
    """One row of a semester form about an SOP."""

    year: int
    semester: int
    unit_name: str
    judgement: str  # "baik" | "tidak_baik" | "belum_ada_data"
    judgement_label: str
    notes: str
    action: str
    finalised: bool
    url: str


def results_for_sop(sop_id: int, since: dt.date, until: dt.date) -> list[MonitoringResult]:
    """The rows about the SOP in forms whose semester overlaps [since, until], oldest first."""
    return []


def last_monitored(sop_ids: Iterable[int]) -> dict[int, dt.date]:
    """Per SOP (library.Sop pk), the last day of the semester of its newest finalised row."""
    return {}
