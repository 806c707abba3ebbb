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

from . import flow
from .duration import DEFAULT_CALENDAR, WorkCalendar, parse_duration
from .findings import Finding, Severity
from .model import Sop, Step

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


@dataclass(frozen=True)
class CheckConfig:
    """Tunable expectations. `max_actors`: sop-ap.md says usually 3–6 actor columns (R)."""

    max_actors: int = 6
    calendar: WorkCalendar = field(default_factory=lambda: DEFAULT_CALENDAR)
    report_inferred: bool = True


# The identity sheet's lists: the message when one is empty (a msgid), and its severity.
IDENTITY_LISTS = {
    "legal_basis": (N_("Legal basis is not filled in."), W),
    "qualifications": (N_("Implementer qualifications are not filled in."), W),
    "related": (N_("Related procedures are not filled in."), INFO),
    "equipment": (N_("Equipment/supplies are not filled in."), W),
    "warnings": (N_("Warnings are not filled in."), W),
    "records": (N_("Recording and data collection is not filled in."), W),
}

# Step fields as a reader names them (msgids), for step.inferred.
FIELD_LABELS = {
    "actors": N_("actor"), "kind": N_("step kind"), "on_yes": N_("Yes branch"),
    "on_no": N_("No branch"), "next": N_("next step"), "number": N_("number"),
    "time": N_("time"), "calls": N_("called SOP"),
}

# A reference to a step that does not exist, by the field that holds it.
_REFERENCE_MESSAGES = (
    ("next", N_("Step {number}: the next step points to step {target}, which does not exist.")),
    ("on_yes",
     N_("Step {number}: the Yes branch points to step {target}, which does not exist.")),
    ("on_no",
     N_("Step {number}: the No branch points to step {target}, which does not exist.")),
)


class _Collector:
    def __init__(self, sop: Sop) -> None:
        self.sop = sop
        self.findings: list[Finding] = []

    def add(self, severity: Severity, code: str, message: str, step: Step | None = None) -> None:
        line = step.source.line if step is not None and step.source else None
        file = step.source.file if step is not None and step.source else None
        self.findings.append(Finding(
            severity=severity, code=code, message=message, sop=self.sop.id,
            step=step.number if step is not None else None, line=line, file=file))


def check(sop: Sop, config: CheckConfig | None = None, *,
          known_sops: Collection[str] | None = None) -> list[Finding]:
    """All findings for one SOP. `known_sops`: ids that `calls` may name (None: not checked)."""
    config = config or CheckConfig()
    out = _Collector(sop)
    _check_identity(sop, out)
    _check_actors(sop, out, config)
    if not sop.steps:
        out.add(E, "steps.none", _("The SOP has no procedure steps."))
        return out.findings
    _check_numbers(sop, out)
    for step in sop.steps:
        _check_step(sop, step, out, config, known_sops)
    _check_flow(sop, out)
    return out.findings


def _check_identity(sop: Sop, out: _Collector) -> None:
    if not sop.name.strip():
        out.add(E, "identity.name", _("The SOP name is not filled in."))
    if not sop.number.strip():
        out.add(W, "identity.number", _("The SOP number is not filled in."))
    if not sop.organization:
        out.add(W, "identity.organization", _("The agency/work unit name is not filled in."))
    if not sop.dates.created:
        out.add(W, "identity.date-created", _("The creation date is not filled in."))
    if not sop.dates.effective:
        out.add(W, "identity.date-effective", _("The effective date is not filled in."))
    if not sop.approved_by.title.strip():
        out.add(W, "identity.approver-title",
                _("The approver's position (Approved by) is not filled in."))
    if not sop.approved_by.name.strip():
        out.add(W, "identity.approver-name", _("The approving official's name is not filled in."))
    nip = sop.approved_by.nip.replace(" ", "")
    if nip and (not nip.isdigit() or len(nip) != 18):
        out.add(W, "identity.nip", _("The approver's NIP '{nip}' is not 18 digits.").format(
            nip=sop.approved_by.nip))
    for key, (message, severity) in IDENTITY_LISTS.items():
        if not getattr(sop, key):
            out.add(severity, f"identity.{key.replace('_', '-')}", _(message))


def _check_actors(sop: Sop, out: _Collector, config: CheckConfig) -> None:
    counts = Counter(a.id for a in sop.actors)
    for actor_id, count in counts.items():
        if count > 1:
            out.add(E, "actor.duplicate", _("Actor id '{actor}' is used {count} times.").format(
                actor=actor_id, count=count))
    if not sop.actors:
        out.add(E, "actor.none", _("The SOP has no actor columns."))
    if len(sop.actors) > config.max_actors:
        out.add(W, "actor.too-many",
                _("The SOP has {count} actors, more than {maximum}; the flowchart will be hard "
                  "to read.").format(count=len(sop.actors), maximum=config.max_actors))
    used = {a for s in sop.steps for a in s.actors}
    for actor in sop.actors:
        if actor.id not in used:
            out.add(W, "actor.unused",
                    _("Actor '{name}' does not perform a single step.").format(name=actor.name))


