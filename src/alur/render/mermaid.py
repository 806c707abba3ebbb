"""Mermaid `flowchart TD` text of an SOP: one subgraph per actor, one node per step, and the
rest of the SOP in `%% alur:` comment lines so that reading the text back gives the same SOP.

Node shapes follow the SOP AP symbols: `([...])` for terminators (the first and last activity,
or the start/end rows — `layout.terminal_steps`, the same rule the drawn table uses), `{...}`
for decisions, `[[...]]` for a step that runs another SOP (`calls`), `[...]` for a process.
Edges come from `flow.successors`; a decision's carry its exits' words (`|Ya|` / `|Tidak|`,
or the step's `labels` such as `|Lengkap|`). An edge that ends the procedure (target None) has
no node to point at: the terminator shape already says so.

A step stands in the subgraph of its first actor (Mermaid puts a node in one subgraph only, so a
joint step shows in its first actor's); start/end rows without an actor take the column the
table draws them in (`layout.shape_actors`). Labels are always double-quoted with `"`, `#`, `<`,
`>`, `&` written as Mermaid entity codes, so no activity text can break the syntax. Ids are
positional (`s1`, `lane_1`), so the same SOP always gives the same text.

The diagram says the steps, their actors, kinds and exits; what the notation cannot say (the
SOP's identity, actor ids, each step's number, time, inputs, outputs, notes, calls, a joint
step's other actors, sub-activities, a `next` that only repeats the order, whether a capsule is
a start, an end or an activity) follows the edges as comment lines, one JSON object each:

    %% alur: {"sop": {"id": "surat-masuk", "name": "...", "number": "...", ...}}
    %% alur: {"lane": "lane_1", "actor": {"id": "kabag"}}
    %% alur: {"node": "s1", "step": {"number": 1, "time": "10 menit", "inputs": [...]}}

Mermaid ignores them when drawing; `alur.importers.mermaid.read_mermaid` reads them where the
diagram still agrees with them (an edited label wins over the comment's activity).
"""

from __future__ import annotations

import json
import re
from typing import Any

from alur.sop import flow
from alur.sop.model import Sop, Step

from .layout import shape_actors, terminal_steps

INDENT = "    "
DATA_PREFIX = "%% alur: "
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}
# Step fields the diagram itself carries (shape, edges, edge labels), so the comment leaves
# them out: a reader takes them from what is drawn.
_DRAWN_STEP_FIELDS = {"kind", "next", "on_yes", "on_no", "labels"}
_PLAIN_EXITS = {"ya": "Ya", "tidak": "Tidak"}
_PLAIN_LABEL = re.compile(r"[\w .,/-]+")  # words an unquoted edge label may hold


def escape(text: str) -> str:
    """Text for inside a double-quoted Mermaid label."""
    text = " ".join(text.split())  # newlines and runs of blanks: one space
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def node_id(step: Step) -> str:
    return f"s{step.number}" if step.number >= 0 else f"s_{-step.number}"


def step_label(step: Step) -> str:
    """The text a step's node shows (unescaped): its activity, or 'Langkah N' when empty."""
    return " ".join(step.activity_text.split()) or f"Langkah {step.number}"


def _node(step: Step, terminals: set[int]) -> str:
    label = f'"{escape(step_label(step))}"'
    if step.kind == "decision":
        shape = f"{{{label}}}"
    elif step.number in terminals:
        shape = f"([{label}])"
    elif step.calls:
        shape = f"[[{label}]]"
    else:
        shape = f"[{label}]"
    return f"{node_id(step)}{shape}"


def _edge_label(step: Step, label: str | None) -> str:
    if label is None:
        return ""
    own = step.labels.yes if label == "ya" else step.labels.no
    word = " ".join(own.split()) or _PLAIN_EXITS[label]
    if _PLAIN_LABEL.fullmatch(word):
        return f"|{word}|"
    return f'|"{escape(word).replace("|", "#124;")}"|'


