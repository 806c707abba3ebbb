"""Mermaid `flowchart TD` text of an SOP: one subgraph per actor, one node per step.

Node shapes follow the SOP AP symbols: `([...])` for terminators (the first and last activity,
or the start/end rows — `layout.terminal_steps`, the same rule the drawn table uses), `{...}`
for decisions, `[[...]]` for a step that runs another SOP (`calls`), `[...]` for a process.
Edges come from `flow.successors`; a decision's carry `|Ya|` / `|Tidak|`. An edge that ends the
procedure (target None) has no node to point at: the terminator shape already says so.

A step stands in the subgraph of its first actor (Mermaid puts a node in one subgraph only, so a
joint step shows in its first actor's); start/end rows without an actor take the column the
table draws them in (`layout.shape_actors`). Labels are always double-quoted with `"`, `#`, `<`,
`>`, `&` written as Mermaid entity codes, so no activity text can break the syntax. Ids are
positional (`s1`, `lane_1`), so the same SOP always gives the same text.
"""

from __future__ import annotations

from alur.sop import flow
from alur.sop.model import Sop, Step

from .layout import shape_actors, terminal_steps

INDENT = "    "
_ENTITIES = {"#": "#35;", '"': "#quot;", "<": "#lt;", ">": "#gt;", "&": "#amp;"}


def escape(text: str) -> str:
    """Text for inside a double-quoted Mermaid label."""
    text = " ".join(text.split())  # newlines and runs of blanks: one space
    return "".join(_ENTITIES.get(ch, ch) for ch in text)


def node_id(step: Step) -> str:
    return f"s{step.number}" if step.number >= 0 else f"s_{-step.number}"


def _node(step: Step, terminals: set[int]) -> str:
    label = f'"{escape(step.activity_text or f"Langkah {step.number}")}"'
    if step.kind == "decision":
        shape = f"{{{label}}}"
    elif step.number in terminals:
        shape = f"([{label}])"
    elif step.calls:
        shape = f"[[{label}]]"
    else:
        shape = f"[{label}]"
    return f"{node_id(step)}{shape}"


def to_mermaid(sop: Sop) -> str:
    terminals = terminal_steps(sop)
    lines = ["flowchart TD"]
    ids: dict[int, str] = {}
    seen: set[str] = set()
    placed: dict[str | None, list[Step]] = {}
    for step in sop.steps:
        if step.number in ids:
            continue  # a repeated step number (the checker reports it): draw the first
        ids[step.number] = node_id(step)
        actors = shape_actors(sop, step)
        placed.setdefault(actors[0] if actors else None, []).append(step)
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
            label = {"ya": "|Ya|", "tidak": "|Tidak|"}.get(edge.label or "", "")
            lines.append(f"{INDENT}{ids[edge.source]} -->{label} {ids[edge.target]}")
    return "\n".join(lines) + "\n"
