"""From a measured document (table grids + drawn objects) to blocks the SOP reader reads: the
one place where a flowchart drawn over a step table is interpreted, whatever format it came in.

- A symbol (capsule, rectangle, diamond) belongs to the table row and actor column its centre
  lies in; that is the step's actor (several in one row: a joint step). A symbol outside every
  actor column is reported, never guessed into one.
- Lines are chained where their ends meet; each chain leads from the symbols at its tails to
  the symbols at its arrowheads (or, glued connectors, the shapes they are attached to).
  Off-page and on-page connectors with the same letter are joined, and removed.
- A diamond's exits are the chains leaving it; each takes the "Ya"/"Tidak" label (or
  "Lengkap"/"Tidak lengkap", "Setuju"/"Tidak" …) nearest to it. Labels that name no exit, and
  free text written over the actor cells ("melalui surel"), are reported.

A flowchart pasted as one picture over the actor columns is handed to the format's picture
reader (`picture.py`, given by the caller); the symbols and lines it finds in the pixels are
mapped like any others, and the rows they decide are listed as inferred
(`DrawingReading.inferred`). Where it finds none, the picture is reported and no actor is taken
from it.

The reader then reads rows as it reads any table (`reader.py`), taking symbols and exits from
the drawing where there is one and falling back to the cells' own text where a row has none.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from alur.i18n import N_, _
from alur.sop.codes import INFO, Message, W, register
from alur.sop.findings import Finding, Location

from . import table as tbl
from .blocks import Block, Exit, RowDrawing
from .cells import Mark, cell_text, fold
from .exit_words import branch_of
from .grid import JUMP_KINDS, SYMBOL_KINDS, Box, Drawn, Grid, Line, Measured, Place, Point, Surface
from .picture import from_picture
from .unionfind import DisjointSet

IMPORT_SHAPE_OUTSIDE = register(
    "import.shape-outside", INFO,
    "a drawn symbol lies outside the step table's actor columns; it is not read as a step",
    N_("A drawn {kind} lies outside the actor columns of the step table{text}; it is not read "
       "as a step."))
IMPORT_SHAPE_OTHER = register(
    "import.shape-other", INFO,
    "a drawn object that is none of the five flowchart symbols (a logo, a picture, a free "
    "form); not read",
    N_("A drawn object that is not a flowchart symbol ({geometry}) is not read{text}."))
IMPORT_SHAPES_OUTSIDE_MORE = register(
    "import.shapes-outside-more", INFO,
    "after the first fifty, the count of further drawn objects that are not read",
    N_("{count} more drawn objects outside the step table are not read either."))
IMPORT_PICTURE_FLOWCHART = register(
    "import.picture-flowchart", W,
    "the flowchart is one pasted picture over the step table: its symbols cannot be read, so "
    "the actors come only from the text (or stay empty)",
    N_("The flowchart is one picture pasted over the step table; its symbols cannot be read "
       "from it. Each step's actor is taken only from what its text says, otherwise left "
       "empty: check them against the picture."))
IMPORT_PICTURE_READ = register(
    "import.picture-flowchart-read", W,
    "the flowchart is one pasted picture over the step table; its symbols and arrows were found "
    "in the picture's pixels, so every actor, kind and exit taken from them is inferred",
    N_("The flowchart is one picture pasted over the step table; {count} symbols were found in "
       "the picture and read as the steps' actors, kinds and exits. These are inferred from "
       "the image: check them against the picture."))
IMPORT_LABEL_UNUSED = register(
    "import.drawn-label-unused", W,
    "a Ya/Tidak label drawn near no exit of a decision",
    N_("The label '{text}' is drawn near no exit of a decision; it is not used."))
IMPORT_CHANNEL = register(
    "import.channel-label", INFO,
    "free text over the actor columns (a channel such as 'melalui surel' written beside an "
    "arrow): kept as a remark, not read as a step",
    N_("Text '{text}' written over the flowchart is read as a remark on the flow, not as a "
       "step."))
IMPORT_CONNECTOR_ROW = register(
    "import.connector-row", INFO,
    "a table row that holds only off-page connectors; the connectors are joined and the row "
    "dropped",
    N_("A row holds only off-page connectors ({letters}); the flow is joined across it."))
IMPORT_CONNECTOR_UNPAIRED = register(
    "import.connector-unpaired", W,
    "an off-page or on-page connector whose letter has no partner; the flow through it is lost",
    N_("The connector '{letter}' has no partner with the same letter; the flow through it "
       "cannot be followed."))
IMPORT_TOO_MANY_SHAPES = register(
    "import.too-many-shapes", W,
    "a drawing with more objects than a flowchart can hold; the rest is not read",
    N_("The drawing holds {count} objects; only the first {limit} are read."))

MAX_DRAWN = 20_000            # objects read per surface
MAX_SHAPE_FINDINGS = 50       # objects reported one by one; the rest are counted
NODE_REACH = 8.0              # how far a line's end may stop short of a symbol, in points
JOIN_REACH = 4.0              # how far apart two line ends may be and still meet
LABEL_REACH = 40.0            # how far a Ya/Tidak label may stand from its exit
LABEL_SIZE = (60.0, 24.0)     # a symbol this small whose text is a branch word is a label
_CELL = 50.0                  # bucket size of the spatial index

@dataclass
class _Node:
    """A symbol or a connector on a surface, and where it stands in the table."""

    drawn: Drawn
    surface: int
    key: int | None = None        # the block (row) it stands in
    column: int | None = None     # its grid column, when an actor column
    exits: list[tuple[_Node, str]] = field(default_factory=list)   # (target, label text)
    chains: dict[str, _Chain] = field(default_factory=dict)         # target id → its lines


@dataclass
class _Chain:
    """Lines whose ends meet: the tails and heads they lead from and to."""

    lines: list[Drawn]
    tails: list[tuple[Point, str]] = field(default_factory=list)     # (end, node id)
    heads: list[tuple[Point, str]] = field(default_factory=list)
    text: str = ""


T = TypeVar("T")


class _SpatialIndex(Generic[T]):
    """Points in buckets, so a 5,000-shape drawing is matched in linear time."""

    def __init__(self, cell: float = _CELL) -> None:
        self.cell = cell
        self.buckets: dict[tuple[int, int], list[tuple[Box, T]]] = defaultdict(list)

    def add(self, box: Box, item: T, reach: float = 0.0) -> None:
        for key in self._keys(box, reach):
            self.buckets[key].append((box, item))

    def _keys(self, box: Box, reach: float) -> Iterable[tuple[int, int]]:
        x0, x1 = int((box.x0 - reach) // self.cell), int((box.x1 + reach) // self.cell)
        y0, y1 = int((box.y0 - reach) // self.cell), int((box.y1 + reach) // self.cell)
        # A huge box (a frame round the page) is put in a bounded number of buckets.
        if (x1 - x0 + 1) * (y1 - y0 + 1) > 400:
            return [(x0, y0)]
        return itertools.product(range(x0, x1 + 1), range(y0, y1 + 1))

    def near(self, point: Point, reach: float) -> list[tuple[float, T]]:
        x, y = point
        found: dict[int, tuple[float, T]] = {}
        for key in itertools.product(range(int((x - reach) // self.cell),
                                           int((x + reach) // self.cell) + 1),
                                     range(int((y - reach) // self.cell),
                                           int((y + reach) // self.cell) + 1)):
            for box, item in self.buckets.get(key, ()):
                distance = box.distance(point)
                if distance <= reach:
                    found[id(item)] = (distance, item)
        return sorted(found.values(), key=lambda pair: pair[0])


@dataclass
class _GridReading:
    """A step table's header as the drawing needs it: which grid rows hold steps and which
    grid columns are actors."""

    body_rows: set[int]
    actor_columns: list[int]
    number_column: int | None


def _read_grid(grid: Grid) -> _GridReading | None:
    rows = [Block(0, grid.row_raw(r)) for r in range(len(grid.rows))]
    body: set[int] = set()
    actors: list[int] = []
    number: int | None = None
    index = 0
    while index < len(rows):
        if not tbl.starts_table(rows[index]):
            if actors:
                body.add(index)
            index += 1
            continue
        header_rows = [rows[index]]
        index += 1
        while index < len(rows) and len(header_rows) < 3 and \
                tbl.step_number(rows[index].cells[0]) is None and tbl.is_header_like(rows[index]):
            header_rows.append(rows[index])
            index += 1
        header = tbl.read_header(header_rows)
        actors = actors or header.actor_columns
        number = header.index(tbl.NUMBER) if number is None else number
    return _GridReading(body, actors, number) if actors else None


_SAME_COLUMN = 3.0  # points: how far a continued table's column edges may lie from the first's


def _continued_reading(grid: Grid, previous: tuple[Grid, _GridReading] | None
                       ) -> _GridReading | None:
    """A table on a later page whose repeated header is cut short (the page break fell inside
    it, so only the actor names' row came along, which no header reading recognises): it is
    the previous step table continued when its columns are the same, so it takes that table's
    actor and number columns; its body is every row that is not header-like."""
    if previous is None:
        return None
    first, reading = previous
    if len(grid.columns) != len(first.columns) or any(
            abs(a0 - b0) > _SAME_COLUMN or abs(a1 - b1) > _SAME_COLUMN
            for (a0, a1), (b0, b1) in zip(grid.columns, first.columns, strict=True)):
        return None
    body = {r for r in range(len(grid.rows))
            if not tbl.is_header_like(Block(0, grid.row_raw(r)))
            or (reading.number_column is not None
                and tbl.step_number(grid.row_raw(r)[reading.number_column]) is not None)}
    return _GridReading(body, reading.actor_columns, reading.number_column) if body else None


def _mark_of(node: _Node, numbered_below: bool) -> Mark:
    kind = node.drawn.kind
    if kind == "decision":
        return Mark.DECISION
    if kind == "process":
        return Mark.PROCESS
    words = fold(node.drawn.text).lower()
    if re.search(r"\b(selesai|end|finish|akhir|berakhir)\b", words):
        return Mark.END
    if re.search(r"\b(mulai|start|awal)\b", words):
        return Mark.START
    return Mark.START if numbered_below else Mark.END


PictureReader = Callable[[Drawn, list[Grid]], list[Drawn]]


class _Mapper:
    def __init__(self, measured: Measured, file: str | None,
                 pictures: PictureReader | None = None) -> None:
        self.measured = measured
        self.file = file
        self.pictures = pictures
        self.inferred: list[Place] = []   # rows whose drawing came from a pasted picture
        self.findings: list[Finding] = list(measured.findings)
        self.keys = itertools.count(1)
        self.nodes: list[_Node] = []
        self.row_key: dict[tuple[int, int, int], int] = {}   # (surface, grid, row) → key
        self.readings: dict[tuple[int, int], _GridReading | None] = {}
        self.outside = 0

    def note(self, finding: Finding) -> None:
        self.findings.append(finding)

    def place(self, drawn: Drawn) -> Location:
        return Location(file=self.file, **drawn.place.location())

    # -- the whole document ------------------------------------------------------------------
    def blocks(self) -> list[Block]:
        previous: tuple[Grid, _GridReading] | None = None
        for s, surface in enumerate(self.measured.surfaces):
            for g, item in enumerate(surface.items):
                if isinstance(item, Grid):
                    reading = _read_grid(item) or _continued_reading(item, previous)
                    self.readings[(s, g)] = reading
                    if reading is not None:
                        previous = (item, reading)
                    for r in range(len(item.rows)):
                        self.row_key[(s, g, r)] = next(self.keys)
        for s, surface in enumerate(self.measured.surfaces):
            self._surface(s, surface)
        self._join_connectors()
        if self.outside > MAX_SHAPE_FINDINGS:
            self.note(IMPORT_SHAPES_OUTSIDE_MORE(count=self.outside - MAX_SHAPE_FINDINGS).at(
                file=self.file))
        return self._emit()

    # -- one page or sheet -------------------------------------------------------------------
    def _surface(self, s: int, surface: Surface) -> None:
        drawn = surface.drawn
        if len(drawn) > MAX_DRAWN:
            self.note(IMPORT_TOO_MANY_SHAPES(count=len(drawn), limit=MAX_DRAWN).at(
                **Location(file=self.file, **surface.place.location())))
            drawn = drawn[:MAX_DRAWN]
        symbols: list[Drawn] = []
        lines: list[Drawn] = []
        texts: list[Drawn] = []
        queue = list(drawn)
        for item in queue:  # a picture's contents, once found, are appended and read in turn
            if item.kind in SYMBOL_KINDS and branch_of(item.text) and \
                    item.box.w <= LABEL_SIZE[0] and item.box.h <= LABEL_SIZE[1]:
                texts.append(item)   # a small frame round "Ya": a label, not a step
            elif item.kind in SYMBOL_KINDS or item.kind in JUMP_KINDS:
                symbols.append(item)
            elif item.kind == "line":
                lines.append(item)
            elif item.kind == "text":
                if item.text.strip():
                    texts.append(item)
            elif self._covers_flowchart(s, surface, item):
                found = self.pictures(item, list(surface.grids)) if self.pictures else []
                if found:
                    queue.extend(found)
                    count = sum(d.kind in SYMBOL_KINDS for d in found)
                    self.note(IMPORT_PICTURE_READ(count=count).at(**self.place(item)))
                else:
                    self.note(IMPORT_PICTURE_FLOWCHART().at(**self.place(item)))
            else:
                text = f" ('{_short(item.text)}')" if item.text.strip() else ""
                self._outside(item, IMPORT_SHAPE_OTHER(geometry=item.geometry or item.kind,
                                                       text=text))
        located = [self._locate(s, surface, symbol) for symbol in symbols]
        nodes = [n for n in located if n is not None]
        self.nodes.extend(nodes)
        chains = self._chains(lines, nodes)
        used_labels = self._link(nodes, chains, texts)
        for free in texts:
            if id(free) in used_labels:
                continue
            if branch_of(free.text):
                self.note(IMPORT_LABEL_UNUSED(text=_short(free.text)).at(**self.place(free)))
            else:
                self.note(IMPORT_CHANNEL(text=_short(free.text)).at(**self.place(free)))

    def _covers_flowchart(self, s: int, surface: Surface, drawn: Drawn) -> bool:
        """A picture covering most of a step table's actor columns over its step rows: the
        whole flowchart pasted as one image."""
        if drawn.geometry not in ("image", "picture"):
            return False
        for g, item in enumerate(surface.items):
            reading = self.readings.get((s, g))
            if not isinstance(item, Grid) or reading is None or not reading.body_rows:
                continue
            rows = sorted(reading.body_rows)
            columns = reading.actor_columns
            area = Box(item.columns[columns[0]][0], item.rows[rows[0]][0],
                       item.columns[columns[-1]][1], item.rows[rows[-1]][1])
            overlap_w = max(0.0, min(area.x1, drawn.box.x1) - max(area.x0, drawn.box.x0))
            overlap_h = max(0.0, min(area.y1, drawn.box.y1) - max(area.y0, drawn.box.y0))
            if area.w * area.h > 0 and overlap_w * overlap_h / (area.w * area.h) >= 0.5:
                return True
        return False

    def _locate(self, s: int, surface: Surface, drawn: Drawn) -> _Node | None:
        """The table row and actor column of a symbol; connectors need only their row."""
        centre = drawn.box.centre
        for g, item in enumerate(surface.items):
            if not isinstance(item, Grid):
                continue
            found = item.locate(centre)
            if found is None:
                continue
            row, col = found
            reading = self.readings.get((s, g))
            key = self.row_key[(s, g, row)]
            if drawn.kind in JUMP_KINDS:
                return _Node(drawn, s, key, None)
            if reading is not None and row in reading.body_rows:
                column = col if col in reading.actor_columns else \
                    _best_overlap(item, drawn.box, reading.actor_columns)
                if column is not None:
                    return _Node(drawn, s, key, column)
            break
        if drawn.kind in JUMP_KINDS:
            return _Node(drawn, s, None, None)
        self._outside(drawn, IMPORT_SHAPE_OUTSIDE(
            kind=_(_KIND_NAMES.get(drawn.kind, drawn.kind)),
            text=f" ('{_short(drawn.text)}')" if drawn.text.strip() else ""))
        return None

    def _outside(self, drawn: Drawn, message: Message) -> None:
        """One finding per object not read, up to a limit; then one that counts the rest."""
        self.outside += 1
        if self.outside <= MAX_SHAPE_FINDINGS:
            self.note(message.at(**self.place(drawn)))

    # -- lines -------------------------------------------------------------------------------
    def _chains(self, lines: list[Drawn], nodes: list[_Node]) -> list[_Chain]:
        """Lines joined where a free end meets another line's end (or its middle: a T where
        two arrows merge), each chain with the nodes at its tails and heads. An end that
        touches a symbol belongs to that symbol and joins nothing: two arrows meeting at a
        diamond's corner are two flows, not one."""
        node_index: _SpatialIndex[_Node] = _SpatialIndex()
        by_id: dict[str, _Node] = {}
        for symbol in nodes:
            node_index.add(symbol.drawn.box, symbol, NODE_REACH)
            by_id[symbol.drawn.id] = symbol
        self._node_by_id = by_id

        def attached(point: Point, glued: str | None) -> _Node | None:
            node = by_id.get(glued) if glued else None
            if node is None:
                near = node_index.near(point, NODE_REACH)
                node = near[0][1] if near else None
            return node

        terminals: list[list[tuple[Point, _Node | None, bool]]] = []
        for line in lines:
            found = []
            if line.ends:
                start, end = line.ends
                found = [(start, attached(start, line.glued[0]), False),
                         (end, attached(end, line.glued[1]), line.arrow)]
            terminals.append(found)
        joined = DisjointSet(len(lines))

        ends: _SpatialIndex[int] = _SpatialIndex()
        segments: _SpatialIndex[int] = _SpatialIndex()
        for i, line in enumerate(lines):
            for point, node, _head in terminals[i]:
                if node is None:
                    ends.add(Box(point[0], point[1], point[0], point[1]), i)
            if line.ends:
                segments.add(_segment_box(line.ends), i)
        for i in range(len(lines)):
            for point, node, _head in terminals[i]:
                if node is not None:
                    continue
                for _distance, other in ends.near(point, JOIN_REACH):
                    joined.union(other, i)
                for _distance, j in segments.near(point, JOIN_REACH):
                    if j != i and _on_segment(point, lines[j].ends):
                        joined.union(j, i)
        chains = []
        for members in joined.groups():
            chain = _Chain([lines[i] for i in members])
            for i in members:
                for point, node, is_head in terminals[i]:
                    if node is not None:
                        (chain.heads if is_head else chain.tails).append((point, node.drawn.id))
                text = lines[i].text.strip()
                chain.text = " ".join(t for t in (chain.text, text) if t)
            if not any(line.arrow for line in chain.lines) and len(chain.tails) >= 2 and \
                    not chain.heads:
                # No arrowhead anywhere: the flow runs down the table, from the upper symbol.
                chain.tails.sort(key=lambda t: (by_id[t[1]].drawn.box.centre[1],
                                                by_id[t[1]].drawn.box.centre[0]))
                chain.heads = chain.tails[1:]
                chain.tails = chain.tails[:1]
            chains.append(chain)
        self._untangle_heads(chains, by_id)
        return chains

    @staticmethod
    def _untangle_heads(chains: list[_Chain], by_id: dict[str, _Node]) -> None:
        """A chain with arrowheads at every end has a head misread (in a picture or a scan,
        a label written against the line looks like one). Where one of its heads is on a
        decision that another chain already enters, that decision is where it starts: a
        decision is entered once and left by its exits."""
        entered: dict[str, int] = defaultdict(int)
        for chain in chains:
            for _point, node_id in chain.heads:
                entered[node_id] += 1
        for chain in chains:
            if chain.tails or len(chain.heads) < 2:
                continue
            exits = [head for head in chain.heads if head[1] is not None and
                     by_id[head[1]].drawn.kind == "decision" and entered[head[1]] > 1]
            if len(exits) == 1 and len(chain.heads) > 1:
                chain.heads.remove(exits[0])
                chain.tails.append(exits[0])

    def _link(self, nodes: list[_Node], chains: list[_Chain], texts: list[Drawn]) -> set[int]:
        """Every chain's tail nodes lead to its head nodes; a decision's exits take the labels
        nearest to their lines. Returns the ids of the texts used as labels."""
        by_id = self._node_by_id
        labels: _SpatialIndex[Drawn] = _SpatialIndex()
        for text in texts:
            labels.add(text.box, text, LABEL_REACH)
        used: set[int] = set()
        for chain in chains:
            sources = {node_id for _, node_id in chain.tails}
            targets = {node_id for _, node_id in chain.heads}
            for source_id in sources:
                source = by_id[source_id]
                # A chain from a symbol back to itself (a decision's rework on the same step)
                # is an exit too; otherwise a symbol's own ends are where the flow passes.
                onward = targets - {source_id} if targets != {source_id} else targets
                for target_id in onward:
                    target = by_id[target_id]
                    source.exits.append((target, ""))
                    source.chains[target_id] = chain
        for node in nodes:
            if node.drawn.kind != "decision" or not node.exits:
                continue
            node_chains = node.chains
            candidates: list[tuple[float, int, Drawn]] = []
            for index, (target, _label) in enumerate(node.exits):
                exit_chain = node_chains.get(target.drawn.id)
                if exit_chain is None:
                    continue
                if exit_chain.text and branch_of(exit_chain.text):
                    node.exits[index] = (target, exit_chain.text)
                    continue
                for point in _chain_points(exit_chain, node.drawn.box):
                    for distance, text in labels.near(point, LABEL_REACH):
                        candidates.append((distance, index, text))
            candidates.sort(key=lambda c: c[0])
            taken_exits: set[int] = {i for i, (_, label) in enumerate(node.exits) if label}
            for _distance, index, text in candidates:
                if index in taken_exits or id(text) in used or not branch_of(text.text):
                    continue
                target = node.exits[index][0]
                node.exits[index] = (target, text.text.strip())
                taken_exits.add(index)
                used.add(id(text))
        return used

    # -- connectors ----------------------------------------------------------------------------
    def _join_connectors(self) -> None:
        """A flow into a connector continues from its partner (same letter): each symbol's exit
        into connector A becomes an exit to wherever A's partner leads."""
        by_letter: dict[str, list[_Node]] = defaultdict(list)
        for node in self.nodes:
            if node.drawn.kind in JUMP_KINDS:
                by_letter[fold(node.drawn.text).upper()].append(node)
        def onward(connector: _Node, seen: set[str]) -> list[_Node]:
            letter = fold(connector.drawn.text).upper()
            partners = [n for n in by_letter.get(letter, []) if n is not connector]
            found: list[_Node] = []
            for partner in partners:
                for target, _label in partner.exits:
                    if target.drawn.kind in JUMP_KINDS:
                        if target.drawn.id not in seen:
                            found.extend(onward(target, seen | {target.drawn.id}))
                    else:
                        found.append(target)
            return found

        for letter, members in by_letter.items():
            if len(members) < 2:
                self.note(IMPORT_CONNECTOR_UNPAIRED(letter=letter or "?").at(
                    **self.place(members[0].drawn)))
        for node in self.nodes:
            if node.drawn.kind in JUMP_KINDS:
                continue
            joined: list[tuple[_Node, str]] = []
            for target, label in node.exits:
                if target.drawn.kind in JUMP_KINDS:
                    joined.extend((t, label) for t in onward(target, {target.drawn.id}))
                else:
                    joined.append((target, label))
            node.exits = joined

    # -- blocks ------------------------------------------------------------------------------
    def _emit(self) -> list[Block]:
        by_key: dict[int, list[_Node]] = defaultdict(list)
        for node in self.nodes:
            if node.key is not None:
                by_key[node.key].append(node)
        blocks: list[Block] = []
        line_keys = itertools.count(next(self.keys))
        for s, surface in enumerate(self.measured.surfaces):
            for g, item in enumerate(surface.items):
                if isinstance(item, Line):
                    blocks.append(Block(next(line_keys), (item.raw,), place=item.place))
                    continue
                reading = self.readings.get((s, g))
                numbered = self._numbered_rows(item, reading)
                for r in range(len(item.rows)):
                    key = self.row_key[(s, g, r)]
                    raw = item.row_raw(r)
                    place = item.row_place(r)
                    nodes = by_key.get(key, [])
                    drawing = self._row_drawing(nodes, numbered, r)
                    jumps = [n for n in nodes if n.drawn.kind in JUMP_KINDS]
                    if jumps and not drawing.symbols and not any(cell_text(c) for c in raw):
                        letters = ", ".join(sorted(fold(n.drawn.text) or "?" for n in jumps))
                        self.note(IMPORT_CONNECTOR_ROW(letters=letters).at(
                            **Location(file=self.file, **place.location())))
                        continue
                    if reading is not None and any(from_picture(n.drawn) for n in nodes):
                        self.inferred.append(place)
                    blocks.append(Block(key, raw, place=place,
                                        drawing=drawing if reading is not None else None))
        return blocks

    def _numbered_rows(self, grid: Grid, reading: _GridReading | None) -> list[int]:
        if reading is None or reading.number_column is None:
            return []
        return [r for r in sorted(reading.body_rows)
                if tbl.step_number(grid.row_raw(r)[reading.number_column]) is not None]

    def _row_drawing(self, nodes: list[_Node], numbered: list[int], row: int) -> RowDrawing:
        symbols: dict[int, Mark] = {}
        exits: list[Exit] = []
        below = any(r > row for r in numbered)
        for node in sorted(nodes, key=lambda n: n.column if n.column is not None else -1):
            if node.column is None or node.drawn.kind in JUMP_KINDS:
                continue
            mark = _mark_of(node, below)
            if symbols.get(node.column) is not Mark.DECISION:
                symbols[node.column] = mark
            for target, label in node.exits:
                if target.key is None or (target.key == node.key and target is not node):
                    continue
                exits.append(Exit(target.key, label, branch_of(label) or "",
                                  node.column, node.drawn.kind == "decision"))
        return RowDrawing(tuple(sorted(symbols.items())), tuple(exits))


