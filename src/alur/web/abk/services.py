"""The ABK of a unit from the database: the unit's SOPs (and those of the units below), each
SOP's yearly volume (entered, or counted from the cases of the last twelve months), the
actor→position links of the library and the people who hold each position today.

The arithmetic is `alur.analysis.workload`'s (workload = Σ volume × standard time of the steps
an actor performs; staff needed = workload ÷ JKE; EJ = workload ÷ (JKE × people)): this module
only gathers its inputs. Each actor column is keyed by the position it is linked to, so two
SOPs whose columns play the same position add up on one row; a column linked to no position
gets a row of its own, by name, with nobody counted as holding it.

An SOP without a volume adds nothing and is listed with an "isi volume" prompt: its work is
unknown, never zero. What the figures cover is only the work written in SOPs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from alur.analysis import (
    DEFAULT_JKE_HOURS,
    MinuteRange,
    SopStandard,
    WorkloadRow,
    name_key,
    standard_time,
    workload,
)
from alur.sop.model import Actor
from alur.sop.model import Sop as SopDocument

from ..cases.models import Case
from ..library.models import ActorLink, Sop, SopVersion
from ..org.models import Assignment, Position, Unit, in_force_on
from .models import Volume

ENTERED = Volume.Source.ENTERED.value
COUNTED = Volume.Source.COUNTED.value


def count_acting() -> bool:
    """Whether acting officials (Plt, Plh) count among the people holding a position: the
    agency's choice, `ALUR_ABK_COUNT_ACTING` (default no: they hold another position too)."""
    return bool(getattr(settings, "ALUR_ABK_COUNT_ACTING", False))


@dataclass(frozen=True)
class Params:
    """What the page and the API are asked: the year, the JKE in hours a year and which end
    of a time range counts."""

    year: int
    jke_hours: float = DEFAULT_JKE_HOURS
    upper: bool = True


def count_window(year: int, today: dt.date) -> tuple[dt.date, dt.date]:
    """The days whose cases count as a year's volume, both included: the last twelve months up
    to today for this year (or a later one), the calendar year for a past year."""
    if year >= today.year:
        return today - dt.timedelta(days=365) + dt.timedelta(days=1), today
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


@dataclass
class SopLine:
    """One SOP of the unit: its volume and where it comes from."""

    sop: Sop
    version: SopVersion
    document: SopDocument
    standard: SopStandard
    counted: int
    entered: int | None
    source: str | None  # ENTERED, COUNTED or None (nothing chosen)

    @property
    def chosen(self) -> str | None:
        """Where the volume comes from: the choice stored for the year; without one, the
        cases counted when there are any (a proposal the page says is one)."""
        if self.source:
            return self.source
        return COUNTED if self.counted else None

    @property
    def proposed(self) -> bool:
        """The volume is counted from cases because nobody chose yet."""
        return not self.source and self.chosen == COUNTED

    @property
    def volume(self) -> int | None:
        if self.chosen == ENTERED:
            return self.entered
        if self.chosen == COUNTED:
            return self.counted
        return None

    @property
    def key(self) -> str:
        """The SOP's id in the workload arithmetic: unique across the units (slugs are
        unique within a unit only)."""
        return f"sop-{self.sop.pk}"

    @property
    def name(self) -> str:
        return self.version.name or self.sop.slug

    @property
    def in_force(self) -> bool:
        return self.version.in_force


@dataclass(frozen=True)
class StepLine:
    """A step an actor column performs, with its yearly load (None when unknown)."""

    sop: SopLine
    number: int
    activity: str
    outputs: str
    minutes: MinuteRange | None
    upper: bool

    @property
    def volume(self) -> int | None:
        return self.sop.volume

    @property
    def norm(self) -> int | None:
        """Working minutes of one performance at the chosen end of its range."""
        return None if self.minutes is None else self.minutes.end(self.upper)

    @property
    def load_minutes(self) -> int | None:
        if self.norm is None or self.volume is None:
            return None
        return self.volume * self.norm


