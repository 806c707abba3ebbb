"""One page into the surface: tables from ruling, symbols (shapes clearly smaller than their
cell), words given to the symbol, table cell or label they stand in, flow lines as segments.

Text inside a symbol is its text; text in a cell of a table with symbols, over a column that
holds symbols, is a label (Ya/Tidak or a remark) for the mapper; any other text in a cell is
the cell's; text outside tables is read as lines, top to bottom. A list bullet a browser
drew as a small disc is put back as the '•' it stands for. The drawing is interpreted once,
for every format, by `drawing.measured_blocks`.
"""

from __future__ import annotations

import html
import itertools
from collections import Counter, defaultdict
from collections.abc import Iterator

from .grid import Box, Drawn, Grid, GridCell, Line, Surface
from .pdf_flow import mark_flow
from .pdf_geometry import TOUCH, Path, Shape, SpatialIndex, Word, bbox_of
from .pdf_objects import PageObjects
from .pdf_ruling import Table, ruling, table_of, touching_groups
from .pdf_text import PAGE_NUMBER, joined, label_runs, paragraphs, raw_html, text_lines, vocabulary

BEND_REACH = 10.0        # a bend this close to a symbol is straightened (see `_lines`)
MIN_SYMBOL = 7.0         # a shape smaller than this either way is a list bullet, not a symbol


def _bullet(shape: Shape) -> bool:
    """A list bullet drawn as a shape (a browser's `<li>` disc or square): filled, about
    square, the size of a letter."""
    box = shape.box
    return shape.filled and max(box.w, box.h) < MIN_SYMBOL and \
        abs(box.w - box.h) <= 0.3 * max(box.w, box.h)


def _bullet_word(shape: Shape) -> Word:
    """The bullet as the word '•' it stands for, so its line starts a list item."""
    box = shape.box
    return {"text": "•", "x0": box.x0, "x1": box.x1, "top": box.y0, "bottom": box.y1,
            "size": 3 * box.h}


