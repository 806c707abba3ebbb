"""What changed between two states of a draft, said for people: which identity fields, which
actors and which steps (by number, with the parts that differ) — shown when a save is refused
because someone else saved the draft meanwhile. Never a YAML diff."""

from __future__ import annotations

from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .editor_forms import LISTS

_IDENTITY: list[tuple[tuple[str, ...], Promise]] = [
    (("name",), gettext_lazy("SOP name")),
    (("number",), gettext_lazy("SOP number")),
    (("organization",), gettext_lazy("Agency")),
    (("dates", "created"), gettext_lazy("Date created")),
    (("dates", "revised"), gettext_lazy("Date revised")),
    (("dates", "effective"), gettext_lazy("Effective date")),
    (("approved_by", "title"), gettext_lazy("Approved by (position)")),
    (("approved_by", "name"), gettext_lazy("Approver's name")),
    (("approved_by", "nip"), gettext_lazy("Approver's NIP")),
    *(((key,), label) for key, label in LISTS),
]
_STEP: list[tuple[str, Promise]] = [
    ("activity", gettext_lazy("activity")), ("actors", gettext_lazy("actors")),
    ("kind", gettext_lazy("type")), ("time", gettext_lazy("time")),
    ("inputs", gettext_lazy("requirements")), ("outputs", gettext_lazy("output")),
    ("notes", gettext_lazy("notes")), ("next", gettext_lazy("next step")),
    ("on_yes", gettext_lazy("yes target")), ("on_no", gettext_lazy("no target")),
    ("calls", gettext_lazy("called SOP")), ("joint", gettext_lazy("joint finish")),
]


def _get(data: dict[str, Any], path: tuple[str, ...]) -> Any:
    value: Any = data
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    return value or None  # "", [] and None are all 'empty'


def _steps(data: dict[str, Any]) -> dict[Any, dict[str, Any]]:
    return {s.get("number"): s for s in data.get("steps") or [] if isinstance(s, dict)}


def _actors(data: dict[str, Any]) -> dict[str, str]:
    return {str(a.get("id")): str(a.get("name") or a.get("id"))
            for a in data.get("actors") or [] if isinstance(a, dict)}


def changes(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """One line per thing that differs between two `alur-sop/1` documents, in page order."""
    found = [str(label) for path, label in _IDENTITY if _get(before, path) != _get(after, path)]
    old_actors, new_actors = _actors(before), _actors(after)
    for actor_id, name in new_actors.items():
        if actor_id not in old_actors:
            found.append(_("Actor %(name)s added") % {"name": name})
        elif old_actors[actor_id] != name:
            found.append(_("Actor %(old)s renamed %(new)s") % {"old": old_actors[actor_id],
                                                               "new": name})
    found.extend(_("Actor %(name)s removed") % {"name": name}
                 for actor_id, name in old_actors.items() if actor_id not in new_actors)
    old_steps, new_steps = _steps(before), _steps(after)
    numbers = sorted({*old_steps, *new_steps},
                     key=lambda n: (not isinstance(n, int), n if isinstance(n, int) else 0))
    for number in numbers:
        if number not in old_steps:
            found.append(_("Step %(number)s added") % {"number": number})
        elif number not in new_steps:
            found.append(_("Step %(number)s removed") % {"number": number})
        else:
            parts = [str(label) for key, label in _STEP
                     if _get(old_steps[number], (key,)) != _get(new_steps[number], (key,))]
            if parts:
                found.append(_("Step %(number)s (%(parts)s)") % {
                    "number": number, "parts": ", ".join(parts)})
    return found