@dataclass
class PositionLine:
    """One position's row: the workload of the SOPs with a volume, the steps behind it and
    the SOPs whose volume is still missing."""

    key: str
    name: str
    unit: Unit | None
    position: Position | None
    row: WorkloadRow | None  # None: none of its SOPs has a volume yet
    people: int | None
    steps: list[StepLine] = field(default_factory=list)
    without_volume: list[SopLine] = field(default_factory=list)

    @property
    def minutes_per_year(self) -> int | None:
        return None if self.row is None else self.row.minutes_per_year

    @property
    def staff_needed(self) -> float | None:
        return None if self.row is None else self.row.staff_needed

    @property
    def ej(self) -> float | None:
        return None if self.row is None else self.row.ej

    @property
    def grade(self) -> str | None:
        return None if self.row is None else self.row.grade()


@dataclass
class Abk:
    unit: Unit
    params: Params
    window: tuple[dt.date, dt.date]
    acting_counted: bool
    sops: list[SopLine]
    positions: list[PositionLine]
    idle_positions: list[Position]  # positions of the unit that perform no SOP step

    @property
    def missing_volumes(self) -> list[SopLine]:
        return [s for s in self.sops if s.volume is None]


def _versions(unit_ids: Iterable[int], today: dt.date) -> list[tuple[Sop, SopVersion]]:
    """Each SOP's version in force, or its newest version while none is in force yet; revoked
    and replaced SOPs are left out."""
    sops = list(Sop.objects.filter(unit_id__in=list(unit_ids))
                .select_related("unit", "latest_version").order_by("unit__name", "slug"))
    in_force: dict[int, SopVersion] = {}
    for approved in SopVersion.objects.filter(
            sop__in=sops, status=SopVersion.Status.DISAHKAN, effective_date__lte=today) \
            .order_by("sop_id", "-number"):
        in_force.setdefault(approved.sop_id, approved)
    chosen = []
    for sop in sops:
        version: SopVersion | None = in_force.get(sop.pk) or sop.latest_version
        if version is None or version.status in (SopVersion.Status.DICABUT,
                                                 SopVersion.Status.DIGANTI):
            continue
        chosen.append((sop, version))
    return chosen


def counted_volumes(sop_ids: Iterable[int], window: tuple[dt.date, dt.date]) -> dict[int, int]:
    """Cases started per SOP in the window (COUNT in SQL)."""
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(window[0], dt.time.min, tz)
    end = dt.datetime.combine(window[1] + dt.timedelta(days=1), dt.time.min, tz)
    return dict(Case.objects.filter(sop_id__in=list(sop_ids), started_at__gte=start,
                                    started_at__lt=end)
                .values("sop_id").annotate(n=Count("pk")).values_list("sop_id", "n"))


def sop_lines(unit: Unit, year: int, today: dt.date | None = None) -> list[SopLine]:
    """The unit's SOPs (and those below) with their volumes for the year."""
    today = today or timezone.localdate()
    pairs = _versions(unit.descendant_ids(), today)
    sop_ids = [sop.pk for sop, _ in pairs]
    counted = counted_volumes(sop_ids, count_window(year, today))
    stored = {v.sop_id: v for v in Volume.objects.filter(sop_id__in=sop_ids, year=year)}
    lines = []
    for sop, version in pairs:
        document = version.document
        saved = stored.get(sop.pk)
        lines.append(SopLine(sop, version, document, standard_time(document),
                             counted.get(sop.pk, 0), saved.volume if saved else None,
                             saved.source if saved else None))
    return lines


def _people(position_ids: Iterable[int], today: dt.date, acting: bool) -> dict[int, int]:
    """People holding each position today; acting holdings (Plt, Plh) only when `acting`."""
    held = Assignment.objects.filter(Q(position_id__in=list(position_ids)) & in_force_on(today))
    if not acting:
        held = held.filter(kind=Assignment.Kind.DEFINITIF)
    return dict(held.values("position_id").annotate(n=Count("person_id", distinct=True))
                .values_list("position_id", "n"))


