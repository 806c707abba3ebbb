"""The monitoring pages: the list of forms and a new one, the form itself (edit, findings,
paraf, evidence, finalise), its downloads, and the agency-wide recap of a semester."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.db import IntegrityError
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ..library.models import Sop
from ..org.models import Unit
from ..reports.access import evaluator_units, report_units
from . import documents, services
from .forms import EvidenceForm, FindingForm, NewForm, RowFormSet
from .models import Evidence, Judgement, MonitoringForm, MonitoringRow, semester_of
from .models import previous_semester as before


def _periods(today: dt.date) -> list[tuple[int, int]]:
    """The semesters a form can be made for: the running one and the one just ended."""
    current = semester_of(today)
    return [current, before(*current)]


def _account(request: HttpRequest) -> User:
    """The signed-in account (every view here requires one)."""
    user = request.user
    assert isinstance(user, User), "login_required lets only accounts in"
    return user


def _visible(request: HttpRequest, pk: int) -> MonitoringForm:
    form = get_object_or_404(MonitoringForm.objects.select_related("unit"), pk=pk)
    if form.unit_id not in report_units(request.user):
        raise Http404(_("Monitoring form not found."))
    return form


def _editable(request: HttpRequest, form: MonitoringForm) -> bool:
    return not form.final and form.unit_id in evaluator_units(request.user)


def _refused(request: HttpRequest, form: MonitoringForm) -> HttpResponse | None:
    """The answer to a change asked of a form the user may not change (None: go ahead)."""
    if form.unit_id not in evaluator_units(request.user):
        raise Http404(_("Monitoring form not found."))
    if form.final:
        messages.error(request, _("This form is final: it can no longer be changed."))
        return _page(request, form, status=409)
    return None


@login_required
def index(request: HttpRequest) -> HttpResponse:
    readable = report_units(request.user)
    if not readable:
        raise Http404(_("Monitoring is for the evaluators and admins of a unit."))
    fillable = Unit.objects.filter(pk__in=evaluator_units(request.user)).order_by("name")
    periods = _periods(timezone.localdate())
    asked = {"unit": request.GET.get("unit", ""), "period": request.GET.get("periode", "")}
    new = NewForm(request.POST or None, units=fillable, periods=periods,
                  initial={k: v for k, v in asked.items() if v})
    if request.method == "POST" and new.is_valid():
        unit = new.cleaned_data["unit"]
        year, semester = new.cleaned_data["period"]
        existing = MonitoringForm.objects.filter(unit=unit, year=year,
                                                 semester=semester).first()
        if existing is not None:
            messages.info(request, _("This unit's form for that semester exists already."))
            return redirect("monitoring:form", existing.pk)
        try:
            made = services.create_form(unit, year, semester, _account(request))
        except IntegrityError:  # made by someone else a moment ago
            made = MonitoringForm.objects.get(unit=unit, year=year, semester=semester)
        messages.success(request, _("The form is made and proposed from the semester's data: "
                                    "check every row, initial it and finalise."))
        return redirect("monitoring:form", made.pk)
    forms = (MonitoringForm.objects.filter(unit_id__in=readable).select_related("unit")
             .annotate(not_well=Count("rows", filter=Q(rows__judgement=Judgement.TIDAK_BAIK)),
                       row_count=Count("rows")))
    status = 400 if request.method == "POST" else 200  # a POST that got here was refused
    return render(request, "monitoring/index.html", {
        "forms": forms, "new": new if fillable else None}, status=status)


def _page(request: HttpRequest, form: MonitoringForm, *, rows: Any = None,
          finding: FindingForm | None = None, evidence: EvidenceForm | None = None,
          status: int = 200) -> HttpResponse:
    editable = _editable(request, form)
    sops = Sop.objects.filter(pk__in=form.rows.exclude(sop=None).values("sop"))
    queryset = form.rows.select_related("previous__form").prefetch_related("evidence")
    if editable and rows is None:
        rows = RowFormSet(queryset=queryset, prefix="baris")
    return render(request, "monitoring/form.html", {
        "form": form, "editable": editable, "rows": rows,
        "plain_rows": queryset, "previous": form.rows.exclude(previous_action="").exists(),
        "finding": finding or FindingForm(sops=sops, prefix="temuan"),
        "evidence_form": evidence or EvidenceForm(form=form, prefix="bukti"),
        "evidence": form.evidence.select_related("row"),
        "missing": services.missing(form) if editable else [],
        "threshold": round(form.threshold * 100)}, status=status)


@login_required
def form_page(request: HttpRequest, pk: int) -> HttpResponse:
    form = _visible(request, pk)
    if request.method != "POST":
        return _page(request, form)
    refused = _refused(request, form)
    if refused:
        return refused
    rows = RowFormSet(request.POST, queryset=form.rows.all(), prefix="baris")
    valid = rows.is_valid()
    if rows.total_form_count() != form.rows.count() or any(
            f.instance.pk is None for f in rows.forms):
        # Not the rows of this form (a stale page, a tampered post): show them as stored.
        messages.error(request, _("The rows sent are not those of this form (was the page "
                                  "open for long?). They are shown again as stored."))
        return _page(request, form, status=400)
    if not valid:
        messages.error(request, _("Some cells could not be saved: see the messages next to "
                                  "them."))
        return _page(request, form, rows=rows, status=400)
    saved = rows.save(commit=False)
    changed = {f.instance.pk: set(f.changed_data) for f in rows.forms}
    services.save_rows(form, saved, changed)
    wanted = request.POST.get("paraf", "")
    if wanted.isdigit():  # the row's "Initial" button: saved above, initialled now
        item = _row(form, int(wanted))
        try:
            services.initial(item, _account(request))
        except services.NotReady as problem:
            messages.error(request, str(problem))
            return redirect(f"{form_url(form)}#baris-{item.pk}")
        messages.success(request, _("Row %(n)s is initialled.") % {"n": item.number})
        return redirect(f"{form_url(form)}#baris-{item.pk}")
    messages.success(request, _("The form is saved."))
    return redirect("monitoring:form", form.pk)


@login_required
@require_POST
def refresh(request: HttpRequest, pk: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    done = services.refresh(form)
    messages.success(request, _(
        "Proposed again from the data so far: %(updated)s rows updated, %(added)s new rows; "
        "%(kept)s rows you changed or initialled were left as they are.") % {
        "updated": done.updated, "added": done.added, "kept": done.kept})
    return redirect("monitoring:form", form.pk)


@login_required
@require_POST
def add_finding(request: HttpRequest, pk: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    sops = Sop.objects.filter(pk__in=form.rows.exclude(sop=None).values("sop"))
    finding = FindingForm(request.POST, sops=sops, prefix="temuan")
    if not finding.is_valid():
        return _page(request, form, finding=finding, status=400)
    services.add_finding(form, **finding.cleaned_data)
    messages.success(request, _("The finding is added as a row."))
    return redirect("monitoring:form", form.pk)


def _row(form: MonitoringForm, row: int) -> MonitoringRow:
    return get_object_or_404(MonitoringRow, form=form, pk=row)


@login_required
@require_POST
def initial(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    item = _row(form, row)
    try:
        services.initial(item, _account(request))
    except services.NotReady as problem:
        messages.error(request, str(problem))
        return _page(request, form, status=400)
    messages.success(request, _("Row %(n)s is initialled.") % {"n": item.number})
    return redirect(f"{form_url(form)}#baris-{item.pk}")


@login_required
@require_POST
def remove(request: HttpRequest, pk: int, row: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    try:
        services.remove_finding(_row(form, row))
    except services.NotReady as problem:
        messages.error(request, str(problem))
        return _page(request, form, status=400)
    messages.success(request, _("The finding is removed."))
    return redirect("monitoring:form", form.pk)


@login_required
@require_POST
def attach(request: HttpRequest, pk: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    upload = EvidenceForm(request.POST, request.FILES, form=form, prefix="bukti")
    if not upload.is_valid():
        return _page(request, form, evidence=upload, status=400)
    services.attach(form, upload.cleaned_data["row"], upload.cleaned_data["file"],
                    upload.cleaned_data["label"], _account(request))
    messages.success(request, _("The file is attached."))
    return redirect(f"{form_url(form)}#bukti")


@login_required
@require_GET
def evidence_file(request: HttpRequest, public_id: str) -> FileResponse:
    item = get_object_or_404(Evidence.objects.select_related("form"), public_id=public_id)
    if item.form.unit_id not in report_units(request.user):
        raise Http404(_("File not found."))
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


@login_required
@require_POST
def remove_evidence(request: HttpRequest, public_id: str) -> HttpResponse:
    item = get_object_or_404(Evidence.objects.select_related("form__unit"),
                             public_id=public_id)
    if item.form.unit_id not in report_units(request.user):
        raise Http404(_("File not found."))
    refused = _refused(request, item.form)
    if refused:
        return refused
    services.remove_evidence(item)
    messages.success(request, _("The file is removed."))
    return redirect(f"{form_url(item.form)}#bukti")


@login_required
@require_POST
def finalise(request: HttpRequest, pk: int) -> HttpResponse:
    form = _visible(request, pk)
    refused = _refused(request, form)
    if refused:
        return refused
    try:
        services.finalise(form, _account(request))
    except services.NotReady as problem:
        messages.error(request, _("The form cannot be finalised yet. %(why)s")
                       % {"why": problem})
        return _page(request, form, status=400)
    messages.success(request, _("The form is final: it is kept as it is now."))
    return redirect("monitoring:form", form.pk)


def form_url(form: MonitoringForm) -> str:
    return reverse("monitoring:form", args=[form.pk])


@login_required
@require_GET
def download(request: HttpRequest, pk: int, kind: str) -> HttpResponse:
    form = _visible(request, pk)
    name = documents.file_name(form)
    if kind == "pdf":
        response = HttpResponse(documents.pdf(form), content_type="application/pdf")
    elif kind == "docx":
        response = HttpResponse(documents.docx(form), content_type=documents.DOCX_TYPE)
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{name}.{kind}"'
    return response


def _recap_period(request: HttpRequest) -> tuple[int, int, list[str]]:
    problems = []
    year, semester = semester_of(timezone.localdate())
    text_year, text_semester = request.GET.get("tahun", ""), request.GET.get("semester", "")
    if text_year or text_semester:
        if (text_year.isdigit() and 2000 <= int(text_year) <= 2100
                and text_semester in ("1", "2")):
            year, semester = int(text_year), int(text_semester)
        else:
            problems.append(_("The year or semester could not be read; the current semester "
                              "is shown."))
    return year, semester, problems


@login_required
@require_GET
def recap(request: HttpRequest, kind: str = "") -> HttpResponse:
    readable = report_units(request.user)
    if not readable:
        raise Http404(_("Monitoring is for the evaluators and admins of a unit."))
    year, semester, problems = _recap_period(request)
    lines = documents.recap_lines(readable, year, semester)
    if kind == "xlsx":
        response = HttpResponse(documents.recap_xlsx(lines, year, semester),
                                content_type=documents.XLSX_TYPE)
        response["Content-Disposition"] = (
            f'attachment; filename="rekap-pemantauan-{year}-{semester}.xlsx"')
        return response
    this_year = timezone.localdate().year
    return render(request, "monitoring/recap.html", {
        "lines": lines, "year": year, "semester": semester, "problems": problems,
        "roman": "I" if semester == 1 else "II",
        "years": list(range(this_year, this_year - 6, -1))})
