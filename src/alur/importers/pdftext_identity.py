"""The identity sheet as a copy gives it: 'Nomor SOP 060/712/…' with label and value on one
line, two list labels side by side ('Dasar Hukum Kualifikasi Pelaksana') with both lists below,
the approver over several lines, numbered lists run together; rebuilt into label | value
blocks the ordinary reader reads.
"""

from __future__ import annotations

import itertools
import re
from functools import lru_cache

from .blocks import Block
from .cells import fold
from .identity import FIELD_LABELS, LIST_LABELS, find_nip, looks_like_agency, looks_like_person
from .pdftext_words import _header_start


def _field_split(text: str) -> tuple[str, str] | None:
    """'Nomor SOP 060/712/…' or 'NOMOR SOP : …' → (label, value)."""
    head = text[:40].lower()
    if "sop" not in head and "tanggal" not in head and "disahkan" not in head:
        return None
    words = text.split()
    for size in (3, 2, 1):
        if len(words) < size:
            continue
        head = " ".join(words[:size])
        label, colon, value = head.partition(":")
        if _is_field_label(fold(label).lower().rstrip(" :.")):
            rest = " ".join(words[size:])
            value = (value + " " + rest).strip() if colon else rest
            return label.strip(), value.lstrip(": ").strip()
    return None


@lru_cache(maxsize=4096)
def _is_field_label(norm: str) -> bool:
    """A pure test of one to three words, asked of nearly every line that names an SOP (the
    same few heads, 'sop penyusunan sakip', again and again)."""
    return any(p.match(norm) for p, _ in FIELD_LABELS)


def _list_split(text: str) -> tuple[str, str] | None:
    """Two list labels on one line ('Dasar Hukum Kualifikasi Pelaksana')."""
    low = text.lower()
    if len(low) > 120 or not _LIST_KEY.search(low):
        return None
    words = fold(text).rstrip(":").split()
    if len(words) > 8:
        return None
    for cut in range(1, len(words)):
        left, right = " ".join(words[:cut]), " ".join(words[cut:])
        if _is_list_label(left) and _is_list_label(right):
            return left.rstrip(" :"), right.rstrip(" :")
    return None


_LIST_KEYS = ("hukum", "kualifikasi", "keterkaitan", "peralatan", "perlengkapan",
              "peringatan", "pencatatan")
_LIST_KEY = re.compile("|".join(_LIST_KEYS))   # any of them, in one pass over the text


def _is_list_label(text: str) -> bool:
    norm = fold(text).lower().rstrip(" :")
    return any(p.match(norm) for p, _ in LIST_LABELS)


def _text_blocks(lines: list[str], first: int, stop: int) -> list[Block]:
    """Lines outside tables: identity fields as label | value rows, two list labels on one
    line as a row with their contents below split in two; the rest as lines."""
    blocks: list[Block] = []
    index = first
    in_list = False
    overrides: dict[int, str] = {}   # lines whose right part an approver took
    while index < stop:
        line_number = index + 1
        text = fold(overrides.get(index, lines[index]))
        index += 1
        if not text:
            continue
        found = _field_split(text)
        if found:
            label, value = found
            if fold(label).lower().startswith("disahkan"):
                raw = lines[index - 1]
                gap = re.search(r"\S {3,}(?=\S)", raw)
                value_at = gap.end() if gap and value else None
                value, index, taken = _approver(lines, index, stop, value, value_at)
                overrides.update(taken)
            blocks.append(Block(line_number, (label, value)))
            continue
        pair = _list_split(text)
        if pair:
            blocks.append(Block(line_number, pair))
            content: list[tuple[int, str]] = []
            while index < stop and not (_list_split(fold(lines[index])) or
                                        _field_split(fold(lines[index])) or
                                        _is_list_label(fold(lines[index]).split(":")[0]) or
                                        _header_start(fold(lines[index]))):
                if fold(lines[index]):
                    content.append((index, lines[index]))
                index += 1
            if content:
                left, right = _split_pair(content)
                blocks.append(Block(content[0][0] + 1, (left, right)))
            continue
        list_label = _is_list_label(text.split(":")[0])
        if not list_label and in_list and blocks and not blocks[-1].is_row and \
                _LIST_ITEM.match(blocks[-1].cells[0]) and not _LIST_ITEM.match(text):
            # A numbered item wrapped onto the next line of the copy.
            blocks[-1] = Block(blocks[-1].line, (f"{blocks[-1].cells[0]} {text}",))
            continue
        in_list = list_label or (in_list and bool(_LIST_ITEM.match(text)))
        if list_label or in_list:
            # 'Dasar Hukum : 1. … 2. …' — a list run together on one line: one line an item
            blocks.extend(Block(line_number, (piece,)) for piece in _numbered_pieces(text))
        else:
            blocks.append(Block(line_number, (text,)))
    return _agency_first(blocks)