_KIND_NAMES = {"terminator": N_("capsule"), "process": N_("rectangle"),
               "decision": N_("diamond")}


def _best_overlap(grid: Grid, box: Box, columns: list[int]) -> int | None:
    """The actor column a symbol mostly covers, when its centre fell just outside it."""
    best, share = None, 0.0
    for column in columns:
        x0, x1 = grid.columns[column]
        overlap = max(0.0, min(x1, box.x1) - max(x0, box.x0))
        if box.w > 0 and overlap / box.w > max(share, 0.5):
            best, share = column, overlap / box.w
    return best


def _segment_box(ends: tuple[Point, Point]) -> Box:
    (x0, y0), (x1, y1) = ends
    return Box(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _on_segment(point: Point, ends: tuple[Point, Point] | None) -> bool:
    """Whether a point lies on a segment (within the join reach), not only near its ends."""
    if not ends:
        return False
    (x0, y0), (x1, y1) = ends
    px, py = point
    dx, dy = x1 - x0, y1 - y0
    length = dx * dx + dy * dy
    if length == 0:
        return False
    t = max(0.0, min(1.0, ((px - x0) * dx + (py - y0) * dy) / length))
    cx, cy = x0 + t * dx, y0 + t * dy
    return bool(((px - cx) ** 2 + (py - cy) ** 2) ** 0.5 <= JOIN_REACH)


def _chain_points(chain: _Chain, near: Box) -> list[Point]:
    """Points along a chain's lines, every 6 pt, within reach of the deciding symbol: where an
    exit's label stands."""
    points: list[Point] = []
    for line in chain.lines:
        if not line.ends:
            continue
        corners = [line.ends[0], *line.bends, line.ends[1]]
        for (x0, y0), (x1, y1) in itertools.pairwise(corners):
            length = ((x1 - x0) ** 2 + (y1 - y0) ** 2) ** 0.5
            steps = max(1, min(int(length // 6), 200))
            for i in range(steps + 1):
                point = (x0 + (x1 - x0) * i / steps, y0 + (y1 - y0) * i / steps)
                if near.distance(point) <= LABEL_REACH * 1.5:
                    points.append(point)
    return points


def _short(text: str, limit: int = 80) -> str:
    text = fold(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class DrawingReading:
    """The document's blocks in reading order (rows carrying what is drawn over them), what
    the drawing said that no block can carry, and the places of the rows whose drawing was
    found in a pasted picture (their actors, kind and exits are inferred)."""

    blocks: list[Block]
    findings: list[Finding]
    inferred: list[Place]


def read_drawing(measured: Measured, *, file: str | None = None,
                 pictures: PictureReader | None = None) -> DrawingReading:
    mapper = _Mapper(measured, file, pictures)
    blocks = mapper.blocks()
    return DrawingReading(blocks, mapper.findings, mapper.inferred)


def measured_blocks(measured: Measured, *, file: str | None = None
                    ) -> tuple[list[Block], list[Finding]]:
    """`read_drawing` without pictures: the blocks and the findings."""
    reading = read_drawing(measured, file=file)
    return reading.blocks, reading.findings


__all__ = ["DrawingReading", "measured_blocks", "read_drawing"]
