"""What changed between two versions of an SOP, said for the people who sign and use it.

`compare(old, new)` reads two `alur-sop/1` documents and answers in the SOP's own terms: which
identity fields changed (with their labels and both values), which actors were added, removed
or renamed, and what happened to each step — added, removed, moved to another place in the
order, or edited, with the words changed marked and the other parts (actors, type, exits,
requirements, time, output) as before → after.

Steps are matched by what they say, not by their number: a step inserted at 3 renumbers every
step after it, and those steps are *renumbered*, not edited or moved. Matching runs in three
passes: steps with the same activity text are paired in order (difflib's longest common
blocks), then the same text out of order (a moved step), then the remaining ones by word
overlap (a Dice score over their words, actors and type, best pairs first; pairs below
`MATCH_THRESHOLD` are an added and a removed step; with more than `MAX_PAIRS` candidates only
steps within `NEAR` places of each other are compared). A matched step is
*moved* when its place relative to the other matched steps changed: the steps outside the
longest run that kept their order.

Exits are compared by the step they lead to, not by its number: "Tidak → 5" before and
"Tidak → 6" after, with step 5 renumbered 6, is no change. A plain step's implicit exit (the
step below it) is only compared when either version names its exit explicitly; otherwise a
change of the step below is an insertion, removal or move, reported as such.

The comparison needs no database or request: labels are lazy translations from the web
catalog and turn into text when shown."""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from alur.sop import Sop, dumps_yaml
from alur.sop.flow import successors
from alur.sop.model import Step

# A pair of steps whose word overlap scores below this are not "the same step edited".
MATCH_THRESHOLD = 0.5
# Above this many candidate pairs, an edited step is looked for within NEAR places only.
MAX_PAIRS = 10_000
NEAR = 20

Op = Literal["same", "del", "ins"]
StepState = Literal["added", "removed", "moved", "edited", "renumbered", "same"]
ActorState = Literal["added", "removed", "renamed"]


@dataclass(frozen=True)
class Segment:
    """A run of words of a compared text: kept, deleted or inserted."""

    op: Op
    text: str


@dataclass(frozen=True)
class FieldChange:
    """An identity field whose value differs; `old` and `new` are its lines (one for a plain
    field, one per entry for a list such as Dasar Hukum)."""

    key: str
    label: Promise
    old: tuple[str, ...]
    new: tuple[str, ...]
    listed: bool = False

    @property
    def removed(self) -> list[str]:
        """The list's entries that are gone (each as often as it went)."""
        return list((Counter(self.old) - Counter(self.new)).elements())

    @property
    def added(self) -> list[str]:
        return list((Counter(self.new) - Counter(self.old)).elements())

    @property
    def words(self) -> list[Segment]:
        """A plain field's text with the words changed marked."""
        return word_diff(" ".join(self.old), " ".join(self.new))


@dataclass(frozen=True)
class ActorChange:
    state: ActorState
    old: str  # the name before ("" when added)
    new: str  # the name after ("" when removed)


@dataclass(frozen=True)
class Exit:
    """Where a step leads: to a step (by its number in that version), or to the end. On the
    older side of a change, `now` is that step's number in the newer version (None where
    it was removed): "step 3 (now 4)" says which step is meant when the numbers shifted."""

    step: int | None
    now: int | None = None

    @property
    def ends(self) -> bool:
        return self.step is None


@dataclass(frozen=True)
class DetailChange:
    """A part of a step other than its activity, before and after. `key` is one of actors,
    kind, next, on_yes, on_no, inputs, time, outputs, notes, calls; exits hold `Exit`s."""

    key: str
    label: Promise
    old: tuple[str, ...] | Exit | None
    new: tuple[str, ...] | Exit | None


