"""The form as the regulation lays it out (Tabel 7), for printing and signing: a PDF through
WeasyPrint and a DOCX through python-docx, both landscape A4 with the heading (unit, semester,
year), the six-column table with borders and the evaluator's name, NIP and date at the end;
and the agency-wide recap of a semester as XLSX."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

from django.db.models import Count, Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from docx.table import Table
from openpyxl import Workbook
from openpyxl.styles import Font

from alur.render.pdf import html_to_pdf
from alur.render.spreadsheet import put

from ..org.models import Unit
from .models import Judgement, MonitoringForm, MonitoringRow
from .work import units_to_monitor

# The printed form's stylesheet, put into the document by `pdf` (pages served to browsers hold
# no <style>: the Content-Security-Policy forbids it, and a test checks every template).
STYLESHEET = Path(__file__).with_name("document.css")
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headings() -> list[str]:
    """The six columns of Tabel 7, in the document's language."""
    return [pgettext("row number", "No"), _("Procedure"),
            _("Assessment of its application (Running well / Not running well)"),
            _("Notes on the assessment"), _("Action to be taken"), _("Evaluator's initials")]


def title() -> str:
    return _("MONITORING OF THE IMPLEMENTATION OF SOP AP")


def period_text(form: MonitoringForm) -> str:
    return _("Semester %(s)s, year %(y)s") % {"s": form.semester_roman, "y": form.year}


def draft_mark(form: MonitoringForm) -> str:
    """Said on a download of a form not yet final, so a draft is never taken for the record."""
    return "" if form.final else _("DRAFT — not final yet")


def file_name(form: MonitoringForm) -> str:
    return f"pemantauan-{slugify(form.unit.name)[:60]}-{form.year}-{form.semester}"


def judgement_cell(row: MonitoringRow) -> str:
    return row.get_judgement_display() if row.judgement else ""


def notes_cell(row: MonitoringRow) -> str:
    """Catatan, with what became of the previous semester's action when there was one."""
    parts = [row.notes]
    if row.previous_action:
        state = row.get_followed_up_display() if row.followed_up else _("not marked")
        follow = _("Previous semester's action: %(action)s — %(state)s") % {
            "action": row.previous_action, "state": state}
        if row.follow_up_note:
            follow += f" ({row.follow_up_note})"
        parts.append(follow)
    return "\n".join(p for p in parts if p)


def paraf_cell(row: MonitoringRow) -> str:
    if not row.initialled_at:
        return ""
    when = date_format(timezone.localtime(row.initialled_at), "j M Y H.i")
    return f"{row.initialled_name}\n{when}"


def signature(form: MonitoringForm) -> tuple[str, str, str]:
    """(date, name, NIP) of the evaluator under the table; blank lines while a draft."""
    if form.final and form.finalised_at:
        return (date_format(timezone.localtime(form.finalised_at), "j F Y"),
                form.evaluator_name, form.evaluator_nip)
    return ("", "", "")


def pdf(form: MonitoringForm) -> bytes:
    rows = list(form.rows.all())
    date, name, nip = signature(form)
    html = render_to_string("monitoring/document.html", {
        "form": form, "title": title(), "period": period_text(form), "headings": headings(),
        "draft": draft_mark(form),
        "rows": [(r.number, r.procedure, judgement_cell(r), notes_cell(r), r.action,
                  paraf_cell(r)) for r in rows],
        "date": date, "name": name, "nip": nip,
        "stylesheet": mark_safe(  # our own file, no user text
            "<style>" + STYLESHEET.read_text(encoding="utf-8") + "</style>")})
    return html_to_pdf(html)


