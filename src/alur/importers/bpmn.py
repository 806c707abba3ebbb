"""BPMN 2.0 → `alur-sop/1`: each process of a model becomes one SOP.

What comes from the diagram itself, for any modeller's file (bpmn.io, Camunda Modeler, Signavio,
alur's own export): the SOP's name (process, else its pool), the actors (the leaf lanes, in
order, nested `childLaneSet`s included), the steps (tasks of every kind, call activities with
their `calledElement`, and named start/end events as `kind: start`/`end` rows), their order
and numbers (the sequence flows walked from the start event: a topological order where rework
loops are the edges back), and the decisions: an exclusive gateway's exits are read as Ya/Tidak
from their condition (a quoted answer, `true`/`false`) or their name ("Lengkap" / "Tidak
lengkap", "Disetujui" / "Ditolak" …); words other than Ya/Tidak are kept as the step's
`labels`. The task right before a gateway is the deciding step, as alur's export and most
hand-drawn models put the checking work there; a gateway without one is a decision step itself.

A step's documentation becomes its Keterangan, with text annotations linked to it; data objects
linked to it become its Kelengkapan (inputs) and Output. A file written by alur also carries
what BPMN cannot say (identity, numbers, times, lists) in `alur:` extension elements (see
`alur.render.bpmn`); the importer takes that data but still reads steps, actors, kinds, exits
and calls from the diagram, so an edit made in a modeller wins.

What has no SOP equivalent — parallel and inclusive gateways, intermediate and boundary events,
other participants' pools, message flows, unreachable elements — is reported as a finding,
never dropped silently. The XML is parsed without network access, entity expansion or huge
trees, and a document declaring entities is refused.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from lxml import etree
from pydantic import ValidationError

from alur.i18n import N_, _
from alur.sop.codes import INFO, E, Np_, W, register
from alur.sop.findings import Finding, Location
from alur.sop.model import DecisionLabels, Section, Sop, Step, StepKind
from alur.sop.slug import slugify, unique_slug

from .exit_words import branch_of

BPMN_UNREADABLE = register(
    "import.bpmn-unreadable", E, "the file is not well-formed XML",
    N_("The file is not well-formed XML, so it cannot be read as a BPMN model."))
BPMN_NOT_BPMN = register(
    "import.bpmn-not-bpmn", E, "the XML is not a BPMN 2.0 model (no `definitions` element)",
    N_("The file is XML but not a BPMN 2.0 model."))
BPMN_ENTITIES = register(
    "import.bpmn-entities", E, "the XML declares entities (a DOCTYPE); refused for safety",
    N_("The file declares its own XML entities; for safety it is not read."))
BPMN_NO_PROCESS = register(
    "import.bpmn-no-process", E, "the model holds no process with tasks",
    N_("The BPMN model holds no process with tasks."))
BPMN_PARALLEL = register(
    "import.bpmn-parallel", W,
    "a parallel, inclusive, complex or event-based gateway: the branches are read one after "
    "the other",
    N_("The gateway {name} runs branches in parallel or by several conditions, which an SOP "
       "cannot express; its branches are read one after the other. Check the order."))
BPMN_EVENT = register(
    "import.bpmn-event", W, "an intermediate or boundary event, which is not an SOP step",
    {
        "intermediate": N_("The intermediate event {name} is not an SOP step; the flow "
                           "passes through it."),
        "boundary": N_("The boundary event {name} (on {task}) is not imported; the path "
                       "leaving it is not part of the SOP."),
    })
BPMN_POOL = register(
    "import.bpmn-pool", W, "a pool of another participant (no process of its own)",
    N_("The pool {name} belongs to another participant and is not imported as an SOP."))
BPMN_MESSAGE = register(
    "import.bpmn-message", W, "message flows between pools are not imported",
    Np_("{count} message flow between pools is not imported ({names}).",
        "{count} message flows between pools are not imported ({names})."))
BPMN_UNREACHED = register(
    "import.bpmn-unreached", W, "elements the sequence flows never reach from the start",
    Np_("{count} element is not reached from the start and is not imported: {names}.",
        "{count} elements are not reached from the start and are not imported: {names}."))
BPMN_EXITS = register(
    "import.bpmn-exits", W, "a gateway's exits cannot all be read as Ya/Tidak",
    {
        "order": N_("The exits of the decision {name} say neither Yes nor No; the first is "
                    "read as Yes, the second as No."),
        "extra": N_("The decision {name} has more than two exits; only Yes and No are "
                    "imported, not: {names}."),
        "single": N_("The decision {name} has only one exit; it is read as a process."),
    })
BPMN_SPLIT = register(
    "import.bpmn-split", W, "a task with several outgoing flows and no gateway",
    N_("The step {name} has several outgoing flows without a gateway; only the first is "
       "followed."))
BPMN_UNSUPPORTED = register(
    "import.bpmn-unsupported", W, "a BPMN element with no SOP equivalent",
    {
        "": N_("The element {name} ({kind}) has no SOP equivalent and is not imported."),
        "subprocess": N_("The sub-process {name} is imported as one step; the steps inside "
                         "it are not."),
        "start": N_("The model has several start events; the SOP starts at the first."),
    })
BPMN_NO_LANES = register(
    "import.bpmn-no-lanes", INFO, "a process without lanes: its steps have no actors",
    N_("The process has no lanes, so its steps have no actors; add them in the SOP."))
BPMN_EXTENSION = register(
    "import.bpmn-extension", W, "alur's extension data in the file is damaged and was ignored",
    N_("Data that alur stored in the file for {name} is damaged and was ignored; what the "
       "diagram shows is kept."))
BPMN_INVALID = register(
    "import.bpmn-invalid", E, "the SOP read from the model does not fit the format",
    N_("The SOP read from the model is not valid (at {detail})."))

MODEL_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ALUR_NS = "urn:alur:bpmn:1"
ZEEBE_NS = "http://camunda.org/schema/zeebe/1.0"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"

TASKS = {"task", "userTask", "manualTask", "serviceTask", "scriptTask", "businessRuleTask",
         "sendTask", "receiveTask", "callActivity", "subProcess", "adHocSubProcess",
         "transaction"}
SUBPROCESSES = {"subProcess", "adHocSubProcess", "transaction"}
EVENTS = {"startEvent", "endEvent"}
INTERMEDIATE = {"intermediateCatchEvent", "intermediateThrowEvent"}
PARALLEL = {"parallelGateway", "inclusiveGateway", "complexGateway", "eventBasedGateway"}
# Elements that carry no step and need no finding: data, notes and the structure itself.
QUIET = {"sequenceFlow", "laneSet", "dataObject", "dataObjectReference", "dataStoreReference",
         "textAnnotation", "association", "documentation", "extensionElements", "ioSpecification",
         "property", "group", "category", "auditing", "monitoring", "ioBinding",
         "correlationSubscription", "supports"}

Answer = Literal["ya", "tidak"]
_LITERAL = re.compile(r"""["']([^"']*)["']""")
_LINE_BREAKS = re.compile(r"\s*[\r\n]+\s*")
_SLUG_WITH_DIGIT = re.compile(r"^sop_([0-9][a-z0-9]*(?:[-_][a-z0-9]+)*)$")


def read_bpmn(data: bytes, *, file: str | None = None,
              taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    """Every process of a BPMN 2.0 document as an SOP, and what could not be read."""
    taken = taken_ids if taken_ids is not None else set()
    root, problem = _parse(data, file)
    if root is None:
        return [], [problem] if problem else []
    sops: list[Sop] = []
    findings: list[Finding] = []
    pools = _pools(root)
    processes = [p for p in root if _is(p, "process")]
    for process in processes:
        if not any(_local(e) in TASKS or _local(e) in EVENTS for e in process):
            continue
        pool_name = pools.pop(process.get("id", ""), "")
        sop, said = _ProcessReader(process, pool_name, file, taken).read()
        findings.extend(said)
        if sop is not None:
            sops.append(sop)
    for name in pools.values():  # pools whose process is missing or empty
        findings.append(BPMN_POOL(name=_quoted(name) if name else _("without a name")).at(
            file=file))
    messages = list(root.iter(f"{{{MODEL_NS}}}messageFlow"))
    if messages:
        names = ", ".join(_message_label(root, m) for m in messages)
        findings.append(BPMN_MESSAGE(count=len(messages), names=names).at(
            file=file, line=messages[0].sourceline))
    if not sops and not any(f.code == BPMN_INVALID.code for f in findings):
        findings.append(BPMN_NO_PROCESS().at(file=file))
    return sops, findings


# -- the document -----------------------------------------------------------------------------
def _parse(data: bytes, file: str | None) -> tuple[etree._Element | None, Finding | None]:
    """The root `definitions`, or the error finding that says why there is none."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False,
                             load_dtd=False, remove_comments=True, remove_pis=True)
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        if "entit" in str(exc.msg or exc).lower():
            return None, BPMN_ENTITIES().at(file=file)
        return None, BPMN_UNREADABLE().at(file=file, line=exc.lineno or None)
    if root is None:
        return None, BPMN_UNREADABLE().at(file=file)
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or "ENTITY" in str(dtd)):
        return None, BPMN_ENTITIES().at(file=file)
    if not _is(root, "definitions"):
        return None, BPMN_NOT_BPMN().at(file=file)
    return root, None