def unit_abk(unit: Unit, params: Params, today: dt.date | None = None,
             lines: list[SopLine] | None = None) -> Abk:
    """The ABK of `unit` (its SOPs and those of the units below) for `params`; `lines`, when
    the caller has them already, are `sop_lines(unit, params.year, today)`."""
    today = today or timezone.localdate()
    acting = count_acting()
    if lines is None:
        lines = sop_lines(unit, params.year, today)
    by_key = {line.key: line for line in lines}
    links: dict[tuple[int, str], Position] = {
        (link.sop_id, link.actor_id): link.position
        for link in ActorLink.objects.filter(
            sop_id__in=[line.sop.pk for line in lines]).select_related("position__unit")}

    def key(sop: SopDocument, actor: Actor) -> str:
        position = links.get((by_key[sop.id].sop.pk, actor.id))
        return f"p{position.pk}" if position else "a:" + (name_key(actor.name) or actor.id)

    # The documents under their unique keys, so that workload() tells SOPs apart.
    documents = [(line.document.model_copy(update={"id": line.key}), line) for line in lines]
    positions: dict[str, Position | None] = {}
    names: dict[str, str] = {}
    steps: dict[str, list[StepLine]] = {}
    missing: dict[str, list[SopLine]] = {}
    for document, line in documents:
        times = {a.actor_id: a for a in line.standard.actors}
        by_number = {s.number: s for s in document.steps}
        for actor in document.actors:
            time = times.get(actor.id)
            if actor.applicant or time is None or not time.steps:
                continue
            k = key(document, actor)
            position = links.get((line.sop.pk, actor.id))
            positions.setdefault(k, position)
            names.setdefault(k, position.name if position else actor.name)
            if line.volume is None and line not in missing.setdefault(k, []):
                missing[k].append(line)
            for number in time.steps:
                step = by_number[number]
                steps.setdefault(k, []).append(StepLine(
                    line, number, step.activity_text, ", ".join(step.outputs),
                    line.standard.step_minutes.get(number), params.upper))
    position_ids = [p.pk for p in positions.values() if p is not None]
    held = _people(position_ids, today, acting)
    people = {k: held.get(p.pk, 0) for k, p in positions.items() if p is not None}
    volumes = {line.key: line.volume for line in lines if line.volume is not None}
    rows = {r.key: r for r in workload(
        [(doc, line.standard) for doc, line in documents], volumes,
        jke_hours=params.jke_hours, upper=params.upper, people=people, key=key)}
    result = []
    for k in names:
        position = positions[k]
        result.append(PositionLine(k, names[k], position.unit if position else None, position,
                                   rows.get(k), people.get(k), steps.get(k, []),
                                   missing.get(k, [])))
    order = {k: i for i, k in enumerate(rows)}  # workload()'s order: heaviest first
    result.sort(key=lambda p: (order.get(p.key, len(order)), p.name.casefold()))
    idle = list(Position.objects.filter(unit_id__in=unit.descendant_ids())
                .exclude(pk__in=position_ids).select_related("unit").order_by("unit__name",
                                                                               "name"))
    return Abk(unit, params, count_window(params.year, today), acting, lines, result, idle)


def save_volumes(lines: Iterable[SopLine], year: int, chosen: dict[int, tuple[str, int | None]],
                 user: object) -> None:
    """Store each SOP's choice for the year: (source, entered number); an empty source
    forgets the SOP's volume (its work is unknown again)."""
    for line in lines:
        source, number = chosen.get(line.sop.pk, ("", None))
        if not source:
            Volume.objects.filter(sop=line.sop, year=year).delete()
            continue
        Volume.objects.update_or_create(sop=line.sop, year=year, defaults={
            "source": source, "volume": number, "entered_by": user})
