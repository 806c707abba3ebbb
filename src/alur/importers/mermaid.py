"""Mermaid flowcharts → SOPs: alur's own export read back, and swimlanes drawn by hand.

Agencies draw SOPs in Mermaid (wikis, GitLab, Notion) as a `flowchart` with one `subgraph` per
actor. The diagram itself says what the SOP AP flowchart says: each node is a step (its shape
gives the kind: `{...}` a decision, `([...])` a terminator, `((...))` a connector that only joins
arrows), a node's subgraph is its actor, arrows are the flow and a decision's arrows carry its
exits' words (`-->|Ya|`, `-- Tidak lengkap -->`). What a diagram cannot say — the identity,
step numbers, times, inputs, outputs — alur's export adds as `%% alur: {json}` comment lines
(see `alur.render.mermaid`); they are used where the drawing still agrees with them, so an
edited diagram wins over stale comments.

Reading is in two steps, like the table importers: `parse` turns the text into plain data
(nodes, edges, lanes, comment data, each with its line), then `_Builder` interprets that data as
one SOP. Anything not understood becomes a finding with its line, never an exception.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Any

import yaml
from pydantic import ValidationError

from alur.i18n import N_
from alur.sop.codes import INFO, E, Message, Np_, W, register
from alur.sop.findings import Finding
from alur.sop.model import Actor, DecisionLabels, Sop, Source, Step, StepKind
from alur.sop.slug import slugify, unique_slug

from .cells import fold
from .codes import UNNAMED_SOP_ID
from .exit_words import branch_of

__all__ = ["Diagram", "parse", "read_mermaid"]

MERMAID_NOT_FLOWCHART = register(
    "import.mermaid-not-flowchart", E,
    "The text is not a Mermaid flowchart (no `flowchart`/`graph` header).",
    N_("This text is not a Mermaid flowchart: it must begin with 'flowchart TD' or "
       "'graph TD'."))
MERMAID_NO_STEPS = register(
    "import.mermaid-no-steps", E, "The flowchart has no nodes to read as steps.",
    N_("The flowchart has no steps."))
MERMAID_UNREADABLE = register(
    "import.mermaid-unreadable", W,
    "A line of the diagram is not understood; it is left out of the SOP.",
    {"": N_("This line of the diagram is not understood and was left out: '{text}'."),
     "end": N_("An 'end' here closes no subgraph and was ignored."),
     "open": N_("The subgraph '{text}' is not closed with 'end'; it was closed at the end of "
                "the diagram."),
     "lane-edge": N_("An arrow joins the lane '{text}' itself rather than a step; it was left "
                     "out.")})
MERMAID_DATA = register(
    "import.mermaid-data", W,
    "An alur data comment (`%% alur: {...}`) cannot be used; the diagram alone is read.",
    {"": N_("A data comment of alur in the diagram is not readable and was ignored."),
     "node": N_("The data comment for the node '{text}', which is not in the diagram, was "
                "ignored."),
     "step": N_("The data comment for the step '{text}' does not fit an SOP step and was "
                "ignored: {reason}"),
     "sop": N_("The SOP's data comment does not fit an SOP and was ignored: {reason}")})
MERMAID_UNKNOWN_NODE = register(
    "import.mermaid-unknown-node", W,
    "An arrow names a node that is never drawn with a text; its id becomes the step's text.",
    N_("The arrow at this line goes to or from '{node}', which is never drawn with a text; "
       "its name was used as the step's text."))
MERMAID_NO_LANE = register(
    "import.mermaid-no-lane", W,
    "A step stands in no lane (subgraph) while the diagram has lanes, so it has no actor.",
    N_("The step '{text}' stands in no lane (subgraph), so it has no actor."))
MERMAID_NO_LANES = register(
    "import.mermaid-no-lanes", INFO,
    "The diagram has no subgraphs, so no step has an actor.",
    N_("The diagram has no lanes (subgraphs) for the actors; its steps have no actor."))
MERMAID_SEVERAL_LANES = register(
    "import.mermaid-several-lanes", W,
    "A node is placed in several subgraphs; the first is taken as its actor.",
    N_("The step '{text}' stands in several lanes ({lanes}); it was given to '{lane}'."))
MERMAID_DECISION_EXITS = register(
    "import.mermaid-decision-exits", W,
    "A decision does not have exactly two exits (Ya and Tidak).",
    {"": Np_("The decision '{text}' has {count} exit; a decision needs two (Ya and Tidak).",
             "The decision '{text}' has {count} exits; a decision needs two (Ya and Tidak)."),
     "more": N_("The decision '{text}' has {count} exits; only the first Ya and Tidak exits "
                "were kept.")})
MERMAID_EXIT_WORDS = register(
    "import.mermaid-exit-words", W,
    "A decision's exits are not labelled so that Ya and Tidak can be told apart.",
    N_("The exits of the decision '{text}' do not say which is Ya and which is Tidak "
       "('{first}', '{second}'); the first was taken as Ya."))
MERMAID_READ_AS_DECISION = register(
    "import.mermaid-read-as-decision", INFO,
    "A node not drawn as a rhombus has Ya/Tidak exits and was read as a decision.",
    N_("The step '{text}' is not drawn as a decision but its arrows say Ya and Tidak; it was "
       "read as a decision."))
MERMAID_SEVERAL_EXITS = register(
    "import.mermaid-several-exits", W,
    "A step that is not a decision has several outgoing arrows; only the first is kept.",
    N_("The step '{text}' has several outgoing arrows but is not a decision; only the arrow "
       "to '{target}' was kept."))
MERMAID_EDGE_LABEL = register(
    "import.mermaid-edge-label", INFO,
    "The text on an arrow that is not a decision's exit is not kept in the SOP.",
    N_("The text '{text}' on the arrow from '{source}' is not kept in the SOP."))
MERMAID_DEAD_END = register(
    "import.mermaid-dead-end", W,
    "A step with no outgoing arrow that is not last in order is marked as an end.",
    N_("The step '{text}' has no outgoing arrow, so the procedure ends there; it was marked "
       "as an end."))
MERMAID_CONNECTOR = register(
    "import.mermaid-connector", W,
    "A connector (circle) does not lead to exactly one step.",
    N_("The connector '{text}' does not lead to exactly one step; arrows into it were left "
       "out."))
MERMAID_TWO_WAY = register(
    "import.mermaid-two-way", W,
    "A two-way arrow is read in the direction it is written.",
    N_("The two-way arrow at this line was read from left to right only."))

DATA_PREFIX = "%% alur:"
_DRAWN_STEP_FIELDS = {"kind", "next", "on_yes", "on_no", "labels"}

# -- syntax ----------------------------------------------------------------------------------
_HEADER = re.compile(r"^(flowchart|graph)(\s+(TD|TB|BT|LR|RL))?\s*;?\s*$", re.IGNORECASE)
_IGNORED_STATEMENT = re.compile(
    r"^(click|classDef|class|style|linkStyle|direction|accTitle|accDescr)\b", re.IGNORECASE)
_ID = re.compile(r"[^\W][\w]*(?:-\w+)*", re.UNICODE)
# (opener, closers, shape): longest openers first, as Mermaid's grammar reads them.
_SHAPES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("(((", (")))",), "circle"), ("([", ("])",), "stadium"), ("((", ("))",), "circle"),
    ("[[", ("]]",), "subroutine"), ("[(", (")]",), "cylinder"), ("[/", ("/]", "\\]"), "slanted"),
    ("[\\", ("\\]", "/]"), "slanted"), ("{{", ("}}",), "hexagon"), ("(", (")",), "round"),
    ("[", ("]",), "rect"), ("{", ("}",), "rhombus"), (">", ("]",), "flag"),
)
# Mermaid 11's `A@{ shape: diamond, label: "..." }`, by the names the docs give.
_NAMED_SHAPES = {
    "diamond": "rhombus", "diam": "rhombus", "decision": "rhombus", "question": "rhombus",
    "stadium": "stadium", "terminal": "stadium", "pill": "stadium", "circle": "circle",
    "circ": "circle", "sm-circ": "circle", "small-circle": "circle", "start": "circle",
    "dbl-circ": "circle", "double-circle": "circle", "subproc": "subroutine",
    "subprocess": "subroutine", "subroutine": "subroutine", "fr-rect": "subroutine",
    "framed-rectangle": "subroutine", "rounded": "round", "event": "round",
}
_EDGE_PLAIN = re.compile(
    r"(?P<head><)?(?P<op>-{2,}>|-\.+->|={2,}>|~{3,}|-{3,}|-\.+-|={3,}"
    r"|(?:-{2,}|={2,})[ox](?=[\s|]|$))")
_EDGE_TEXT = re.compile(
    r"(?P<head><)?(?P<open>--|==|-\.)\s*(?P<text>\"[^\"]*\"|(?:(?!-->|---|==>|===|\.->|\.-).)+?)"
    r"\s*(?P<op>-{2,}>|-{3,}|={2,}>|={3,}|\.+-+>|\.+-+)")
_PIPE_TEXT = re.compile(r"\s*\|(?P<text>[^|]*)\|")
_CLASS_SUFFIX = re.compile(r":::[\w-]+")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_INLINE_TAG = re.compile(r"</?(b|i|u|em|strong|span|small|sub|sup|font)\b[^>]*>", re.IGNORECASE)
_ENTITY = re.compile(r"#(\d+|[A-Za-z]+);")
_NUMBERED_ID = re.compile(r"^s(_?)(\d+)$")
_QUOTED = re.compile(r'"[^"]*"')
_MD_EMPHASIS = re.compile(r"(\*\*|\*|__|_)(\S(?:.*?\S)?)\1")


@dataclass
class Node:
    id: str
    line: int
    label: str | None = None
    shape: str | None = None
    # (priority, lane id, line): 0 declared there (with a text, or alone), 1 named in an arrow.
    placements: list[tuple[int, str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    label: str | None
    line: int


@dataclass
class Lane:
    id: str
    title: str
    line: int
    parent: str | None
    children: int = 0


@dataclass
class Diagram:
    """A flowchart's content as plain data, in the order it is written."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: list[Edge] = field(default_factory=list)
    lanes: dict[str, Lane] = field(default_factory=dict)
    title: str = ""
    data: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    problems: list[tuple[Message, int]] = field(default_factory=list)
    is_flowchart: bool = False


