"""XLSX of an SOP, the way agencies keep it in Excel: an "Identitas" sheet of label/value rows
and a "Bagan Alir" sheet with the step table, each step's symbol as a character in its actor
columns (⬭ terminator, ▭ process, ◇ decision) and a decision's exits in Keterangan.

Symbols come from the computed layout, so the sheet marks the same columns the drawing does.
"""

from __future__ import annotations

import io
import math

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from alur.sop.model import Sop, Step

from .content import cell_paragraphs
from .geometry import Layout
from .identity import TOP, identity_rows, section_letter
from .spreadsheet import put
from .text import text_width

SYMBOLS = {"terminator": "⬭", "process": "▭", "decision": "◇"}
PAPER_SIZES = {"a4": 9, "f4": 14}  # Excel paper codes: 9 = A4, 14 = Folio 8.5 × 13 in
FONT = "Arial"
SYMBOL_FONT = "Segoe UI Symbol"  # Windows' font holding ⬭ ▭ ◇; other systems fall back
FONT_SIZE = 10
ARIAL_SHARE = 0.9  # Arial's width relative to the DejaVu Sans metrics text_width uses
LINE_PT = 13.0  # row height per line of 10 pt text
CHAR_PT = 5.6  # points per unit of Excel column width, roughly
_THIN = Side(style="thin", color="555555")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="EEF1F4")
WRAP_TOP = Alignment(wrap_text=True, vertical="top")
CENTER = Alignment(wrap_text=True, horizontal="center", vertical="center")
ROLE_TITLES = {"no": "No", "activity": "Kegiatan", "inputs": "Kelengkapan", "time": "Waktu",
               "outputs": "Output", "notes": "Keterangan"}


def to_xlsx(sop: Sop, result: Layout) -> bytes:
    workbook = Workbook()
    identity = workbook.active
    identity.title = "Identitas"
    _identity_sheet(identity, sop, result)
    _flow_sheet(workbook.create_sheet("Bagan Alir"), sop, result)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# -- Identitas ------------------------------------------------------------------------------

def _identity_sheet(sheet: Worksheet, sop: Sop, result: Layout) -> None:
    widths = (28, 100)
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    row = 1
    for line in sop.organization:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
        cell = put(sheet, row, 1, line)
        cell.font = Font(name=FONT, bold=True, size=FONT_SIZE + 1)
        cell.alignment = Alignment(horizontal="center")
        row += 1
    if sop.organization:
        row += 1
    for label, lines in identity_rows(sop):
        numbered = label not in TOP
        value = "\n".join(f"{i}. {line}" for i, line in enumerate(lines, start=1)) \
            if numbered else "\n".join(lines)
        label_cell = put(sheet, row, 1, label)
        label_cell.font = Font(name=FONT, bold=True, size=FONT_SIZE)
        value_cell = put(sheet, row, 2, value)
        value_cell.font = Font(name=FONT, bold=label == "Nama SOP", size=FONT_SIZE)
        for cell in (label_cell, value_cell):
            cell.alignment = WRAP_TOP
            cell.border = BORDER
        sheet.row_dimensions[row].height = _height([(value, widths[1]), (label, widths[0])])
        row += 1
    row += 1
    # Narrative sections (A. Latar Belakang, …) after the rows, lettered as in the Word file.
    for index, section in enumerate(sop.sections):
        title = put(sheet, row, 1, f"{section_letter(index)}. {section.title}")
        title.font = Font(name=FONT, bold=True, size=FONT_SIZE)
        text = put(sheet, row, 2, section.text or None)
        text.font = Font(name=FONT, size=FONT_SIZE)
        title.alignment = text.alignment = WRAP_TOP
        sheet.row_dimensions[row].height = _height([(section.text, widths[1])])
        row += 1
    _print_setup(sheet, result, title_rows=None)


# -- Bagan Alir -----------------------------------------------------------------------------