@dataclass
class StepChange:
    """One step of either version: `old` and `new` are the step in each (None where it is
    missing), `words` its activity with the changes marked, `details` its other parts that
    changed, `moved` whether it left its place in the order."""

    old: Step | None
    new: Step | None
    moved: bool = False
    words: list[Segment] = field(default_factory=list)
    details: list[DetailChange] = field(default_factory=list)

    @property
    def old_number(self) -> int | None:
        return self.old.number if self.old is not None else None

    @property
    def new_number(self) -> int | None:
        return self.new.number if self.new is not None else None

    @property
    def text_changed(self) -> bool:
        return any(s.op != "same" for s in self.words)

    @property
    def edited(self) -> bool:
        return self.old is not None and self.new is not None and \
            (self.text_changed or bool(self.details))

    @property
    def renumbered(self) -> bool:
        return self.old is not None and self.new is not None and \
            self.old.number != self.new.number

    @property
    def state(self) -> StepState:
        """The one word a list shows: added, removed, moved, edited, renumbered or same
        (a moved step may also be edited: see `edited`)."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        if self.moved:
            return "moved"
        if self.edited:
            return "edited"
        return "renumbered" if self.renumbered else "same"

    @property
    def shown(self) -> bool:
        """Worth a line of its own: anything but a step that only got a new number."""
        return self.state not in ("renumbered", "same")


@dataclass
class Changes:
    """Everything that differs between two versions, in the order of the document."""

    identity: list[FieldChange]
    actors: list[ActorChange]
    steps: list[StepChange]  # every step of both versions, in the new order

    def _count(self, state: StepState) -> int:
        return sum(1 for s in self.steps if s.state == state)

    @property
    def added(self) -> int:
        return self._count("added")

    @property
    def removed(self) -> int:
        return self._count("removed")

    @property
    def moved(self) -> int:
        return self._count("moved")

    @property
    def edited(self) -> int:
        """Steps whose content changed, moved ones included."""
        return sum(1 for s in self.steps if s.edited)

    @property
    def renumbered(self) -> list[StepChange]:
        """Steps that only got a new number (because of steps added or removed before them)."""
        return [s for s in self.steps if s.state == "renumbered"]

    @property
    def shown_steps(self) -> list[StepChange]:
        return [s for s in self.steps if s.shown]

    @property
    def empty(self) -> bool:
        return not (self.identity or self.actors or self.shown_steps or self.renumbered)

    def marks(self, side: Literal["old", "new"]) -> dict[int, str]:
        """Step number → the state of the changed steps in one version's flowchart (for
        `page_svg(marks=…)`): removed ones in the old, added ones in the new, moved and
        edited ones in both."""
        found: dict[int, str] = {}
        for change in self.shown_steps:
            step = change.old if side == "old" else change.new
            if step is not None:
                found[step.number] = change.state
        return found


# The identity fields, in the order of the identity sheet: path into the document, label.
IDENTITY: list[tuple[str, Promise, bool]] = [
    ("name", gettext_lazy("SOP name"), False),
    ("number", gettext_lazy("SOP number"), False),
    ("organization", gettext_lazy("Agency"), True),
    ("dates.created", gettext_lazy("Date created"), False),
    ("dates.revised", gettext_lazy("Date revised"), False),
    ("dates.effective", gettext_lazy("Effective date"), False),
    ("approved_by.title", gettext_lazy("Approved by (position)"), False),
    ("approved_by.name", gettext_lazy("Approver's name"), False),
    ("approved_by.nip", gettext_lazy("Approver's NIP"), False),
    ("legal_basis", gettext_lazy("Legal basis"), True),
    ("qualifications", gettext_lazy("Actor qualifications"), True),
    ("related", gettext_lazy("Related SOPs"), True),
    ("equipment", gettext_lazy("Equipment"), True),
    ("warnings", gettext_lazy("Warnings"), True),
    ("records", gettext_lazy("Records and data keeping"), True),
    ("sections", gettext_lazy("Other sections"), True),
]
STEP_PARTS: dict[str, Promise] = {
    "actors": gettext_lazy("actors"), "kind": gettext_lazy("type"),
    "next": gettext_lazy("next step"), "on_yes": gettext_lazy("yes target"),
    "on_no": gettext_lazy("no target"), "inputs": gettext_lazy("requirements"),
    "time": gettext_lazy("time"), "outputs": gettext_lazy("output"),
    "notes": gettext_lazy("notes"), "calls": gettext_lazy("called SOP"),
}
KIND_LABELS: dict[str, Promise] = {
    "start": gettext_lazy("Start"), "process": gettext_lazy("Process"),
    "decision": gettext_lazy("Decision"), "end": gettext_lazy("End")}

_WORD = re.compile(r"\S+")


def compare(old: Sop, new: Sop) -> Changes:
    """The changes from `old` to `new` (see the module's docstring)."""
    actors, actor_ids = _actor_changes(old, new)
    return Changes(identity=_identity_changes(old, new), actors=actors,
                   steps=_step_changes(old, new, actor_ids))


def word_diff(old: str, new: str) -> list[Segment]:
    """`old` → `new` word by word: runs of kept, deleted and inserted words (a replaced run
    is its deleted words, then its inserted ones). Spacing is not a change."""
    a, b = _WORD.findall(old), _WORD.findall(new)
    segments: list[Segment] = []
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("del", " ".join(a[i1:i2])))
        if j2 > j1:
            segments.append(Segment("ins", " ".join(b[j1:j2])))
    return segments