def label_text(raw: str) -> str:
    """A label as plain text: quotes, markdown strings ("`**Kabag**`"), `<br>`, inline tags
    and Mermaid entity codes (`#quot;`, `#35;`) resolved, blanks folded."""
    text = raw.strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1].strip()
    if len(text) >= 2 and text[0] == text[-1] == "`":
        # A Mermaid markdown string: its emphasis is formatting, not words.
        text = _MD_EMPHASIS.sub(r"\2", text[1:-1])
    text = _INLINE_TAG.sub("", _BR.sub(" ", text))

    def entity(match: re.Match[str]) -> str:
        code = match.group(1)
        if code.isdigit():
            return chr(int(code)) if int(code) < 0x110000 else match.group(0)
        resolved = html.unescape(f"&{code};")
        return match.group(0) if resolved == f"&{code};" else resolved

    return fold(_ENTITY.sub(entity, text))


def _split_statements(line: str) -> list[str]:
    """A line's statements, split at `;` outside quotes and brackets."""
    parts, depth, quoted, start = [], 0, False, 0
    for index, char in enumerate(line):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "([{":
            depth += 1
        elif char in ")]}":
            depth = max(0, depth - 1)
        elif char == ";" and depth == 0:
            parts.append(line[start:index])
            start = index + 1
    parts.append(line[start:])
    return [p.strip() for p in parts if p.strip()]


