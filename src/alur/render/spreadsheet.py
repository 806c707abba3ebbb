"""Writing people's text into spreadsheet cells so that it shows as typed and never runs.

openpyxl turns any text that starts with "=" into a formula, and Excel and LibreOffice evaluate
text starting with "+", "-" or "@" as well (and tab or carriage return can hide such a start):
an SOP name "=HYPERLINK(…)" in a download would become a live formula in an official's
spreadsheet. Every XLSX export writes through `put`, which stores text as a plain string cell.
"""

from __future__ import annotations

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def put(sheet: Worksheet, row: int, column: int, value: object = None) -> Cell:
    """The cell at (row, column) holding `value`; text is always a string, never a formula."""
    cell = sheet.cell(row, column)
    cell.value = value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
    return cell


def csv_safe(text: str) -> str:
    """Text for a CSV meant to be opened in a spreadsheet: a leading formula character gets an
    apostrophe, as spreadsheets themselves mark text (OWASP's advice). Data exports read by
    programs (event logs) are written raw instead."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text
