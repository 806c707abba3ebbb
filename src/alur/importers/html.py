"""HTML documents: SOPs published as web pages, or Word documents saved as HTML.

Tables become row blocks with `rowspan`/`colspan` expanded into a grid (a spanned cell's text
stays in its first position, the positions it covers are empty, as in a text extract), and
headings and paragraphs outside tables become line blocks, each with its source line.
"""

from __future__ import annotations

from html import escape

from lxml import etree
from lxml import html as lxml_html

from .blocks import Block
from .cells import fold

_BLOCK_LEVEL = {
    "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "section", "article",
    "header", "footer", "main", "body", "blockquote", "pre", "dl", "dt", "dd", "center",
    "table", "form", "address", "figure", "figcaption", "nav", "aside", "hr", "br",
}
_SKIP = {"script", "style", "head", "title", "meta", "link", "noscript", "template"}


def html_blocks(text: str) -> list[Block]:
    """Blocks of an HTML document in reading order."""
    if not text.strip():
        return []
    try:
        root = lxml_html.document_fromstring(text)
    except (etree.ParserError, ValueError):
        return []
    body = root.find("body")
    blocks: list[Block] = []
    _walk(body if body is not None else root, blocks)
    return blocks


def _inner_html(element: etree._Element) -> str:
    """A cell's content as HTML, so list structure inside it survives for `cells`."""
    # lxml has decoded the text; escape it again so text that shows markup ("&lt;b&gt;")
    # stays text when the cell is read as HTML, instead of turning into a tag and vanishing.
    parts = [escape(element.text or "")]
    for child in element:
        parts.append(etree.tostring(child, encoding="unicode", with_tail=True))
    return "".join(parts).replace("\n", " ")


def _table_rows(table: etree._Element) -> list[Block]:
    rows = [tr for tr in table.iter("tr") if _owning_table(tr) is table]
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    blocks: list[Block] = []
    for tr in rows:
        cells: list[str] = []
        column = 0
        for td in tr:
            if not isinstance(td.tag, str) or td.tag.lower() not in ("td", "th"):
                continue
            column = _fill_spanned(cells, column, pending)
            colspan = _span(td.get("colspan"))
            rowspan = _span(td.get("rowspan"))
            cells.append(_inner_html(td))
            cells.extend([""] * (colspan - 1))
            for offset in range(colspan):
                if rowspan > 1:
                    pending[column + offset] = rowspan - 1
            column += colspan
        _fill_spanned(cells, column, pending)
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


def _walk(element: etree._Element, blocks: list[Block]) -> None:
    tag = element.tag.lower() if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag == "table":
        blocks.extend(_table_rows(element))
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
        _walk(child, blocks)
        if child.tail and fold(child.tail):
            blocks.append(Block(child.sourceline or 0, (fold(child.tail),)))