class _Statement:
    """Reads one statement: node groups joined by arrows (`A[x] & B --> C{y} -->|Ya| D`)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def _node(self) -> tuple[str, str | None, str | None] | None:
        self._skip()
        match = _ID.match(self.text, self.pos)
        if not match:
            return None
        self.pos = match.end()
        node_id = match.group(0)
        label, shape = None, None
        if self.text.startswith("@{", self.pos):
            label, shape = self._named_shape()
            if shape is None:
                return None
        else:
            for opener, closers, name in _SHAPES:
                if self.text.startswith(opener, self.pos):
                    found = self._shape_text(opener, closers)
                    if found is None:
                        return None
                    label, shape = found, name
                    break
        suffix = _CLASS_SUFFIX.match(self.text, self.pos)
        if suffix:
            self.pos = suffix.end()
        return node_id, label, shape

    def _shape_text(self, opener: str, closers: tuple[str, ...]) -> str | None:
        start = self.pos + len(opener)
        body_start = start
        while body_start < len(self.text) and self.text[body_start] == " ":
            body_start += 1
        if body_start < len(self.text) and self.text[body_start] == '"':
            quote_end = self.text.find('"', body_start + 1)
            if quote_end < 0:
                return None
            search_from = quote_end + 1
        else:
            search_from = start
        ends = [(self.text.find(c, search_from), c) for c in closers]
        ends = [(i, c) for i, c in ends if i >= 0]
        if not ends:
            return None
        end, closer = min(ends)
        self.pos = end + len(closer)
        return label_text(self.text[start:end])

    def _named_shape(self) -> tuple[str | None, str | None]:
        """`@{ shape: diamond, label: "..." }`: (label, shape), or (None, None) if unclosed."""
        body = self.text[self.pos + 2:]
        close = _QUOTED.sub(lambda m: "_" * len(m.group(0)), body).find("}")
        if close < 0:
            return None, None
        pairs = dict(re.findall(r'(\w+)\s*:\s*("[^"]*"|[^,]+)', body[:close]))
        self.pos += 2 + close + 1
        shape = pairs.get("shape", "rect").strip().strip('"').lower()
        label = pairs.get("label")
        return (label_text(label) if label else None), _NAMED_SHAPES.get(shape, "rect")

    def _edge(self) -> tuple[str | None, bool, bool] | None:
        """(label, two-way, invisible) of the arrow at the position, or None."""
        self._skip()
        for pattern in (_EDGE_PLAIN, _EDGE_TEXT):
            match = pattern.match(self.text, self.pos)
            if match:
                break
        else:
            return None
        self.pos = match.end()
        label = match.groupdict().get("text")
        pipe = _PIPE_TEXT.match(self.text, self.pos)
        if pipe:
            self.pos = pipe.end()
            label = pipe.group("text")
        text = label_text(label) if label else None
        return text or None, bool(match.group("head")), match.group("op").startswith("~")

    def read(self) -> tuple[list[tuple[str, str | None, str | None]],
                            list[tuple[str, str, str | None, bool]]] | None:
        """All nodes as (id, label, shape) and arrows as (source, target, label, two-way)."""
        nodes: list[tuple[str, str | None, str | None]] = []
        edges: list[tuple[str, str, str | None, bool]] = []
        group = self._group()
        if group is None:
            return None
        nodes.extend(group)
        while True:
            self._skip()
            if self.pos >= len(self.text):
                return nodes, edges
            edge = self._edge()
            if edge is None:
                return None
            label, two_way, invisible = edge
            following = self._group()
            if following is None:
                return None
            nodes.extend(following)
            if not invisible:
                edges.extend((a[0], b[0], label, two_way) for a in group for b in following)
            group = following

    def _group(self) -> list[tuple[str, str | None, str | None]] | None:
        group = []
        while True:
            node = self._node()
            if node is None:
                return None
            group.append(node)
            self._skip()
            if not self.text.startswith("&", self.pos):
                return group
            self.pos += 1


def _subgraph(rest: str, line: int) -> tuple[str, str]:
    """(id, title) of `subgraph id["Title"]`, `subgraph "Title"` or `subgraph Title`."""
    match = re.match(r'^(?P<id>[^\s\["]+)\s*\[(?P<title>.*)\]\s*$', rest)
    if match:
        return match.group("id"), label_text(match.group("title"))
    title = label_text(rest)
    return (rest.strip().strip('"') or f"subgraph-{line}"), title


def parse(text: str) -> Diagram:
    """The diagram's nodes, arrows, lanes and comment data; problems kept with their line."""
    diagram = Diagram()
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    index = _front_matter(lines, diagram)
    stack: list[str] = []
    for number, raw in enumerate(lines[index:], start=index + 1):
        line = raw.strip()
        if not line:
            continue
        if line.startswith("%%"):
            if line.startswith(DATA_PREFIX) and diagram.is_flowchart:
                _data_comment(line[len(DATA_PREFIX):], number, diagram)
            continue
        if not diagram.is_flowchart:
            if not _HEADER.match(line):
                return diagram
            diagram.is_flowchart = True
            continue
        for statement in _split_statements(line):
            _statement(statement, number, stack, diagram)
    for lane_id in reversed(stack):
        lane = diagram.lanes[lane_id]
        diagram.problems.append((MERMAID_UNREADABLE("open", text=lane.title), lane.line))
    return diagram


