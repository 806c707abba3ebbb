"""An SOP version compiled for running: what each step is and where each exit leads.

Built once per SOP version and shared by every case of it (the web layer caches it), so a
transition does no parsing. Flow comes from `alur.sop.flow.successors`, the one definition of
"what follows a step" that the checker and the renderer use too.
"""

from __future__ import annotations

from dataclasses import dataclass

from alur.i18n import gettext as _
from alur.sop.duration import DEFAULT_CALENDAR, WorkCalendar, parse_duration
from alur.sop.flow import successors
from alur.sop.model import Sop, StepKind

from .errors import DefinitionError

# Marker rows ("Mulai", "Selesai") are passed through; they are never anybody's task.
PASS_THROUGH_KINDS: frozenset[StepKind] = frozenset({"start", "end"})


@dataclass(frozen=True)
class StepSpec:
    """One step as the engine needs it."""

    number: int
    activity: str
    kind: StepKind
    actors: tuple[str, ...]
    joint_all: bool
    minutes: int | None
    inputs: tuple[str, ...]
    outputs: tuple[str, ...]
    calls: str | None
    # Where the flow goes next: the plain exit, or the Ya/Tidak exits of a decision.
    # None as a target means the procedure ends.
    next: int | None
    on_yes: int | None
    on_no: int | None

    @property
    def is_decision(self) -> bool:
        return self.kind == "decision"

    @property
    def is_task(self) -> bool:
        return self.kind not in PASS_THROUGH_KINDS


@dataclass(frozen=True)
class Definition:
    """A runnable SOP: its steps by number, the first step, the actors' names, and which
    actors stand for the applicant (their tasks go to whoever started the case)."""

    sop_id: str
    name: str
    steps: dict[int, StepSpec]
    first: int
    actor_names: dict[str, str]
    applicants: frozenset[str] = frozenset()

    @classmethod
    def from_sop(cls, sop: Sop, calendar: WorkCalendar = DEFAULT_CALENDAR) -> Definition:
        """Compile `sop`, refusing what cannot run so no case ever starts on a broken flow."""
        if not sop.steps:
            raise DefinitionError(_("The SOP has no steps."))
        numbers = {step.number for step in sop.steps}
        if len(numbers) != len(sop.steps):
            raise DefinitionError(_("The SOP has duplicate step numbers."))
        actor_ids = {actor.id for actor in sop.actors}
        specs: dict[int, StepSpec] = {}
        for step in sop.steps:
            exits: dict[str | None, int | None] = {}
            for edge in successors(sop, step):
                if edge.target is not None and edge.target not in numbers:
                    raise DefinitionError(
                        _("Step {number} leads to step {target}, which does not exist.")
                        .format(number=step.number, target=edge.target))
                exits[edge.label] = edge.target
            if step.kind == "decision" and ("ya" not in exits or "tidak" not in exits):
                raise DefinitionError(
                    _("Decision step {number} needs both a Yes and a No exit.")
                    .format(number=step.number))
            unknown = [a for a in step.actors if a not in actor_ids]
            if unknown:
                raise DefinitionError(
                    _("Step {number} names an unknown actor: {actor}.")
                    .format(number=step.number, actor=", ".join(unknown)))
            duration = parse_duration(step.time, calendar)
            specs[step.number] = StepSpec(
                number=step.number,
                activity=step.activity_text,
                kind=step.kind,
                actors=tuple(dict.fromkeys(step.actors)),
                joint_all=step.joint == "all",
                # The standard is a limit: a range "1-2 hari" is due at its upper end.
                minutes=duration.max if duration else None,
                inputs=tuple(step.inputs),
                outputs=tuple(step.outputs),
                calls=step.calls,
                next=exits.get(None),
                on_yes=exits.get("ya"),
                on_no=exits.get("tidak"),
            )
        definition = cls(
            sop_id=sop.id, name=sop.name, steps=specs, first=sop.steps[0].number,
            actor_names={actor.id: actor.name for actor in sop.actors},
            applicants=frozenset(actor.id for actor in sop.actors if actor.applicant))
        definition._refuse_task_free_loops()
        return definition

    def step(self, number: int) -> StepSpec:
        return self.steps[number]

    def _refuse_task_free_loops(self) -> None:
        """A cycle made only of Mulai/Selesai rows would spin forever without anyone acting."""
        for number, spec in self.steps.items():
            seen = {number}
            current = spec
            while not current.is_task and current.next is not None:
                if current.next in seen:
                    raise DefinitionError(
                        _("Steps {numbers} form a loop in which nobody acts.")
                        .format(numbers=", ".join(str(n) for n in sorted(seen))))
                seen.add(current.next)
                current = self.steps[current.next]
