"""Reports for the Evaluators and the unit's admins: a unit's dashboard (SOPs by status, cases
running and late, the on-time rate, the slowest steps), an SOP's flowchart as a heat map of
its steps' actual time against their standard, the cases behind each figure, and the case
log for process mining (XES, CSV)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlencode
from xml.sax.saxutils import escape, quoteattr

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Exists, F, OuterRef, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alur.render import layout
from alur.render.svg import page_svg

from ..cases.models import Case
from ..library.models import Sop, SopVersion
from ..org.models import Position, Unit
from . import charts, export, queries
from .access import report_units
from .duties import unit_duties
from .formatting import minutes_text, percent_text

PAGE_SIZE = 25
_SAMPLE_UUID = "00000000-0000-0000-0000-000000000000"
# The heat map's states drawn with the case page's progress colours (alur.render.svg).
HEAT = {"ok": "done", "slow": "done-late", "very-slow": "late"}


def _unit_or_404(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    if unit.pk not in report_units(request.user):
        raise Http404(_("Unit not found."))
    return unit


class Asked:
    """The filters read from the query string: the period (dari, sampai), a position
    (jabatan). A date that cannot be read falls back to the default, and says so."""

    def __init__(self, request: HttpRequest, unit: Unit) -> None:
        self.problems: list[str] = []
        start = self._date(request.GET.get("dari", ""))
        end = self._date(request.GET.get("sampai", ""))
        self.start, self.end = queries.period(start, end)
        self.unit_ids = frozenset(unit.descendant_ids())
        self.positions = Position.objects.filter(unit_id__in=self.unit_ids).order_by("name")
        wanted = request.GET.get("jabatan", "")
        self.position: Position | None = None
        if wanted.isdigit():
            self.position = self.positions.filter(pk=int(wanted)).first()
            if self.position is None:
                self.problems.append(_("That position is not in this unit; all positions "
                                       "are shown."))
        self.query = {"dari": self.start.isoformat(), "sampai": self.end.isoformat(),
                      **({"jabatan": str(self.position.pk)} if self.position else {})}

    def _date(self, text: str) -> dt.date | None:
        if not text:
            return None
        try:
            value = parse_date(text)
        except ValueError:
            value = None
        if value is None:
            self.problems.append(_("A date could not be read (write it as YYYY-MM-DD); the "
                                   "last twelve months are shown."))
        return value

    def filters(self, sop_id: int | None = None) -> queries.Filters:
        start, end = queries.bounds(self.start, self.end)
        return queries.Filters(self.unit_ids, start, end,
                               self.position.pk if self.position else None, sop_id)

    def querystring(self, **more: Any) -> str:
        return urlencode({**self.query, **{k: v for k, v in more.items() if v is not None}})


def _on_time_chart(rows: list[tuple[dt.date, int, int]]) -> str:
    items: list[tuple[str, float | None, str]] = [
        (date_format(month, "M y"), on / due if due else None,
         percent_text(on / due if due else None)) for month, on, due in rows]
    return charts.bars(_("On-time rate per month"), items, maximum=1.0,
                       ticks=[(0.0, "0%"), (0.5, "50%"), (1.0, "100%")], low=0.8)


def _duration_chart(counts: list[int]) -> str:
    labels = _bucket_labels()
    top = max(counts, default=0) or 1
    items: list[tuple[str, float | None, str]] = [
        (label, float(n), str(n)) for label, n in zip(labels, counts, strict=True)]
    return charts.bars(_("Tasks by working time taken"), items, maximum=float(top),
                       ticks=[(0.0, "0"), (1.0, str(top))])


def _bucket_labels() -> list[str]:
    """The bars of `queries.BUCKETS`, short enough to stand under a bar."""
    return [_("< 30 min"), _("30–60 min"), _("1–2 h"), _("2–4 h"), _("4 h–1 d"),
            _("1–2 d"), _("2–5 d"), _("≥ 5 d")]


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    ids = report_units(request.user)
    if not ids:
        raise Http404(_("Reports are for the evaluators and admins of a unit."))
    units = Unit.objects.filter(pk__in=ids).order_by("name")
    return render(request, "reports/index.html", {"units": units})


@login_required
@require_GET
def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    asked = Asked(request, unit)
    filters = asked.filters()
    figures = queries.unit_figures(filters)
    # From the rollup: quick over any number of tasks; medians are estimates (said on the page).
    steps = queries.cached("steps-rollup", filters,
                           lambda: queries.step_figures(filters, waiting=False, rollup=True))
    summary = queries.cached("summary-rollup", filters,
                             lambda: queries.summary(filters, rollup=True))
    statuses = dict(SopVersion.Status.choices)
    by_sop: dict[int, dict[str, Any]] = {}
    for figure in steps:  # one per (SOP, step) row the database returned
        row = by_sop.setdefault(figure.sop_id, {
            "name": figure.sop_name, "public_id": figure.sop_public_id, "tasks": 0,
            "on_time": 0, "with_due": 0, "slow": 0})
        row["tasks"] += figure.count
        row["on_time"] += figure.on_time
        row["with_due"] += figure.with_due
        row["slow"] += figure.state in ("slow", "very-slow")
    sops = sorted(by_sop.values(), key=lambda r: r["name"].lower())
    # One reverse() for every SOP's link (the page may list hundreds).
    sop_url = reverse("reports:sop", args=[unit.pk, _SAMPLE_UUID])
    for row in sops:
        row["rate"] = row["on_time"] / row["with_due"] if row["with_due"] else None
        row["url"] = sop_url.replace(_SAMPLE_UUID, row["public_id"])
    return render(request, "reports/dashboard.html", {
        "unit": unit, "asked": asked, "figures": figures, "totals": summary.totals,
        "sops_by_status": [(statuses.get(k, _("no version")), n)
                           for k, n in sorted(figures.sops_by_status.items())],
        "slowest": queries.slowest(steps), "sops": sops,
        "on_time_chart": mark_safe(_on_time_chart(summary.months)),
        "duration_chart": mark_safe(_duration_chart(summary.histogram)),
        "qs": asked.querystring(), "cache_minutes": queries.cache_seconds() // 60,
        "duties": unit_duties(unit, timezone.localdate()),
        "estimated": any(f.estimated for f in steps),
    })


def _sop_or_404(unit: Unit, public_id: str) -> Sop:
    return get_object_or_404(Sop, public_id=public_id, unit_id__in=unit.descendant_ids())


@login_required
@require_GET
def sop_heatmap(request: HttpRequest, pk: int, public_id: str) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    sop = _sop_or_404(unit, public_id)
    asked = Asked(request, unit)
    filters = asked.filters(sop.pk)
    version = queries.reference_version(sop)
    if version is None:
        raise Http404(_("This SOP has no version."))
    document = version.document
    measured = {f.step: f for f in queries.cached(
        "steps+wait", filters, lambda: queries.step_figures(filters))}
    standard = queries.standard_time(document).step_minutes
    rows: list[dict[str, Any]] = []
    for step in document.steps:
        figure = measured.get(step.number)
        rows.append({"number": step.number, "activity": step.activity_text,
                     "standard": standard.get(step.number), "figure": figure,
                     "state": figure.state if figure else "none"})
    marks = {f.step: HEAT[f.state] for f in measured.values() if f.state in HEAT}
    drawing = layout(document)
    labels = {row["number"]: _step_label(row) for row in rows}
    summary = queries.cached("summary", filters, lambda: queries.summary(filters))
    return render(request, "reports/sop.html", {
        "unit": unit, "sop": sop, "version": version, "asked": asked, "rows": rows,
        # Drawn by alur.render with every SOP text escaped.
        "pages": [mark_safe(_with_figures(page_svg(p, drawing, crop=True, progress=marks),
                                          labels)) for p in drawing.pages],
        "totals": summary.totals,
        "duration_chart": mark_safe(_duration_chart(summary.histogram)),
        "on_time_chart": mark_safe(_on_time_chart(summary.months)),
        "qs": asked.querystring(),
    })


def _step_label(row: dict[str, Any]) -> str:
    """A step's figures in one sentence, for its symbol's tooltip and label."""
    standard = row["standard"]
    if standard is None:
        standard_text = _("not set")
    elif standard.min == standard.max:
        standard_text = minutes_text(standard.max)
    else:
        standard_text = f"{minutes_text(standard.min)} – {minutes_text(standard.max)}"
    figure = row["figure"]
    if figure is None:
        return _("Step {number}: no task finished in this period; standard {standard}.").format(
            number=row["number"], standard=standard_text)
    return _("Step {number}: {count} tasks, median {median}, 90th percentile {p90}, standard "
             "{standard}, on time {rate}.").format(
        number=row["number"], count=figure.count, median=minutes_text(figure.median),
        p90=minutes_text(figure.p90), standard=standard_text,
        rate=percent_text(figure.on_time_rate))


# A step's symbol as alur.render.svg draws it: one empty element carrying data-step.
_SYMBOL = re.compile(r'<(rect|polygon) (class="symbol[^"]*" data-step="(\d+)"[^>]*?)/>')


def _with_figures(svg: str, labels: dict[int, str]) -> str:
    """The heat map's step symbols made focusable, each with its figures as a tooltip
    (<title>, shown on hover) and as its accessible name (read out, and shown on focus by
    reports.js)."""
    def annotate(match: re.Match[str]) -> str:
        label = labels.get(int(match.group(3)))
        if label is None:
            return match.group(0)
        return (f'<{match.group(1)} {match.group(2)} tabindex="0" role="img" '
                f'aria-label={quoteattr(label)}><title>{escape(label)}</title>'
                f'</{match.group(1)}>')
    return _SYMBOL.sub(annotate, svg)


@login_required
@require_GET
def case_list(request: HttpRequest, pk: int) -> HttpResponse:
    """The cases behind a figure: those with a task done in the period (of the SOP, step,
    position asked for; `terlambat=1`: done after its due time)."""
    unit = _unit_or_404(request, pk)
    asked = Asked(request, unit)
    sop = None
    wanted_sop = request.GET.get("sop", "")
    if wanted_sop:
        try:
            sop = _sop_or_404(unit, wanted_sop)
        except (ValueError, Http404):
            raise Http404(_("SOP not found.")) from None
    step = request.GET.get("langkah", "")
    late = request.GET.get("terlambat") == "1"
    tasks = asked.filters(sop.pk if sop else None).tasks()
    if step.isdigit():
        tasks = tasks.filter(step=int(step))
    if late:
        tasks = tasks.filter(due_at__isnull=False, done_at__gt=F("due_at"))
    cases: QuerySet[Case] = (Case.objects.filter(Exists(tasks.filter(case=OuterRef("pk"))))
                             .select_related("version", "unit", "initiator")
                             .order_by("-started_at", "-pk"))
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(request, "reports/cases.html", {
        "unit": unit, "asked": asked, "sop": sop, "step": step if step.isdigit() else "",
        "late": late, "page": page,
        "qs": asked.querystring(sop=wanted_sop or None, langkah=step or None,
                                terlambat="1" if late else None),
    })


def _export_name(sop: Sop, asked: Asked, ext: str) -> str:
    return f"log-{slugify(sop.slug)}-{asked.start:%Y%m%d}-{asked.end:%Y%m%d}.{ext}"


@login_required
@require_GET
def case_log(request: HttpRequest, pk: int, public_id: str, fmt: str) -> StreamingHttpResponse:
    """The case log of one SOP and period, streamed: XES for process-mining tools, or CSV that
    people open in a spreadsheet, so its text cells go through `csv_safe` (export.csv_lines)."""
    unit = _unit_or_404(request, pk)
    sop = _sop_or_404(unit, public_id)
    asked = Asked(request, unit)
    filters = asked.filters(sop.pk)
    if fmt == "xes":
        version = queries.reference_version(sop)
        name = version.name if version else sop.slug
        response = StreamingHttpResponse(export.xes(filters, name),
                                         content_type="application/xml; charset=utf-8")
    elif fmt == "csv":
        response = StreamingHttpResponse(export.csv_lines(filters),
                                         content_type="text/csv; charset=utf-8")
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{_export_name(sop, asked, fmt)}"'
    return response