# -- identity ------------------------------------------------------------------------------

def _identity_value(sop: Sop, key: str) -> tuple[str, ...]:
    if key == "sections":
        return tuple(f"{s.title}: {s.text}".strip().rstrip(":") for s in sop.sections)
    value: object = sop
    for part in key.split("."):
        value = getattr(value, part)
    if isinstance(value, list):
        return tuple(" ".join(str(v).split()) for v in value if str(v).strip())
    text = " ".join(str(value or "").split())
    return (text,) if text else ()


def _identity_changes(old: Sop, new: Sop) -> list[FieldChange]:
    found = []
    for key, label, listed in IDENTITY:
        before, after = _identity_value(old, key), _identity_value(new, key)
        if before != after:
            found.append(FieldChange(key, label, before, after, listed))
    return found


# -- actors --------------------------------------------------------------------------------

def _actor_changes(old: Sop, new: Sop) -> tuple[list[ActorChange], dict[str, str]]:
    """The actors' changes, and each old actor id → the id of the same actor in `new` (the
    same id, or failing that the same name: an id is not something people see)."""
    new_ids = {a.id for a in new.actors}
    same: dict[str, str] = {a.id: a.id for a in old.actors if a.id in new_ids}
    taken = set(same.values())
    by_name = {_norm(a.name): a.id for a in new.actors if a.id not in taken}
    for actor in old.actors:
        if actor.id not in same and (match := by_name.get(_norm(actor.name))) is not None \
                and match not in taken:
            same[actor.id] = match
            taken.add(match)
    changes: list[ActorChange] = []
    names = {a.id: a.name for a in new.actors}
    for actor in old.actors:
        if actor.id not in same:
            changes.append(ActorChange("removed", actor.name, ""))
        elif _norm(names[same[actor.id]]) != _norm(actor.name):
            changes.append(ActorChange("renamed", actor.name, names[same[actor.id]]))
    changes.extend(ActorChange("added", "", a.name) for a in new.actors if a.id not in taken)
    return changes, same


# -- steps ---------------------------------------------------------------------------------

def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def _words(step: Step) -> list[str]:
    return _WORD.findall(step.activity_text.lower())


def _similarity(a: Counter[str], b: Counter[str]) -> float:
    """Dice's coefficient of two bags of words: 1 for the same words, 0 for none shared."""
    total = a.total() + b.total()
    if total == 0:
        return 1.0
    return 2 * sum(min(count, b[word]) for word, count in a.items() if word in b) / total


