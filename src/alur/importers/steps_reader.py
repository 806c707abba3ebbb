"""Reading an SOP's procedure table (and its continuations) into actors and steps.

Each row's actor comes from the best evidence it has, in this order: a symbol drawn over the row
(Word, Excel, PDF: the shape's column *is* the actor), a mark that survived in the actor cells
of a text extract (□ ◇ mulai - …), and only then the activity's own words (`actors.py`).
Decisions likewise: exits drawn out of a diamond first, then the Ya/Tidak marks a text extract
kept (`decisions.py`). Whatever was not read but inferred is listed in the step's `inferred`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePath

from alur.i18n import N_
from alur.sop.codes import INFO, W, register
from alur.sop.findings import Location
from alur.sop.model import Actor, DecisionLabels, Source, Step, StepKind
from alur.sop.slug import slugify, unique_slug

from . import table as tbl
from .actors import infer_actor
from .blocks import Block, Exit
from .cells import Mark, cell_items, cell_pieces, cell_text, fold, read_mark
from .codes import (
    IMPORT_ACTOR_INFERRED,
    IMPORT_ACTOR_UNKNOWN,
    IMPORT_CAPTION,
    IMPORT_COLUMNS_SHIFTED,
    IMPORT_EXTRA_CELL,
    IMPORT_HEADER_CHANGED,
    IMPORT_MARK_OUTSIDE,
    IMPORT_MARKER_ROW,
    IMPORT_NO_ACTORS,
    IMPORT_NO_TIME_COLUMN,
    IMPORT_TEXT_IN_ACTOR_COLUMN,
    IMPORT_UNLABELLED_OUTPUT,
    IMPORT_UNNUMBERED_ROW,
    IMPORT_WEAK_MARK,
)
from .decisions import DraftStep, recover_decisions
from .identity import field_label
from .notes import Notes, short
from .worded import actor_names, worded_exits

IMPORT_SHAPE_TEXT_DISAGREE = register(
    "import.shape-text-disagree", W,
    "the shape stands under one actor while the sentence names another; the shape wins",
    N_("Step {number}: the symbol is drawn under {shape}, but the text names {text} "
       "('{phrase}'); the drawing is followed."))
IMPORT_DRAWN_DECISION = register(
    "import.drawn-decision", INFO,
    "a decision read from a diamond and the exits drawn out of it",
    {"": N_("Step {number}: a decision by {actor}, read from the drawn diamond and its exits "
            "(Yes → {on_yes}, No → {on_no})."),
     "guessed": N_("Step {number}: the exits of the drawn diamond carry no Ya/Tidak label; the "
                   "exit to the next step, {on_yes}, is taken as Yes and the other, {on_no}, "
                   "as No."),
     "complement": N_("Step {number}: only one exit of the drawn diamond is labelled; the "
                      "other is taken as its opposite (Yes → {on_yes}, No → {on_no}).")})
IMPORT_DRAWN_DECISION_INCOMPLETE = register(
    "import.drawn-decision-incomplete", W,
    "a drawn diamond without two readable exits; read as a process",
    N_("Step {number}: a diamond is drawn, but {count} of its exits can be followed; the step "
       "is read as a process."))
IMPORT_DRAWN_JUMP = register(
    "import.drawn-jump", INFO,
    "an arrow drawn from a step to one that does not follow it: read as its next step",
    N_("Step {number}: the arrow drawn from it leads to step {target}, which is read as its "
       "next step."))

IMPORT_WORDED_EXITS = register(
    "import.worded-exits", INFO,
    "a decision's exits, or a jump, read from words in Keterangan or the activity",
    {"": N_("Step {number}: a decision read from the words '{quote}' (Yes → {on_yes}, No → "
            "{on_no})."),
     "no-only": N_("Step {number}: a decision read from the words '{quote}': No → {on_no}; "
                   "Yes goes on to the next step, {on_yes}."),
     "jump": N_("Step {number}: the words '{quote}' are read as its next step, {target}."),
     "incomplete": N_("Step {number}: the words '{quote}' name an exit, but not both exits of a "
                      "decision to steps that exist; the step is read as written.")})
IMPORT_ACTORS_IN_TEXT = register(
    "import.actors-in-text", INFO,
    "the table names each row's actors in one text column; the actors are collected from it",
    N_("The table names the actors of each row in one column; every name found there becomes "
       "an actor column."))

_CONTINUATION_LINES = 3  # title lines allowed between a table and its continuation
MARKER_ACTIVITY: dict[str, StepKind] = {"mulai": "start", "start": "start", "selesai": "end",
                                         "end": "end", "berakhir": "end", "finish": "end"}
_PLAIN_WORDS = {"yes": {"ya", "y", "yes"}, "no": {"tidak", "t", "no", "tdk"}}


@dataclass
class Procedure:
    """What the procedure table gave: the actor columns, the steps, and the blocks after it."""

    actors: list[Actor] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    rest: list[Block] = field(default_factory=list)


def read_procedure(blocks: list[Block], notes: Notes, *, file: str | None) -> Procedure:
    """The table starting at `blocks[0]` and any continuation with a repeated header."""
    return _TableReader(notes, file).run(blocks)


class _TableReader:
    def __init__(self, notes: Notes, file: str | None) -> None:
        self.notes = notes
        self.source_name = PurePath(file).name if file else None
        self.actors: list[Actor] = []
        self.actor_names: list[str] = []
        self.named_in_text = False

    def run(self, blocks: list[Block]) -> Procedure:
        index = 0
        drafts: list[tuple[DraftStep, tbl.RowCells]] = []
        while index < len(blocks) and blocks[index].is_row:
            header_rows = [blocks[index]]
            index += 1
            while index < len(blocks) and blocks[index].is_row and len(header_rows) < 3 and \
                    tbl.step_number(blocks[index].cells[0]) is None and \
                    tbl.is_header_like(blocks[index]):
                header_rows.append(blocks[index])
                index += 1
            header = tbl.read_header(header_rows)
            if not self.actor_names:
                self._set_actors(header, header_rows[-1])
            elif header.actor_names != self.actor_names:
                self.notes.add(IMPORT_HEADER_CHANGED(actors=", ".join(header.actor_names)),
                               at=header_rows[0])
            body_start = index
            while index < len(blocks) and blocks[index].is_row and \
                    not tbl.starts_table(blocks[index]) and \
                    not any(field_label(t) for t in blocks[index].texts):
                index += 1
            drafts.extend(self._read_rows(blocks[body_start:index], header, header_rows[-1]))
            index = self._continuation(blocks, index)
            if not (index < len(blocks) and tbl.starts_table(blocks[index])):
                break
        if self.named_in_text:
            taken: set[str] = set()
            for name in self.actor_names:
                actor_id = unique_slug(slugify(name), taken, fallback="pelaksana")
                taken.add(actor_id)
                self.actors.append(Actor(id=actor_id, name=name))
        steps = self._finish(drafts) if drafts else []
        return Procedure(self.actors, steps, blocks[index:])

    def _continuation(self, blocks: list[Block], index: int) -> int:
        """Past a few title lines ('… (lanjutan)', a page number) that stand between a table
        and its continuation on the next page; the lines are noted, not dropped. Where no
        continuation follows, nothing is skipped."""
        ahead = index
        while ahead < len(blocks) and ahead - index < _CONTINUATION_LINES and \
                not blocks[ahead].is_row:
            ahead += 1
        if ahead == index or ahead >= len(blocks) or not tbl.starts_table(blocks[ahead]):
            return index
        header = tbl.read_header(blocks[ahead:ahead + 3])
        if self.actor_names and not set(header.actor_names) & set(self.actor_names):
            return index
        for block in blocks[index:ahead]:
            self.notes.add(IMPORT_CAPTION(text=short(block.text, 200)), at=block)
        return ahead

    def _set_actors(self, header: tbl.Header, last_row: Block) -> None:
        if header.index(tbl.ACTOR_TEXT) is not None:
            self.named_in_text = True
            self.notes.add(IMPORT_ACTORS_IN_TEXT(), at=last_row)
            return  # the actors are collected row by row (`_actor_text`)
        taken: set[str] = set()
        for name in header.actor_names:
            actor_id = unique_slug(slugify(name), taken, fallback="pelaksana")
            taken.add(actor_id)
            self.actors.append(Actor(id=actor_id, name=name))
        self.actor_names = list(header.actor_names)
        if not header.actor_names:
            self.notes.add(IMPORT_NO_ACTORS(), at=last_row)
        if tbl.TIME not in header.roles.values():
            self.notes.add(IMPORT_NO_TIME_COLUMN(), at=last_row)

    # -- rows ------------------------------------------------------------------------------
    def _read_rows(self, rows: list[Block], header: tbl.Header, last_header: Block
                   ) -> list[tuple[DraftStep, tbl.RowCells]]:
        unlabelled = tbl.table_has_unlabelled_output(rows, header)
        if unlabelled:
            self.notes.add(IMPORT_UNLABELLED_OUTPUT(), at=last_header)
        drafts: list[tuple[DraftStep, tbl.RowCells]] = []
        for block in rows:
            cells = tbl.split_row(block, header, unlabelled)
            number = tbl.step_number(cells.number_raw)
            activity = cell_items(cells.activity_raw)
            draft = DraftStep(number=number if number is not None else -1, line=block.line,
                              place=block.place)
            if self.named_in_text:
                self._actor_text(draft, block, header)
            else:
                self._read_marks(draft, cells, block, header)
            if not self.named_in_text and len(cells.actor_cells) != len(header.actor_columns) \
                    and (number is not None or activity):
                aligned = "by-content" if cells.aligned_by == "content" else "by-position"
                self.notes.add(IMPORT_COLUMNS_SHIFTED(aligned, count=len(cells.actor_cells),
                                                      header=len(header.actor_columns)),
                               at=block, step=number)
            for column, raw in cells.extra:
                self.notes.add(IMPORT_EXTRA_CELL(column=column + 1, text=short(cell_text(raw))),
                               at=block, step=number)
            if number is None:
                if not self._unnumbered_row(draft, cells, activity, drafts, block):
                    continue
            else:
                marker = MARKER_ACTIVITY.get(fold(" ".join(activity)).lower().strip(". "))
                if marker:
                    draft.kind = marker
            drafts.append((draft, cells))
        return drafts

    def _actor_text(self, draft: DraftStep, block: Block, header: tbl.Header) -> None:
        """A row's actors named in the one 'Pelaksana' column; each new name becomes an actor
        column of the SOP, in the order the table first names them."""
        column = header.index(tbl.ACTOR_TEXT)
        raw = tbl.cell_at(block.cells, column) if column is not None else ""
        for name in actor_names(raw):
            known = [n.lower() for n in self.actor_names]
            if name.lower() not in known:
                self.actor_names.append(name)
                known.append(name.lower())
            draft.marks[known.index(name.lower())] = Mark.PROCESS
        draft.actor_columns = sorted(draft.marks)

    def _read_marks(self, draft: DraftStep, cells: tbl.RowCells, block: Block,
                    header: tbl.Header) -> None:
        """Symbols drawn over the row decide its actors; without any, the marks that survive
        in the actor cells' text."""
        step = draft.number if draft.number >= 0 else None
        drawn = dict(block.drawing.symbols) if block.drawing is not None else {}
        if drawn:
            draft.drawn = True
            for cell_index, symbol in drawn.items():
                if cell_index in header.actor_columns:
                    draft.marks[header.actor_columns.index(cell_index)] = symbol
        for column, raw in enumerate(cells.actor_cells):
            text = cell_text(raw)
            if not text:
                continue
            mark = read_mark(raw)
            name = self.actor_names[column] if column < len(self.actor_names) else None
            if name is None:
                self.notes.add(IMPORT_MARK_OUTSIDE(mark=text), at=block, step=step)
            elif mark in (Mark.YES, Mark.NO):
                if not drawn:
                    draft.labels[column] = mark
            elif drawn:
                continue  # the drawing decides; a glyph typed in the cell adds nothing
            elif mark is not None:
                draft.marks[column] = mark
                if mark is Mark.WEAK:
                    self.notes.add(IMPORT_WEAK_MARK(mark=text, column=name), at=block, step=step)
            else:
                self.notes.add(IMPORT_TEXT_IN_ACTOR_COLUMN(text=short(text), column=name),
                               at=block, step=step)
                draft.marks[column] = Mark.WEAK
        draft.actor_columns = sorted(draft.marks)

    def _unnumbered_row(self, draft: DraftStep, cells: tbl.RowCells, activity: list[str],
                        drafts: list[tuple[DraftStep, tbl.RowCells]], block: Block) -> bool:
        """A row without a step number: a start/end marker, or content to report."""
        marks = set(draft.marks.values())
        marker = MARKER_ACTIVITY.get(fold(" ".join(activity)).lower().strip(". "))
        if marker or (not activity and marks & {Mark.START, Mark.END}):
            kind: StepKind = marker or ("end" if Mark.END in marks else "start")
            numbers = [d.number for d, _ in drafts]
            draft.number = (max(numbers) + 1 if numbers else 1) if kind == "end" else \
                (min(numbers) - 1 if numbers else 0)
            draft.kind = kind
            draft.inferred.append("number")
            self.notes.add(IMPORT_MARKER_ROW(kind, number=draft.number), at=block,
                           step=draft.number)
            if kind == "start":
                drafts.insert(0, (draft, cells))
                return False
            return True
        content = " | ".join(t for t in (cell_text(cells.activity_raw), cell_text(
            cells.inputs_raw), cell_text(cells.time_raw), cell_text(cells.outputs_raw),
            cell_text(cells.notes_raw)) if t)
        if activity and drafts:
            previous, _cells = drafts[-1]
            self.notes.add(IMPORT_UNNUMBERED_ROW("after-step", text=short(content),
                                                 previous=previous.number), at=block)
        elif content or draft.marks or draft.labels:
            self.notes.add(IMPORT_UNNUMBERED_ROW(
                "unrecognised", text=short(content or cell_text(" ".join(cells.actor_cells)))),
                at=block)
        return False

    # -- steps -----------------------------------------------------------------------------
    def _finish(self, drafts: list[tuple[DraftStep, tbl.RowCells]]) -> list[Step]:
        plain = [d for d, _ in drafts]
        _DrawnFlow(plain, drafts, self.actor_names, self.notes).apply()
        self._worded(plain, drafts)
        self.notes.findings.extend(recover_decisions(plain, self.actor_names, sop="",
                                                     file=self.notes.file))
        return [self._to_step(draft, cells) for draft, cells in drafts]

    def _worded(self, plain: list[DraftStep],
                drafts: list[tuple[DraftStep, tbl.RowCells]]) -> None:
        """Exits written in words, in Keterangan or in the activity, where nothing drawn or
        marked decided the step already."""
        for index, (draft, cells) in enumerate(drafts):
            if draft.kind == "decision" or draft.next is not None:
                continue
            found = worded_exits(cell_text(cells.notes_raw)) or \
                worded_exits(cell_text(cells.activity_raw))
            if found is None:
                continue
            following = plain[index + 1].number if index + 1 < len(plain) else None
            numbers = {d.number for d in plain}
            if found.yes is None and found.no is None:
                if found.jump is not None and found.jump != following and \
                        found.jump in numbers:
                    draft.next = found.jump
                    self.notes.add(IMPORT_WORDED_EXITS("jump", number=draft.number,
                                                       target=found.jump, quote=found.quote),
                                   place=draft.place, line=draft.line, step=draft.number)
                continue
            yes = found.yes or ((following, "") if following is not None else None)
            if found.no is None or yes is None or found.no[0] not in numbers or \
                    yes[0] not in numbers:
                self.notes.add(IMPORT_WORDED_EXITS("incomplete", number=draft.number,
                                                   quote=found.quote),
                               place=draft.place, line=draft.line, step=draft.number)
                continue
            draft.kind = "decision"
            draft.on_yes, draft.on_no = yes[0], found.no[0]
            if found.yes is None:
                draft.inferred.append("on_yes")
            for branch, words in (("yes", yes[1]), ("no", found.no[1])):
                if words and fold(words).lower() not in _PLAIN_WORDS[branch]:
                    draft.words[branch] = fold(words)
            self.notes.add(IMPORT_WORDED_EXITS("" if found.yes else "no-only",
                                               number=draft.number, on_yes=draft.on_yes,
                                               on_no=draft.on_no, quote=found.quote),
                           place=draft.place, line=draft.line, step=draft.number)

    def _to_step(self, draft: DraftStep, cells: tbl.RowCells) -> Step:
        activity = cell_items(cells.activity_raw)
        actor_ids = [self.actors[c].id for c in draft.actor_columns if c < len(self.actors)]
        if draft.kind in ("start", "end") and draft.drawn:
            actor_ids = []  # a Mulai/Selesai capsule is drawn beside its neighbour; no actor
        inferred = list(draft.inferred)
        location = draft.location()
        if not actor_ids and draft.kind not in ("start", "end"):
            evidence, conflict = infer_actor(activity, self.actors)
            if evidence:
                actor_ids = [evidence.actor_id]
                inferred.append("actors")
                name = next(a.name for a in self.actors if a.id == evidence.actor_id)
                self.notes.add(IMPORT_ACTOR_INFERRED("fuzzy" if evidence.fuzzy else "",
                                                     number=draft.number, actor=name,
                                                     phrase=evidence.phrase),
                               place=draft.place, line=draft.line, step=draft.number)
            else:
                unknown = IMPORT_ACTOR_UNKNOWN("conflict", number=draft.number, reason=conflict) \
                    if conflict else IMPORT_ACTOR_UNKNOWN(number=draft.number)
                self.notes.add(unknown, place=draft.place, line=draft.line, step=draft.number)
        elif draft.drawn and actor_ids:
            self._compare_with_text(draft, activity, actor_ids)
        inferred = list(dict.fromkeys(inferred))
        # alur's own spreadsheets add the exits ("Ya → 3 / Tidak → 1") as a line of their own
        # in Keterangan; once read as exits, that line is not a note.
        pieces = cell_pieces(cells.notes_raw)
        kept = [p for p in pieces if not ((found := worded_exits(p)) and found.only_exits and
                                          (draft.kind == "decision" or draft.next))]
        notes = " ".join(kept) if len(kept) != len(pieces) else cell_text(cells.notes_raw)
        time = cell_text(cells.time_raw)
        return Step(
            number=draft.number,
            activity=activity if len(activity) > 1 else (activity[0] if activity else ""),
            actors=list(dict.fromkeys(actor_ids)),
            kind=draft.kind,
            inputs=_list_or_empty(cells.inputs_raw),
            time=time if time and time not in ("-", "–") else None,
            outputs=_list_or_empty(cells.outputs_raw),
            notes="" if notes in ("-", "–") else notes,
            next=draft.next,
            on_yes=draft.on_yes, on_no=draft.on_no,
            labels=DecisionLabels(yes=draft.words.get("yes", ""), no=draft.words.get("no", "")),
            inferred=inferred,
            source=_source(self.source_name, location),
        )

    def _compare_with_text(self, draft: DraftStep, activity: list[str],
                           actor_ids: list[str]) -> None:
        """Where the sentence names an actor the shape does not stand under, say so; the
        shape wins, since it is what the author drew."""
        evidence, _conflict = infer_actor(activity, self.actors)
        if evidence is None or evidence.actor_id in actor_ids:
            return
        names = {a.id: a.name for a in self.actors}
        self.notes.add(IMPORT_SHAPE_TEXT_DISAGREE(
            number=draft.number, shape=", ".join(names[a] for a in actor_ids),
            text=names[evidence.actor_id], phrase=evidence.phrase),
            place=draft.place, line=draft.line, step=draft.number)


