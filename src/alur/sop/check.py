"""The checker: an SOP measured against the Permenpan RB 35/2012 rules and the format's rules.

It returns findings and never raises, so the editor, the importer and `alur check` can all show
every problem of an SOP at once. Practices the regulation does not fix (how many actors is too
many) are settings of `CheckConfig`, never hard errors.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field

from alur.i18n import N_, _

from . import codes, flow
from .codes import Code, Message
from .duration import DEFAULT_CALENDAR, WorkCalendar, parse_duration
from .findings import Finding
from .model import Sop, Step


@dataclass(frozen=True)
class CheckConfig:
    """Tunable expectations. `max_actors`: sop-ap.md says usually 3–6 actor columns (R)."""

    max_actors: int = 6
    calendar: WorkCalendar = field(default_factory=lambda: DEFAULT_CALENDAR)
    report_inferred: bool = True


# The identity sheet's lists, each with the code that reports it empty.
IDENTITY_LISTS: dict[str, Code] = {
    "legal_basis": codes.IDENTITY_LEGAL_BASIS,
    "qualifications": codes.IDENTITY_QUALIFICATIONS,
    "related": codes.IDENTITY_RELATED,
    "equipment": codes.IDENTITY_EQUIPMENT,
    "warnings": codes.IDENTITY_WARNINGS,
    "records": codes.IDENTITY_RECORDS,
}

# Step fields as a reader names them (msgids), for step.inferred.
FIELD_LABELS = {
    "actors": N_("actor"), "kind": N_("step kind"), "on_yes": N_("Yes branch"),
    "on_no": N_("No branch"), "next": N_("next step"), "number": N_("number"),
    "time": N_("time"), "calls": N_("called SOP"),
}

# The fields that reference another step; each is a variant of step.ref-unknown.
_REFERENCES = ("next", "on_yes", "on_no")


class _Collector:
    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self.findings: list[Finding] = []

    def add(self, message: Message, step: Step | None = None) -> None:
        line = step.source.line if step is not None and step.source else None
        file = step.source.file if step is not None and step.source else None
        self.findings.append(message.at(sop=self.sop.id,
                                        step=step.number if step is not None else None,
                                        line=line, file=file))


def check(sop: Sop, config: CheckConfig | None = None, *,
          known_sops: Collection[str] | None = None) -> list[Finding]:
    """All findings for one SOP. `known_sops`: ids that `calls` may name (None: not checked)."""
    config = config or CheckConfig()
    out = _Collector(sop)
    _check_identity(sop, out)
    _check_actors(sop, out, config)
    if not sop.steps:
        out.add(codes.STEPS_NONE())
        return out.findings
    _check_numbers(sop, out)
    for step in sop.steps:
        _check_step(sop, step, out, config, known_sops)
    _check_flow(sop, out)
    return out.findings


def _check_identity(sop: Sop, out: _Collector) -> None:
    if not sop.name.strip():
        out.add(codes.IDENTITY_NAME())
    if not sop.number.strip():
        out.add(codes.IDENTITY_NUMBER())
    if not sop.organization:
        out.add(codes.IDENTITY_ORGANIZATION())
    if not sop.dates.created:
        out.add(codes.IDENTITY_DATE_CREATED())
    if not sop.dates.effective:
        out.add(codes.IDENTITY_DATE_EFFECTIVE())
    if not sop.approved_by.title.strip():
        out.add(codes.IDENTITY_APPROVER_TITLE())
    if not sop.approved_by.name.strip():
        out.add(codes.IDENTITY_APPROVER_NAME())
    nip = sop.approved_by.nip.replace(" ", "")
    if nip and (not nip.isdigit() or len(nip) != 18):
        out.add(codes.IDENTITY_NIP(nip=sop.approved_by.nip))
    for key, code in IDENTITY_LISTS.items():
        if not getattr(sop, key):
            out.add(code())


def _check_actors(sop: Sop, out: _Collector, config: CheckConfig) -> None:
    counts = Counter(a.id for a in sop.actors)
    for actor_id, count in counts.items():
        if count > 1:
            out.add(codes.ACTOR_DUPLICATE(actor=actor_id, count=count))
    if not sop.actors:
        out.add(codes.ACTOR_NONE())
    if len(sop.actors) > config.max_actors:
        out.add(codes.ACTOR_TOO_MANY(count=len(sop.actors), maximum=config.max_actors))
    used = {a for s in sop.steps for a in s.actors}
    for actor in sop.actors:
        if actor.id not in used:
            out.add(codes.ACTOR_UNUSED(name=actor.name))


def _check_numbers(sop: Sop, out: _Collector) -> None:
    counts = Counter(s.number for s in sop.steps)
    reported: set[int] = set()
    previous: Step | None = None
    for step in sop.steps:
        if counts[step.number] > 1 and step.number not in reported:
            reported.add(step.number)
            out.add(codes.STEP_DUPLICATE(number=step.number, count=counts[step.number]), step)
        if previous is not None:
            gap = step.number - previous.number
            if gap == 2:
                out.add(codes.STEP_GAP("one", previous=previous.number, number=step.number,
                                       missing=previous.number + 1), step)
            elif gap > 2:
                out.add(codes.STEP_GAP("many", previous=previous.number, number=step.number,
                                       first=previous.number + 1, last=step.number - 1), step)
            elif gap < 1 and counts[step.number] == 1:
                out.add(codes.STEP_ORDER(number=step.number, previous=previous.number), step)
        previous = step


def _check_step(sop: Sop, step: Step, out: _Collector, config: CheckConfig,
                known_sops: Collection[str] | None) -> None:
    marker = step.kind in ("start", "end")
    number = step.number
    if not step.activity_text.strip() and not marker:
        out.add(codes.STEP_ACTIVITY(number=number), step)
    if not step.actors and not marker:
        out.add(codes.STEP_ACTOR_MISSING(number=number), step)
    known_actors = {a.id for a in sop.actors}
    for actor_id in step.actors:
        if actor_id not in known_actors:
            out.add(codes.STEP_ACTOR_UNKNOWN(number=number, actor=actor_id), step)
    for key in _REFERENCES:
        target = getattr(step, key)
        if target is not None and sop.step(target) is None:
            out.add(codes.STEP_REF_UNKNOWN(key, number=number, target=target), step)
    if step.kind == "decision":
        if step.on_yes is None or step.on_no is None:
            out.add(codes.DECISION_EXITS(number=number), step)
        if step.next is not None:
            out.add(codes.DECISION_NEXT(number=number), step)
    elif step.on_yes is not None or step.on_no is not None:
        out.add(codes.STEP_EXITS_NOT_DECISION(number=number), step)
    if step.calls is not None:
        if step.calls == sop.id:
            out.add(codes.STEP_CALLS_SELF(number=number), step)
        elif known_sops is not None and step.calls not in known_sops:
            out.add(codes.STEP_CALLS_UNKNOWN(number=number, sop=step.calls), step)
    if step.joint is not None and len(step.actors) < 2:
        out.add(codes.STEP_JOINT_SINGLE_ACTOR(number=number, joint=step.joint), step)
    if marker:
        return
    if not (step.time or "").strip():
        out.add(codes.STEP_TIME_MISSING(number=number), step)
    elif parse_duration(step.time, config.calendar) is None:
        out.add(codes.STEP_TIME_UNPARSED(number=number, time=step.time), step)
    if not step.inputs:
        out.add(codes.STEP_INPUTS_MISSING(number=number), step)
    if not step.outputs:
        out.add(codes.STEP_OUTPUTS_MISSING(number=number), step)
    if config.report_inferred and step.inferred:
        fields = ", ".join(_(FIELD_LABELS[f]) if f in FIELD_LABELS else f
                           for f in step.inferred)
        out.add(codes.STEP_INFERRED(number=number, fields=fields), step)


def _check_flow(sop: Sop, out: _Collector) -> None:
    starts = [s for s in sop.steps if s.kind == "start"]
    if starts and starts[0] is not sop.steps[0]:
        out.add(codes.FLOW_START_NOT_FIRST(number=starts[0].number), starts[0])
    if len(starts) > 1:
        out.add(codes.FLOW_MANY_STARTS(), starts[1])
    reached = flow.reachable(sop)
    for step in sop.steps:
        if step.number not in reached:
            out.add(codes.FLOW_UNREACHABLE(number=step.number), step)
    ending = flow.reaching_end(sop)
    in_loop: set[int] = set()
    for component in flow.cycles(sop):
        if not any(n in ending for n in component):
            in_loop.update(component)
            first = sop.step(component[0])
            members = ", ".join(str(n) for n in component)
            out.add(codes.FLOW_LOOP_NO_EXIT(steps=members), first)
    for step in sop.steps:
        if step.number in reached and step.number not in ending and step.number not in in_loop:
            out.add(codes.FLOW_NO_END(number=step.number), step)
