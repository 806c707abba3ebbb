"""Reading the identity part of one SOP (the blocks before its procedure table) into an
`Identity`: labelled fields in either layout, the paired list sections, the agency heading.

The patterns themselves (labels, dates, approvers, truncated lists) are in `identity.py`; this
module walks the blocks and says what each one was.
"""

from __future__ import annotations

import re

from alur.i18n import _

from . import table as tbl
from .blocks import Block
from .cells import cell_pieces, cell_text, clean_item, fold
from .codes import (
    IMPORT_CAPTION,
    IMPORT_DATE,
    IMPORT_NAME_DIFFERS,
    IMPORT_SIGNATURE,
    IMPORT_SIGNATURE_DATE,
    IMPORT_SIGNATURE_TITLE,
    IMPORT_TRUNCATED_LIST,
    IMPORT_UNRECOGNISED,
)
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
from .narrative import Signature, section_heading
from .notes import Notes, short

_NOTHING = ("-", "–", "—")  # what a form shows in an empty list
CAPTION = re.compile(r"^(prosedur|bagan|diagram|uraian|alur|flowchart)\b", re.IGNORECASE)


def read_identity(blocks: list[Block], heading: str, notes: Notes) -> Identity:
    """The identity sheet in these blocks; `heading` is the 'SOP <NAME>' title, if any."""
    return _IdentityWalk(Identity(name=heading), notes).run(blocks)


class _IdentityWalk:
    """One pass over the blocks; the state is which list or label row is open."""

    def __init__(self, identity: Identity, notes: Notes) -> None:
        self.identity = identity
        self.notes = notes

    def run(self, blocks: list[Block]) -> Identity:
        ident = self.identity
        open_list: str | None = None
        pair_labels: dict[int, str] = {}
        approver_open = False
        seen_label = False
        in_section = False
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
            if block.is_row and nonempty and not fields and \
                    (title := section_heading(texts[nonempty[0]])):
                # 'A. Latar Belakang | text …': a narrative section as a row (spreadsheets).
                lines = [line for i in nonempty[1:] for line in cell_pieces(block.cells[i])]
                ident.sections.append((title, lines))
                seen_label, open_list, approver_open, pair_labels = True, None, False, {}
                continue
            if block.is_row and lists and self._label_value_lists(block, lists, nonempty):
                seen_label, open_list, approver_open, pair_labels = True, None, False, {}
                continue
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
                title = section_heading(text) if list_label(text) is None else None
                if title and seen_label:
                    ident.sections.append((title, []))
                    in_section, open_list = True, None
                    continue
                if in_section and not field_label(text.partition(":")[0]) and \
                        not list_label(text):
                    ident.sections[-1][1].append(text)
                    continue
                in_section = False
                if self._single_line_field(block):
                    seen_label, open_list = True, None
                    continue
                label = list_label(text)
                if label:
                    seen_label, open_list = True, label[0]
                    items = ident.lists.setdefault(open_list, [])
                    if label[1]:
                        items.append(clean_item(label[1]))
                    continue
                if open_list and not (index == len(blocks) - 1 and CAPTION.match(text)):
                    item = clean_item(text)
                    if item:
                        ident.lists.setdefault(open_list, []).append(item)
                    continue
                if not seen_label and looks_like_agency(text):
                    ident.organization.append(text)
                    continue
                if CAPTION.match(text) or index == len(blocks) - 1:
                    self.notes.add(IMPORT_CAPTION(text=short(text, 200)), at=block)
                    continue
            self.notes.unrecognised(block, "identity")
        return ident

    def _label_value_lists(self, block: Block, lists: dict[int, str],
                           nonempty: list[int]) -> bool:
        """A row 'Dasar Hukum | 1. … 2. …': each list label with its items in the cell to its
        right (spreadsheets and two-column identity tables). False when the row is not
        exactly labels each followed by content."""
        values = {column + 1 for column in lists} - set(lists)
        if not values & set(nonempty) or set(nonempty) != set(lists) | (values & set(nonempty)):
            return False
        for column, key in lists.items():
            items = [i for i in list_cell_items(tbl.cell_at(block.cells, column + 1))
                     if i not in _NOTHING]
            self.identity.lists.setdefault(key, []).extend(items)
        return True

    def _single_line_field(self, block: Block) -> bool:
        head, sep, value = block.text.partition(":")
        key = field_label(head) if sep else None
        if not key:
            return False
        self._set_field(key, value.strip(), value.strip(), block)
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
                self.notes.add(IMPORT_UNRECOGNISED("beside-label", text=short(cell_text(raw))),
                               at=block)
        approver_open = False
        for position, column in enumerate(label_columns):
            end = label_columns[position + 1] if position + 1 < len(label_columns) else None
            values = [c for c in block.cells[column + 1:end] if cell_text(c)]
            raw = " ".join(values)
            text = fold(cell_text(raw)).lstrip(":").strip()
            self._set_field(fields[column], text, raw, block)
            approver_open = fields[column] == "approver"
        return approver_open

    def _set_field(self, key: str, text: str, raw: str, block: Block) -> None:
        ident = self.identity
        if key == "name":
            if text:
                if ident.name and fold(ident.name).lower() != text.lower():
                    self.notes.add(IMPORT_NAME_DIFFERS(name=text, heading=ident.name), at=block)
                ident.name = text
        elif key == "number":
            ident.number = text
        elif key == "approver":
            ident.approver = parse_approver(raw.replace(":", " ", 1)
                                            if raw.lstrip().startswith(":") else raw)
        elif text and text not in ("-", "–"):
            parsed_date = parse_date(text)
            if parsed_date:
                ident.dates[key] = parsed_date
            else:
                self.notes.add(IMPORT_DATE(key, text=text), at=block)

    def _approver_continuation(self, block: Block) -> bool:
        parsed = parse_approver("  ".join(c for c in block.cells if cell_text(c)))
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
            self.notes.add(IMPORT_UNRECOGNISED("under-no-label", text=short(text)), at=block)
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
                    self.notes.add(IMPORT_TRUNCATED_LIST("split", list=title, hint=hint,
                                                         count=len(items)), at=block)
                else:
                    self.notes.add(IMPORT_TRUNCATED_LIST("unsplit", list=title, hint=hint),
                                   at=block)
            items = [item for item in items if item not in _NOTHING]
            if items:
                self.identity.lists.setdefault(key, []).extend(items)


def apply_signature(identity: Identity, signature: Signature, notes: Notes) -> None:
    """A signature block after the table fills what the identity sheet left empty: the
    approver's name, NIP and position, and the effective date from its place and date."""
    approver = identity.approver
    filled: list[str] = []
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
    at = signature.lines[0] if signature.lines else None
    notes.add(read, at=at, line=signature.line)
    if signature.title and approver.title and signature.title != approver.title:
        notes.add(IMPORT_SIGNATURE_TITLE(signer=signature.title, approver=approver.title),
                  at=at, line=signature.line)
    if signature.place_date and not identity.dates.get("effective"):
        date_text = signature.place_date.rsplit(",", 1)[-1]
        parsed = parse_date(date_text)
        if parsed:
            identity.dates["effective"] = parsed
        else:
            notes.add(IMPORT_SIGNATURE_DATE(date=fold(date_text)), at=at, line=signature.line)
    for block in signature.garbled:
        notes.unrecognised(block, "signature")