def _borders(table: Table) -> None:
    """Single borders on every cell (python-docx has no API for table borders)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    properties = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "single")
        element.set(qn("w:sz"), "6")
        element.set(qn("w:color"), "000000")
        borders.append(element)
    properties.append(borders)


def docx(form: MonitoringForm) -> bytes:
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    style = document.styles["Normal"]
    style.font.name, style.font.size = "Arial", Pt(10)
    for text, bold in ((title(), True), (form.unit.name.upper(), True),
                       (period_text(form), False), (draft_mark(form), True)):
        if not text:
            continue
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.bold = bold
    widths = [Cm(1.2), Cm(6.0), Cm(4.2), Cm(7.3), Cm(5.0), Cm(3.0)]
    rows = list(form.rows.all())
    table = document.add_table(rows=1 + len(rows), cols=6)
    table.autofit = False
    _borders(table)
    for index, width in enumerate(widths):  # the grid, which LibreOffice reads
        table.columns[index].width = width
    for index, heading in enumerate(headings()):
        cell = table.rows[0].cells[index]
        cell.width = widths[index]
        cell.text = ""
        run = cell.paragraphs[0].add_run(heading)
        run.bold = True
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    for line, row in enumerate(rows, start=1):
        values = [str(row.number), row.procedure, judgement_cell(row), notes_cell(row),
                  row.action, paraf_cell(row)]
        for index, value in enumerate(values):
            cell = table.rows[line].cells[index]
            cell.width = widths[index]
            cell.text = value
            if index == 0:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    date, name, nip = signature(form)
    document.add_paragraph()
    signed = name or "(.................................)"
    for text in (f"{_('Date')}: {date}", _("Evaluator,"), "", "", signed,
                 f"{_('NIP')}. {nip}"):
        paragraph = document.add_paragraph()
        paragraph.paragraph_format.left_indent = Cm(19)
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        if text is signed:
            run.bold = run.underline = True
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RecapLine:
    unit: Unit
    form: MonitoringForm | None
    not_well: int
    rows: int

    @property
    def status(self) -> str:
        if self.form is None:
            return "none"
        return self.form.status

    @property
    def status_label(self) -> str:
        if self.form is None:
            return _("not made")
        return self.form.get_status_display()


def recap_lines(unit_ids: set[int], year: int, semester: int) -> list[RecapLine]:
    """Every unit the user may read that had SOPs in force in the semester (or has a form of
    it), with its form (if any) and how many of its rows say "not running well"."""
    forms = {f.unit_id: f for f in MonitoringForm.objects.filter(
        unit_id__in=unit_ids, year=year, semester=semester).annotate(
        not_well=Count("rows", filter=Q(rows__judgement=Judgement.TIDAK_BAIK)),
        row_count=Count("rows"))}
    listed = (unit_ids & units_to_monitor(year, semester)) | set(forms)
    lines = []
    for unit in Unit.objects.filter(pk__in=listed).order_by("name"):
        form = forms.get(unit.pk)
        lines.append(RecapLine(unit, form, getattr(form, "not_well", 0),
                               getattr(form, "row_count", 0)))
    return lines


def recap_xlsx(lines: list[RecapLine], year: int, semester: int) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = _("Recap")[:31]
    put(sheet, 1, 1, _("Recap of SOP monitoring, semester %(s)s %(y)s") % {
        "s": "I" if semester == 1 else "II", "y": year}).font = Font(bold=True)
    columns = [pgettext("row number", "No"), _("Unit"), _("Status"), _("Rows"),
               _("Not running well"),
               _("Finalised by"), _("Finalised at")]
    for index, heading in enumerate(columns, start=1):
        put(sheet, 3, index, heading).font = Font(bold=True)
    for number, line in enumerate(lines, start=1):
        form = line.form
        values: list[object] = [
            number, line.unit.name, line.status_label, line.rows if form else None,
            line.not_well if form else None,
            form.evaluator_name if form and form.final else "",
            date_format(timezone.localtime(form.finalised_at), "j M Y")
            if form and form.finalised_at else ""]
        for index, value in enumerate(values, start=1):
            put(sheet, 3 + number, index, value)
    for letter, width in zip("ABCDEFG", (5, 50, 14, 8, 18, 30, 16), strict=True):
        sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
