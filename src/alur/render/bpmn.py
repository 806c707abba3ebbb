"""BPMN 2.0 XML of an SOP, with its diagram (BPMN DI) taken from the computed layout.

Semantics (OMG BPMN 2.0, namespaces `bpmn`, `bpmndi`, `dc`, `di`):

- one `collaboration` with one `participant` (the SOP's name) whose `process` has a `laneSet`
  with one `lane` per actor, in column order;
- a `startEvent` before the first step and an `endEvent` after every step that ends the
  procedure (`flow.successors` gives an edge with target None); `kind: start`/`end` rows are
  those events themselves, so no extra start event is made when the SOP has start rows;
- a process step is a `userTask` (name = the activity, sub-activities joined with "; ",
  `documentation` = performers, Kelengkapan, Waktu, Output, Keterangan); a step with `calls`
  is a `callActivity` whose `calledElement` is the called SOP's id;
- a decision is a `userTask` for the checking work, a sequence flow into an
  `exclusiveGateway`, and the gateway's two flows named by the decision's labels (default
  "Ya"/"Tidak") with a `conditionExpression` on the decision's own variable `keputusan_<n>`
  (one per decision, so loops and several decisions never share an answer), written in the
  language of the target engine (`dialect`):
  `camunda7` `${keputusan_3 == "ya"}` (JUEL, plus `camunda:historyTimeToLive`, which
  Camunda 7.20+ requires to deploy), `camunda8` `=keputusan_3 = "ya"` (FEEL, with the
  `zeebe:` and `modeler:` attributes Camunda 8 expects), `spiff` `keputusan_3 == "ya"`
  (Python, for SpiffWorkflow). The process is `isExecutable="true"`;
- a joint step (several actors) stands in its first actor's lane; its documentation names all.

What BPMN cannot say is carried in `extensionElements` in alur's own namespace
(`urn:alur:bpmn:1`), each element holding JSON in the `alur-sop/1` keys, so that
`alur.importers.bpmn` gives back the same SOP: `alur:sop` on the process (id, number,
organisation, dates, approver, the lists and sections), `alur:actor` on each lane (id,
applicant) and `alur:step` on each step's node (number, time, inputs, outputs, notes, joint,
inferred, source; the activity only when it is a list of sub-activities or empty; the actors
when the step is joint). Steps, actors' names, kinds, exits and calls stay in the diagram
itself, which is what the importer reads them from; other tools keep and ignore the extension.

IDs are NCNames derived from step numbers (`Step_3`, `Gateway_3`, `Flow_3_4_ya`,
`Flow_start_1`, `Flow_6_end`, `EndEvent_after_6`), so the same SOP always gives the same bytes.
The process id is the SOP id (prefixed with `sop_` where the id is not an NCName), which is
also what a `callActivity` of another SOP names in `calledElement`.

Diagram (DI) — every position comes from `layout()`; nothing is placed by its own rule:

- Orientation: the SOP table has vertical lanes (actor columns) and flows downwards; BPMN
  tools expect horizontal lanes, so the layout is *transposed* for every element alike:
  BPMN x = the layout's flow position (its y), BPMN y = the layout's x. The participant is
  the band of the actor columns (plus the usual 30-point name band on its left); each lane is
  its actor's column, and the table header becomes the lanes' label band.
- Pages are stacked along the flow axis: each page's rows are shifted by the sum of the row
  extents of the pages before it (the header and the connector strips are left out), so the
  diagram is one continuous pool. Off-page connectors are not BPMN elements: a flow that
  crossed pages is one edge whose waypoints are the arrow on the source page, cut where it
  leaves that page's rows, followed by the arrow on the target page, cut where it enters.
- A task, call activity or event row takes the bounds of its symbol (events: the circle
  inside the capsule). A decision's symbol area is shared along the flow: the checking task
  takes its first half and the gateway its second half (a 2-point gap between them for the
  task→gateway flow), so arrows that enter the diamond's top reach the task and the arrow
  that leaves its bottom leaves the gateway; side entries and exits are moved into the
  matching half.
- The layout draws no separate start/end symbol (the first/last activity is the capsule),
  so a generated start event sits in the free space of the first row before its symbol, and
  a generated end event in the free space of its row after the symbol.
- Edge waypoints are the layout's arrows; their ends are re-attached to the element they
  belong to (the first actor's symbol of a joint step, the task or gateway half of a
  decision), keeping every segment axis-parallel. Ya/Tidak labels keep the layout's label
  position (its centre transposed; the box keeps its reading direction).
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from typing import Literal

from lxml import etree

from alur import __version__
from alur.sop import flow
from alur.sop.model import Sop, Step

from .geometry import Arrow, Layout, Page, PageSetup, Point, Rect, RowBox, symbol_width
from .layout import DECISION_H, SHAPE_H, layout, shape_actors

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
BPMNDI = "http://www.omg.org/spec/BPMN/20100524/DI"
DC = "http://www.omg.org/spec/DD/20100524/DC"
DI = "http://www.omg.org/spec/DD/20100524/DI"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
ALUR = "urn:alur:bpmn:1"
CAMUNDA = "http://camunda.org/schema/1.0/bpmn"
ZEEBE = "http://camunda.org/schema/zeebe/1.0"
MODELER = "http://camunda.org/schema/modeler/1.0"
NSMAP = {"bpmn": BPMN, "bpmndi": BPMNDI, "dc": DC, "di": DI, "xsi": XSI, "alur": ALUR}

Dialect = Literal["camunda7", "camunda8", "spiff"]
DIALECTS: tuple[str, ...] = ("camunda7", "camunda8", "spiff")
DIALECT_NSMAP: dict[str, dict[str, str]] = {
    "camunda7": {"camunda": CAMUNDA},
    "camunda8": {"zeebe": ZEEBE, "modeler": MODELER},
    "spiff": {},
}
CAMUNDA7_HISTORY_DAYS = "180"  # Camunda 7.20+ refuses to deploy a process without it
CAMUNDA8_VERSION = "8.5.0"  # the first Camunda 8 with `zeebe:userTask`

# What the diagram itself says about a step; everything else goes in `alur:step`.
DIAGRAM_STEP_KEYS = {"activity", "actors", "kind", "next", "on_yes", "on_no", "labels", "calls"}
DIAGRAM_SOP_KEYS = {"format", "name", "actors", "steps"}

POOL_LABEL = 30.0  # the participant's name band, left of its lanes
DECISION_GAP = 2.0  # between a decision's task half and its gateway half
EPS = 0.01

Tag = Literal["startEvent", "endEvent", "userTask", "callActivity", "exclusiveGateway"]

_NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def to_bpmn(sop: Sop, result: Layout | None = None, *, dialect: Dialect = "camunda7") -> str:
    """The SOP as a BPMN 2.0 document (XML text, UTF-8 declaration), diagram from `result`,
    decision conditions in the expression language of `dialect`'s engine."""
    if dialect not in DIALECTS:
        raise ValueError(f"unknown BPMN dialect {dialect!r}")
    result = result or layout(sop, PageSetup())
    model = _Model(sop, result)
    return _write(sop, model, dialect)