class PageReader:
    def __init__(self, page: PageObjects, surface: Surface, ids: Iterator[int]) -> None:
        self.page = page
        self.surface = surface
        self.ids = ids
        self._symbols: SpatialIndex[Shape] | None = None

    def read(self) -> list[tuple[float, Line | Grid]]:
        page = self.page
        mark_flow(page)
        segments, table_rects = ruling(page)
        tables: list[Table] = []
        loose_boxes: list[Table] = []
        for group in touching_groups(segments):
            table = table_of(group)
            if table is None:
                continue
            (loose_boxes if len(table.spans) == 1 and len(group) <= 8 else tables).append(table)
        symbols = [s for s in page.shapes if s.owner not in table_rects and s.kind is not None
                   and (s.stroked or s.filled)]
        # Four loose strokes round a box inside a table's cell: a rectangle drawn by hand.
        for box_table in loose_boxes:
            if any(t.span_at(box_table.box.centre) is not None for t in tables):
                b = box_table.box
                symbols.append(Shape("process", b, [(b.x0, b.y0), (b.x1, b.y0), (b.x1, b.y1),
                                                     (b.x0, b.y1)], -1, True, False,
                                      "four lines"))
            else:
                tables.append(box_table)
        page.words.extend(_bullet_word(s) for s in symbols if _bullet(s))
        symbols = [s for s in symbols if self._is_symbol(s, tables)]
        others = [s for s in page.shapes if s.owner not in table_rects and s.kind is None]
        drawn_columns = self._drawn_columns(tables, symbols)
        cell_words: dict[tuple[int, tuple[int, int, int, int]], list[Word]] = defaultdict(list)
        labels: dict[tuple[int, tuple[int, int, int, int]], list[Word]] = defaultdict(list)
        outside: list[Word] = []
        in_symbols: SpatialIndex[Shape] = SpatialIndex()
        for symbol in symbols:
            in_symbols.add(symbol.box, symbol)
        for word in page.words:
            centre = ((word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2)
            holder = next((s for s in in_symbols.near(Box(*centre, *centre), 0.5)
                           if isinstance(s, Shape) and s.holds(centre)), None)
            if holder is not None:
                holder.words.append(word)
                continue
            for t, table in enumerate(tables):
                span = table.span_at(centre)
                if span is None:
                    continue
                if (t, span[1]) in drawn_columns and span[0] > drawn_columns[(t, span[1])]:
                    labels[(t, span)].append(word)
                else:
                    cell_words[(t, span)].append(word)
                break
            else:
                outside.append(word)
        items: list[tuple[float, Line | Grid]] = []
        counted = vocabulary([w for cell in cell_words.values() for w in cell])
        for t, table in enumerate(tables):
            items.append((table.ys[0], self._grid(t, table, cell_words, counted)))
        for line in text_lines(outside):
            if self._page_number(line):
                continue
            items.append((min(w["top"] for w in line),
                          Line(html.escape(joined(line)), page.place)))
        drawn = self.surface.drawn
        for symbol in symbols:
            text = " ".join(joined(line) for line in text_lines(symbol.words))
            drawn.append(Drawn(self._id(), symbol.kind or "other", symbol.box, text,
                               place=page.place, geometry=symbol.geometry))
        for shape in others:
            drawn.append(Drawn(self._id(), "other", shape.box, place=page.place,
                               geometry=shape.geometry))
        for picture in page.pictures:
            if any(t.box.contains(picture.centre) for t in tables):
                drawn.append(Drawn(self._id(), "other", picture, place=page.place,
                                   geometry="image"))
        for words in labels.values():
            for line in text_lines(words):
                for run in label_runs(line):
                    box = Box(min(w["x0"] for w in run), min(w["top"] for w in run),
                              max(w["x1"] for w in run), max(w["bottom"] for w in run))
                    drawn.append(Drawn(self._id(), "text", box, joined(run),
                                       place=page.place))
        for path in page.paths:
            if path.flow:
                drawn.extend(self._lines(path, symbols))
        return items

    def _page_number(self, line: list[Word]) -> bool:
        """A page number in the top or bottom margin ('Halaman 2', '- 3 -', '2 dari 5') is
        the printer's, not the document's."""
        top = min(w["top"] for w in line) - self.page.dy
        margin = 0.08 * self.page.height
        return (top < margin or top > self.page.height - margin) and \
            bool(PAGE_NUMBER.match(joined(line)))

    def _id(self) -> str:
        return f"p{self.page.number}-{next(self.ids)}"

    def _is_symbol(self, shape: Shape, tables: list[Table]) -> bool:
        """A symbol is clearly smaller than the cell it stands in; a shape as large as its
        cell is the cell's border or fill, a shape as large as the page a frame, a dot the
        size of a letter a list's bullet (browsers draw `<li>` discs as small circles)."""
        if max(shape.box.w, shape.box.h) < MIN_SYMBOL:
            return False
        if shape.box.w > 0.6 * self.page.width or shape.box.h > 0.6 * self.page.height:
            return False
        if not shape.stroked and shape.kind == "process":
            return False        # a filled band without outline is shading
        for table in tables:
            span = table.span_at(shape.box.centre)
            if span is None:
                continue
            cell = table.cell_box(span)
            return not (shape.box.w >= cell.w - 2 * TOUCH and shape.box.h >= cell.h - 2 * TOUCH)
        return True

    @staticmethod
    def _drawn_columns(tables: list[Table], symbols: list[Shape]) -> dict[tuple[int, int], int]:
        """(table, column) → the row above which the column holds headers: columns in which
        symbols stand are the flowchart's, and text below their first symbol is a label."""
        first: dict[tuple[int, int], int] = {}
        for symbol in symbols:
            for t, table in enumerate(tables):
                span = table.span_at(symbol.box.centre)
                if span is None:
                    continue
                row = span[0]
                for t2, col in [(t, span[1])]:
                    first[(t2, col)] = min(first.get((t2, col), row), row)
                break
        # The header ends above the first row with a symbol in any flowchart column.
        by_table: dict[int, int] = {}
        for (t, _col), row in first.items():
            by_table[t] = min(by_table.get(t, row), row)
        return {(t, col): by_table[t] - 1 for (t, col) in first}

    def _grid(self, t: int, table: Table,
              words: dict[tuple[int, tuple[int, int, int, int]], list[Word]],
              counted: Counter[str]) -> Grid:
        cells = []
        place = self.page.place
        for span in table.spans:
            r, c, rs, cs = span
            lines = text_lines(words.get((t, span), []))
            raw = raw_html(paragraphs(lines, table.cell_box(span), counted))
            cells.append(GridCell(r, c, raw, rs, cs, place))
        columns = list(itertools.pairwise(table.xs))
        rows = list(itertools.pairwise(table.ys))
        return Grid(columns, rows, cells, place, [place] * len(rows))

    def _symbol_index(self, symbols: list[Shape]) -> SpatialIndex[Shape]:
        if self._symbols is None:
            self._symbols = SpatialIndex()
            for symbol in symbols:
                self._symbols.add(symbol.box, symbol)
        return self._symbols

    def _lines(self, path: Path, symbols: list[Shape]) -> list[Drawn]:
        """A flow path as straight segments, the last ending at its arrowhead's tip. Bends
        close to a symbol are straightened: the mapper takes a line end that near a symbol
        for the symbol's own, and a stub leaving a symbol must still join the rest."""
        points = list(path.points)
        if path.head is not None:
            points[-1] = path.head
        if len(points) > 2:
            near = self._symbol_index(symbols)
            inner = [p for p in points[1:-1]
                     if not any(True for _ in near.near(Box(*p, *p), BEND_REACH))]
            points = [points[0], *inner, points[-1]]
        out = []
        for index, (start, end) in enumerate(itertools.pairwise(points)):
            last = index == len(points) - 2
            out.append(Drawn(self._id(), "line", bbox_of([start, end]), ends=(start, end),
                             arrow=last and path.head is not None, place=self.page.place,
                             geometry="path"))
        return out


def scanned(page: PageObjects) -> bool:
    """A page that is a picture: no text at all, or pictures covering a quarter of it and no
    text but a few words (such as a page number a printer or scanner stamped on it)."""
    if page.pictures and not page.words:
        return True
    pictured = sum(box.w * box.h for box in page.pictures)
    if not page.pictures or pictured < 0.25 * page.width * page.height:
        return False
    lines = text_lines(page.words)
    return sum(len(line) for line in lines if not PAGE_NUMBER.match(joined(line))) < 3
