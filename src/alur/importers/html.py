"""HTML documents: SOPs published as web pages, or Word documents saved as HTML.

Tables become row blocks with `rowspan`/`colspan` expanded into a grid (a spanned cell's text
stays in its first position, the positions it covers are empty, as in a text extract), and
headings and paragraphs outside tables become line blocks, each with its source line.

Spans cost cells, so a crafted table (`rowspan=65534 colspan=1000` in every row) could ask for
billions. A table is never wider than its fullest row (plus `_SLACK` columns) nor longer than
its rows, so spans are cut to those; and a table's grid may hold at most `_CELLS_PER_CELL`
positions per cell written in it: past that budget spans count as one (every cell's text is
still kept, in order) and a finding says the table's layout was not followed.
"""

from __future__ import annotations

from html import escape

from lxml import etree
from lxml import html as lxml_html

from alur.i18n import N_
from alur.sop.codes import W, register
from alur.sop.findings import Finding

from .blocks import Block
from .cells import fold

IMPORT_HTML_SPANS = register(
    "import.html-spans", W, "a table's rowspan/colspan reach beyond the table, or ask for far "
    "more cells than it holds; the merges were cut to the table's size, so its columns may be "
    "shifted",
    N_("The table here merges cells over more columns or rows than it has (rowspan/colspan); "
       "the merges were cut to the table's size, so its columns may be shifted: check the "
       "steps."))
# A real table's spans rarely multiply its cells by more than a few; 50 leaves ample room.
_CELLS_PER_CELL = 50
# Columns a span may reach beyond the fullest row (a column written only as part of spans).
_SLACK = 2

_BLOCK_LEVEL = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "header", "footer", "main", "body", "blockquote", "pre", "dl", "dt", "dd", "center",
    "table", "form", "address", "figure", "figcaption", "nav", "aside", "hr", "br",
}
_SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template"}


def html_blocks(text: str, findings: list[Finding] | None = None) -> list[Block]:
    """Blocks of an HTML document in reading order; a table whose spans were not followed
    adds a finding to `findings`."""
    if not text.strip():
        return []
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    body = root.find("body")
    blocks: list[Block] = []
    _walk(body if body is not None else root, blocks, findings if findings is not None else [])
    return blocks


def _inner_html(element: etree._Element) -> str:
    """A cell's content as HTML, so list structure inside it survives for `cells`."""
    # lxml has decoded the text; escape it again so text that shows markup ("&lt;b&gt;")
    # stays text when the cell is read as HTML, instead of turning into a tag and vanishing.
    parts = [escape(element.text or "")]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).replace("\n", " ")


def _table_rows(table: etree._Element, findings: list[Finding]) -> list[Block]:
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    written = [[td for td in tr if isinstance(td.tag, str) and td.tag.lower() in ("td", "th")]
               for tr in rows]
    budget = _CELLS_PER_CELL * (sum(len(tds) for tds in written) + len(rows))
    width = max((len(tds) for tds in written), default=0) + _SLACK
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    blocks: list[Block] = []
    spent, spanning, cut, said = 0, True, False, False
    for index, (tr, tds) in enumerate(zip(rows, written, strict=True)):
        cells: list[str] = []
        column = 0
        for td in tds:
            column = _fill_spanned(cells, column, pending) if spanning else column
            asked = _span(td.get("colspan")) if spanning else 1
            colspan = max(1, min(asked, width - column))
            cut = cut or asked > colspan
            rowspan = min(_span(td.get("rowspan")), len(rows) - index) if spanning else 1
            cells.append(_inner_html(td))
            cells.extend([""] * (colspan - 1))
            for offset in range(colspan):
                if rowspan > 1 and column + offset < width:
                    pending[column + offset] = rowspan - 1
            column += colspan
        if spanning:
            _fill_spanned(cells, column, pending)
        spent += len(cells)
        if spanning and spent > budget:
            spanning, pending, cut = False, {}, True
        if cut and not said:  # once per table, at the first row not laid out as written
            findings.append(IMPORT_HTML_SPANS().at(line=tr.sourceline or None))
            said = True
        if any(fold(c) for c in cells):
            blocks.append(Block(tr.sourceline or 0, tuple(cells)))
    return blocks


def _fill_spanned(cells: list[str], column: int, pending: dict[int, int]) -> int:
    """Empty cells where a rowspan from above covers this row; returns the next column."""
    while pending.get(column, 0) > 0:
        pending[column] -= 1
        cells.append("")
        column += 1
    return column


def _owning_table(tr: etree._Element) -> etree._Element | None:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _walk(element: etree._Element, blocks: list[Block], findings: list[Finding]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag == "table":
        blocks.extend(_table_rows(element, findings))
        return
    has_block_child = any(
        isinstance(c.tag, str) and c.tag.lower() in _BLOCK_LEVEL for c in element)
    if not has_block_child:
        text = fold(element.text_content() if tag else "")
        if text:
            blocks.append(Block(element.sourceline or 0, (_inner_html(element),)))
        return
    if element.text and fold(element.text):
        blocks.append(Block(element.sourceline or 0, (fold(element.text),)))
    for child in element:
        _walk(child, blocks, findings)
        if child.tail and fold(child.tail):
            blocks.append(Block(child.sourceline or 0, (fold(child.tail),)))