def _front_matter(lines: list[str], diagram: Diagram) -> int:
    """Skip a `---` YAML front matter, keeping its `title`; returns the first line after it."""
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None or lines[first].strip() != "---":
        return 0
    for end in range(first + 1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = yaml.safe_load("\n".join(lines[first + 1:end]))
            except yaml.YAMLError:
                meta = None
            if isinstance(meta, dict) and isinstance(meta.get("title"), str):
                diagram.title = fold(meta["title"])
            return end + 1
    return 0


def _data_comment(payload: str, line: int, diagram: Diagram) -> None:
    try:
        value = json.loads(payload)
    except ValueError:
        value = None
    if not isinstance(value, dict):
        diagram.problems.append((MERMAID_DATA(), line))
        return
    diagram.data.append((line, value))


def _statement(text: str, line: int, stack: list[str], diagram: Diagram) -> None:
    word = text.split(None, 1)[0]
    if word == "subgraph":
        lane_id, title = _subgraph(text[len("subgraph"):].strip(), line)
        parent = stack[-1] if stack else None
        if parent:
            diagram.lanes[parent].children += 1
        diagram.lanes.setdefault(lane_id, Lane(lane_id, title, line, parent))
        stack.append(lane_id)
        return
    if text == "end":
        if stack:
            stack.pop()
        else:
            diagram.problems.append((MERMAID_UNREADABLE("end"), line))
        return
    if _IGNORED_STATEMENT.match(text) and not re.match(r"^\w+\s*(-|=|\.|~|&|\[|\(|\{|>)", text):
        return
    result = _Statement(text).read()
    if result is None:
        diagram.problems.append((MERMAID_UNREADABLE(text=_short(text)), line))
        return
    nodes, edges = result
    lane = stack[-1] if stack else None
    alone = len(nodes) == 1 and not edges
    for node_id, label, shape in nodes:
        if node_id in diagram.lanes:
            if not alone:
                diagram.problems.append((MERMAID_UNREADABLE("lane-edge", text=node_id), line))
            continue
        node = diagram.nodes.setdefault(node_id, Node(node_id, line))
        if shape is not None:
            if node.shape is None:
                node.line = line  # where it is drawn, not where an arrow first named it
            node.label, node.shape = label, shape
        if lane is not None:
            declared = label is not None or shape is not None or alone
            node.placements.append((0 if declared else 1, lane, line))
    for source, target, label, two_way in edges:
        if source in diagram.lanes or target in diagram.lanes:
            continue
        if two_way:
            diagram.problems.append((MERMAID_TWO_WAY(), line))
        diagram.edges.append(Edge(source, target, label, line))


def _short(text: str, limit: int = 80) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


# -- meaning ---------------------------------------------------------------------------------
_START_WORDS = {"mulai", "start", "begin", "awal", "mulai proses"}
_END_WORDS = {"selesai", "end", "finish", "berakhir", "stop", "tamat", "akhir", "proses selesai"}
def exit_side(label: str | None) -> str | None:
    """'yes', 'no' or None for an exit's words: 'Tidak lengkap' is no, 'Lengkap' yes."""
    return branch_of(label) if label else None


_SIDE_ORDER = {"yes": 0, None: 1, "no": 2}
_TERMINATOR_SHAPES = {"stadium", "round", "circle"}
# The kinds alur's export records for a capsule (never a decision: that is a rhombus).
_CAPSULE_KINDS: dict[str, StepKind] = {"start": "start", "process": "process", "end": "end"}


def _kind_of(node: Node) -> StepKind:
    """A rhombus decides; a capsule, rounded box or circle saying Mulai / Selesai starts or
    ends; anything else is an activity (a box saying "Selesai" is one: alur draws marker rows
    as capsules, and a box is what an author chooses for work)."""
    word = (node.label or "").lower().strip(" .")
    if node.shape == "rhombus":
        return "decision"
    if node.shape in _TERMINATOR_SHAPES and word in _START_WORDS:
        return "start"
    if node.shape in _TERMINATOR_SHAPES and word in _END_WORDS:
        return "end"
    return "process"


def _activity_label(activity: object, number: int) -> str | None:
    """The label alur's export draws for this activity, to compare with the diagram's."""
    if isinstance(activity, list) and all(isinstance(a, str) for a in activity):
        text = "; ".join(activity)
    elif isinstance(activity, str):
        text = activity
    else:
        return None
    return fold(text) or f"Langkah {number}"


class _Builder:
    """Interprets a parsed diagram as one SOP."""

    def __init__(self, diagram: Diagram, *, file: str | None, taken_ids: set[str]) -> None:
        self.diagram = diagram
        self.file = file
        self.taken_ids = taken_ids
        self.findings: list[Finding] = []
        self.sop_id: str | None = None
        self.sop_data: dict[str, Any] = {}
        self.lane_data: dict[str, dict[str, Any]] = {}
        self.node_data: dict[str, dict[str, Any]] = {}
        self.node_data_order: list[str] = []
        self.numbers: dict[str, int] = {}

    def note(self, message: Message, *, line: int | None = None, step: int | None = None
             ) -> None:
        self.findings.append(message.at(sop=self.sop_id, step=step, line=line, file=self.file))

    # -- comment data ---------------------------------------------------------------------
    def _read_data(self) -> None:
        for line, value in self.diagram.data:
            if isinstance(value.get("sop"), dict):
                self.sop_data = value["sop"]
            elif isinstance(value.get("lane"), str) and isinstance(value.get("actor"), dict):
                self.lane_data[value["lane"]] = value["actor"]
            elif isinstance(value.get("node"), str) and isinstance(value.get("step"), dict):
                if value["node"] not in self.diagram.nodes:
                    self.note(MERMAID_DATA("node", text=value["node"]), line=line)
                    continue
                self.node_data[value["node"]] = value["step"]
                self.node_data_order.append(value["node"])
            else:
                self.note(MERMAID_DATA(), line=line)

    # -- lanes ----------------------------------------------------------------------------
    def _lane_of(self, node: Node) -> str | None:
        if not node.placements:
            return None
        best = min(p for p, _, _ in node.placements)
        lanes = list(dict.fromkeys(lane for p, lane, _ in node.placements if p == best))
        if len(lanes) > 1:
            titles = ", ".join(f"'{self.diagram.lanes[lane].title}'" for lane in lanes)
            self.note(MERMAID_SEVERAL_LANES(text=_short(node.label or node.id), lanes=titles,
                                            lane=self.diagram.lanes[lanes[0]].title),
                      line=node.line)
        return lanes[0]

    def _actors(self, lanes_used: set[str]) -> dict[str, Actor]:
        """One actor per subgraph that holds steps, or holds nothing at all (an actor with no
        steps yet); a subgraph that only groups other subgraphs is a pool, not an actor."""
        actors: dict[str, Actor] = {}
        taken: set[str] = set()
        for lane in self.diagram.lanes.values():
            if lane.id not in lanes_used and lane.children:
                continue
            data = self.lane_data.get(lane.id, {})
            name = data.get("name") if isinstance(data.get("name"), str) and \
                fold(data["name"]) == lane.title else lane.title
            wanted = data.get("id") if isinstance(data.get("id"), str) else None
            actor_id = wanted if wanted and wanted not in taken else \
                unique_slug(slugify(lane.title), taken, "pelaksana")
            try:
                actor = Actor(id=actor_id, name=name or actor_id,
                              applicant=data.get("applicant") is True)
            except ValidationError:
                actor = Actor(id=unique_slug(slugify(lane.title), taken, "pelaksana"),
                              name=lane.title or "Pelaksana")
            taken.add(actor.id)
            actors[lane.id] = actor
        return actors

    # -- edges ----------------------------------------------------------------------------
    def _is_connector(self, node: Node) -> bool:
        return node.shape == "circle" and _kind_of(node) == "process"

    def _resolved_edges(self) -> list[Edge]:
        """Arrows between steps: an arrow into a connector continues where the connector (or
        another connector with the same text, its off-page partner) leads."""
        nodes = self.diagram.nodes
        connectors = {n.id for n in nodes.values() if self._is_connector(n)}
        groups: dict[str, set[str]] = {}
        for node_id in connectors:
            groups.setdefault(fold(nodes[node_id].label or node_id).lower(), set()).add(node_id)
        leads: dict[str, list[Edge]] = {}
        for edge in self.diagram.edges:
            if edge.source in connectors:
                key = fold(nodes[edge.source].label or edge.source).lower()
                leads.setdefault(key, []).append(edge)
        resolved: list[Edge] = []
        reported: set[str] = set()
        for edge in self.diagram.edges:
            if edge.source in connectors:
                continue
            target: str | None = edge.target
            label, seen = edge.label, set()
            while target in connectors and target not in seen:
                seen.add(target)
                key = fold(nodes[target].label or target).lower()
                outs = {e.target for e in leads.get(key, [])}
                if len(outs) != 1:
                    if key not in reported:
                        reported.add(key)
                        self.note(MERMAID_CONNECTOR(text=nodes[target].label or target),
                                  line=nodes[target].line)
                    target = None
                    break
                out = leads[key][0]
                label = label or out.label
                target = out.target
            if target is None or target in connectors:
                continue
            resolved.append(Edge(edge.source, target, label, edge.line))
        return resolved

    # -- order and numbers ----------------------------------------------------------------
    def _order(self, steps: list[str], outs: dict[str, list[Edge]], kinds: dict[str, StepKind]
               ) -> list[str]:
        """alur's export keeps its order in the data comments or its `s<N>` ids; a hand-drawn
        diagram is read in flow order from its start: the Ya path before the Tidak path, the
        end (and any other step the flow stops at) last."""
        if steps and all(s in self.node_data for s in steps):
            return sorted(steps, key=self.node_data_order.index)
        if steps and all(_NUMBERED_ID.match(s) for s in steps):
            return sorted(steps, key=lambda s: self._id_number(s) or 0)
        incoming = {e.target for edges in outs.values() for e in edges}
        starts = [s for s in steps if kinds[s] == "start"] or \
            [s for s in steps if s not in incoming and self.diagram.nodes[s].shape in
             ("stadium", "round", "circle")] or [s for s in steps if s not in incoming] or steps
        order: list[str] = []
        deferred: list[str] = []
        seen: set[str] = set()
        for root in [*starts[:1], *steps]:
            stack = [root]
            while stack:
                current = stack.pop()
                if current in seen:
                    continue
                seen.add(current)
                if kinds[current] == "end" or not outs.get(current):
                    deferred.append(current)
                else:
                    order.append(current)
                exits = sorted(outs.get(current, []), key=lambda e: _SIDE_ORDER[
                    exit_side(e.label) if kinds[current] == "decision" else None])
                stack.extend(reversed([e.target for e in exits]))
        return order + deferred

    @staticmethod
    def _id_number(node_id: str) -> int | None:
        match = _NUMBERED_ID.match(node_id)
        if not match:
            return None
        return -int(match.group(2)) if match.group(1) else int(match.group(2))

    def _assign_numbers(self, order: list[str]) -> None:
        wanted: dict[str, int] = {}
        for node_id in order:
            number = self.node_data.get(node_id, {}).get("number")
            if not isinstance(number, int) or isinstance(number, bool):
                number = self._id_number(node_id)
            if number is not None and number not in wanted.values():
                wanted[node_id] = number
        if len(wanted) < len(order):
            # Drawn by hand (or a node added to an export): number the rest in flow order.
            following = max(wanted.values(), default=0) + 1
            for node_id in order:
                if node_id not in wanted:
                    wanted[node_id] = following
                    following += 1
        self.numbers = wanted

    # -- steps ----------------------------------------------------------------------------
    def build(self) -> Sop | None:
        self._read_data()
        self._choose_id()
        nodes = self.diagram.nodes
        for node in nodes.values():
            if node.label is None and node.shape is None:
                self.note(MERMAID_UNKNOWN_NODE(node=node.id), line=node.line)
        steps = [n for n in nodes if not self._is_connector(nodes[n])]
        if not steps:
            self.note(MERMAID_NO_STEPS(), line=None)
            return None
        lanes = {n: self._lane_of(nodes[n]) for n in steps}
        actors = self._actors({lane for lane in lanes.values() if lane})
        if not self.diagram.lanes:
            self.note(MERMAID_NO_LANES())
        kinds = {n: self._kind(nodes[n]) for n in steps}
        outs: dict[str, list[Edge]] = {n: [] for n in steps}
        for edge in self._resolved_edges():
            outs[edge.source].append(edge)
        order = self._order(steps, outs, kinds)
        self._assign_numbers(order)
        built = [self._step(n, index, order, outs, kinds, lanes, actors)
                 for index, n in enumerate(order)]
        return self._sop(list(actors.values()), built)

    def _kind(self, node: Node) -> StepKind:
        """The drawn kind; for a capsule, the kind alur's export recorded (a capsule is a
        start, an end, or the first or last activity, whatever its words)."""
        drawn = _kind_of(node)
        said = self.node_data.get(node.id, {}).get("kind")
        if node.shape == "stadium" and drawn != "decision" and isinstance(said, str) and \
                said in _CAPSULE_KINDS:
            return _CAPSULE_KINDS[said]
        return drawn

    def _label(self, node_id: str) -> str:
        node = self.diagram.nodes[node_id]
        return node.label if node.label else node.id

    def _step(self, node_id: str, index: int, order: list[str], outs: dict[str, list[Edge]],
              kinds: dict[str, StepKind], lanes: dict[str, str | None],
              actors: dict[str, Actor]) -> Step:
        node = self.diagram.nodes[node_id]
        number = self.numbers[node_id]
        text = self._label(node_id)
        kind = kinds[node_id]
        lane = lanes[node_id]
        actor = actors.get(lane) if lane else None
        if lane is None and self.diagram.lanes and kind not in ("start", "end"):
            self.note(MERMAID_NO_LANE(text=_short(text)), line=node.line, step=number)
        fields: dict[str, Any] = {"number": number, "activity": text, "kind": kind,
                                  "actors": [actor.id] if actor else []}
        fields.update(self._exits(node_id, number, index, order, outs, kinds, fields))
        data = dict(self.node_data.get(node_id, {}))
        implied_next = data.get("next")
        for key in _DRAWN_STEP_FIELDS | {"number"}:
            data.pop(key, None)
        following = order[index + 1] if index + 1 < len(order) else None
        if (implied_next is not None and following is not None and fields["kind"] != "decision"
                and "next" not in fields and implied_next == self.numbers[following]
                and [e.target for e in outs.get(node_id, [])][:1] == [following]):
            fields["next"] = implied_next  # the author wrote it though the order implies it
        if "activity" in data and _activity_label(data["activity"], number) != fold(text):
            data.pop("activity")  # the label was edited after export: the drawing wins
        if "actors" in data and not self._agrees(data["actors"], actor, actors):
            data.pop("actors")
        if "source" not in data and self.file:
            fields["source"] = Source(file=PurePath(self.file).name, line=node.line)
        try:
            return Step.model_validate({**fields, **data})
        except ValidationError as exc:
            if data:
                self.note(MERMAID_DATA("step", text=_short(text), reason=_reason(exc)),
                          line=node.line, step=number)
            return Step.model_validate(fields)

    @staticmethod
    def _agrees(wanted: object, actor: Actor | None, actors: dict[str, Actor]) -> bool:
        known = {a.id for a in actors.values()}
        if not isinstance(wanted, list) or not all(isinstance(a, str) and a in known
                                                   for a in wanted):
            return False
        return not wanted or (actor is not None and actor.id in wanted)

    def _exits(self, node_id: str, number: int, index: int, order: list[str],
               outs: dict[str, list[Edge]], kinds: dict[str, StepKind], fields: dict[str, Any]
               ) -> dict[str, Any]:
        edges = outs.get(node_id, [])
        text = _short(self._label(node_id))
        line = self.diagram.nodes[node_id].line
        following = order[index + 1] if index + 1 < len(order) else None
        if kinds[node_id] == "end":
            return {}
        sides = [exit_side(e.label) for e in edges]
        if kinds[node_id] != "decision" and len(edges) == 2 and sorted(
                s or "" for s in sides) == ["no", "yes"]:
            self.note(MERMAID_READ_AS_DECISION(text=text), line=line, step=number)
            kinds[node_id] = "decision"
            fields["kind"] = "decision"
        if kinds[node_id] == "decision":
            said = self.node_data.get(node_id, {}).get("labels")
            by_words = _exits_by_words(edges, said) if isinstance(said, dict) else None
            if by_words is not None:
                return self._decision_result(*by_words, said=said)
            return self._decision(edges, sides, text, line, number)
        if not edges:
            if following is not None:
                self.note(MERMAID_DEAD_END(text=text), line=line, step=number)
                fields["kind"] = "end"
            return {}
        if len(edges) > 1:
            self.note(MERMAID_SEVERAL_EXITS(text=text, target=_short(self._label(
                edges[0].target))), line=edges[1].line, step=number)
        edge = edges[0]
        if edge.label:
            self.note(MERMAID_EDGE_LABEL(text=edge.label, source=text), line=edge.line,
                      step=number)
        if edge.target == following:
            return {}
        return {"next": self.numbers[edge.target]}

    def _decision(self, edges: list[Edge], sides: list[str | None], text: str, line: int,
                  number: int) -> dict[str, Any]:
        if len(edges) != 2:
            variant = "more" if len(edges) > 2 else ""
            self.note(MERMAID_DECISION_EXITS(variant, text=text, count=len(edges)),
                      line=line, step=number)
        yes = next((e for e, s in zip(edges, sides, strict=True) if s == "yes"), None)
        no = next((e for e, s in zip(edges, sides, strict=True) if s == "no"), None)
        rest = [e for e in edges if e is not yes and e is not no]
        if len(edges) >= 2 and (yes is None or no is None):
            if yes is None and no is None:
                self.note(MERMAID_EXIT_WORDS(text=text, first=edges[0].label or "",
                                             second=edges[1].label or ""),
                          line=line, step=number)
            yes = yes or rest.pop(0)
            no = no or rest.pop(0)
        elif len(edges) == 1 and yes is None and no is None:
            yes = edges[0]
        return self._decision_result(yes, no)

    def _decision_result(self, yes: Edge | None, no: Edge | None,
                         said: dict[str, Any] | None = None) -> dict[str, Any]:
        """The exits; their words as the comment line says them (exactly, "TIDAK" included),
        else from the drawing, where "Ya"/"Tidak" in any case are the defaults."""
        result: dict[str, Any] = {}
        if said is not None:
            if yes is not None:
                result["on_yes"] = self.numbers[yes.target]
            if no is not None:
                result["on_no"] = self.numbers[no.target]
            words = {side: said[side] for side in ("yes", "no")
                     if isinstance(said.get(side), str) and said[side]}
            if words:
                result["labels"] = DecisionLabels(**words)
            return result
        labels = DecisionLabels()
        if yes is not None:
            result["on_yes"] = self.numbers[yes.target]
            if yes.label and yes.label.lower() != "ya":
                labels.yes = yes.label
        if no is not None:
            result["on_no"] = self.numbers[no.target]
            if no.label and no.label.lower() != "tidak":
                labels.no = no.label
        if labels.yes or labels.no:
            result["labels"] = labels
        return result

    # -- the SOP --------------------------------------------------------------------------
    def _choose_id(self) -> None:
        carried_id, carried_name = self.sop_data.get("id"), self.sop_data.get("name")
        wanted = carried_id if isinstance(carried_id, str) else ""
        name = carried_name if isinstance(carried_name, str) else ""
        # Never from the file's name: a diagram without a title gets a neutral id.
        base = slugify(wanted) or slugify(name or self.diagram.title) or UNNAMED_SOP_ID
        self.sop_id = unique_slug(base, self.taken_ids)
        self.taken_ids.add(self.sop_id)

    def _sop(self, actors: list[Actor], steps: list[Step]) -> Sop:
        assert self.sop_id is not None
        base = {"id": self.sop_id, "name": self.diagram.title, "actors": actors, "steps": steps}
        identity = {k: v for k, v in self.sop_data.items() if k not in ("actors", "steps")}
        try:
            return Sop.model_validate({**base, **identity, "id": self.sop_id})
        except ValidationError as exc:
            if identity:
                self.note(MERMAID_DATA("sop", reason=_reason(exc)))
            return Sop.model_validate(base)


def _exits_by_words(edges: list[Edge], said: dict[str, Any]) -> tuple[Edge, Edge] | None:
    """(Ya, Tidak) exits by the words alur's export recorded, when the arrows still carry
    exactly those words: own words such as 'Benar' / '0' need not sound like Ya or Tidak."""
    yes_word = fold(str(said.get("yes") or "")) or "Ya"
    no_word = fold(str(said.get("no") or "")) or "Tidak"
    if len(edges) != 2 or sorted(fold(e.label or "") for e in edges) != sorted(
            [yes_word, no_word]):
        return None
    first, second = edges
    if yes_word != no_word and fold(first.label or "") == no_word:
        first, second = second, first
    return first, second  # the same words on both: the export writes Ya first


def _reason(exc: ValidationError) -> str:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first.get("loc", ()))
    return f"{where}: {first.get('msg', '')}" if where else str(first.get("msg", ""))


def read_mermaid(text: str, *, file: str | None = None, taken_ids: set[str] | None = None
                 ) -> tuple[list[Sop], list[Finding]]:
    """The SOP a Mermaid flowchart draws, with every finding about reading it."""
    diagram = parse(text)
    if not diagram.is_flowchart:
        return [], [MERMAID_NOT_FLOWCHART().at(file=file)]
    builder = _Builder(diagram, file=file,
                       taken_ids=taken_ids if taken_ids is not None else set())
    sop = builder.build()
    problems = [message.at(sop=builder.sop_id, line=line, file=file)
                for message, line in diagram.problems]
    return ([sop] if sop else []), problems + builder.findings