def _flow_sheet(sheet: Worksheet, sop: Sop, result: Layout) -> None:
    columns = result.columns
    actor_cols = [i for i, c in enumerate(columns, start=1) if c.role == "actor"]
    standard = [i for i, c in enumerate(columns, start=1)
                if c.role in ("inputs", "time", "outputs")]
    widths = [max(4.0, round(c.width / CHAR_PT, 1)) for c in columns]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width

    _header(sheet, result, actor_cols, standard)
    actor_index = {c.actor_id: i for i, c in enumerate(columns, start=1) if c.role == "actor"}
    symbols: dict[int, dict[int, str]] = {}
    for page in result.pages:
        for shape in page.shapes:
            step = sop.step(shape.step)
            if step is not None and not step.actors and step.kind in ("start", "end"):
                continue  # the drawing borrows a neighbour's column; the sheet names no actor
            index = actor_index.get(shape.actor_id, actor_cols[0])
            symbols.setdefault(shape.step, {})[index] = SYMBOLS[shape.kind]

    for row, step in enumerate(sop.steps, start=3):
        texts: list[tuple[str, float]] = []
        for index, column in enumerate(columns, start=1):
            if column.role == "actor":
                value = symbols.get(step.number, {}).get(index)
                cell = put(sheet, row, index, value)
                cell.alignment = CENTER
                cell.font = Font(name=SYMBOL_FONT, size=FONT_SIZE + 6)
            else:
                value = _cell_text(sop, step, column.role)
                cell = put(sheet, row, index, step.number if column.role == "no"
                                  else value or None)
                cell.alignment = Alignment(wrap_text=True, vertical="top",
                                           horizontal="center" if column.role in ("no", "time")
                                           else None)
                cell.font = Font(name=FONT, size=FONT_SIZE)
                texts.append((value, widths[index - 1]))
            cell.border = BORDER
        sheet.row_dimensions[row].height = max(_height(texts), 30.0)

    sheet.freeze_panes = "A3"
    _print_setup(sheet, result, title_rows="1:2")


def _header(sheet: Worksheet, result: Layout, actor_cols: list[int],
            standard: list[int]) -> None:
    """Two rows: No, Kegiatan, Keterangan span both; Pelaksana and Mutu Baku are merged over
    the actor and standard columns, whose own titles stand in the second row."""
    columns = result.columns
    for index, column in enumerate(columns, start=1):
        for row in (1, 2):
            cell = sheet.cell(row, index)
            cell.font = Font(name=FONT, bold=True, size=FONT_SIZE)
            cell.fill = HEADER_FILL
            cell.alignment = CENTER
            cell.border = BORDER
        if column.role in ("no", "activity", "notes"):
            put(sheet, 1, index, ROLE_TITLES[column.role])
            sheet.merge_cells(start_row=1, start_column=index, end_row=2, end_column=index)
        else:
            put(sheet, 2, index, column.title)
    for title, group in (("Pelaksana", actor_cols), ("Mutu Baku", standard)):
        put(sheet, 1, group[0], title)
        sheet.merge_cells(start_row=1, start_column=group[0], end_row=1, end_column=group[-1])
    sub_lines = max(_lines(columns[i - 1].title, columns[i - 1].width / CHAR_PT)
                    for i in actor_cols + standard)
    sheet.row_dimensions[1].height = LINE_PT + 4
    sheet.row_dimensions[2].height = sub_lines * LINE_PT + 4


def _cell_text(sop: Sop, step: Step, role: str) -> str:
    """The cell as the layout has it; Keterangan also names a decision's exits."""
    lines = cell_paragraphs(step, role)
    if role == "notes":
        lines = [line for line in (*lines, exits(sop, step)) if line]
    return "\n".join(lines)


def exits(sop: Sop, step: Step) -> str:
    """A decision's exits ("Ya → 3 / Tidak → 1"); a jump's target ("Lanjut → 7")."""
    if step.kind == "decision":
        parts = [f"{label} → {target}" for label, target in
                 ((step.labels.yes or "Ya", step.on_yes), (step.labels.no or "Tidak", step.on_no))
                 if target is not None]
        return " / ".join(parts)
    index = sop.steps.index(step)
    following = sop.steps[index + 1].number if index + 1 < len(sop.steps) else None
    if step.next is not None and step.next != following:
        return f"Lanjut → {step.next}"
    return ""


# -- sizes and printing ---------------------------------------------------------------------

def _lines(text: str, width_chars: float) -> int:
    """Lines a text takes in a column, measured generously with the layout's font metrics."""
    room = max(width_chars * CHAR_PT - 6, 10)
    return sum(max(1, math.ceil(text_width(part, FONT_SIZE) * ARIAL_SHARE / room))
               for part in (text.split("\n") if text else [""]))


def _height(texts: list[tuple[str, float]]) -> float:
    lines = max((_lines(text, width) for text, width in texts), default=1)
    return min(lines * LINE_PT + 4, 409.0)  # 409 pt is Excel's tallest row


def _print_setup(sheet: Worksheet, result: Layout, *, title_rows: str | None) -> None:
    setup = result.setup
    sheet.page_setup.orientation = "landscape" if setup.landscape else "portrait"
    sheet.page_setup.paperSize = PAPER_SIZES[setup.paper]
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    inches = setup.margin / 72
    margins = sheet.page_margins
    margins.left = margins.right = margins.top = margins.bottom = inches
    if title_rows:
        sheet.print_title_rows = title_rows