def match_steps(old: Sop, new: Sop, actor_ids: dict[str, str] | None = None
                ) -> list[tuple[int, int]]:
    """Pairs of (index in old.steps, index in new.steps) of the same step."""
    actor_ids = actor_ids or {}
    old_keys = [_norm(s.activity_text) for s in old.steps]
    new_keys = [_norm(s.activity_text) for s in new.steps]
    pairs: list[tuple[int, int]] = []
    matcher = difflib.SequenceMatcher(None, old_keys, new_keys, autojunk=False)
    for block in matcher.get_matching_blocks():
        pairs.extend((block.a + k, block.b + k) for k in range(block.size))
    paired_old, paired_new = {p[0] for p in pairs}, {p[1] for p in pairs}
    old_left = [i for i in range(len(old.steps)) if i not in paired_old]
    new_left = [j for j in range(len(new.steps)) if j not in paired_new]
    # A step moved without a change: the same text elsewhere.
    waiting: dict[str, list[int]] = {}
    for j in new_left:
        waiting.setdefault(new_keys[j], []).append(j)
    for i in old_left:
        if waiting.get(old_keys[i]):
            pairs.append((i, waiting[old_keys[i]].pop(0)))
    paired_old, paired_new = {p[0] for p in pairs}, {p[1] for p in pairs}
    old_left = [i for i in old_left if i not in paired_old]
    new_left = [j for j in new_left if j not in paired_new]
    if old_left and new_left:
        bags_old = {i: _bag(old.steps[i], actor_ids) for i in old_left}
        bags_new = {j: _bag(new.steps[j], None) for j in new_left}
        # Edited steps are looked for near where they were once there are many to pair (a
        # wholesale rewrite of hundreds of steps would otherwise compare every pair).
        window = len(old.steps) + len(new.steps) \
            if len(old_left) * len(new_left) <= MAX_PAIRS else NEAR
        scored = [(_similarity(bags_old[i], bags_new[j]), i, j)
                  for i in old_left for j in new_left if abs(i - j) <= window]
        scored.sort(key=lambda t: (-t[0], abs(t[1] - t[2]), t[1]))
        used_old: set[int] = set()
        used_new: set[int] = set()
        for score, i, j in scored:
            if score < MATCH_THRESHOLD:
                break
            if i not in used_old and j not in used_new:
                pairs.append((i, j))
                used_old.add(i)
                used_new.add(j)
    return sorted(pairs)


def _bag(step: Step, actor_ids: dict[str, str] | None) -> Counter[str]:
    """A step's words for matching: its activity's, its actors (as ids in the new version)
    and its type, the activity weighing most."""
    bag = Counter(_words(step))
    actors = [actor_ids.get(a, f"?{a}") if actor_ids is not None else a for a in step.actors]
    bag.update(f"\0actor:{a}" for a in actors)
    bag[f"\0kind:{step.kind}"] += 1
    return bag


def _longest_in_order(values: Sequence[int]) -> set[int]:
    """Positions of a longest strictly increasing subsequence of `values`."""
    tails: list[int] = []  # the smallest tail value of an increasing run of each length
    tail_at: list[int] = []  # its position in `values`
    before: list[int] = [-1] * len(values)
    for position, value in enumerate(values):
        length = bisect_left(tails, value)
        if length == len(tails):
            tails.append(value)
            tail_at.append(position)
        else:
            tails[length] = value
            tail_at[length] = position
        before[position] = tail_at[length - 1] if length else -1
    kept: set[int] = set()
    position = tail_at[-1] if tail_at else -1
    while position >= 0:
        kept.add(position)
        position = before[position]
    return kept


def _step_changes(old: Sop, new: Sop, actor_ids: dict[str, str]) -> list[StepChange]:
    pairs = match_steps(old, new, actor_ids)
    in_order = _longest_in_order([j for _i, j in pairs])
    old_to_new = {old.steps[i].number: new.steps[j].number for i, j in pairs}
    by_new: dict[int, StepChange] = {}
    for position, (i, j) in enumerate(pairs):
        before, after = old.steps[i], new.steps[j]
        by_new[j] = StepChange(
            before, after, moved=position not in in_order,
            words=word_diff(before.activity_text, after.activity_text),
            details=_details(old, before, new, after, actor_ids, old_to_new))
    changes: list[StepChange] = []
    matched_old = {i: j for i, j in pairs}
    # A removed step is listed after the new place of the step that came before it.
    removed_after: dict[int, list[StepChange]] = {}
    anchor = -1
    for i, step in enumerate(old.steps):
        if i in matched_old:
            anchor = matched_old[i]
        else:
            removed_after.setdefault(anchor, []).append(StepChange(step, None))
    changes.extend(removed_after.get(-1, []))
    for j, step in enumerate(new.steps):
        changes.append(by_new.get(j) or StepChange(None, step,
                                                   words=[Segment("ins", step.activity_text)]))
        changes.extend(removed_after.get(j, []))
    return changes


