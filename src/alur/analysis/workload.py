"""Workload analysis (Analisis Beban Kerja, ABK) from SOP time standards and yearly volumes.

Permenpan RB 1/2020: workload = Σ yearly volume × standard time of the activity; staff needed =
workload ÷ effective working time (JKE); job effectiveness EJ = workload ÷ (JKE × people who
hold the position), graded A–E. Here an activity is an SOP step, and the position is the actor
column that performs it:

- every step counts once (the SOP's table, not a route through it), and a joint step counts
  in full for each of its actors;
- `applicant` actors (PNS, Pemohon: whoever starts a case) are no position and are left out;
- a range ("1-2 hari") uses its upper end by default (`upper=False` for the lower end); both
  ends are always reported;
- only SOPs given a volume count: without one an SOP's work is unknown, not zero;
- JKE is a parameter: 1.250 h/year (Permenpan RB 1/2020) by default; 1.200 h (Perka BKN
  19/2011) and ~1.300 h are used elsewhere.

It covers only the work written in SOPs: a position's other duties are not in these figures.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from alur.i18n import N_
from alur.sop.model import Actor, Sop

from .standard import ActorTime, MinuteRange, SopStandard

__all__ = [
    "DEFAULT_BANDS",
    "DEFAULT_JKE_HOURS",
    "GRADE_BANDS_NOTE",
    "Band",
    "WorkloadRow",
    "actor_key",
    "grade",
    "name_key",
    "workload",
]

DEFAULT_JKE_HOURS = 1250.0
"""Effective working time a year (jam kerja efektif), Permenpan RB 1/2020."""


@dataclass(frozen=True)
class Band:
    """A grade given to an EJ above `above` (or at it, when `inclusive`); None: any EJ."""

    grade: str
    above: float | None
    inclusive: bool = True


DEFAULT_BANDS: tuple[Band, ...] = (
    Band("A", 1.00, inclusive=False),  # > 1,00
    Band("B", 0.81),                   # 0,81 – 1,00
    Band("C", 0.66),                   # 0,66 – 0,80
    Band("D", 0.50),                   # 0,50 – 0,65
    Band("E", None),                   # < 0,50
)
GRADE_BANDS_NOTE = N_("The grade bands (A > 1.00, B 0.81-1.00, C 0.66-0.80, D 0.50-0.65, "
                    "E < 0.50) are not verified from the regulation's text; public "
                    "implementations disagree, so they are a setting.")
"""Why the bands are a parameter. Shown (translated) wherever grades are shown."""


def _two_decimals(value: float) -> Decimal:
    return Decimal(repr(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def grade(ej: float, bands: Iterable[Band] = DEFAULT_BANDS) -> str:
    """The grade of `ej` as it is shown, rounded half up to two decimals (so 0,805 is shown
    as 0,81 and graded B): the bands are written with two decimals and leave no gap then.
    `bands` go from the highest grade down; the first that `ej` reaches gives the grade."""
    shown = _two_decimals(ej)
    last = ""
    for band in bands:
        last = band.grade
        if band.above is None:
            return band.grade
        limit = _two_decimals(band.above)
        if shown > limit or (band.inclusive and shown == limit):
            return band.grade
    return last


_KEY_JUNK = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """A position's name with case, punctuation and spacing ignored: "Pengadm. Umum" and
    "pengadm umum" are one key."""
    return _KEY_JUNK.sub(" ", name.casefold()).strip()


def actor_key(sop: Sop, actor: Actor) -> str:
    """Which position an actor column stands for across SOPs: its name as :func:`name_key`
    gives it, so "Kabag" in two SOPs is one position."""
    return name_key(actor.name) or actor.id


@dataclass(frozen=True)
class WorkloadRow:
    """One position's yearly workload over the SOPs that have a volume."""

    key: str
    actor: str
    minutes: MinuteRange | None  # per year, both ends
    upper: bool  # which end `minutes_per_year` and the staff figures use
    jke_hours: float
    people: int | None = None
    sops: tuple[str, ...] = ()
    steps_without_time: tuple[tuple[str, int], ...] = ()

    @property
    def minutes_per_year(self) -> int | None:
        return None if self.minutes is None else self.minutes.end(self.upper)

    @property
    def staff_needed(self) -> float | None:
        """Workload ÷ JKE."""
        if self.minutes_per_year is None:
            return None
        return self.minutes_per_year / (self.jke_hours * 60)

    @property
    def ej(self) -> float | None:
        """Workload ÷ (JKE × people); None when the number of people is not known (or 0)."""
        if self.staff_needed is None or not self.people:
            return None
        return self.staff_needed / self.people

    def grade(self, bands: Iterable[Band] = DEFAULT_BANDS) -> str | None:
        return None if self.ej is None else grade(self.ej, bands)


ActorKey = Callable[[Sop, Actor], str]


def workload(items: Iterable[tuple[Sop, SopStandard]], volumes: Mapping[str, int],
             *, jke_hours: float = DEFAULT_JKE_HOURS, upper: bool = True,
             people: Mapping[str, int] | None = None,
             key: ActorKey = actor_key) -> list[WorkloadRow]:
    """The workload per position, for the SOPs with a yearly volume in `volumes` (by SOP id).

    `people` gives the number of people holding a position, by its key (`key(sop, actor)`,
    the normalised name by default); EJ and grade need it. Rows come out heaviest first;
    positions whose work has no known time come last with `minutes` None.
    """
    if jke_hours <= 0:
        raise ValueError("jke_hours must be positive")
    people = people or {}
    names: dict[str, str] = {}
    totals: dict[str, MinuteRange | None] = {}
    sops: dict[str, list[str]] = {}
    missing: dict[str, list[tuple[str, int]]] = {}
    for sop, standard in items:
        volume = volumes.get(sop.id)
        if volume is None:
            continue
        if volume < 0:
            raise ValueError(f"the volume of {sop.id} is negative")
        by_id: dict[str, ActorTime] = {a.actor_id: a for a in standard.actors}
        for actor in sop.actors:
            if actor.applicant:
                continue
            time = by_id.get(actor.id)
            if time is None or not time.steps:
                continue
            k = key(sop, actor)
            names.setdefault(k, actor.name)
            sops.setdefault(k, []).append(sop.id)
            lacking = [(sop.id, n) for n in time.steps if standard.step_minutes.get(n) is None]
            missing.setdefault(k, []).extend(lacking)
            before = totals.get(k)
            if time.minutes is None:
                totals.setdefault(k, None)
                continue
            added = MinuteRange(volume * time.minutes.min, volume * time.minutes.max)
            totals[k] = added if before is None else before + added
    rows = [WorkloadRow(k, names[k], totals[k], upper, jke_hours, people.get(k),
                        tuple(dict.fromkeys(sops[k])), tuple(missing[k])) for k in names]
    rows.sort(key=lambda r: (r.minutes_per_year is None, -(r.minutes_per_year or 0), r.actor))
    return rows
