"""Which flowchart symbol a drawn shape is, from the name its format gives its geometry.

Word and Excel name DrawingML geometry by preset (`a:prstGeom prst="flowChartDecision"`), old
Word documents by VML shape type (`#_x0000_t110`, or the element `v:roundrect`); PDF has only
paths and classifies by their points elsewhere. Permenpan RB 35/2012 allows five symbols; people
draw them with whatever shape looks right, so several presets map to each.
"""

from __future__ import annotations

import re

from .grid import ShapeKind

_PRESETS: dict[str, ShapeKind] = {
    # capsule: start / end, or the first and last activity
    "flowchartterminator": "terminator", "roundrect": "terminator", "ellipse": "terminator",
    "flowchartalternateprocess": "terminator", "snip2samerect": "terminator",
    "round2samerect": "terminator", "plaque": "terminator",
    # rectangle: an activity
    "rect": "process", "flowchartprocess": "process", "flowchartpredefinedprocess": "process",
    "flowchartdocument": "process", "flowchartmultidocument": "process",
    "flowchartmanualoperation": "process", "flowchartinputoutput": "process",
    "flowchartpreparation": "process", "parallelogram": "process", "snip1rect": "process",
    "flowchartinternalstorage": "process", "flowchartpunchedcard": "process",
    # diamond: a decision
    "flowchartdecision": "decision", "diamond": "decision",
    # off-page connector
    "flowchartoffpageconnector": "page-connector", "homeplate": "page-connector",
    "pentagon": "page-connector", "chevron": "page-connector",
    # on-page connector (a small circle with a letter)
    "flowchartconnector": "connector",
    # lines, arrows, connectors
    "line": "line", "straightconnector1": "line", "bentconnector2": "line",
    "bentconnector3": "line", "bentconnector4": "line", "bentconnector5": "line",
    "curvedconnector2": "line", "curvedconnector3": "line", "curvedconnector4": "line",
    "curvedconnector5": "line", "rightarrow": "line", "leftarrow": "line", "downarrow": "line",
    "uparrow": "line", "leftrightarrow": "line", "updownarrow": "line", "bentarrow": "line",
    "uturnarrow": "line", "bentuparrow": "line", "leftuparrow": "line",
}

# VML shape types (`o:spt`, the number in `#_x0000_tNNN`) of the same symbols.
_VML_TYPES: dict[int, ShapeKind] = {
    1: "process", 2: "terminator", 3: "terminator", 4: "decision", 15: "page-connector",
    32: "line", 33: "line", 34: "line", 20: "line", 109: "process", 110: "decision",
    111: "process", 112: "process", 114: "process", 116: "terminator", 120: "connector",
    176: "terminator", 177: "page-connector", 202: "text", 13: "line", 67: "line", 68: "line",
    66: "line",
}
_VML_ELEMENTS: dict[str, ShapeKind] = {
    "rect": "process", "roundrect": "terminator", "oval": "terminator", "line": "line",
    "polyline": "line",
}
_VML_TYPE_REF = re.compile(r"_x0000_t(\d+)$")
ARROW_PRESETS = frozenset({"rightarrow", "leftarrow", "downarrow", "uparrow"})


def preset_kind(preset: str | None, *, text_box: bool = False) -> ShapeKind:
    """A DrawingML preset's symbol; a text box without a symbol geometry is text."""
    if not preset:
        return "text" if text_box else "other"
    kind = _PRESETS.get(preset.lower())
    if kind is None:
        return "text" if text_box else "other"
    if text_box and kind == "process":
        return "text"  # a plain rectangle marked as a text box is a label, not an activity
    return kind


def vml_kind(element: str, shape_type: str | None) -> ShapeKind:
    """A VML element's symbol: `v:shape` by its type reference, `v:rect` etc. by name."""
    if shape_type:
        match = _VML_TYPE_REF.search(shape_type)
        if match:
            return _VML_TYPES.get(int(match.group(1)), "other")
    return _VML_ELEMENTS.get(element, "other")
