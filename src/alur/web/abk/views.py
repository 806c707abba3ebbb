"""The ABK page of a unit: parameters (GET), the yearly volume of each SOP (POST, for the
unit's evaluators, admins and head), the figures per position and the XLSX download. Read by
whoever may read the unit's reports (`reports.access.report_units`)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alur.analysis import GRADE_BANDS_NOTE
from alur.i18n import _ as core_gettext

from ..org.models import AnyUser, Unit
from ..reports.access import evaluator_units, head_units, report_units
from . import services, xlsx
from .forms import ParamsForm, VolumesForm

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def volume_units(user: AnyUser) -> set[int]:
    """The units whose SOP volumes the user may enter: evaluators, admins, the unit's head."""
    return evaluator_units(user) | head_units(user)


def _unit_or_404(request: HttpRequest, pk: int) -> Unit:
    unit = get_object_or_404(Unit, pk=pk)
    if unit.pk not in report_units(request.user):
        raise Http404(_("Unit not found."))
    return unit


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    ids = report_units(request.user)
    if not ids:
        raise Http404(_("The workload analysis is for the evaluators, admins and heads of a "
                        "unit."))
    return render(request, "abk/index.html",
                  {"units": Unit.objects.filter(pk__in=ids).order_by("name")})


@login_required
@require_http_methods(["GET", "POST"])
def unit_page(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    today = timezone.localdate()
    asked = ParamsForm(request.GET, today=today)
    params = asked.params()
    query = urlencode(asked.query(params))
    may_enter = unit.pk in volume_units(request.user)
    lines = services.sop_lines(unit, params.year, today)
    volumes = VolumesForm(lines=lines)
    status = 200
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied
        volumes = VolumesForm(request.POST, lines=lines)
        if volumes.is_valid():
            with transaction.atomic():
                services.save_volumes(lines, params.year, volumes.chosen(), request.user)
            messages.success(request, _("The yearly volumes for {year} were saved.").format(
                year=params.year))
            return redirect(reverse("abk:unit", args=[unit.pk]) + "?" + query)
        messages.error(request, _("Some volumes could not be saved: see the messages next to "
                                  "the fields."))
        status = 400
    abk = services.unit_abk(unit, params, today, lines)
    return render(request, "abk/unit.html", {
        "unit": unit, "abk": abk, "asked": asked, "query": query, "volumes": volumes,
        "may_enter": may_enter, "grade_note": core_gettext(GRADE_BANDS_NOTE),
        "params_wrong": bool(asked.errors),
        "headings": xlsx.headings()}, status=status)


@login_required
@require_GET
def unit_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    unit = _unit_or_404(request, pk)
    today = timezone.localdate()
    asked = ParamsForm(request.GET, today=today)
    params = asked.params()
    if asked.errors:  # the page shows what is wrong, next to the field
        return redirect(reverse("abk:unit", args=[unit.pk]) + "?" + request.GET.urlencode())
    data = xlsx.workbook(services.unit_abk(unit, params, today))
    response = HttpResponse(data, content_type=XLSX_TYPE)
    name = f"abk-{slugify(unit.name)[:60] or unit.pk}-{params.year}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