def _local(element: etree._Element) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _is(element: etree._Element, name: str) -> bool:
    return isinstance(element.tag, str) and element.tag == f"{{{MODEL_NS}}}{name}"


def _children(element: etree._Element, name: str) -> Iterator[etree._Element]:
    yield from element.iterchildren(f"{{{MODEL_NS}}}{name}")


def _text(element: etree._Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _name(element: etree._Element) -> str:
    """An element's name on one line: modellers keep the line breaks typed into a shape."""
    return _LINE_BREAKS.sub(" ", element.get("name") or "").strip()


def _quoted(text: str) -> str:
    return f"'{text}'"


def _message_label(root: etree._Element, message: etree._Element) -> str:
    """A message flow as a person knows it: its name, else 'sender' → 'receiver'."""
    if _name(message):
        return _quoted(_name(message))
    ends = []
    for ref in (message.get("sourceRef"), message.get("targetRef")):
        found = root.xpath("//*[@id=$ref]", ref=ref or "")
        ends.append(_quoted(_name(found[0]) if found and _name(found[0]) else "?"))
    return " → ".join(ends)


def _pools(root: etree._Element) -> dict[str, str]:
    """Participants' names by the process they stand for (`processRef`); those without a
    process are keyed by their own id so they are reported as other participants' pools."""
    return {participant.get("processRef") or f"#{participant.get('id')}": _name(participant)
            for participant in root.iter(f"{{{MODEL_NS}}}participant")}


def _alur(element: etree._Element, tag: str) -> tuple[dict[str, Any] | None, bool]:
    """alur's JSON extension `tag` on `element` (None when absent), and whether it is
    there but damaged."""
    extension = next(_children(element, "extensionElements"), None)
    carried = extension.find(f"{{{ALUR_NS}}}{tag}") if extension is not None else None
    if carried is None:
        return None, False
    try:
        data = json.loads(carried.text or "")
    except json.JSONDecodeError:
        return None, True
    return (data, False) if isinstance(data, dict) else (None, True)


# -- the flow graph of one process ------------------------------------------------------------
@dataclass
class _Flow:
    id: str
    source: str
    target: str
    name: str
    condition: str
    element: etree._Element


@dataclass
class _Unit:
    """One future step: a task, a named event or a gateway deciding on its own."""

    node: etree._Element
    kind: StepKind
    gateway: etree._Element | None = None  # the exclusive gateway whose exits it decides
    number: int = 0
    carried: dict[str, Any] = field(default_factory=dict)  # alur's JSON, not yet checked


@dataclass(frozen=True)
class _Target:
    node: str | None  # the unit's node id, None for the end of the procedure
    parallel: bool = False


class _ProcessReader:
    def __init__(self, process: etree._Element, pool_name: str, file: str | None,
                 taken: set[str]) -> None:
        self.process = process
        self.pool_name = pool_name
        self.file = file
        self.taken = taken
        self.findings: list[Finding] = []
        self.nodes: dict[str, etree._Element] = {}
        self.flows: dict[str, _Flow] = {}
        self.outgoing: dict[str, list[_Flow]] = {}
        self.incoming: dict[str, list[_Flow]] = {}
        self.units: dict[str, _Unit] = {}  # by node id
        self.sop_id: str | None = None

    # -- findings -----------------------------------------------------------------------------
    def note(self, finding: Finding) -> None:
        self.findings.append(finding)

    def at(self, element: etree._Element | None = None, step: int | None = None) -> Location:
        line = element.sourceline if element is not None else None
        return Location(file=self.file, sop=self.sop_id, step=step,
                        line=line if isinstance(line, int) else None)

    def label(self, element: etree._Element | None) -> str:
        """How a message names an element: 'its name', else where it stands (an unnamed
        gateway is 'after' the named element that flows into it). Never an internal id."""
        if element is None:
            return _("without a name")
        if _name(element):
            return _quoted(_name(element))
        seen: set[str] = set()
        node_id = element.get("id", "")
        while node_id not in seen:
            seen.add(node_id)
            into = self.incoming.get(node_id, [])
            before = self.nodes.get(into[0].source) if into else None
            if before is None:
                break
            if _name(before):
                return _("after {name}").format(name=_quoted(_name(before)))
            node_id = before.get("id", "")
        return _("without a name")

    # -- reading ------------------------------------------------------------------------------
    def read(self) -> tuple[Sop | None, list[Finding]]:
        identity = self._identity()
        self._graph()
        self._make_units()
        order = self._order()
        if order is None:
            self.note(BPMN_NO_PROCESS().at(**self.at(self.process)))
            return None, self.findings
        actors, lane_of = self._actors()
        steps = self._steps(order, actors, lane_of)
        try:
            sop = Sop.model_validate({**identity, "actors": actors, "steps": steps})
        except ValidationError as exc:
            first = exc.errors()[0]
            detail = ".".join(str(p) for p in first["loc"])
            self.note(BPMN_INVALID(detail=detail).at(**self.at(self.process)))
            return None, self.findings
        return sop, self.findings

    def _identity(self) -> dict[str, Any]:
        carried, damage = _alur(self.process, "sop")
        if damage:
            self.note(BPMN_EXTENSION(name=self.label(self.process)).at(**self.at(self.process)))
        name = _name(self.process) or self.pool_name
        data: dict[str, Any] = {}
        if carried:
            identity = {k: v for k, v in carried.items()
                        if k not in ("actors", "steps", "name", "format")}
            try:  # the identity alone, checked by the model before it is trusted
                Sop.model_validate(identity)
                data = identity
            except ValidationError:
                self.note(BPMN_EXTENSION(name=self.label(self.process)).at(
                    **self.at(self.process)))
        base = data.get("id") or slugify(name) or slugify(self.process.get("id", ""))
        self.sop_id = unique_slug(base, self.taken)
        self.taken.add(self.sop_id)
        data["id"] = self.sop_id
        data["name"] = name
        documentation = _text(next(_children(self.process, "documentation"), None))
        if not carried and documentation:
            data["sections"] = [Section(title="Keterangan", text=documentation)]
        return data

    def _graph(self) -> None:
        for element in self.process:
            kind = _local(element)
            if not isinstance(element.tag, str) or element.tag.split("}")[0][1:] != MODEL_NS:
                continue
            if kind == "sequenceFlow":
                expression = next(_children(element, "conditionExpression"), None)
                made = _Flow(element.get("id", ""), element.get("sourceRef", ""),
                             element.get("targetRef", ""), _name(element), _text(expression),
                             element)
                self.flows[made.id] = made
            elif kind in TASKS or kind in EVENTS or kind in INTERMEDIATE or \
                    kind.endswith("Gateway") or kind == "boundaryEvent":
                self.nodes[element.get("id", "")] = element
            elif kind not in QUIET:
                self.note(BPMN_UNSUPPORTED(name=self.label(element), kind=kind).at(
                    **self.at(element)))
        for made in self.flows.values():
            self.outgoing.setdefault(made.source, []).append(made)
            self.incoming.setdefault(made.target, []).append(made)
        for element in self.nodes.values():
            kind = _local(element)
            name = self.label(element)
            if kind in PARALLEL:
                self.note(BPMN_PARALLEL(name=name).at(**self.at(element)))
            elif kind in INTERMEDIATE:
                self.note(BPMN_EVENT("intermediate", name=name).at(**self.at(element)))
            elif kind == "boundaryEvent":
                task = self.nodes.get(element.get("attachedToRef", ""))
                self.note(BPMN_EVENT("boundary", name=name, task=self.label(task)).at(
                    **self.at(element)))
            elif kind in SUBPROCESSES and any(_local(e) in TASKS for e in element):
                self.note(BPMN_UNSUPPORTED("subprocess", name=name).at(**self.at(element)))

    def _make_units(self) -> None:
        """Steps-to-be: tasks, named (or alur-numbered) start/end events, deciding gateways."""
        for node_id, element in self.nodes.items():
            kind = _local(element)
            carried, damage = _alur(element, "step")
            if damage:
                self.note(BPMN_EXTENSION(name=self.label(element)).at(**self.at(element)))
            if kind in TASKS:
                self.units[node_id] = _Unit(element, "process", carried=carried or {})
            elif kind in EVENTS and (_name(element) or carried):
                self.units[node_id] = _Unit(element, "start" if kind == "startEvent" else "end",
                                            carried=carried or {})
        for node_id, element in self.nodes.items():
            if _local(element) != "exclusiveGateway":
                continue
            exits = self.outgoing.get(node_id, [])
            if len(exits) < 2:
                continue  # a merge: the flow passes through
            into = self.incoming.get(node_id, [])
            decider = self.units.get(into[0].source) if len(into) == 1 else None
            if (decider is not None and decider.kind == "process" and decider.gateway is None
                    and len(self.outgoing.get(into[0].source, [])) == 1):
                decider.kind, decider.gateway = "decision", element
            else:
                self.units[node_id] = _Unit(element, "decision", gateway=element)

    def resolve(self, node_id: str, seen: frozenset[str] = frozenset(),
                parallel: bool = False) -> list[_Target]:
        """The units the flow reaches from entering `node_id`, through anything that is not
        a step (merges, parallel gateways, intermediate events, unnamed events)."""
        if node_id in self.units:
            return [_Target(node_id, parallel)]
        element = self.nodes.get(node_id)
        if element is None or node_id in seen:
            return [_Target(None, parallel)] if element is None else []
        kind = _local(element)
        exits = self.outgoing.get(node_id, [])
        if kind == "endEvent" or not exits:
            return [_Target(None, parallel)]
        parallel = parallel or kind in PARALLEL or len(exits) > 1
        found: list[_Target] = []
        for made in exits:
            for target in self.resolve(made.target, seen | {node_id}, parallel):
                if target not in found:
                    found.append(target)
        return found

    def after(self, unit_id: str) -> list[_Target]:
        """Where the flow goes when the unit's own work is done (a decision: its exits)."""
        unit = self.units[unit_id]
        source = unit.gateway.get("id", "") if unit.gateway is not None else unit_id
        if unit.kind == "end":
            return []
        found: list[_Target] = []
        for made in self.outgoing.get(source, []):
            for target in self.resolve(made.target, frozenset({source})):
                if target not in found:
                    found.append(target)
        if not self.outgoing.get(source):
            found.append(_Target(None))
        return found

    def _entries(self) -> list[str]:
        starts = [n for n, e in self.nodes.items() if _local(e) == "startEvent"]
        if len(starts) > 1:
            self.note(BPMN_UNSUPPORTED("start").at(**self.at(self.nodes[starts[1]])))
        if not starts:  # no start event: whatever nothing flows into
            starts = [n for n, e in self.nodes.items()
                      if not self.incoming.get(n) and _local(e) != "boundaryEvent"]
        entries: list[str] = []
        for start in starts:
            for target in ([_Target(start)] if start in self.units else self.resolve(start)):
                if target.node is not None and target.node not in entries:
                    entries.append(target.node)
        return entries

    def _order(self) -> list[str] | None:
        """The units in flow order: depth first from the start (Ya before Tidak) to find the
        rework loops, then a topological order of the rest, ties in discovery order. A file
        written by alur keeps its own step order (the order of its elements)."""
        entries = self._entries()
        if not entries:
            return None
        discovered: list[str] = []
        back: set[tuple[str, str]] = set()
        state: dict[str, int] = {}  # 1 on the stack, 2 done
        for entry in entries:
            if entry in state:
                continue
            stack = [(entry, iter(self._successor_ids(entry)))]
            state[entry] = 1
            discovered.append(entry)
            while stack:
                node, targets = stack[-1]
                target = next(targets, None)
                if target is None:
                    state[node] = 2
                    stack.pop()
                elif state.get(target) == 1:
                    back.add((node, target))
                elif target not in state:
                    state[target] = 1
                    discovered.append(target)
                    stack.append((target, iter(self._successor_ids(target))))
        unreached = [u for u in self.units if u not in state]
        if all(u.carried.get("number") is not None for u in self.units.values()):
            # alur's own file: its step order, unreachable steps included (the checker
            # reports those, as it would have before the export).
            position = {id(e): i for i, e in enumerate(self.process)}
            return sorted(self.units, key=lambda u: position[id(self.units[u].node)])
        if unreached:
            names = ", ".join(self.label(self.units[u].node) for u in unreached)
            self.note(BPMN_UNREACHED(count=len(unreached), names=names).at(
                **self.at(self.units[unreached[0]].node)))
        rank = {u: i for i, u in enumerate(discovered)}
        pending = {u: 0 for u in discovered}
        for node in discovered:
            for target in self._successor_ids(node):
                if (node, target) not in back:
                    pending[target] += 1
        ready = [u for u in discovered if pending[u] == 0]
        order: list[str] = []
        while ready:
            ready.sort(key=rank.__getitem__)
            node = ready.pop(0)
            order.append(node)
            for target in self._successor_ids(node):
                if (node, target) in back:
                    continue
                pending[target] -= 1
                if pending[target] == 0:
                    ready.append(target)
        return order

    def _successor_ids(self, unit_id: str) -> list[str]:
        targets = [t.node for t in self._exits(unit_id) if t.node is not None]
        return list(dict.fromkeys(targets))

    def _exits(self, unit_id: str) -> list[_Target]:
        """The unit's successors, Ya exit first for a decision."""
        unit = self.units[unit_id]
        if unit.kind == "decision" and unit.gateway is not None:
            answered = self._answers(unit)
            return [t for t in (answered.get("ya"), answered.get("tidak")) if t is not None]
        return self.after(unit_id)

    # -- decisions ----------------------------------------------------------------------------
    def _answers(self, unit: _Unit) -> dict[Answer, _Target]:
        return {answer: target for answer, (target, _) in self._decision(unit, quiet=True).items()}

    def _decision(self, unit: _Unit, quiet: bool = False) -> dict[Answer, tuple[_Target, str]]:
        """The gateway's Ya and Tidak exits: (target, the exit's own words)."""
        assert unit.gateway is not None
        gateway_id = unit.gateway.get("id", "")
        exits = self.outgoing.get(gateway_id, [])
        read = [(_answer_of(f), f) for f in exits]
        name = self.label(unit.node if _name(unit.node) else unit.gateway)
        default = unit.gateway.get("default")
        chosen: dict[Answer, _Flow] = {}
        for answer, made in read:
            if answer and answer not in chosen:
                chosen[answer] = made
        rest = [f for answer, f in read if f not in chosen.values()]
        if len(chosen) == 1 and rest:
            other: Answer = "tidak" if "ya" in chosen else "ya"
            pick = next((f for f in rest if f.id == default), rest[0])
            chosen[other] = pick
            rest.remove(pick)
        elif not chosen and len(rest) >= 2:
            if not quiet:
                self.note(BPMN_EXITS("order", name=name).at(**self.at(unit.gateway)))
            no = next((f for f in rest if f.id == default), rest[1])
            yes = next(f for f in rest if f is not no)
            chosen = {"ya": yes, "tidak": no}
            rest = [f for f in rest if f not in (yes, no)]
        if rest and not quiet:
            names = ", ".join(_quoted(f.name) if f.name else _("to {name}").format(
                name=self.label(self.nodes.get(f.target))) for f in rest)
            self.note(BPMN_EXITS("extra", name=name, names=names).at(**self.at(unit.gateway)))
        result: dict[Answer, tuple[_Target, str]] = {}
        for answer, made in chosen.items():
            targets = self.resolve(made.target, frozenset({gateway_id}))
            result[answer] = (targets[0] if targets else _Target(None), made.name)
        return result

    # -- actors and steps ---------------------------------------------------------------------
    def _actors(self) -> tuple[list[dict[str, Any]], dict[str, str]]:
        """Leaf lanes in order as actors, and each node's actor id."""
        lanes = list(_leaf_lanes(self.process))
        if not lanes and self.units:
            self.note(BPMN_NO_LANES().at(**self.at(self.process)))
        actors: list[dict[str, Any]] = []
        lane_of: dict[str, str] = {}
        taken: set[str] = set()
        for index, lane in enumerate(lanes, start=1):
            carried, damage = _alur(lane, "actor")
            if damage:
                self.note(BPMN_EXTENSION(name=self.label(lane)).at(**self.at(lane)))
            name = _name(lane) or f"Pelaksana {index}"
            wanted = carried.get("id") if carried and isinstance(carried.get("id"), str) else ""
            actor_id = unique_slug(wanted or slugify(name), taken, fallback="pelaksana")
            taken.add(actor_id)
            actor: dict[str, Any] = {"id": actor_id, "name": name}
            if carried and carried.get("applicant") is True:
                actor["applicant"] = True
            actors.append(actor)
            for ref in _children(lane, "flowNodeRef"):
                lane_of[(ref.text or "").strip()] = actor_id
        return actors, lane_of

    def _steps(self, order: list[str], actors: list[dict[str, Any]],
               lane_of: dict[str, str]) -> list[dict[str, Any]]:
        carried = [self.units[u].carried.get("number") for u in order]
        carried_numbers = [n for n in carried if isinstance(n, int) and not isinstance(n, bool)]
        numbers: dict[str, int]
        if len(carried_numbers) == len(order) and \
                len(set(carried_numbers)) == len(carried_numbers):
            numbers = dict(zip(order, carried_numbers, strict=True))
        else:
            numbers = {u: i for i, u in enumerate(order, start=1)}
        end_number = max(numbers.values(), default=0) + 1
        needs_end = False
        known_actors = {a["id"] for a in actors}
        steps: list[dict[str, Any]] = []
        for index, unit_id in enumerate(order):
            unit = self.units[unit_id]
            number = numbers[unit_id]
            following = order[index + 1] if index + 1 < len(order) else None
            step = self._step_text(unit, number)
            lane = lane_of.get(unit_id) or (lane_of.get(unit.gateway.get("id", ""))
                                            if unit.gateway is not None else None)
            joint = unit.carried.get("actors")
            if (isinstance(joint, list) and all(a in known_actors for a in joint)
                    and (not joint or joint[0] == lane)):
                step["actors"] = list(joint)
            elif lane:
                step["actors"] = [lane]
            step["kind"] = unit.kind
            if unit.kind == "decision" and unit.gateway is not None:
                decided = self._decision(unit)
                if len(decided) < 2:
                    self.note(BPMN_EXITS("single", name=self.label(unit.node)).at(
                        **self.at(unit.gateway, number)))
                    step["kind"] = "process"
                else:
                    labels: dict[str, str] = {}
                    answers: tuple[tuple[Answer, str], ...] = (("ya", "on_yes"), ("tidak", "on_no"))
                    for answer, key in answers:
                        target, words = decided[answer]
                        if target.node is None:
                            needs_end = True
                            step[key] = end_number
                        else:
                            step[key] = numbers.get(target.node, end_number)
                        if words and words.lower() != answer:
                            labels["yes" if answer == "ya" else "no"] = words
                    if labels:
                        step["labels"] = DecisionLabels(**labels)
                    steps.append(step)
                    continue
            if unit.kind != "end":
                targets = self.after(unit_id)
                if len(targets) > 1 and not any(t.parallel for t in targets):
                    self.note(BPMN_SPLIT(name=self.label(unit.node)).at(
                        **self.at(unit.node, number)))
                target = targets[0] if targets else _Target(None)
                if any(t.parallel for t in targets) and following is not None:
                    pass  # parallel branches are read one after the other
                elif target.node is None:
                    if following is not None:
                        needs_end = True
                        step["next"] = end_number
                elif target.node != following and target.node in numbers:
                    step["next"] = numbers[target.node]
            steps.append(step)
        if needs_end:
            steps.append({"number": end_number, "activity": "Selesai", "kind": "end"})
        return steps

    def _step_text(self, unit: _Unit, number: int) -> dict[str, Any]:
        """Activity, call and the data the diagram does not draw (alur's, else documentation,
        annotations and data objects)."""
        element = unit.node
        name = _name(element)
        carried = {k: v for k, v in unit.carried.items()
                   if k not in ("number", "actors", "kind", "next", "on_yes", "on_no", "labels",
                                "calls")}
        step: dict[str, Any] = {"number": number, "activity": name}
        sub = carried.pop("activity", None)
        if isinstance(sub, list) and all(isinstance(s, str) for s in sub) and \
                "; ".join(sub) == name:
            step["activity"] = sub
        elif sub == "" and name in ("", f"Langkah {number}"):
            step["activity"] = ""
        kept = {k: v for k, v in carried.items() if k in Step.model_fields}
        if unit.carried:
            try:  # each step's data checked alone, so one damaged step spoils nothing else
                Step.model_validate({"number": number, **kept})
                step.update(kept)
            except ValidationError:
                self.note(BPMN_EXTENSION(name=self.label(element)).at(
                    **self.at(element, number)))
        if not unit.carried:
            notes = [_text(d) for d in _children(element, "documentation") if _text(d)]
            notes += self._annotations(element.get("id", ""))
            if unit.gateway is not None and unit.gateway is not element and _name(unit.gateway):
                notes.append(_name(unit.gateway))
            if notes:
                step["notes"] = "\n".join(notes)
            inputs, outputs = self._data(element)
            if inputs:
                step["inputs"] = inputs
            if outputs:
                step["outputs"] = outputs
        called = _called(element)
        if called:
            step["calls"] = called
        return step

    def _annotations(self, node_id: str) -> list[str]:
        notes = []
        texts = {a.get("id"): _text(next(_children(a, "text"), None))
                 for a in self.process.iter(f"{{{MODEL_NS}}}textAnnotation")}
        for link in self.process.iter(f"{{{MODEL_NS}}}association"):
            ends = (link.get("sourceRef"), link.get("targetRef"))
            if node_id in ends:
                other = ends[1] if ends[0] == node_id else ends[0]
                if texts.get(other):
                    notes.append(texts[other])
        return notes

    def _data(self, element: etree._Element) -> tuple[list[str], list[str]]:
        """Data objects and stores linked to a task: its inputs and outputs, by name."""
        names = {e.get("id"): _name(e) for e in self.process.iter()
                 if _local(e) in ("dataObjectReference", "dataStoreReference")}
        inputs = [names.get(_text(ref)) for a in _children(element, "dataInputAssociation")
                  for ref in _children(a, "sourceRef")]
        outputs = [names.get(_text(ref)) for a in _children(element, "dataOutputAssociation")
                   for ref in _children(a, "targetRef")]
        return [n for n in inputs if n], [n for n in outputs if n]


def _leaf_lanes(process: etree._Element) -> Iterator[etree._Element]:
    """Lanes with no lanes inside them, in document order (Signavio nests them)."""
    for lane_set in _children(process, "laneSet"):
        yield from _leaves(lane_set)


def _leaves(lane_set: etree._Element) -> Iterator[etree._Element]:
    for lane in _children(lane_set, "lane"):
        inner = [s for s in _children(lane, "childLaneSet") if next(_children(s, "lane"), None)
                 is not None]
        if inner:
            for child in inner:
                yield from _leaves(child)
        else:
            yield lane


def _called(element: etree._Element) -> str | None:
    """A call activity's called process: the BPMN attribute, else Camunda 8's extension;
    alur's export prefixes ids that start with a digit (`sop_`), which is undone."""
    if _local(element) != "callActivity":
        return None
    called = element.get("calledElement") or ""
    if not called:
        zeebe = element.find(f".//{{{ZEEBE_NS}}}calledElement")
        called = zeebe.get("processId", "") if zeebe is not None else ""
    match = _SLUG_WITH_DIGIT.match(called)
    return (match.group(1) if match else called) or None


def _answer_of(made: _Flow) -> Answer | None:
    """Ya or Tidak for a gateway's exit: its condition first (what an engine evaluates),
    then its name."""
    return _answer_of_condition(made.condition) or classify(made.name)


def _answer_of_condition(text: str) -> Answer | None:
    if not text:
        return None
    negated = bool(re.search(r"!=|\bnot\b|<>|~=", text))
    literals = _LITERAL.findall(text)
    answer: Answer | None = None
    if literals:
        answer = classify(literals[-1])
    elif re.search(r"\btrue\b", text, re.IGNORECASE):
        answer = "ya"
    elif re.search(r"\bfalse\b", text, re.IGNORECASE):
        answer = "tidak"
    if answer and negated:
        return "tidak" if answer == "ya" else "ya"
    return answer


def classify(words: str) -> Answer | None:
    """'Ya', 'Lengkap', 'Disetujui' → ya; 'Tidak lengkap', 'Ditolak', 'Revisi' → tidak."""
    branch = branch_of(words)
    return None if branch is None else "ya" if branch == "yes" else "tidak"
