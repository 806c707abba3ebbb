"""Text copied out of a PDF (a browser's viewer, a PDF reader, `pdftotext`): the step table
without tab separators, rebuilt into `Block`s so the ordinary reader reads it unchanged.

Such a copy keeps the words but not the grid. The header is split over lines ("Pelaksana Mutu
Baku" / "No Kegiatan Keterangan" / actor names and "Kelengkapan Waktu Output"), each row's cells
are joined by single spaces and wrap onto the following lines, and website text surrounds the
document. What stays reliable is used, in this order:

- the step numbers: a line starting with the number that follows the previous step's starts a
  row (a number standing alone, or only with the time, sits in the middle of its row, as PDFs
  that centre it vertically give);
- the time standard (`10 menit`, `1-2 hari`): it stands between Kelengkapan and Output, so it
  anchors the row; the activity/inputs and outputs/notes splits beside it are guessed from the
  words (inputs repeat as outputs, lines start new cells, notes name other SOPs);
- with `pdftotext -layout`, the columns' positions under the header, which split cells exactly;
- a table dumped column by column (every Mutu Baku value after the last step) is matched back
  to the steps by count and order.

Website text (page counters, "Download", cookie notices, "you may also like" lists) is left out
with one finding listing it; whatever else cannot be placed is reported with its line.

What a copy without positions cannot give back: a row whose cells were interleaved line by
line (pdfplumber, some viewers: line 2 holds the second line of every cell) keeps its number
and time, but its words are split between cells as if they came cell by cell; where such rows
also centre their number, the lines between two numbers are divided by a guess, and a finding
says so. Actor marks are mostly lost, so the reader infers actors from the text.
Everything here is one pass over the lines (windows of bounded size), so a huge paste does not
hang the importer.

The parts, each with one reason to change: `pdftext_boilerplate` (website text),
`pdftext_header` (the header and its actors), `pdftext_rows` (which lines make which step),
`pdftext_cells` (one row into its cells, plain or with the layout kept), `pdftext_dump`
(columns printed after the table), `pdftext_identity` (the identity sheet), `pdftext_words`
(the vocabulary they share) and `pdftext_codes` (the findings). This module puts them together.
"""

from __future__ import annotations

from alur.sop.findings import Finding
from alur.sop.model import Sop

from .blocks import Block
from .caps import IMPORT_CAP_SOPS
from .cells import fold
from .notes import short
from .pdftext_boilerplate import _Source, _strip_boilerplate
from .pdftext_cells import _LayoutRows, _PlainRows, _Row, _values_elsewhere
from .pdftext_codes import (
    PDFCOPY_BOILERPLATE,
    PDFCOPY_MARKS,
    PDFCOPY_NO_TIME,
    PDFCOPY_READ,
    PDFCOPY_ROWS_GUESSED,
    PDFCOPY_STRAY,
    PDFCOPY_UNORDERED,
)
from .pdftext_dump import _column_dump
from .pdftext_header import _find_header
from .pdftext_identity import _text_blocks
from .pdftext_plain import lone_labels, rebuild_scattered_headers
from .pdftext_rows import _read_table
from .pdftext_words import _MARKERS


def looks_like_pdf_copy(text: str) -> bool:
    """True for a copy whose step table has no tab separators and whose header stands on its
    own lines: a tab-separated extract (or HTML) is read as it always was."""
    lines = text.splitlines()
    header = _find_header(lines, 0)
    if header is None:
        # A plain pdftotext copy: the header's labels scattered among the first row's cells.
        source = _Source(list(lines))
        rebuilt = rebuild_scattered_headers(source).actors
        header = _find_header(source.lines, 0, rebuilt) if rebuilt else None
        if header is None:
            # Labels one per line, cells in drawing order: a copy still, said so when read.
            return lone_labels(lines) is not None and "\t" not in text
    stop = min(len(lines), header.last + 40)
    return not any("\t" in lines[i] for i in range(header.first, stop))


