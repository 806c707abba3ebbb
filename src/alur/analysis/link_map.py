"""The Keterkaitan map drawn three ways: text for a terminal, Mermaid, and a plain SVG.

The SVG is a small layered drawing made here with string building (no Graphviz: government
servers would need it installed, and a library map has tens of boxes, not thousands): each SOP
is put one layer below every SOP that names it (loops are broken where the walk meets them),
boxes in a layer are ordered by the mean position of the boxes pointing at them, and arrows
are curves from the bottom of one box to the top of the next. Broken links end in a dashed
red box with the name as written. SOPs without any link are counted, not drawn.
"""

from __future__ import annotations

import functools
import textwrap
from dataclasses import dataclass
from html import escape as _escape

from alur.i18n import _, ngettext

from .links import Broken, Kind, LinkGraph, Reference, normalise_name


def escape(text: str) -> str:
    """Text for SVG content: &, < and > escaped (html.escape without quotes; xml.sax.saxutils
    would import urllib.request, and with it http and ssl, into `alur analyze`)."""
    return _escape(text, quote=False)

__all__ = ["to_mermaid", "to_svg", "to_text"]


def _reference(reference: Reference) -> str:
    labels: dict[Kind, str] = {
        "calls": _("calls it at step {step}"),
        "related": _("Keterkaitan"),
        "notes": _("notes of step {step}"),
    }
    return labels[reference.kind].format(step=reference.step)


def _where(references: tuple[Reference, ...]) -> str:
    return "; ".join(dict.fromkeys(_reference(r) for r in references))


def _summary(graph: LinkGraph) -> str:
    alone = len(graph.sops) - len(graph.linked())
    return _("Keterkaitan map: {sops}, {links}, {broken}; {alone}.").format(
        sops=ngettext("{n} SOP", "{n} SOPs", len(graph.sops)).format(n=len(graph.sops)),
        links=ngettext("{n} link", "{n} links", len(graph.links)).format(n=len(graph.links)),
        broken=ngettext("{n} broken link", "{n} broken links", len(graph.broken)).format(
            n=len(graph.broken)),
        alone=ngettext("{n} SOP without links", "{n} SOPs without links", alone).format(
            n=alone))


def to_text(graph: LinkGraph) -> str:
    """Each linked SOP with what it names: '→' a matched SOP, '✗' a name matching none."""
    lines = [_summary(graph), ""]
    for sop_id in graph.linked():
        lines.append(f"{sop_id} — {graph.sops[sop_id]}")
        for link in (x for x in graph.links if x.source == sop_id):
            lines.append(f"  → {link.target} — {graph.sops[link.target]} "
                         f"({_where(link.references)})")
        for broken in (x for x in graph.broken if x.source == sop_id):
            if broken.candidates:
                problem = _("matches several SOPs: {ids}").format(
                    ids=", ".join(broken.candidates))
            else:
                problem = _("matches no SOP")
            lines.append(f"  ✗ {broken.text} — {problem} ({_where(broken.references)})")
        incoming = [x.source for x in graph.links if x.target == sop_id]
        if incoming:
            lines.append("  ← " + _("named by: {ids}").format(ids=", ".join(incoming)))
    return "\n".join(lines) + "\n"


def _mermaid_text(text: str) -> str:
    return text.replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")


def _broken_key(broken: Broken) -> str:
    return normalise_name(broken.text) or broken.text


def to_mermaid(graph: LinkGraph) -> str:
    """A Mermaid flowchart: SOP boxes, labelled arrows, broken names as dashed red boxes."""
    lines = ["flowchart TB"]
    node: dict[str, str] = {}
    for index, sop_id in enumerate(graph.linked()):
        node[sop_id] = f"s{index}"
        lines.append(f'  s{index}["{_mermaid_text(graph.sops[sop_id])}<br/>'
                     f'<small>{_mermaid_text(sop_id)}</small>"]')
    broken_node: dict[str, str] = {}
    for broken in graph.broken:
        key = _broken_key(broken)
        if key not in broken_node:
            broken_node[key] = f"x{len(broken_node)}"
            lines.append(f'  {broken_node[key]}["{_mermaid_text(broken.text)}"]:::broken')
    for link in graph.links:
        lines.append(f'  {node[link.source]} -->|"{_mermaid_text(_where(link.references))}"|'
                     f' {node[link.target]}')
    label = _mermaid_text(_("broken link"))
    for broken in graph.broken:
        lines.append(f'  {node[broken.source]} -.->|"{label}"| '
                     f'{broken_node[_broken_key(broken)]}')
    lines.append("  classDef broken stroke:#c62828,stroke-dasharray:5 5,color:#c62828")
    return "\n".join(lines) + "\n"


