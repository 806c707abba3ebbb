"""From blocks to SOPs: split a document into SOPs, then read each one's identity sheet,
procedure table, narrative sections and signature block.

Every block ends up in an SOP field or in a finding naming its line; nothing is dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePath

from alur.i18n import _
from alur.sop.codes import Message
from alur.sop.findings import Finding
from alur.sop.model import Actor, Approver, Dates, Section, Sop, Source, Step
from alur.sop.slug import slugify, unique_slug

from . import table as tbl
from .actors import infer_actor
from .blocks import Block
from .cells import Mark, cell_items, cell_pieces, cell_text, clean_item, fold, read_mark
from .codes import (
    IMPORT_ACTOR_INFERRED,
    IMPORT_ACTOR_UNKNOWN,
    IMPORT_CAPTION,
    IMPORT_COLUMNS_SHIFTED,
    IMPORT_DATE,
    IMPORT_EXTRA_CELL,
    IMPORT_GARBLED,
    IMPORT_HEADER_CHANGED,
    IMPORT_MARK_OUTSIDE,
    IMPORT_MARKER_ROW,
    IMPORT_NAME_DIFFERS,
    IMPORT_NO_ACTORS,
    IMPORT_NO_NAME,
    IMPORT_NO_TABLE,
    IMPORT_NO_TIME_COLUMN,
    IMPORT_SIGNATURE,
    IMPORT_SIGNATURE_DATE,
    IMPORT_SIGNATURE_TITLE,
    IMPORT_TEXT_IN_ACTOR_COLUMN,
    IMPORT_TRUNCATED_LIST,
    IMPORT_UNLABELLED_OUTPUT,
    IMPORT_UNNUMBERED_ROW,
    IMPORT_UNRECOGNISED,
    IMPORT_WEAK_MARK,
)
from .decisions import DraftStep, recover_decisions
from .identity import (
    LIST_TITLES,
    Identity,
    field_label,
    is_truncated_hint,
    list_cell_items,
    list_label,
    looks_like_agency,
    parse_approver,
    parse_date,
    split_by_hints,
)
from .narrative import is_garbled, read_signature, section_heading, signature_start

_SOP_HEADING = re.compile(r"^\s*SOP\s+(?=\S)(.+)$")
_CAPTION = re.compile(r"^(prosedur|bagan|diagram|uraian|alur|flowchart)\b", re.IGNORECASE)
_MARKER_ACTIVITY = {"mulai": "start", "start": "start", "selesai": "end", "end": "end",
                    "berakhir": "end", "finish": "end"}


@dataclass
class Segment:
    """The blocks of one SOP, and the 'SOP <NAME>' heading that opened it, if any."""

    blocks: list[Block] = field(default_factory=list)
    heading: str = ""
    heading_line: int | None = None


def _heading_name(block: Block) -> str | None:
    if block.is_row:
        return None
    match = _SOP_HEADING.match(block.text)
    if not match:
        return None
    name = match.group(1).strip()
    letters = [c for c in name if c.isalpha()]
    # Headings are written in capitals; "SOP ini berlaku …" in running text is not one.
    if not letters or sum(c.isupper() for c in letters) / len(letters) < 0.7:
        return None
    return name


def split_segments(blocks: list[Block]) -> list[Segment]:
    """One segment per SOP: at each 'SOP <NAME>' heading, or at a new identity sheet that
    follows a procedure table."""
    segments = [Segment()]
    seen_table = False
    for block in blocks:
        name = _heading_name(block)
        new_identity = seen_table and any(field_label(t) == "number" for t in block.texts)
        current = segments[-1]
        if name is not None and not seen_table and not current.heading:
            # A title between an identity sheet and its table names this same SOP.
            current.heading, current.heading_line = name, block.line
            continue
        if name is not None or new_identity:
            if current.blocks or current.heading:
                segments.append(Segment())
            seen_table = False
            if name is not None:
                segments[-1].heading, segments[-1].heading_line = name, block.line
                continue
        if tbl.starts_table(block):
            seen_table = True
        segments[-1].blocks.append(block)
    return [s for s in segments if s.blocks or s.heading]


class SopReader:
    """Reads one segment into an SOP and findings."""

    def __init__(self, segment: Segment, *, file: str | None, taken_ids: set[str],
                 fallback_id: str) -> None:
        self.segment = segment
        self.file = file
        self.source_name = PurePath(file).name if file else None
        self.findings: list[Finding] = []
        self.identity = Identity(name=segment.heading)
        self.taken_ids = taken_ids
        self.fallback_id = fallback_id
        self.sop_id: str | None = None
        self.actors: list[Actor] = []
        self.actor_names: list[str] = []
        self.steps: list[Step] = []
        self.sections: list[Section] = []

    # -- findings -------------------------------------------------------------------------
    def note(self, message: Message, *, line: int | None = None,
             step: int | None = None) -> None:
        self.findings.append(message.at(sop=self.sop_id, step=step, line=line, file=self.file))

    def unrecognised(self, block: Block, part: str) -> None:
        """Report a block that fits nowhere; `part` (identity, after-table or signature) is
        the variant of both codes."""
        code = IMPORT_GARBLED if is_garbled(block.text) else IMPORT_UNRECOGNISED
        self.note(code(part, text=_short(block.text)), line=block.line)

    # -- main -----------------------------------------------------------------------------
    def read(self) -> Sop | None:
        blocks = self.segment.blocks
        table_at = next((i for i, b in enumerate(blocks) if tbl.starts_table(b)), None)
        before = blocks if table_at is None else blocks[:table_at]
        # A "Pelaksana" group row just above the header belongs to the header.
        if before and before[-1].is_row and "pelaksana" in {fold(t).lower() for t in
                                                             before[-1].texts}:
            table_at = (table_at or 0) - 1
            before = before[:-1]
        self._read_identity(before)
        self.sop_id = self._choose_id()
        self.findings = [f.model_copy(update={"sop": self.sop_id}) for f in self.findings]
        rest = blocks[table_at:] if table_at is not None else []
        if table_at is None:
            self.note(IMPORT_NO_TABLE(),
                      line=self.segment.heading_line or (blocks[0].line if blocks else None))
        after = self._read_tables(rest)
        self._read_after(after)
        return self._build()

    def _choose_id(self) -> str:
        base = slugify(self.identity.name) or self.fallback_id
        sop_id = unique_slug(base, self.taken_ids)
        self.taken_ids.add(sop_id)
        return sop_id

    # -- identity -------------------------------------------------------------------------
    def _read_identity(self, blocks: list[Block]) -> None:
        ident = self.identity
        open_list: str | None = None
        pair_labels: dict[int, str] = {}
        approver_open = False
        seen_label = False
        for index, block in enumerate(blocks):
            texts = block.texts
            fields = {i: key for i, t in enumerate(texts) if (key := field_label(t))}
            lists = {i: found[0] for i, t in enumerate(texts)
                     if t and (found := list_label(t)) and not found[1]}
            if block.is_row and fields:
                seen_label, open_list, pair_labels = True, None, {}
                approver_open = self._identity_row(block, fields)
                continue
            nonempty = [i for i, t in enumerate(texts) if t]
            if block.is_row and lists and set(nonempty) <= set(lists):
                seen_label, open_list, approver_open = True, None, False
                pair_labels = lists
                continue
            if block.is_row and pair_labels:
                self._pair_content(block, pair_labels)
                pair_labels = {}
                continue
            if block.is_row and approver_open:
                approver_open = False
                if self._approver_continuation(block):
                    continue
            if not block.is_row:
                text = block.text
                single_field = self._single_line_field(block)
                if single_field:
                    seen_label, open_list = True, None
                    continue
                label = list_label(text)
                if label:
                    seen_label, open_list = True, label[0]
                    if label[1]:
                        ident.lists.setdefault(open_list, []).append(clean_item(label[1]))
                    else:
                        ident.lists.setdefault(open_list, [])
                    continue
                if open_list and not (index == len(blocks) - 1 and _CAPTION.match(text)):
                    item = clean_item(text)
                    if item:
                        ident.lists.setdefault(open_list, []).append(item)
                    continue
                if not seen_label and looks_like_agency(text):
                    ident.organization.append(text)
                    continue
                if _CAPTION.match(text) or index == len(blocks) - 1:
                    self.note(IMPORT_CAPTION(text=_short(text, 200)), line=block.line)
                    continue
            self.unrecognised(block, "identity")

    def _single_line_field(self, block: Block) -> bool:
        head, sep, value = block.text.partition(":")
        key = field_label(head) if sep else None
        if not key:
            return False
        self._set_field(key, value.strip(), value.strip(), block.line)
        return True

    def _identity_row(self, block: Block, fields: dict[int, str]) -> bool:
        """A row with labelled fields; returns True when 'Disahkan oleh' may continue below."""
        label_columns = sorted(fields)
        for i in range(label_columns[0]):
            raw = block.cells[i]
            if not cell_text(raw):
                continue
            pieces = cell_pieces(raw)
            if all(looks_like_agency(p) for p in pieces):
                self.identity.organization.extend(pieces)
            else:
                self.note(IMPORT_UNRECOGNISED("beside-label", text=_short(cell_text(raw))),
                          line=block.line)
        approver_open = False
        for position, column in enumerate(label_columns):
            end = label_columns[position + 1] if position + 1 < len(label_columns) else None
            values = [c for c in block.cells[column + 1:end] if cell_text(c)]
            raw = " ".join(values)
            text = fold(cell_text(raw)).lstrip(":").strip()
            self._set_field(fields[column], text, raw, block.line)
            approver_open = fields[column] == "approver"
        return approver_open

    def _set_field(self, key: str, text: str, raw: str, line: int) -> None:
        ident = self.identity
        if key == "name":
            if text:
                if ident.name and fold(ident.name).lower() != text.lower():
                    self.note(IMPORT_NAME_DIFFERS(name=text, heading=ident.name), line=line)
                ident.name = text
        elif key == "number":
            ident.number = text
        elif key == "approver":
            parsed = parse_approver(raw.replace(":", " ", 1) if raw.lstrip().startswith(":")
                                    else raw)
            ident.approver = parsed
        elif text and text not in ("-", "–"):
            parsed_date = parse_date(text)
            if parsed_date:
                ident.dates[key] = parsed_date
            else:
                self.note(IMPORT_DATE(key, text=text), line=line)

    def _approver_continuation(self, block: Block) -> bool:
        raw = "  ".join(c for c in block.cells if cell_text(c))
        parsed = parse_approver(raw)
        approver = self.identity.approver
        if not (parsed.name or parsed.nip):
            return False
        approver.name = approver.name or parsed.name
        approver.nip = approver.nip or parsed.nip
        if parsed.title and not approver.title:
            approver.title = parsed.title
        elif parsed.title:
            approver.name = approver.name or parsed.title
        return True

    def _pair_content(self, block: Block, labels: dict[int, str]) -> None:
        columns = sorted(labels)
        for i, raw in enumerate(block.cells):
            text = cell_text(raw)
            if i in labels or not text:
                continue
            right = [c for c in columns if c > i]
            if right and is_truncated_hint(text) and cell_text(tbl.cell_at(block.cells, right[0])):
                continue  # used as hints for the list to its right
            self.note(IMPORT_UNRECOGNISED("under-no-label", text=_short(text)), line=block.line)
        for column in columns:
            key = labels[column]
            raw = tbl.cell_at(block.cells, column)
            items = list_cell_items(raw)
            hint_column = column - 1
            hint = "" if hint_column in labels else \
                cell_text(tbl.cell_at(block.cells, hint_column))
            if hint and is_truncated_hint(hint) and len(items) == 1:
                rebuilt = split_by_hints(items[0], hint)
                title = _(LIST_TITLES[key])
                if rebuilt:
                    items = rebuilt
                    self.note(IMPORT_TRUNCATED_LIST("split", list=title, hint=hint,
                                                    count=len(items)), line=block.line)
                else:
                    self.note(IMPORT_TRUNCATED_LIST("unsplit", list=title, hint=hint),
                              line=block.line)
            if items:
                self.identity.lists.setdefault(key, []).extend(items)

    # -- procedure table ------------------------------------------------------------------
    def _read_tables(self, blocks: list[Block]) -> list[Block]:
        """Read the table (and any continuation with a repeated header); return what follows."""
        index = 0
        drafts: list[tuple[DraftStep, tbl.RowCells]] = []
        while index < len(blocks) and blocks[index].is_row:
            header_rows = [blocks[index]]
            index += 1
            while index < len(blocks) and blocks[index].is_row and len(header_rows) < 3 and \
                    tbl.step_number(blocks[index].cells[0]) is None and \
                    _is_header_like(blocks[index]):
                header_rows.append(blocks[index])
                index += 1
            header = tbl.read_header(header_rows)
            if not self.actor_names:
                self._set_actors(header)
            elif header.actor_names != self.actor_names:
                self.note(IMPORT_HEADER_CHANGED(actors=", ".join(header.actor_names)),
                          line=header.lines[0])
            body_start = index
            while index < len(blocks) and blocks[index].is_row and \
                    not tbl.starts_table(blocks[index]) and \
                    not any(field_label(t) for t in blocks[index].texts):
                index += 1
            body = blocks[body_start:index]
            drafts.extend(self._read_rows(body, header))
            if not (index < len(blocks) and tbl.starts_table(blocks[index])):
                break
        self._finish_steps(drafts)
        return blocks[index:]

    def _set_actors(self, header: tbl.Header) -> None:
        taken: set[str] = set()
        for name in header.actor_names:
            actor_id = unique_slug(slugify(name), taken, fallback="pelaksana")
            taken.add(actor_id)
            self.actors.append(Actor(id=actor_id, name=name))
        self.actor_names = list(header.actor_names)
        if not header.actor_names:
            self.note(IMPORT_NO_ACTORS(), line=header.lines[-1])
        if tbl.TIME not in header.roles.values():
            self.note(IMPORT_NO_TIME_COLUMN(), line=header.lines[-1])

    def _read_rows(self, rows: list[Block], header: tbl.Header
                   ) -> list[tuple[DraftStep, tbl.RowCells]]:
        unlabelled = tbl.table_has_unlabelled_output(rows, header)
        if unlabelled:
            self.note(IMPORT_UNLABELLED_OUTPUT(), line=header.lines[-1])
        drafts: list[tuple[DraftStep, tbl.RowCells]] = []
        for block in rows:
            cells = tbl.split_row(block, header, unlabelled)
            number = tbl.step_number(cells.number_raw)
            activity = cell_items(cells.activity_raw)
            draft = DraftStep(number=number if number is not None else -1, line=block.line)
            self._read_marks(draft, cells)
            if len(cells.actor_cells) != len(header.actor_columns) and \
                    (number is not None or activity):
                aligned = "by-content" if cells.aligned_by == "content" else "by-position"
                self.note(IMPORT_COLUMNS_SHIFTED(aligned, count=len(cells.actor_cells),
                                                 header=len(header.actor_columns)),
                          line=block.line, step=number)
            for column, raw in cells.extra:
                self.note(IMPORT_EXTRA_CELL(column=column + 1, text=_short(cell_text(raw))),
                          line=block.line, step=number)
            if number is None:
                if not self._unnumbered_row(draft, cells, activity, drafts):
                    continue
            else:
                marker = _MARKER_ACTIVITY.get(fold(" ".join(activity)).lower().strip(". "))
                if marker:
                    draft.kind = marker
            drafts.append((draft, cells))
        return drafts

    def _read_marks(self, draft: DraftStep, cells: tbl.RowCells) -> None:
        for column, raw in enumerate(cells.actor_cells):
            text = cell_text(raw)
            if not text:
                continue
            mark = read_mark(raw)
            name = self.actor_names[column] if column < len(self.actor_names) else None
            if name is None:
                self.note(IMPORT_MARK_OUTSIDE(mark=text),
                          line=draft.line, step=draft.number if draft.number >= 0 else None)
            elif mark in (Mark.YES, Mark.NO):
                draft.labels[column] = mark
            elif mark is not None:
                draft.marks[column] = mark
                if mark is Mark.WEAK:
                    self.note(IMPORT_WEAK_MARK(mark=text, column=name),
                              line=draft.line,
                              step=draft.number if draft.number >= 0 else None)
            else:
                self.note(IMPORT_TEXT_IN_ACTOR_COLUMN(text=_short(text), column=name),
                          line=draft.line,
                          step=draft.number if draft.number >= 0 else None)
                draft.marks[column] = Mark.WEAK
        draft.actor_columns = sorted(draft.marks)

    def _unnumbered_row(self, draft: DraftStep, cells: tbl.RowCells, activity: list[str],
                        drafts: list[tuple[DraftStep, tbl.RowCells]]) -> bool:
        """A row without a step number: a start/end marker, or content to report."""
        marks = set(draft.marks.values())
        marker = _MARKER_ACTIVITY.get(fold(" ".join(activity)).lower().strip(". "))
        if marker or (not activity and marks & {Mark.START, Mark.END}):
            kind = marker or ("end" if Mark.END in marks else "start")
            numbers = [d.number for d, _ in drafts]
            draft.number = (max(numbers) + 1 if numbers else 1) if kind == "end" else \
                (min(numbers) - 1 if numbers else 0)
            draft.kind = kind
            draft.inferred.append("number")
            self.note(IMPORT_MARKER_ROW(kind, number=draft.number), line=draft.line,
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
            self.note(IMPORT_UNNUMBERED_ROW("after-step", text=_short(content),
                                            previous=previous.number), line=draft.line)
        elif content or draft.marks or draft.labels:
            self.note(IMPORT_UNNUMBERED_ROW(
                "unrecognised", text=_short(content or cell_text(" ".join(cells.actor_cells)))),
                line=draft.line)
        return False

    def _finish_steps(self, drafts: list[tuple[DraftStep, tbl.RowCells]]) -> None:
        if not drafts:
            return
        self.findings.extend(recover_decisions([d for d, _ in drafts], self.actor_names,
                                               sop=self.sop_id or "", file=self.file))
        for draft, cells in drafts:
            self.steps.append(self._to_step(draft, cells))

    def _to_step(self, draft: DraftStep, cells: tbl.RowCells) -> Step:
        activity = cell_items(cells.activity_raw)
        actor_ids = [self.actors[c].id for c in draft.actor_columns if c < len(self.actors)]
        inferred = list(draft.inferred)
        if not actor_ids and draft.kind not in ("start", "end"):
            evidence, conflict = infer_actor(activity, self.actors)
            if evidence:
                actor_ids = [evidence.actor_id]
                inferred.append("actors")
                name = next(a.name for a in self.actors if a.id == evidence.actor_id)
                self.note(IMPORT_ACTOR_INFERRED("fuzzy" if evidence.fuzzy else "",
                                                number=draft.number, actor=name,
                                                phrase=evidence.phrase),
                          line=draft.line, step=draft.number)
            else:
                unknown = IMPORT_ACTOR_UNKNOWN("conflict", number=draft.number, reason=conflict) \
                    if conflict else IMPORT_ACTOR_UNKNOWN(number=draft.number)
                self.note(unknown, line=draft.line, step=draft.number)
        inferred = list(dict.fromkeys(inferred))
        notes = cell_text(cells.notes_raw)
        time = cell_text(cells.time_raw)
        return Step(
            number=draft.number,
            activity=activity if len(activity) > 1 else (activity[0] if activity else ""),
            actors=list(dict.fromkeys(actor_ids)),
            kind=draft.kind,  # type: ignore[arg-type]
            inputs=_list_or_empty(cells.inputs_raw),
            time=time if time and time not in ("-", "–") else None,
            outputs=_list_or_empty(cells.outputs_raw),
            notes="" if notes in ("-", "–") else notes,
            on_yes=draft.on_yes, on_no=draft.on_no,
            inferred=inferred,
            source=Source(file=self.source_name, line=draft.line),
        )

    # -- after the table ------------------------------------------------------------------
    def _read_after(self, blocks: list[Block]) -> None:
        signature_at = signature_start(blocks)
        body = blocks if signature_at is None else blocks[:signature_at]
        current: Section | None = None
        lines: list[str] = []

        def close() -> None:
            if current is not None:
                self.sections.append(Section(title=current.title, text="\n".join(lines)))

        for block in body:
            if block.is_row:
                self.unrecognised(block, "after-table")
                continue
            title = section_heading(block.text)
            if title:
                close()
                current, lines = Section(title=title), []
                continue
            if current is None:
                self.unrecognised(block, "after-table")
                continue
            lines.append(block.text)
        close()
        if signature_at is not None:
            self._apply_signature(blocks[signature_at:])

    def _apply_signature(self, blocks: list[Block]) -> None:
        signature = read_signature(blocks)
        approver = self.identity.approver
        filled = []
        if signature.name and not approver.name:
            approver.name, filled = signature.name, [*filled, _("name")]
        if signature.nip and not approver.nip:
            approver.nip, filled = signature.nip, [*filled, _("NIP")]
        if signature.title and not approver.title:
            approver.title, filled = signature.title, [*filled, _("position")]
        parts = [(_("place/date '{value}'"), signature.place_date),
                 (_("position '{value}'"), signature.title),
                 (_("name '{value}'"), signature.name),
                 (_("rank '{value}'"), signature.rank),
                 (_("NIP {value}"), signature.nip)]
        summary = "; ".join(part.format(value=value) for part, value in parts if value)
        read = IMPORT_SIGNATURE("fills", summary=summary, fields=", ".join(filled)) if filled \
            else IMPORT_SIGNATURE(summary=summary)
        self.note(read, line=signature.line)
        if signature.title and approver.title and signature.title != approver.title:
            self.note(IMPORT_SIGNATURE_TITLE(signer=signature.title, approver=approver.title),
                      line=signature.line)
        if signature.place_date and not self.identity.dates.get("effective"):
            date_text = signature.place_date.rsplit(",", 1)[-1]
            parsed = parse_date(date_text)
            if parsed:
                self.identity.dates["effective"] = parsed
            else:
                self.note(IMPORT_SIGNATURE_DATE(date=fold(date_text)), line=signature.line)
        for block in signature.garbled:
            self.unrecognised(block, "signature")

    # -- result ---------------------------------------------------------------------------
    def _build(self) -> Sop:
        ident = self.identity
        if not ident.name:
            self.note(IMPORT_NO_NAME(),
                      line=self.segment.blocks[0].line if self.segment.blocks else None)
        return Sop(
            id=self.sop_id or self.fallback_id,
            name=ident.name,
            number=ident.number,
            organization=ident.organization,
            dates=Dates(**ident.dates),
            approved_by=Approver(title=ident.approver.title, name=ident.approver.name,
                                 nip=ident.approver.nip),
            legal_basis=ident.lists.get("legal_basis", []),
            qualifications=ident.lists.get("qualifications", []),
            related=ident.lists.get("related", []),
            equipment=ident.lists.get("equipment", []),
            warnings=ident.lists.get("warnings", []),
            records=ident.lists.get("records", []),
            actors=self.actors,
            steps=self.steps,
            sections=self.sections,
        )


def _is_header_like(block: Block) -> bool:
    """A second header row: labels (actor names, Kelengkapan, Waktu…), not marks or data."""
    texts = [t for t in block.texts if t]
    return bool(texts) and not any(read_mark(t) for t in texts) and \
        all(len(t) < 60 for t in texts)


def _list_or_empty(raw: str) -> list[str]:
    items = cell_items(raw)
    return [] if items in (["-"], ["–"]) else items


def _short(text: str, limit: int = 120) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


_MAX_TEXT_FINDINGS = 50


def _holds_sop(segment: Segment) -> bool:
    """A segment is an SOP when it has a heading, an identity label or a procedure table."""
    return bool(segment.heading) or any(
        tbl.starts_table(b) or any(field_label(t) for t in b.texts) for b in segment.blocks)


def _unrecognised_text(blocks: list[Block], file: str | None) -> list[Finding]:
    """Text outside any SOP: one finding a line, then one that counts the rest."""
    findings = [IMPORT_UNRECOGNISED("outside-sop", text=_short(block.text)).at(
        file=file, line=block.line) for block in blocks[:_MAX_TEXT_FINDINGS]]
    if len(blocks) > _MAX_TEXT_FINDINGS:
        rest = blocks[_MAX_TEXT_FINDINGS:]
        findings.append(IMPORT_UNRECOGNISED("outside-sop-rest", count=len(rest),
                                            first=rest[0].line, last=rest[-1].line).at(
            file=file, line=rest[0].line))
    return findings


def read_blocks(blocks: list[Block], *, file: str | None = None,
                taken_ids: set[str] | None = None) -> tuple[list[Sop], list[Finding]]:
    """All SOPs in a document's blocks, with every finding about reading them."""
    taken = taken_ids if taken_ids is not None else set()
    stem = slugify(PurePath(file).stem) if file else "sop"
    sops: list[Sop] = []
    findings: list[Finding] = []
    segments = split_segments(blocks)
    for number, segment in enumerate(segments, start=1):
        if not _holds_sop(segment):
            findings.extend(_unrecognised_text(segment.blocks, file))
            continue
        reader = SopReader(segment, file=file, taken_ids=taken,
                           fallback_id=f"{stem}-{number}" if stem else f"sop-{number}")
        sop = reader.read()
        findings.extend(reader.findings)
        if sop is not None:
            sops.append(sop)
    return sops, findings