def _check_numbers(sop: Sop, out: _Collector) -> None:
    counts = Counter(s.number for s in sop.steps)
    reported: set[int] = set()
    previous: Step | None = None
    for step in sop.steps:
        if counts[step.number] > 1 and step.number not in reported:
            reported.add(step.number)
            out.add(E, "step.duplicate",
                    _("Step number {number} is used {count} times.").format(
                        number=step.number, count=counts[step.number]), step)
        if previous is not None:
            gap = step.number - previous.number
            if gap == 2:
                out.add(W, "step.gap",
                        _("Step numbers jump from {previous} to {number}: step {missing} is "
                          "missing.").format(previous=previous.number, number=step.number,
                                             missing=previous.number + 1), step)
            elif gap > 2:
                out.add(W, "step.gap",
                        _("Step numbers jump from {previous} to {number}: steps {first}–{last} "
                          "are missing.").format(previous=previous.number, number=step.number,
                                                 first=previous.number + 1,
                                                 last=step.number - 1), step)
            elif gap < 1 and counts[step.number] == 1:
                out.add(W, "step.order",
                        _("Step {number} is written after step {previous}.").format(
                            number=step.number, previous=previous.number), step)
        previous = step


def _check_step(sop: Sop, step: Step, out: _Collector, config: CheckConfig,
                known_sops: Collection[str] | None) -> None:
    marker = step.kind in ("start", "end")
    number = step.number
    if not step.activity_text.strip() and not marker:
        out.add(E, "step.activity",
                _("Step {number} has no activity description.").format(number=number), step)
    if not step.actors and not marker:
        out.add(E, "step.actor-missing", _("Step {number} has no actor.").format(number=number),
                step)
    known_actors = {a.id for a in sop.actors}
    for actor_id in step.actors:
        if actor_id not in known_actors:
            out.add(E, "step.actor-unknown",
                    _("Step {number} names actor '{actor}', which is not in the list of "
                      "actors.").format(number=number, actor=actor_id), step)
    for key, message in _REFERENCE_MESSAGES:
        target = getattr(step, key)
        if target is not None and sop.step(target) is None:
            out.add(E, "step.ref-unknown", _(message).format(number=number, target=target),
                    step)
    if step.kind == "decision":
        if step.on_yes is None or step.on_no is None:
            out.add(E, "decision.exits",
                    _("The decision at step {number} must have both a Yes and a No "
                      "branch.").format(number=number), step)
        if step.next is not None:
            out.add(E, "decision.next",
                    _("The decision at step {number} must not use 'next'; use the Yes/No "
                      "branches.").format(number=number), step)
    elif step.on_yes is not None or step.on_no is not None:
        out.add(E, "step.exits-not-decision",
                _("Step {number} has Yes/No branches but is not a decision.").format(
                    number=number), step)
    if step.calls is not None:
        if step.calls == sop.id:
            out.add(E, "step.calls-self",
                    _("Step {number} calls this SOP itself.").format(number=number), step)
        elif known_sops is not None and step.calls not in known_sops:
            out.add(E, "step.calls-unknown",
                    _("Step {number} calls SOP '{sop}', which is not in the library.").format(
                        number=number, sop=step.calls), step)
    if step.joint is not None and len(step.actors) < 2:
        out.add(W, "step.joint-single-actor",
                _("Step {number} says how a joint step finishes ('joint: {joint}') but has "
                  "fewer than two actors.").format(number=number, joint=step.joint), step)
    if marker:
        return
    if not (step.time or "").strip():
        out.add(W, "step.time-missing",
                _("Step {number} has no standard time.").format(number=number), step)
    elif parse_duration(step.time, config.calendar) is None:
        out.add(W, "step.time-unparsed",
                _("The time of step {number}, '{time}', is not a duration that can be "
                  "calculated; the text is kept as written.").format(number=number,
                                                                       time=step.time), step)
    if not step.inputs:
        out.add(W, "step.inputs-missing",
                _("Step {number} has no requirements (inputs).").format(number=number), step)
    if not step.outputs:
        out.add(W, "step.outputs-missing",
                _("Step {number} has no output.").format(number=number), step)
    if config.report_inferred and step.inferred:
        fields = ", ".join(_(FIELD_LABELS[f]) if f in FIELD_LABELS else f
                           for f in step.inferred)
        out.add(INFO, "step.inferred",
                # Translators: {fields} is a list of step fields, e.g. "actor, step kind".
                _("Step {number}: {fields} inferred, not written in the source.").format(
                    number=number, fields=fields), step)


def _check_flow(sop: Sop, out: _Collector) -> None:
    starts = [s for s in sop.steps if s.kind == "start"]
    if starts and starts[0] is not sop.steps[0]:
        out.add(W, "flow.start-not-first",
                _("The start step ({number}) is not the first step.").format(
                    number=starts[0].number), starts[0])
    if len(starts) > 1:
        out.add(W, "flow.many-starts", _("The SOP has more than one start step."), starts[1])
    reached = flow.reachable(sop)
    for step in sop.steps:
        if step.number not in reached:
            out.add(E, "flow.unreachable",
                    _("Step {number} is never reached from the first step.").format(
                        number=step.number), step)
    ending = flow.reaching_end(sop)
    in_loop: set[int] = set()
    for component in flow.cycles(sop):
        if not any(n in ending for n in component):
            in_loop.update(component)
            first = sop.step(component[0])
            members = ", ".join(str(n) for n in component)
            out.add(E, "flow.loop-no-exit",
                    # Translators: {steps} is a list of step numbers, e.g. "3, 4, 5".
                    _("The loop of steps {steps} has no way out.").format(steps=members), first)
    for step in sop.steps:
        if step.number in reached and step.number not in ending and step.number not in in_loop:
            out.add(E, "flow.no-end",
                    _("There is no path from step {number} to the end of the "
                      "procedure.").format(number=step.number), step)