# --- SVG ---------------------------------------------------------------------------------------

BOX_WIDTH = 230
BOX_HEIGHT = 58
GAP_X = 30
GAP_Y = 70
MARGIN = 20
FONT_SIZE = 12
CHARS_PER_LINE = 32  # of a 12 px sans-serif in a 230 px box, with padding
HEADER = 40
MAX_PER_ROW = 5


@dataclass
class _Box:
    key: str
    lines: list[str]
    note: str
    broken: bool
    layer: int = 0
    x: float = 0.0
    y: float = 0.0


def _layers(keys: list[str], edges: list[tuple[str, str]]) -> dict[str, int]:
    """Longest-path layering; an edge back to a box still on the walk is ignored."""
    out: dict[str, list[str]] = {k: [] for k in keys}
    for source, target in edges:
        out[source].append(target)
    state: dict[str, int] = {}
    order: list[str] = []
    forward: set[tuple[str, str]] = set()
    for root in keys:
        if root in state:
            continue
        state[root] = 1
        work = [(root, 0)]
        while work:
            key, child = work.pop()
            if child == len(out[key]):
                state[key] = 2
                order.append(key)
                continue
            work.append((key, child + 1))
            target = out[key][child]
            if state.get(target) == 1:
                continue  # a loop: drawn, but not used for layering
            forward.add((key, target))
            if target not in state:
                state[target] = 1
                work.append((target, 0))
    layer = dict.fromkeys(keys, 0)
    for key in reversed(order):  # topological order of the forward edges
        for target in out[key]:
            if (key, target) in forward:
                layer[target] = max(layer[target], layer[key] + 1)
    return layer


def _centre(box: _Box, boxes: dict[str, _Box], sources: dict[str, list[str]], depth: int,
            default: float) -> float:
    above = [boxes[s].x for s in sources.get(box.key, []) if boxes[s].layer < depth]
    return sum(above) / len(above) if above else default


def _arrange(boxes: dict[str, _Box], edges: list[tuple[str, str]]) -> tuple[float, float]:
    """Place the boxes: layer by layer, at most MAX_PER_ROW boxes a row (a wide layer wraps
    onto several rows), each row centred."""
    layers: dict[int, list[_Box]] = {}
    for box in boxes.values():
        layers.setdefault(box.layer, []).append(box)
    widest = min(MAX_PER_ROW, max(len(r) for r in layers.values()))
    width = 2 * MARGIN + widest * BOX_WIDTH + (widest - 1) * GAP_X
    sources: dict[str, list[str]] = {}
    for source, target in edges:
        sources.setdefault(target, []).append(source)
    row_index = 0
    for depth in sorted(layers):
        layer = layers[depth]
        if depth:  # order by the mean position of the boxes above pointing here
            layer.sort(key=functools.partial(_centre, boxes=boxes, sources=sources,
                                             depth=depth, default=width))
        for start in range(0, len(layer), MAX_PER_ROW):
            row = layer[start:start + MAX_PER_ROW]
            span = len(row) * BOX_WIDTH + (len(row) - 1) * GAP_X
            left = (width - span) / 2
            for index, box in enumerate(row):
                box.x = left + index * (BOX_WIDTH + GAP_X)
                box.y = MARGIN + HEADER + row_index * (BOX_HEIGHT + GAP_Y)
            row_index += 1
    height = MARGIN * 2 + HEADER + row_index * BOX_HEIGHT + (row_index - 1) * GAP_Y + 30
    return width, height


def _box_svg(box: _Box) -> str:
    cls = "box broken" if box.broken else "box"
    parts = [f'<g class="{cls}"><title>{escape(" ".join(box.lines))}</title>',
             f'<rect x="{box.x:.0f}" y="{box.y:.0f}" width="{BOX_WIDTH}" height="{BOX_HEIGHT}"'
             f' rx="6"/>']
    lines = box.lines[:2] + ([box.note] if box.note else [])
    first = box.y + BOX_HEIGHT / 2 - (len(lines) - 1) * 8 + 4
    for index, line in enumerate(lines):
        note = ' class="note"' if box.note and index == len(lines) - 1 else ""
        parts.append(f'<text x="{box.x + BOX_WIDTH / 2:.0f}" y="{first + index * 16:.0f}"'
                     f'{note}>{escape(line)}</text>')
    parts.append("</g>")
    return "".join(parts)


