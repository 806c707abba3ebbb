"""Analysis of SOP definitions: standard time, workload (ABK) and the Keterkaitan graph.

Pure like `alur.sop` and `alur.engine`: no Django, no I/O. The CLI (`alur analyze`,
`alur links`) and the web reports build on it. Durations come from `alur.sop.duration` (the
one parser of time standards) with the library's working calendar.
"""

from .link_map import to_mermaid, to_svg, to_text
from .links import Broken, Link, LinkGraph, Reference, link_graph, normalise_name
from .numbers import format_hours, format_minutes, format_number, unknown
from .standard import ActorTime, MinuteRange, SopStandard, back_edges, standard_time
from .workload import (
    DEFAULT_BANDS,
    DEFAULT_JKE_HOURS,
    GRADE_BANDS_NOTE,
    Band,
    WorkloadRow,
    actor_key,
    grade,
    name_key,
    workload,
)

__all__ = [
    "DEFAULT_BANDS", "DEFAULT_JKE_HOURS", "GRADE_BANDS_NOTE", "ActorTime", "Band", "Broken",
    "Link", "LinkGraph", "MinuteRange", "Reference", "SopStandard", "WorkloadRow", "actor_key",
    "back_edges", "format_hours", "format_minutes", "format_number", "grade", "link_graph",
    "name_key", "normalise_name", "standard_time", "to_mermaid", "to_svg", "to_text", "unknown",
    "workload",
]
