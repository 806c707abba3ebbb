"""Markdown documents: SOPs kept on wiki pages and in README-style notes.

A wiki page holds an SOP as an identity table (or `**Nomor SOP**: ...` lines), then a pipe
table with one column per actor marked with a symbol or a ✓, cells joined with `<br>`. Pipe
tables are HTML tables in all but syntax, so the page is rendered to HTML by markdown-it-py
(the CommonMark parser rich already brings) and read by the HTML importer's blocks and the one
reader: the damage handling for tables exists once.

What Markdown writes differently from a Word or web page is adjusted on the way:
- every line of a paragraph becomes its own paragraph, so `**Nomor SOP**: ...` lines written
  one under the other are read as separate identity lines, as in a text extract;
- a heading `# SOP Pengajuan Cuti` is shown to the reader in capitals, the way the reader
  recognises an SOP's title in agency documents, and the SOP gets the heading's own case back;
  a heading that only says "Identitas" is structure, not content, and is left out;
- a pipe table must have a header row, so a two-column identity table has one ("Unsur | Isi")
  that is no identity field: it is left out; a row "Dasar Hukum | 1. …<br>2. …" is given to
  the reader as the label line and one line per item, the way a list field is written in text;
- each block carries its Markdown line (`data-line`), so findings point at the page's source
  line, not at a line of the rendered HTML.

A fenced ```` ```mermaid ```` block is a flowchart and is read by `read_mermaid`, named by the
`SOP ...` heading above it when the diagram has no title of its own.
"""

from __future__ import annotations

import json
import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from alur.i18n import N_
from alur.sop.codes import INFO, register
from alur.sop.findings import Finding
from alur.sop.model import Sop

from .blocks import Block
from .cells import cell_items, fold
from .html import html_blocks
from .identity import field_label, list_label
from .mermaid import read_mermaid
from .reader import read_blocks

__all__ = ["markdown_html", "only_mermaid", "read_markdown"]

MARKDOWN_DIAGRAM_BESIDE_TABLE = register(
    "import.markdown-diagram-beside-table", INFO,
    "A mermaid flowchart on a page that holds an SOP as a table is taken as its drawing.",
    N_("The page holds its SOP as a table; the Mermaid diagram here is taken as its drawing "
       "and not imported as another SOP."))

_SOP_TITLE = re.compile(
    r"^(?:SOP|S\.O\.P\.?|Standar Operasional Prosedur)\s*[:.\-–—]?\s+(?P<name>\S.*)$",
    re.IGNORECASE)
_DATA_LINE = re.compile(r'data-line="(\d+)"')
_LINE_TAGGED = {"heading_open", "paragraph_open", "tr_open", "list_item_open",
                "blockquote_open", "hr", "html_block", "code_block", "fence"}
_BREAKS = {"softbreak", "hardbreak"}
_STRUCTURE_HEADINGS = re.compile(r"^(identitas|identitas sop|informasi sop)$", re.IGNORECASE)


def _parser() -> MarkdownIt:
    # html: a wiki's `<br>` in a cell stays a line break; tables: GFM pipe tables.
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _split_paragraph_lines(tokens: list[Token]) -> list[Token]:
    """A paragraph of several lines → one paragraph per line (each with its own map)."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        inline = tokens[index + 1] if index + 1 < len(tokens) else None
        if (token.type != "paragraph_open" or token.hidden or inline is None
                or inline.type != "inline" or not any(c.type in _BREAKS
                                                      for c in inline.children or [])):
            result.append(token)
            index += 1
            continue
        first = token.map[0] if token.map else 0
        pieces: list[list[Token]] = [[]]
        for child in inline.children or []:
            if child.type in _BREAKS:
                pieces.append([])
            else:
                pieces[-1].append(child)
        for offset, children in enumerate(pieces):
            if not children:
                continue
            line_map = [first + offset, first + offset + 1]
            opening = Token("paragraph_open", "p", 1, map=line_map, block=True)
            text = "".join(c.content for c in children)
            content = Token("inline", "", 0, map=line_map, content=text, children=children)
            result.extend([opening, content, Token("paragraph_close", "p", -1, block=True)])
        index += 3  # the paragraph_open, inline and paragraph_close just replaced
    return result


def _title_headings(tokens: list[Token]) -> dict[str, str]:
    """Show `# SOP Pengajuan Cuti` to the reader as `SOP PENGAJUAN CUTI`; returns the
    capitalised names with the heading's own text, to give the SOPs their case back."""
    names: dict[str, str] = {}
    for index, token in enumerate(tokens[:-1]):
        if token.type != "heading_open" or tokens[index + 1].type != "inline":
            continue
        inline = tokens[index + 1]
        text = fold(_plain(inline))
        match = _SOP_TITLE.match(text)
        if not match:
            continue
        name = match.group("name").strip()
        names[fold(name.upper())] = name
        inline.children = [Token("text", "", 0, content=f"SOP {name.upper()}")]
        inline.content = f"SOP {name.upper()}"
    return names