def _arrow_svg(source: _Box, target: _Box, broken: bool, label: str) -> str:
    x1, y1 = source.x + BOX_WIDTH / 2, source.y + BOX_HEIGHT
    x2, y2 = target.x + BOX_WIDTH / 2, target.y
    if target.y <= source.y:  # a loop: from the side, around
        x1, y1 = source.x + BOX_WIDTH, source.y + BOX_HEIGHT / 2
        x2, y2 = target.x + BOX_WIDTH, target.y + BOX_HEIGHT / 2
        bend = GAP_X + 20
        path = f"M{x1:.0f},{y1:.0f} C{x1 + bend:.0f},{y1:.0f} {x2 + bend:.0f},{y2:.0f} " \
               f"{x2:.0f},{y2:.0f}"
    else:
        dy = (y2 - y1) / 2
        path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + dy:.0f} {x2:.0f},{y2 - dy:.0f} " \
               f"{x2:.0f},{y2:.0f}"
    cls = "link broken" if broken else "link"
    marker = "url(#arrow-broken)" if broken else "url(#arrow)"
    return (f'<path class="{cls}" d="{path}" marker-end="{marker}">'
            f"<title>{escape(label)}</title></path>")


_STYLE = (
    "text{font-family:'DejaVu Sans',Arial,sans-serif;font-size:12px;text-anchor:middle;"
    "fill:#1a1a1a}"
    ".box rect{fill:#f4f7fb;stroke:#2b5797;stroke-width:1.2}"
    ".box.broken rect{fill:#fff5f5;stroke:#c62828;stroke-dasharray:5 4}"
    ".box.broken text{fill:#c62828}"
    "text.note{font-size:10px;fill:#666}"
    "text.title{font-size:14px;font-weight:bold;text-anchor:start}"
    "text.legend{font-size:11px;text-anchor:start;fill:#444}"
    ".link{fill:none;stroke:#2b5797;stroke-width:1.2}"
    ".link.broken{stroke:#c62828;stroke-dasharray:5 4}"
)


def to_svg(graph: LinkGraph) -> str:
    """The map as a standalone SVG document (see the module docstring for the drawing)."""
    boxes: dict[str, _Box] = {}
    for sop_id in graph.linked():
        lines = textwrap.wrap(graph.sops[sop_id] or sop_id, CHARS_PER_LINE) or [sop_id]
        if len(lines) > 2:
            lines = [lines[0], textwrap.shorten(" ".join(lines[1:]), CHARS_PER_LINE,
                                                placeholder=" …")]
        boxes[sop_id] = _Box(sop_id, lines, sop_id, broken=False)
    edges: list[tuple[str, str, bool, str]] = []
    for link in graph.links:
        edges.append((link.source, link.target, False, _where(link.references)))
    for broken in graph.broken:
        key = "✗ " + _broken_key(broken)
        if key not in boxes:
            lines = textwrap.wrap(broken.text, CHARS_PER_LINE)[:2] or [broken.text]
            boxes[key] = _Box(key, lines, _("not found"), broken=True)
        edges.append((broken.source, key, True, _where(broken.references)))
    pairs = [(s, t) for s, t, _b, _l in edges]
    for key, depth in _layers(list(boxes), pairs).items():
        boxes[key].layer = depth
    title = escape(_summary(graph))
    if not boxes:
        return ('<svg xmlns="http://www.w3.org/2000/svg" width="600" height="60" '
                'viewBox="0 0 600 60">'
                f'<style>{_STYLE}</style><text class="title" x="{MARGIN}" y="35">{title}</text>'
                "</svg>\n")
    width, height = _arrange(boxes, pairs)
    width = max(width, 600)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" '
             f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}">',
             f"<style>{_STYLE}</style>",
             "<defs>"
             '<marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" '
             'markerHeight="8" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#2b5797"/></marker>'
             '<marker id="arrow-broken" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
             '<path d="M0,0 L10,5 L0,10 z" fill="#c62828"/></marker>'
             "</defs>",
             f'<text class="title" x="{MARGIN}" y="{MARGIN + 14}">{title}</text>']
    for source, target, broken_edge, label in edges:
        parts.append(_arrow_svg(boxes[source], boxes[target], broken_edge, label))
    parts.extend(_box_svg(box) for box in boxes.values())
    legend = escape(_("Dashed red: a name that matches no SOP (a broken link)."))
    parts.append(f'<text class="legend" x="{MARGIN}" y="{height - MARGIN:.0f}">{legend}</text>')
    parts.append("</svg>")
    return "".join(parts) + "\n"