def pdf_copy_blocks(text: str, *, max_tables: int | None = None
                    ) -> tuple[list[Block], list[Finding]]:
    """The copy as blocks the reader understands, and findings about rebuilding it. With
    `max_tables`, reading stops before the table that would start one more SOP than that
    (a table continued on the next page counts with its first page), with a finding."""
    source = _strip_boilerplate(text.splitlines())
    rebuilt = rebuild_scattered_headers(source).actors
    lines = source.lines
    blocks: list[Block] = []
    findings: list[Finding] = []
    position = 0
    total_rows = 0
    fresh_tables = 0
    layout_seen = False
    previous_last: int | None = None
    while position < len(lines):
        header = _find_header(lines, position, rebuilt)
        if header is None:
            break
        blocks.extend(_text_blocks(lines, position, header.first))
        table = _read_table(source, header, previous_last)
        continued = previous_last is not None and bool(table.rows) and \
            table.rows[0].number == previous_last + 1
        fresh_tables += not continued
        if max_tables is not None and fresh_tables > max_tables:
            findings.append(IMPORT_CAP_SOPS(limit=max_tables, line=header.first + 1)
                            .at(line=header.first + 1))
            position = len(lines)
            break
        layout = _LayoutRows(header) if header.layout else None
        if layout is not None:
            for row in table.rows:
                layout.fill(row, [(i, lines[i]) for i in row.lines], len(header.actors))
        else:
            _PlainRows(header.roles).fill_all(table.rows, lines)
            second = _PlainRows(header.roles, _values_elsewhere(table.rows))
            second.outputs_seen = any(row.cells.get("outputs") for row in table.rows)
            second.fill_all(table.rows, lines)
            _column_dump(table, lines)
        cells = ["No", "Kegiatan", *header.actors, "Kelengkapan", "Waktu", "Output",
                 "Keterangan"]
        blocks.append(Block(header.first + 1, tuple(cells)))
        table_blocks = [row.block(len(header.actors)) for row in table.rows]
        table_blocks += [Block(i + 1, ("", word, *[""] * (len(cells) - 2)))
                         for i, word in table.markers]
        blocks.extend(sorted(table_blocks, key=lambda b: b.line))
        for row in table.rows:
            if header.cell_lines:
                _strays(row, findings)
            _row_findings(row, findings)
        for message, line, step in table.findings:
            findings.append(message.at(line=line, step=step))
        if any(r.centred for r in table.rows[1:]):
            guessed = [r for r in table.rows[1:] if r.centred]
            for row in guessed[:5]:
                findings.append(PDFCOPY_ROWS_GUESSED(number=row.number).at(
                    line=row.number_line + 1, step=row.number))
        total_rows += len(table.rows)
        layout_seen = layout_seen or header.layout
        position = max(table.end, header.last + 1)
        previous_last = table.rows[-1].number if table.rows else None
    blocks.extend(_text_blocks(lines, position, len(lines)))
    if not total_rows and (lone := lone_labels(lines)) is not None:
        findings.append(PDFCOPY_UNORDERED(numbers=lone.numbers, times=lone.times)
                        .at(line=lone.line + 1))
    if total_rows:
        findings.insert(0, PDFCOPY_READ("layout" if layout_seen else "", count=total_rows)
                        .at(line=None))
    if source.dropped:
        shown = list(dict.fromkeys(short(t, 40) for _, t in source.dropped))
        texts = "; ".join(f"'{t}'" for t in shown[:12]) + (" …" if len(shown) > 12 else "")
        findings.insert(0, PDFCOPY_BOILERPLATE(count=len(source.dropped), texts=texts)
                        .at(line=source.dropped[0][0]))
    return blocks, findings


def _strays(row: _Row, findings: list[Finding]) -> None:
    """In a plain copy, text drawn late in the PDF (a decision's time, a label) can follow the
    last row, a Selesai; a Mulai/Selesai step owns no Mutu Baku, so it is reported there."""
    if fold(row.cells.get("activity", "")).lower().strip(". ") not in _MARKERS:
        return
    stray = [row.cells.pop(k) for k in ("inputs", "time", "outputs", "notes") if row.cells.get(k)]
    if stray:
        findings.append(PDFCOPY_STRAY(number=row.number, text=short(" ".join(stray))).at(
            line=row.start + 1, step=row.number))


def _row_findings(row: _Row, findings: list[Finding]) -> None:
    if not row.cells.get("time") and not row.cells.get("dumped") and \
            fold(row.cells.get("activity", "")).lower().strip(". ") not in _MARKERS:
        findings.append(PDFCOPY_NO_TIME(number=row.number, text=short(
            row.cells.get("activity", ""))).at(line=row.start + 1, step=row.number))
    if row.marks:
        findings.append(PDFCOPY_MARKS(number=row.number, marks=" ".join(row.marks)).at(
            line=row.start + 1, step=row.number))
    row.cells.pop("dumped", None)


def read_pdf_copy(text: str, *, file: str | None = None, taken_ids: set[str] | None = None,
                  max_sops: int | None = None, max_steps: int | None = None
                  ) -> tuple[list[Sop], list[Finding]]:
    """The SOPs in a PDF copy: its blocks read by the ordinary reader, this module's findings
    first. `max_sops`/`max_steps` are the importers' caps (see `read_blocks`)."""
    from .reader import read_blocks

    blocks, findings = pdf_copy_blocks(text, max_tables=max_sops)
    findings = [f.model_copy(update={"file": file}) for f in findings]
    sops, read_findings = read_blocks(blocks, file=file, taken_ids=taken_ids,
                                      max_sops=max_sops, max_steps=max_steps)
    if any(f.code == IMPORT_CAP_SOPS.code for f in read_findings):
        # The reader stopped at the same SOP (or one before it): its finding says where.
        findings = [f for f in findings if f.code != IMPORT_CAP_SOPS.code]
    return sops, findings + read_findings