def decision_variable(number: int) -> str:
    """The process variable holding a decision's answer ("ya" or "tidak")."""
    return f"keputusan_{number}"


def condition(dialect: Dialect, number: int, answer: str) -> str:
    """`answer` taken at decision `number`, in the dialect's expression language."""
    variable = decision_variable(number)
    if dialect == "camunda8":
        return f'={variable} = "{answer}"'
    if dialect == "spiff":
        return f'{variable} == "{answer}"'
    return f'${{{variable} == "{answer}"}}'


def step_extension(step: Step, lane: str | None) -> dict[str, object]:
    """A step's data the diagram does not carry (see the module docstring); its actors when
    they are not just the lane it stands in (a joint step, a start row without actors)."""
    data = step.model_dump(mode="json", exclude=DIAGRAM_STEP_KEYS, exclude_defaults=True)
    data = {"number": step.number, **data}
    if isinstance(step.activity, list) or not step.activity:
        data["activity"] = step.activity
    if list(step.actors) != ([lane] if lane else []):
        data["actors"] = list(step.actors)
    return data


def sop_extension(sop: Sop) -> dict[str, object]:
    """The SOP's identity the diagram does not carry."""
    data = sop.model_dump(mode="json", exclude=DIAGRAM_SOP_KEYS, exclude_defaults=True)
    return {"id": sop.id, **data}