def to_mermaid(sop: Sop) -> str:
    terminals = terminal_steps(sop)
    lines = ["flowchart TD"]
    ids: dict[int, str] = {}
    seen: set[str] = set()
    placed: dict[str | None, list[Step]] = {}
    lane_of: dict[int, str | None] = {}
    for step in sop.steps:
        if step.number in ids:
            continue  # a repeated step number (the checker reports it): draw the first
        ids[step.number] = node_id(step)
        actors = shape_actors(sop, step)
        lane_of[step.number] = actors[0] if actors else None
        placed.setdefault(lane_of[step.number], []).append(step)
    for step in placed.get(None, []):
        lines.append(f"{INDENT}{_node(step, terminals)}")
    for index, actor in enumerate(sop.actors, start=1):
        lines.append(f'{INDENT}subgraph lane_{index}["{escape(actor.name)}"]')
        for step in placed.get(actor.id, []):
            lines.append(f"{INDENT * 2}{_node(step, terminals)}")
        lines.append(f"{INDENT}end")
    for step in sop.steps:
        key = node_id(step)
        if key in seen:
            continue
        seen.add(key)
        for edge in flow.successors(sop, step):
            if edge.target is None or edge.target not in ids:
                continue
            label = _edge_label(step, edge.label)
            lines.append(f"{INDENT}{ids[edge.source]} -->{label} {ids[edge.target]}")
    lines.extend(_data_lines(sop, ids, lane_of, terminals))
    return "\n".join(lines) + "\n"


def _data_line(value: dict[str, Any]) -> str:
    return INDENT + DATA_PREFIX + json.dumps(value, ensure_ascii=False, separators=(", ", ": "))


def _data_lines(sop: Sop, ids: dict[int, str], lane_of: dict[int, str | None],
                terminals: set[int]) -> list[str]:
    """The comment block: what the diagram cannot say, keyed by the diagram's own ids."""
    identity = sop.model_dump(mode="json", exclude_defaults=True, exclude={"actors", "steps"})
    identity["id"] = sop.id
    lines = [_data_line({"sop": identity})]
    for index, actor in enumerate(sop.actors, start=1):
        data = actor.model_dump(mode="json", exclude_defaults=True, exclude={"name"})
        if " ".join(actor.name.split()) != actor.name:
            data["name"] = actor.name  # the label folds blanks; keep the exact text here
        lines.append(_data_line({"lane": f"lane_{index}", "actor": data}))
    written: set[str] = set()
    for index, step in enumerate(sop.steps):
        key = node_id(step)
        if key in written or ids.get(step.number) != key:
            continue
        written.add(key)
        data = step.model_dump(mode="json", exclude_defaults=True,
                               exclude=_DRAWN_STEP_FIELDS | {"activity", "actors"})
        drawn: dict[str, Any] = {"number": step.number}
        if step.activity != step_label(step):
            drawn["activity"] = step.activity  # sub-activities, blanks, or empty
        lane = lane_of.get(step.number)
        if step.actors != ([lane] if lane else []):
            drawn["actors"] = step.actors  # a joint step, or a marker row without an actor
        if step.kind in ("start", "end") or (step.kind == "process" and step.number in terminals):
            drawn["kind"] = step.kind  # a capsule is a start, an end or a first/last activity
        if step.kind == "decision" and (step.labels.yes or step.labels.no):
            # Drawn on the arrows too; recorded so that words that sound like neither Ya nor
            # Tidak still come back on the right exit.
            drawn["labels"] = step.labels.model_dump(exclude_defaults=True)
        following = sop.steps[index + 1].number if index + 1 < len(sop.steps) else None
        if step.next is not None and step.next == following and step.kind != "decision":
            drawn["next"] = step.next  # written out though implied: the arrow looks the same
        lines.append(_data_line({"node": key, "step": {**drawn, **data}}))
    return lines