class _DrawnFlow:
    """Decision exits and jumps from the arrows drawn out of each row's symbols."""

    def __init__(self, drafts: list[DraftStep], rows: list[tuple[DraftStep, tbl.RowCells]],
                 actor_names: list[str], notes: Notes) -> None:
        self.drafts = drafts
        self.rows = rows
        self.actor_names = actor_names
        self.notes = notes
        self.by_key = {d.line: d for d in drafts}

    def apply(self) -> None:
        for index, (draft, cells) in enumerate(self.rows):
            drawing = cells.block.drawing
            if drawing is None or not drawing.exits:
                continue
            following = self.drafts[index + 1].number if index + 1 < len(self.drafts) else None
            if Mark.DECISION in draft.marks.values():
                self._decision(draft, drawing.exits, following)
            else:
                self._jump(draft, drawing.exits, following)

    def _targets(self, exits: tuple[Exit, ...], decision: bool) -> list[tuple[int, str, str]]:
        """(step number, branch, words) per target; where several symbols of a joint step
        lead to one target, a labelled exit wins over a bare one."""
        found: dict[int, tuple[int, str, str]] = {}
        for exit_ in exits:
            if exit_.from_decision != decision:
                continue
            target = self.by_key.get(exit_.target)
            if target is None or target.number < 0:
                continue
            known = found.get(target.number)
            if known is None or (exit_.branch and not known[1]):
                found[target.number] = (target.number, exit_.branch, exit_.label)
        return list(found.values())

    def _decision(self, draft: DraftStep, exits: tuple[Exit, ...], following: int | None) -> None:
        targets = self._targets(exits, True)
        column = next(c for c, m in sorted(draft.marks.items()) if m is Mark.DECISION)
        actor = self.actor_names[column] if column < len(self.actor_names) else "?"
        yes = [t for t in targets if t[1] == "yes"]
        no = [t for t in targets if t[1] == "no"]
        bare = [t for t in targets if not t[1]]
        variant = ""
        if len(yes) == 1 and len(no) == 1:
            pass
        elif len(yes) + len(no) == 1 and len(bare) == 1:
            variant = "complement"
            if yes:
                no = bare
                draft.inferred.append("on_no")
            else:
                yes = bare
                draft.inferred.append("on_yes")
        elif not yes and not no and len(bare) == 2:
            variant = "guessed"
            nearer = sorted(bare, key=lambda t: (t[0] != following, t[0]))
            yes, no = [nearer[0]], [nearer[1]]
            draft.inferred.extend(["on_yes", "on_no"])
        else:
            self.notes.add(IMPORT_DRAWN_DECISION_INCOMPLETE(number=draft.number,
                                                            count=len(targets)),
                           place=draft.place, line=draft.line, step=draft.number)
            draft.marks = {c: (Mark.PROCESS if m is Mark.DECISION else m)
                           for c, m in draft.marks.items()}
            return
        draft.kind = "decision"
        draft.on_yes, draft.on_no = yes[0][0], no[0][0]
        for branch, (_, _, label) in (("yes", yes[0]), ("no", no[0])):
            if label and fold(label).lower() not in _PLAIN_WORDS[branch]:
                draft.words[branch] = fold(label)
        self.notes.add(IMPORT_DRAWN_DECISION(variant, number=draft.number, actor=actor,
                                             on_yes=draft.on_yes, on_no=draft.on_no),
                       place=draft.place, line=draft.line, step=draft.number)

    def _jump(self, draft: DraftStep, exits: tuple[Exit, ...], following: int | None) -> None:
        targets = {number for number, _, _ in self._targets(exits, False)}
        if not targets or following in targets or len(targets) > 1:
            return
        draft.next = targets.pop()
        if draft.kind == "end":
            return
        self.notes.add(IMPORT_DRAWN_JUMP(number=draft.number, target=draft.next),
                       place=draft.place, line=draft.line, step=draft.number)


def _list_or_empty(raw: str) -> list[str]:
    items = cell_items(raw)
    return [] if items in (["-"], ["–"]) else items


def _source(file: str | None, location: Location) -> Source:
    """Where a step was read: the file, and the line or place a finding about it names."""
    return Source(file=file, line=location.get("line"), page=location.get("page"),
                  sheet=location.get("sheet"), cell=location.get("cell"),
                  table=location.get("table"), row=location.get("row"))