def _json(data: dict[str, object]) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


# -- helpers -----------------------------------------------------------------------------------
def ncname(text: str, prefix: str = "sop_") -> str:
    """`text` when it is a valid NCName (an XML id), else `prefix` + a cleaned copy."""
    if _NCNAME.match(text):
        return text
    return prefix + re.sub(r"[^A-Za-z0-9_.\-]", "_", text)


def _clean(text: str) -> str:
    """Drop the characters XML 1.0 cannot carry (control characters from imported text)."""
    return _XML_BAD.sub("", text)


def _n(value: float) -> str:
    """Numbers with two decimals at most, so files are small and diffs stable."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _simplify(points: list[Point]) -> list[Point]:
    """Drop repeated points and points in the middle of an axis-parallel run."""
    out: list[Point] = []
    for point in points:
        if out and abs(out[-1][0] - point[0]) < EPS and abs(out[-1][1] - point[1]) < EPS:
            continue
        if len(out) >= 2:
            (ax, ay), (bx, by) = out[-2], out[-1]
            if (abs(ax - bx) < EPS and abs(bx - point[0]) < EPS) or \
                    (abs(ay - by) < EPS and abs(by - point[1]) < EPS):
                out[-1] = point
                continue
        out.append(point)
    return out


def _attach_end(points: list[Point], node: Rect, symbol: Rect) -> list[Point]:
    """Make the polyline end on `node`'s outline, every segment staying axis-parallel.

    `symbol` is the layout symbol `node` was cut from: a side entry at some height of the
    symbol enters `node` at the same relative height (a decision's task or gateway half).
    """
    pts = _simplify(points)
    if len(pts) < 2:
        return pts
    (qx, qy), (px, py) = pts[-2], pts[-1]
    if abs(px - qx) < EPS:  # arrives along the flow: through the node's top or bottom
        edge = node.y if py >= qy else node.bottom
        if node.x - EPS <= px <= node.right + EPS:
            pts[-1] = (px, edge)
        elif len(pts) >= 3:  # slide the corner before it over to the node
            pts[-2] = (node.cx, qy)
            pts[-1] = (node.cx, edge)
        else:
            mid = (qy + edge) / 2
            pts[-1:] = [(px, mid), (node.cx, mid), (node.cx, edge)]
    else:  # arrives across the flow: through the node's left or right side
        edge = node.x if px >= qx else node.right
        y = py
        if symbol.h > EPS and (abs(node.y - symbol.y) > EPS or abs(node.h - symbol.h) > EPS):
            y = node.y + (py - symbol.y) / symbol.h * node.h
        y = min(max(y, node.y + min(0.5, node.h / 2)), node.bottom - min(0.5, node.h / 2))
        if abs(y - py) < EPS:
            pts[-1] = (edge, py)
        elif len(pts) >= 3:
            pts[-2] = (qx, y)
            pts[-1] = (edge, y)
        else:
            mid = (qx + edge) / 2
            pts[-1:] = [(mid, py), (mid, y), (edge, y)]
    return _simplify(pts)


def _attach(points: list[Point], source: _Node, target: _Node) -> list[Point]:
    pts = _attach_end(points, target.rect, target.symbol)
    pts = _attach_end(list(reversed(pts)), source.rect, source.symbol)
    pts = list(reversed(pts))
    if len(pts) == 1:
        pts.append(pts[0])
    return pts


# -- the model: nodes and flows in global layout coordinates (x across, y along the flow) ----
@dataclass
class _Node:
    id: str
    tag: Tag
    name: str
    lane: str | None
    rect: Rect
    symbol: Rect
    step: Step | None = None
    documentation: str = ""
    called: str | None = None
    extension: str | None = None
    incoming: list[str] = field(default_factory=list)
    outgoing: list[str] = field(default_factory=list)


@dataclass
class _Flow:
    id: str
    source: _Node
    target: _Node
    points: list[Point]
    label: str | None = None
    label_box: Rect | None = None
    answer: str | None = None  # "ya" / "tidak" on a decision's exit


class _Model:
    def __init__(self, sop: Sop, result: Layout) -> None:
        self.sop = sop
        self.layout = result
        self.ids: set[str] = set()
        self.nodes: list[_Node] = []
        self.flows: list[_Flow] = []
        self.entry: dict[int, _Node] = {}
        self.exit: dict[int, _Node] = {}
        self.used_arrows: set[int] = set()
        self._frame()
        self._build()

    # -- frame: page offsets and the pool ----------------------------------------------------
    def _frame(self) -> None:
        self.actor_columns = [c for c in self.layout.columns if c.role == "actor"]
        self.cross0 = self.actor_columns[0].x if self.actor_columns else 0.0
        last = self.actor_columns[-1] if self.actor_columns else None
        self.cross = (last.x + last.width - self.cross0) if last else 0.0
        self.page_top: dict[int, float] = {}
        self.page_bottom: dict[int, float] = {}
        self.offset: dict[int, float] = {}
        self.row: dict[int, tuple[Page, RowBox]] = {}
        total = 0.0
        for page in self.layout.pages:
            rows = sorted(page.rows, key=lambda r: r.rect.y)
            top = rows[0].rect.y if rows else 0.0
            bottom = max((r.rect.bottom for r in rows), default=top)
            self.page_top[page.number] = top
            self.page_bottom[page.number] = bottom
            self.offset[page.number] = total - top
            total += bottom - top
            for row in rows:
                self.row.setdefault(row.step, (page, row))
        self.extent = total
        header = self.layout.pages[0].header if self.layout.pages else []
        self.header_h = (max(c.rect.bottom for c in header) - min(c.rect.y for c in header)
                         if header else 0.0)
        self.flow0 = POOL_LABEL + self.header_h

    def glob(self, page: Page, point: Point) -> Point:
        return (point[0], point[1] + self.offset[page.number])

    def glob_rect(self, page: Page, rect: Rect) -> Rect:
        return Rect(rect.x, rect.y + self.offset[page.number], rect.w, rect.h)

    def to_bpmn(self, point: Point) -> Point:
        """Global layout coordinates to BPMN DI coordinates (transposed, inside the pool)."""
        x, y = point
        return (min(max(self.flow0 + y, 0.0), self.flow0 + self.extent),
                min(max(x - self.cross0, 0.0), self.cross))

    def to_bpmn_rect(self, rect: Rect) -> Rect:
        x, y = self.to_bpmn((rect.x, rect.y))
        return Rect(x, y, rect.h, rect.w)

    # -- ids ------------------------------------------------------------------------------
    def take(self, base: str) -> str:
        name, k = base, 2
        while name in self.ids:
            name, k = f"{base}_{k}", k + 1
        self.ids.add(name)
        return name

    # -- symbols --------------------------------------------------------------------------
    def symbol(self, step: Step) -> tuple[str | None, Rect]:
        """The step's lane (first actor) and its symbol in global coordinates."""
        page, row = self.row[step.number]
        actors = shape_actors(self.sop, step)
        lane = actors[0] if actors else None
        shapes = [s for s in page.shapes if s.step == step.number]
        chosen = next((s for s in shapes if s.actor_id == lane), shapes[0] if shapes else None)
        if chosen is not None:
            return chosen.actor_id or lane, self.glob_rect(page, chosen.rect)
        # No symbol was placed (an SOP without actors): stand in the first actor column.
        column = self.actor_columns[0] if self.actor_columns else self.layout.columns[0]
        h = DECISION_H if step.kind == "decision" else SHAPE_H
        w = symbol_width(column.width)
        rect = Rect(column.center - w / 2, row.rect.cy - h / 2, w, h)
        return lane, self.glob_rect(page, rect)

    def row_rect(self, step: Step) -> Rect:
        page, row = self.row[step.number]
        return self.glob_rect(page, row.rect)

    # -- nodes ----------------------------------------------------------------------------
    def add(self, node: _Node) -> _Node:
        self.nodes.append(node)
        return node

    def _build(self) -> None:
        sop = self.sop
        start: _Node | None = None
        if sop.steps and not any(s.kind == "start" for s in sop.steps):
            start = self._free_event(sop.steps[0], "start")
        for step in sop.steps:
            self._step_nodes(step)
        if start is not None:
            first = sop.steps[0].number
            target = self.entry[first]
            self._flow(f"Flow_start_{first}", start, target, self._straight(start, target))
        for step in sop.steps:
            self._step_flows(step)

    def _step_nodes(self, step: Step) -> None:
        lane, symbol = self.symbol(step)
        n = step.number
        if step.kind in ("start", "end"):
            side = min(symbol.w, symbol.h)
            rect = Rect(symbol.cx - side / 2, symbol.cy - side / 2, side, side)
            tag: Tag = "startEvent" if step.kind == "start" else "endEvent"
            node = self.add(_Node(self.take(f"Step_{n}"), tag, step.activity_text, lane, rect,
                                  symbol, step, extension=_json(step_extension(step, lane))))
            self.entry[n] = self.exit[n] = node
            return
        name = step.activity_text or f"Langkah {n}"
        tag = "callActivity" if step.calls else "userTask"
        if step.kind == "decision":
            half = max((symbol.h - DECISION_GAP) / 2, EPS)
            task_rect = Rect(symbol.x, symbol.y, symbol.w, half)
            gate_rect = Rect(symbol.x, symbol.bottom - half, symbol.w, half)
        else:
            task_rect = gate_rect = symbol
        task = self.add(_Node(self.take(f"Step_{n}"), tag, name, lane, task_rect, symbol, step,
                              self._documentation(step),
                              ncname(step.calls) if step.calls else None,
                              _json(step_extension(step, lane))))
        self.entry[n] = self.exit[n] = task
        if step.kind == "decision":
            gate = self.add(_Node(self.take(f"Gateway_{n}"), "exclusiveGateway", "", lane,
                                  gate_rect, symbol, step))
            self.exit[n] = gate

    def _free_event(self, step: Step, kind: Literal["start", "end"]) -> _Node:
        """A generated event in the free part of `step`'s row before/after its symbol."""
        lane, symbol = self.symbol(step)
        row = self.row_rect(step)
        if kind == "start":
            top, bottom = row.y, symbol.y
        else:
            top, bottom = symbol.bottom, row.bottom
        space = max(bottom - top, 0.0)
        side = min(SHAPE_H, max(space - 4, min(space, 2.0)))
        cy = (top + bottom) / 2
        rect = Rect(symbol.cx - side / 2, cy - side / 2, side, side)
        if kind == "start":
            return self.add(_Node(self.take("StartEvent"), "startEvent", "", lane, rect, rect))
        return self.add(_Node(self.take(f"EndEvent_after_{step.number}"), "endEvent", "",
                              lane, rect, rect))

    @staticmethod
    def _straight(source: _Node, target: _Node) -> list[Point]:
        """Along the flow from one node to the next (generated events: same column)."""
        if target.rect.y >= source.rect.bottom:
            return [(source.rect.cx, source.rect.bottom), (target.rect.cx, target.rect.y)]
        return [(source.rect.cx, source.rect.y), (target.rect.cx, target.rect.bottom)]

    def _documentation(self, step: Step) -> str:
        names = [a.name for a in (self.sop.actor(i) for i in step.actors) if a is not None]
        lines = []
        if names:
            lines.append(f"Pelaksana: {', '.join(names)}")
        if step.inputs:
            lines.append(f"Kelengkapan: {'; '.join(step.inputs)}")
        if step.time:
            lines.append(f"Waktu: {step.time}")
        if step.outputs:
            lines.append(f"Output: {'; '.join(step.outputs)}")
        if step.notes:
            lines.append(f"Keterangan: {step.notes}")
        if step.calls:
            lines.append(f"Menjalankan SOP: {step.calls}")
        return "\n".join(lines)

    # -- flows ----------------------------------------------------------------------------
    def _flow(self, base: str, source: _Node, target: _Node, points: list[Point],
              label: str | None = None, label_box: Rect | None = None,
              answer: str | None = None) -> _Flow:
        attached = _attach(points, source, target)
        if label_box is not None and points:
            # The label sits by the arrow's start: it follows the start where that moved.
            (ax, ay), (bx, by) = points[0], attached[0]
            label_box = Rect(label_box.x + bx - ax, label_box.y + by - ay, label_box.w,
                             label_box.h)
        made = _Flow(self.take(base), source, target, attached, label, label_box, answer)
        source.outgoing.append(made.id)
        target.incoming.append(made.id)
        self.flows.append(made)
        return made

    def _step_flows(self, step: Step) -> None:
        known = {s.number for s in self.sop.steps}
        source = self.exit[step.number]
        task = self.entry[step.number]
        if source is not task:  # a decision: its checking task flows into its gateway
            self._flow(f"Flow_{step.number}_gateway", task, source,
                       [(task.rect.cx, task.rect.bottom), (source.rect.cx, source.rect.y)])
        for edge in flow.successors(self.sop, step):
            if edge.target is None:
                end = self._free_event(step, "end")
                self._flow(f"Flow_{step.number}_end", source, end, self._straight(source, end))
                continue
            if edge.target not in known:
                continue  # an unresolved reference: the checker reports it
            target = self.entry[edge.target]
            suffix = f"_{edge.label}" if edge.label else ""
            label = None
            if edge.label == "ya":
                label = step.labels.yes or "Ya"
            elif edge.label == "tidak":
                label = step.labels.no or "Tidak"
            points, box = self._route(edge, source, target)
            self._flow(f"Flow_{edge.source}_{edge.target}{suffix}", source, target, points,
                       label, box, edge.label)

    def _find(self, page: Page, edge: flow.Edge) -> Arrow | None:
        kind = {"ya": "yes", "tidak": "no"}.get(edge.label or "", "flow")
        for arrow in page.arrows:
            if (arrow.source == edge.source and arrow.target == edge.target and
                    arrow.kind == kind and id(arrow) not in self.used_arrows):
                self.used_arrows.add(id(arrow))
                return arrow
        return None

    def _route(self, edge: flow.Edge, source: _Node,
               target: _Node) -> tuple[list[Point], Rect | None]:
        """The layout's arrow for `edge` in global coordinates, joined across pages."""
        assert edge.target is not None
        src_page = self.row[edge.source][0]
        tgt_page = self.row[edge.target][0]
        first = self._find(src_page, edge)
        if first is None:
            return [(source.rect.cx, source.rect.bottom), (target.rect.cx, target.rect.y)], None
        box = self.glob_rect(src_page, first.label_box) if first.label_box else None
        if src_page is tgt_page:
            return [self.glob(src_page, p) for p in first.points], box
        second = self._find(tgt_page, edge)
        bottom = self.page_bottom[src_page.number]
        out = [self.glob(src_page, (x, min(y, bottom))) for x, y in first.points]
        if second is None:
            return [*out, (target.rect.cx, target.rect.y)], box
        top = self.page_top[tgt_page.number]
        into = [self.glob(tgt_page, (x, max(y, top))) for x, y in second.points]
        (xs, ys), (_, yt) = out[-1], into[0]
        join = [(xs, yt)] if abs(ys - yt) > EPS else []
        return [*out, *join, *into], box


# -- XML ---------------------------------------------------------------------------------------
def _q(ns: str, tag: str) -> str:
    return f"{{{ns}}}{tag}"


def _sub(parent: etree._Element, ns: str, tag: str, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, _q(ns, tag))
    for key, value in attrs.items():
        element.set(key, _clean(value))
    return element


def _bounds(parent: etree._Element, rect: Rect) -> None:
    for value in (rect.x, rect.y, rect.w, rect.h):
        if not math.isfinite(value):
            raise ValueError(f"non-finite bounds {rect}")
    _sub(parent, DC, "Bounds", x=_n(rect.x), y=_n(rect.y), width=_n(max(rect.w, 0.0)),
         height=_n(max(rect.h, 0.0)))


def _extension(element: etree._Element) -> etree._Element:
    found = element.find(_q(BPMN, "extensionElements"))
    return found if found is not None else _sub(element, BPMN, "extensionElements")


def _carry(element: etree._Element, tag: str, data: str) -> None:
    """alur's own data for `element` (JSON in an `alur:` extension element)."""
    _sub(_extension(element), ALUR, tag).text = _clean(data)


def _engine_task(element: etree._Element, node: _Node, dialect: Dialect) -> None:
    """What the target engine needs on a task: groups who may claim it, the called process."""
    step = node.step
    groups = ",".join(step.actors) if step is not None else ""
    if dialect == "camunda7" and groups and node.tag == "userTask":
        element.set(_q(CAMUNDA, "candidateGroups"), groups)
    if dialect != "camunda8":
        return
    if node.tag == "callActivity" and node.called:
        _sub(_extension(element), ZEEBE, "calledElement", processId=node.called,
             propagateAllChildVariables="false")
    elif node.tag == "userTask":
        extension = _extension(element)
        _sub(extension, ZEEBE, "userTask")
        if groups:
            _sub(extension, ZEEBE, "assignmentDefinition", candidateGroups=groups)


def _write(sop: Sop, model: _Model, dialect: Dialect = "camunda7") -> str:
    process_id = ncname(sop.id)
    nsmap = {**NSMAP, **DIALECT_NSMAP[dialect]}
    root = etree.Element(_q(BPMN, "definitions"), nsmap=nsmap)
    root.set("id", "Definitions_1")
    root.set("targetNamespace", "urn:alur:sop")
    root.set("exporter", "alur")
    root.set("exporterVersion", __version__)
    if dialect == "camunda8":
        root.set(_q(MODELER, "executionPlatform"), "Camunda Cloud")
        root.set(_q(MODELER, "executionPlatformVersion"), CAMUNDA8_VERSION)

    collaboration = _sub(root, BPMN, "collaboration", id="Collaboration_1")
    _sub(collaboration, BPMN, "participant", id="Participant_1", name=sop.name or sop.id,
         processRef=process_id)

    process = _sub(root, BPMN, "process", id=process_id, name=sop.name or sop.id,
                   isExecutable="true")
    if dialect == "camunda7":
        process.set(_q(CAMUNDA, "historyTimeToLive"), CAMUNDA7_HISTORY_DAYS)
    if sop.number:
        _sub(process, BPMN, "documentation").text = _clean(f"Nomor SOP: {sop.number}")
    _carry(process, "sop", _json(sop_extension(sop)))
    lane_ids = {a.id: ncname(f"Lane_{a.id}", "Lane_") for a in sop.actors}
    if sop.actors:
        lane_set = _sub(process, BPMN, "laneSet", id="LaneSet_1")
        for actor in sop.actors:
            lane = _sub(lane_set, BPMN, "lane", id=lane_ids[actor.id], name=actor.name)
            _carry(lane, "actor", _json(actor.model_dump(mode="json", exclude={"name"},
                                                         exclude_defaults=True)))
            for node in model.nodes:
                if node.lane == actor.id:
                    _sub(lane, BPMN, "flowNodeRef").text = node.id
    for node in model.nodes:
        attrs = {"id": node.id}
        if node.name:
            attrs["name"] = node.name
        if node.called:
            attrs["calledElement"] = node.called
        element = _sub(process, BPMN, node.tag, **attrs)
        if node.documentation:
            _sub(element, BPMN, "documentation").text = _clean(node.documentation)
        if node.extension:
            _carry(element, "step", node.extension)
        _engine_task(element, node, dialect)
        for ref in node.incoming:
            _sub(element, BPMN, "incoming").text = ref
        for ref in node.outgoing:
            _sub(element, BPMN, "outgoing").text = ref
    for made in model.flows:
        attrs = {"id": made.id}
        if made.label:
            attrs["name"] = made.label
        attrs["sourceRef"] = made.source.id
        attrs["targetRef"] = made.target.id
        element = _sub(process, BPMN, "sequenceFlow", **attrs)
        if made.answer and made.source.step is not None:
            expression = _sub(element, BPMN, "conditionExpression")
            expression.set(_q(XSI, "type"), "bpmn:tFormalExpression")
            expression.text = condition(dialect, made.source.step.number, made.answer)

    diagram = _sub(root, BPMNDI, "BPMNDiagram", id="BPMNDiagram_1")
    plane = _sub(diagram, BPMNDI, "BPMNPlane", id="BPMNPlane_1",
                 bpmnElement="Collaboration_1")
    pool = _sub(plane, BPMNDI, "BPMNShape", id="Participant_1_di",
                bpmnElement="Participant_1", isHorizontal="true")
    _bounds(pool, Rect(0.0, 0.0, model.flow0 + model.extent, model.cross))
    for actor in sop.actors:
        column = next((c for c in model.actor_columns if c.actor_id == actor.id), None)
        if column is None:
            continue
        shape = _sub(plane, BPMNDI, "BPMNShape", id=f"{lane_ids[actor.id]}_di",
                     bpmnElement=lane_ids[actor.id], isHorizontal="true")
        _bounds(shape, Rect(POOL_LABEL, column.x - model.cross0,
                            model.header_h + model.extent, column.width))
    for node in model.nodes:
        attrs = {"id": f"{node.id}_di", "bpmnElement": node.id}
        if node.tag == "exclusiveGateway":
            attrs["isMarkerVisible"] = "true"
        shape = _sub(plane, BPMNDI, "BPMNShape", **attrs)
        _bounds(shape, model.to_bpmn_rect(node.rect))
    for made in model.flows:
        edge = _sub(plane, BPMNDI, "BPMNEdge", id=f"{made.id}_di", bpmnElement=made.id)
        for point in made.points:
            x, y = model.to_bpmn(point)
            _sub(edge, DI, "waypoint", x=_n(x), y=_n(y))
        if made.label_box is not None:
            # The label keeps its reading direction: its centre is transposed, not its box.
            box = made.label_box
            cx, cy = model.to_bpmn((box.cx, box.cy))
            label = _sub(edge, BPMNDI, "BPMNLabel")
            _bounds(label, Rect(max(cx - box.w / 2, 0.0), max(cy - box.h / 2, 0.0), box.w,
                                box.h))
    written: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8",
                                    pretty_print=True)
    return written.decode("utf-8")
