"""The unit's ABK as an XLSX workbook in the usual columns: No | Jabatan | Uraian kegiatan |
Satuan hasil | Volume | Norma waktu | Beban kerja | Kebutuhan pegawai | Pegawai yang ada | EJ |
Predikat. One row per position per SOP step it performs, then the position's subtotal (the
figures of `alur.analysis.workload`). Every cell goes through `alur.render.spreadsheet.put`
(text stays text, a name starting with "=" is no formula); numbers are numbers with a number
format, unknown figures are the words "tidak diketahui", never 0."""

from __future__ import annotations

import io

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from alur.analysis import GRADE_BANDS_NOTE, format_number, unknown
from alur.i18n import _ as core_gettext
from alur.render.spreadsheet import put

from .services import Abk, PositionLine, StepLine

WHOLE = "#,##0"
DECIMAL = "#,##0.00"
HEADING_ROW = 7


def headings() -> list[str]:
    return [pgettext("row number", "No"), _("Position"), _("Activity (SOP, step)"),
            _("Output unit"), _("Volume"), _("Time norm"), _("Workload"), _("Staff needed"),
            _("Staff present"), _("EJ"), _("Grade")]


def _number(sheet: Worksheet, row: int, column: int, value: float | None, fmt: str) -> None:
    if value is None:
        put(sheet, row, column, unknown())
        return
    put(sheet, row, column, value).number_format = fmt


def _step_row(sheet: Worksheet, row: int, position: PositionLine, step: StepLine,
              abk: Abk) -> None:
    put(sheet, row, 2, position.name)
    put(sheet, row, 3, _("{sop}, step {number}: {activity}").format(
        sop=step.sop.name, number=step.number, activity=step.activity)).alignment = \
        Alignment(wrap_text=True, vertical="top")
    put(sheet, row, 4, step.outputs or "–")
    _number(sheet, row, 5, step.volume, WHOLE)
    _number(sheet, row, 6, step.norm, WHOLE)
    load = step.load_minutes
    _number(sheet, row, 7, None if load is None else load / 60, DECIMAL)
    _number(sheet, row, 8, None if load is None else load / (abk.params.jke_hours * 60),
            DECIMAL)


def _subtotal_row(sheet: Worksheet, row: int, number: int, position: PositionLine) -> None:
    bold = Font(bold=True)
    put(sheet, row, 1, number).font = bold
    put(sheet, row, 2, position.name).font = bold
    put(sheet, row, 3, _("Subtotal {position}").format(position=position.name)).font = bold
    minutes = position.minutes_per_year
    _number(sheet, row, 7, None if minutes is None else minutes / 60, DECIMAL)
    _number(sheet, row, 8, position.staff_needed, DECIMAL)
    if position.people is None:
        put(sheet, row, 9, _("not linked to a position"))
    else:
        put(sheet, row, 9, position.people).number_format = WHOLE
    _number(sheet, row, 10, position.ej, DECIMAL)
    put(sheet, row, 11, position.grade or unknown())
    for column in range(1, 12):
        sheet.cell(row, column).font = bold


def workbook(abk: Abk) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "ABK"
    params = abk.params
    put(sheet, 1, 1, _("Workload analysis (ABK): {unit}").format(unit=abk.unit.name)).font = \
        Font(bold=True, size=13)
    put(sheet, 2, 1, _("Year {year} · effective working time (JKE) {jke} hours a year · a time "
                       "range counts its {end}").format(
        year=params.year, jke=format_number(params.jke_hours, 2, trim=True),
        end=_("upper end") if params.upper else _("lower end")))
    put(sheet, 3, 1, _("Time norm in working minutes per performance; workload in working "
                       "hours a year; staff needed = workload ÷ JKE; EJ = workload ÷ (JKE × "
                       "staff present)."))
    put(sheet, 4, 1, _("Covers only the work written in the unit's SOPs: a position's other "
                       "duties are not counted."))
    put(sheet, 5, 1, core_gettext(GRADE_BANDS_NOTE))
    for column, text in enumerate(headings(), start=1):
        cell = put(sheet, HEADING_ROW, column, text)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    row = HEADING_ROW + 1
    for number, position in enumerate(abk.positions, start=1):
        for step in position.steps:
            _step_row(sheet, row, position, step, abk)
            row += 1
        _subtotal_row(sheet, row, number, position)
        row += 1
    if abk.missing_volumes:
        row += 1
        put(sheet, row, 1, _("SOPs without a yearly volume (not counted): {sops}").format(
            sops="; ".join(s.name for s in abk.missing_volumes)))
    widths = [5, 28, 60, 20, 10, 12, 14, 14, 12, 8, 9]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(HEADING_ROW, index).column_letter].width = width
    sheet.freeze_panes = sheet.cell(HEADING_ROW + 1, 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