def _numbered_pieces(text: str) -> list[str]:
    """The text cut before each item of a numbered run (1. 2. 3. …) it holds."""
    cuts: list[int] = []
    expected: int | None = None
    for match in _ITEM.finditer(text):
        number = int(match.group(1))
        if number == expected or (expected is None and (number == 1 or match.start(1) == 0)):
            cuts.append(match.start(1))
            expected = number + 1
    if len(cuts) < 2:
        return [text]
    bounds = [0, *cuts, len(text)]
    return [p for a, b in itertools.pairwise(bounds) if (p := text[a:b].strip())]


def _agency_first(blocks: list[Block]) -> list[Block]:
    """The agency heading printed beside the identity fields (left of them in the PDF) comes
    out after the first fields in a copy; the reader takes it only before them."""
    fields = [i for i, b in enumerate(blocks) if b.is_row and b.cells[0] and
              _field_split(b.cells[0])]
    if not fields:
        return blocks
    first = fields[0]
    lists = [i for i, b in enumerate(blocks) if i > first and (b.is_row or _is_list_label(
        b.cells[0].split(":")[0]))]
    stop = next((i for i in lists if i not in fields), len(blocks))
    moved = [i for i in range(first, stop) if not blocks[i].is_row and
             looks_like_agency(blocks[i].cells[0]) and blocks[i].cells[0].isupper()]
    if not moved:
        return blocks
    chosen = set(moved)
    rest = [b for i, b in enumerate(blocks) if i not in chosen]
    return rest[:first] + [blocks[i] for i in moved] + rest[first:]


def _approver(lines: list[str], index: int, stop: int, value: str,
              value_at: int | None) -> tuple[str, int, dict[int, str]]:
    """'Disahkan oleh' continues on the lines below with the position, name and NIP. With
    the layout kept (`value_at`: where its value starts), only the text under the value is
    the approver's; the text left of it (the agency heading beside the sheet) stays."""
    parts = [value] if value else []
    left: dict[int, str] = {}
    probe = index
    while probe < stop and probe - index < 6:
        raw = lines[probe]
        if _field_split(fold(raw)) or _list_split(fold(raw)):
            break
        if value_at is not None and raw.strip():
            right = raw[max(0, value_at - 2):]
            if not right.strip() or raw[:max(0, value_at - 2)].rstrip() != \
                    raw[:max(0, value_at - 2)].rstrip().rstrip():
                probe += 1
                continue
            left[probe] = raw[:max(0, value_at - 2)]
            raw = right
        text = fold(raw)
        if not text or _field_split(text) or _list_split(text) or _is_list_label(
                text.split(":")[0]):
            left.pop(probe, None)
            break
        parts.append(text)
        probe += 1
    taken = parts[1:] if value else parts
    if any(find_nip(p)[0] or looks_like_person(p) for p in taken):
        return "  ".join(parts), (index if value_at is not None else probe), left
    return value, index, {}


_LIST_ITEM = re.compile(r"^(\d{1,2}[.)]|[-•])\s")


_ITEM = re.compile(r"(?:^|\s)(\d{1,2})[.)]\s")


def _split_pair(content: list[tuple[int, str]]) -> tuple[str, str]:
    """The contents under two list labels: split by position (layout), by the numbering
    starting again at 1, or by a dash standing for an empty list."""
    gaps = [m.start() for _, line in content for m in re.finditer(r" {3,}", line.rstrip())]
    if gaps:
        cut = max(gaps) + 3
        left = [line[:cut] for _, line in content]
        right = [line[cut:] for _, line in content]
        return _as_list(left), _as_list(right)
    text = " ".join(fold(line) for _, line in content)
    starts = [m for m in _ITEM.finditer(text) if m.group(1) == "1"]
    if len(starts) >= 2:
        cut = starts[1].start()
        return _as_list([text[:cut]]), _as_list([text[cut:]])
    dashes = text.split()
    if len(dashes) == 2 and all(d in ("-", "–", "—") for d in dashes):
        return "-", "-"
    return _as_list([text]), ""


def _as_list(parts: list[str]) -> str:
    text = " ".join(fold(p) for p in parts).strip()
    if text in ("—", "–"):
        return "-"
    items = [i.strip() for i in re.split(r"(?:^|\s)\d{1,2}[.)]\s", text) if i.strip()]
    if len(items) > 1:
        return "<ol>" + "".join(f"<li>{i}</li>" for i in items) + "</ol>"
    return text