def _drop_structure(tokens: list[Token]) -> list[Token]:
    """Leave out `## Identitas` headings and an identity table's header row ("Unsur | Isi")."""
    result: list[Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (token.type == "heading_open" and token.tag != "h1" and index + 2 < len(tokens)
                and _STRUCTURE_HEADINGS.match(fold(_plain(tokens[index + 1])))):
            index += 3
            continue
        if token.type == "thead_open" and _is_identity_header(tokens, index):
            while tokens[index].type != "thead_close":
                index += 1
            index += 1
            continue
        result.append(token)
        index += 1
    return result


def _is_identity_header(tokens: list[Token], thead: int) -> bool:
    """A two-column table whose header is no identity label but whose first row is one."""
    header: list[str] = []
    in_header = True
    for token in tokens[thead:]:
        if token.type == "thead_close":
            in_header = False
        elif token.type == "table_close":
            return False
        elif token.type == "inline" and in_header:
            header.append(fold(_plain(token)))
        elif token.type == "inline":
            return len(header) == 2 and not _labels(header[0]) and _labels(fold(_plain(token)))
    return False


def _labels(text: str) -> bool:
    return bool(text) and (field_label(text) is not None or list_label(text) is not None)


def _list_rows(blocks: list[Block]) -> list[Block]:
    """'Dasar Hukum | 1. …<br>2. …' → the label line, then one line per item."""
    result: list[Block] = []
    for block in blocks:
        texts = block.texts
        label = list_label(texts[0]) if len(texts) == 2 and texts[1] else None
        if label is None or label[1] or field_label(texts[0]):
            result.append(block)
            continue
        result.append(Block(block.line, (texts[0],)))
        result.extend(Block(block.line, (item,)) for item in cell_items(block.cells[1]))
    return result


def _plain(inline: Token) -> str:
    return "".join(c.content for c in inline.children or [] if c.type in ("text", "code_inline"))


def _tag_lines(tokens: list[Token]) -> None:
    for token in tokens:
        if token.type in _LINE_TAGGED and token.map and token.nesting >= 0:
            token.attrSet("data-line", str(token.map[0] + 1))


def markdown_html(text: str) -> tuple[str, dict[str, str]]:
    """The page as HTML (mermaid blocks left out), and the capitalised SOP titles it shows
    the reader with their own text."""
    md = _parser()
    tokens = [t for t in md.parse(text) if not _is_mermaid(t)]
    tokens = _drop_structure(_split_paragraph_lines(tokens))
    titles = _title_headings(tokens)
    _tag_lines(tokens)
    return md.renderer.render(tokens, md.options, {}), titles


def _is_mermaid(token: Token) -> bool:
    return token.type == "fence" and token.info.strip().lower().startswith("mermaid")


def _source_lines(html: str) -> dict[int, int]:
    """Rendered-HTML line → Markdown line, from the `data-line` of the nearest block above."""
    lines: dict[int, int] = {}
    current = 0
    for number, line in enumerate(html.split("\n"), start=1):
        found = _DATA_LINE.findall(line)
        if found:
            current = int(found[0])
        lines[number] = current
    return lines


def only_mermaid(text: str) -> str | None:
    """The diagram of a Markdown file whose only content is one mermaid block, else None
    (for `read_document`: such a `.md` file is a flowchart, not a page)."""
    tokens = _parser().parse(text)
    blocks = [t for t in tokens if t.level == 0 and t.nesting >= 0]
    if len(blocks) == 1 and _is_mermaid(blocks[0]):
        return blocks[0].content
    return None


def read_markdown(text: str, *, file: str | None = None, taken_ids: set[str] | None = None
                  ) -> tuple[list[Sop], list[Finding]]:
    """All SOPs on a Markdown page, with every finding about reading them. Tables and lines
    are read first; a mermaid flowchart is an SOP of its own only on a page that holds none
    as a table (beside a table it draws that SOP, and reading it too would make a double)."""
    taken = taken_ids if taken_ids is not None else set()
    html, titles = markdown_html(text)
    lines = _source_lines(html)
    blocks = _list_rows([Block(lines.get(b.line, b.line) or b.line, b.cells)
                         for b in html_blocks(html)])
    diagrams = _mermaid_blocks(text)
    sops: list[Sop] = []
    findings: list[Finding] = []
    if not diagrams or any(b.is_row for b in blocks):
        sops, findings = read_blocks(blocks, file=file, taken_ids=taken)
        for sop in sops:
            own = titles.get(fold(sop.name))
            if own:
                sop.name = own
    if sops:
        findings.extend(MARKDOWN_DIAGRAM_BESIDE_TABLE().at(file=file, line=fence)
                        for fence, _, _ in diagrams)
        return sops, findings
    for _, start, source in diagrams:
        found, said = read_mermaid(source, file=file, taken_ids=taken)
        sops.extend(found)
        findings.extend(f.model_copy(update={"line": f.line + start}) if f.line else f
                        for f in said)
    return sops, findings


def _mermaid_blocks(text: str) -> list[tuple[int, int, str]]:
    """(the fence's line, lines before the diagram text's first line, diagram text) of each
    mermaid block; a block under a `SOP ...` heading and without a title of its own gets the
    heading as its title (in front matter, which `read_mermaid` reads)."""
    tokens = _parser().parse(text)
    result: list[tuple[int, int, str]] = []
    heading = ""
    for index, token in enumerate(tokens):
        if token.type == "heading_open" and index + 1 < len(tokens):
            match = _SOP_TITLE.match(fold(_plain(tokens[index + 1])))
            heading = match.group("name").strip() if match else heading
        if not _is_mermaid(token) or not token.map:
            continue
        source, offset = token.content, token.map[0] + 1
        if heading and not source.lstrip().startswith("---"):
            source = f"---\ntitle: {json.dumps(heading)}\n---\n{source}"
            offset -= 3
        result.append((token.map[0] + 1, offset, source))
    return result