def _details(old: Sop, before: Step, new: Sop, after: Step, actor_ids: dict[str, str],
             old_to_new: dict[int, int]) -> list[DetailChange]:
    found: list[DetailChange] = []

    def add(key: str, was: tuple[str, ...] | Exit | None, now: tuple[str, ...] | Exit | None
            ) -> None:
        found.append(DetailChange(key, STEP_PARTS[key], was, now))

    old_names = {a.id: a.name for a in old.actors}
    new_names = {a.id: a.name for a in new.actors}
    if [actor_ids.get(a, f"?{a}") for a in before.actors] != list(after.actors):
        add("actors", tuple(old_names.get(a, a) for a in before.actors),
            tuple(new_names.get(a, a) for a in after.actors))
    if before.kind != after.kind:
        add("kind", (str(KIND_LABELS[before.kind]),), (str(KIND_LABELS[after.kind]),))
    was, now = _exits(old, before), _exits(new, after)
    explicit = before.next is not None or after.next is not None
    for key in ("on_yes", "on_no", "next"):
        a, b = was.get(key), now.get(key)
        if key == "next" and not explicit and a is not None and b is not None:
            continue  # both follow the order: a change there is an insertion or a move
        if not _same_exit(a, b, old_to_new):
            if a is not None and a.step is not None:
                a = Exit(a.step, old_to_new.get(a.step))
            add(key, a, b)
    for key in ("inputs", "time", "outputs", "notes", "calls"):
        a_text, b_text = _part(before, key), _part(after, key)
        if a_text != b_text:
            add(key, a_text, b_text)
    return found


def _same_exit(old: Exit | None, new: Exit | None, old_to_new: dict[int, int]) -> bool:
    """Whether two exits lead to the same place: both to the end, or to the same step
    (matched across the versions, whatever its number)."""
    if old is None or new is None:
        return old is None and new is None
    if old.step is None or new.step is None:
        return old.step == new.step
    return old_to_new.get(old.step) == new.step


def _exits(sop: Sop, step: Step) -> dict[str, Exit]:
    """A step's exits by the key that sets them: on_yes and on_no for a decision, next for
    any other step but the end."""
    found: dict[str, Exit] = {}
    for edge in successors(sop, step):
        key = {"ya": "on_yes", "tidak": "on_no"}.get(edge.label or "", "next")
        found[key] = Exit(edge.target)
    return found


def _part(step: Step, key: str) -> tuple[str, ...]:
    value = getattr(step, key)
    if isinstance(value, list):
        return tuple(" ".join(v.split()) for v in value if v.strip())
    text = " ".join(str(value or "").split())
    return (text,) if text else ()


def yaml_diff(old: Sop, new: Sop) -> list[tuple[str, str]]:
    """(kind, line) pairs of a unified diff of the two canonical `alur-sop/1` files, for the
    technical view only: canonical dumps keep key order and layout fixed, so only real
    changes show. Kinds: tambah (added line), hapus (removed), posisi (@@ place), sama."""
    lines = difflib.unified_diff(dumps_yaml(old).splitlines(), dumps_yaml(new).splitlines(),
                                 "sebelumnya", "versi ini", n=2, lineterm="")
    kinds = {"+": "tambah", "-": "hapus", "@": "posisi"}
    return [(kinds.get(line[:1], "sama"), line) for line in list(lines)[2:]]
