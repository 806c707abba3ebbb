"""The evaluation pages: the list of SOPs due and of evaluations done (`/evaluasi/`), an SOP's
evaluation of the year (the seven criteria beside the evidence), and its PDF once final.
Only the evaluators (and admins) of the SOP's unit see them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from alur.render.pdf import html_to_pdf

from ..library.models import Sop, SopVersion
from ..org.models import Membership, units_where
from ..reports.access import evaluator_units, report_units
from . import due, services
from .criteria import CRITERIA
from .evidence import evidence
from .forms import EvaluationForm
from .models import Evaluation

PAGE_SIZE = 50
# The printed evaluation's stylesheet (pages served to browsers hold no <style>: the
# Content-Security-Policy forbids it, and a test checks every template).
STYLESHEET = Path(__file__).with_name("document.css")


@login_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    units = evaluator_units(request.user)
    today = timezone.localdate()
    listed = due.due_list(units, today) if units else []
    current = services.evaluations_for([d.sop_id for d in listed], today.year)
    rows = [{"due": d, "overdue": d.overdue(today), "revision_ahead": d.revision_ahead(today),
             "current": current.get(d.sop_id)} for d in listed]
    done = (Evaluation.objects.filter(sop__unit_id__in=units, finalised_at__isnull=False)
            .select_related("version", "sop__unit", "draft").order_by("-finalised_at", "-pk"))
    ongoing = (Evaluation.objects.filter(sop__unit_id__in=units, finalised_at__isnull=True)
               .select_related("version", "sop__unit").order_by("-updated_at"))
    return render(request, "evaluation/index.html", {
        "evaluator": bool(units), "page": Paginator(rows, PAGE_SIZE).get_page(
            request.GET.get("hal")),
        "total_due": len(rows), "done": done[:PAGE_SIZE], "done_total": done.count(),
        "ongoing": ongoing[:PAGE_SIZE], "months": due.interval_months(), "today": today})


def _sop_or_404(request: HttpRequest, public_id: str) -> Sop:
    sop = get_object_or_404(Sop.objects.select_related("unit"), public_id=public_id)
    if sop.unit_id not in evaluator_units(request.user):
        raise Http404(_("SOP not found."))
    return sop


def _readers(request: HttpRequest) -> set[int]:
    """Units whose finalised evaluations the user may read: the evaluators', and the
    authors' and approvers' who act on the result (revise, revoke)."""
    return (evaluator_units(request.user) | units_where(request.user, Membership.Role.PENYUSUN)
            | units_where(request.user, Membership.Role.PENGESAH))


def _evaluation_or_404(request: HttpRequest, public_id: str) -> Evaluation:
    """The evaluation, if the user may see it: an evaluator of its unit; once final, also its
    authors and approvers (read only)."""
    evaluation = get_object_or_404(
        Evaluation.objects.select_related("sop__unit", "version", "draft", "finalised_by"),
        public_id=public_id)
    unit = evaluation.sop.unit_id
    if unit not in evaluator_units(request.user) and not (
            evaluation.final and unit in _readers(request)):
        raise Http404(_("Evaluation not found."))
    return evaluation


@login_required
@require_http_methods(["GET", "POST"])
def for_sop(request: HttpRequest, public_id: str) -> HttpResponse:
    """This year's evaluation of an SOP: the one begun already, or a new form (saved into an
    evaluation on its first POST)."""
    sop = _sop_or_404(request, public_id)
    today = timezone.localdate()
    existing = Evaluation.objects.filter(sop=sop, year=today.year).first()
    if existing is not None:
        return redirect("evaluation:detail", existing.public_id)
    version = sop.in_force(today)
    if version is None:
        messages.error(request, _("This SOP has no version in force, so there is nothing to "
                                  "evaluate."))
        return redirect("evaluation:index")
    return _form_page(request, sop, version, None)


@login_required
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    evaluation = _evaluation_or_404(request, public_id)
    if evaluation.final and request.method == "POST":
        messages.error(request, _("This evaluation is finalised and can no longer be "
                                  "changed."))
        return redirect("evaluation:detail", evaluation.public_id)
    return _form_page(request, evaluation.sop, evaluation.version, evaluation)


def _form_page(request: HttpRequest, sop: Sop, version: SopVersion,
               evaluation: Evaluation | None) -> HttpResponse:
    answers = services.answers_of(evaluation)
    proposal = services.propose({n: a.meets for n, a in answers.items()})
    if request.method == "POST":
        finalising = "finalisasi" in request.POST
        form = EvaluationForm(request.POST, finalising=finalising)
        if form.is_valid():
            return _save(request, sop, version, evaluation, form, finalising)
        proposal = services.propose(form.meets() if hasattr(form, "cleaned_data") else {})
        messages.error(request, _("The evaluation was not saved: see the notes next to the "
                                  "fields."))
    else:
        form = EvaluationForm(initial=EvaluationForm.initial_from(evaluation, answers,
                                                                  proposal.result))
    today = timezone.localdate()
    start, end = ((evaluation.period_start, evaluation.period_end) if evaluation
                  else services.period_for(today))
    return render(request, "evaluation/detail.html", {
        "sop": sop, "version": version, "evaluation": evaluation, "form": form,
        "answers": [(number, text, answers.get(number)) for number, text in CRITERIA],
        "proposal": proposal, "evidence": evidence(sop, start, end), "start": start,
        "end": end, "year": evaluation.year if evaluation else today.year,
        "results": dict(Evaluation.Result.choices),
        # authors and approvers read a final evaluation; the report pages are not theirs
        "can_report": sop.unit_id in report_units(request.user),
        "open_draft": sop.versions.filter(status__in=SopVersion.OPEN_STATUSES).first(),
    })


def _save(request: HttpRequest, sop: Sop, version: SopVersion, evaluation: Evaluation | None,
          form: EvaluationForm, finalising: bool) -> HttpResponse:
    if evaluation is None:
        evaluation = services.begin(sop, version, request.user)
    try:
        services.save_answers(evaluation, form.answers(), form.cleaned_data["result"],
                              form.cleaned_data["reason"].strip())
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("evaluation:detail", evaluation.public_id)
    if not finalising:
        messages.success(request, _("Evaluation saved. Finalise it when every criterion is "
                                    "answered."))
        return redirect("evaluation:detail", evaluation.public_id)
    try:
        outcome = services.finalise(evaluation, request.user)
    except ValueError as error:
        messages.error(request, str(error))
        return redirect("evaluation:detail", evaluation.public_id)
    messages.success(request, _("Evaluation finalised."))
    if outcome.draft is not None:
        text = (_("Draft version %(number)s was created for the unit's authors to revise.")
                if outcome.draft_created else
                _("The SOP already had an open version (%(number)s); the evaluation is "
                  "linked to it instead of creating another."))
        messages.info(request, text % {"number": outcome.draft.number})
    if outcome.notified:
        messages.info(request, _("%(n)s people were notified.") % {"n": outcome.notified})
    return redirect("evaluation:detail", evaluation.public_id)


@login_required
@require_GET
def pdf(request: HttpRequest, public_id: str) -> HttpResponse:
    evaluation = _evaluation_or_404(request, public_id)
    if not evaluation.final:
        messages.error(request, _("The PDF is available once the evaluation is finalised."))
        return redirect("evaluation:detail", evaluation.public_id)
    answers = services.answers_of(evaluation)
    context: dict[str, Any] = {
        "evaluation": evaluation, "sop": evaluation.sop, "version": evaluation.version,
        "answers": [(number, text, answers.get(number)) for number, text in CRITERIA],
        "results": dict(Evaluation.Result.choices),
        "organization": evaluation.version.document.organization,
        "stylesheet": mark_safe(  # our own file, no user text
            "<style>" + STYLESHEET.read_text(encoding="utf-8") + "</style>"),
    }
    body = html_to_pdf(render_to_string("evaluation/pdf.html", context, request=request))
    response = HttpResponse(body, content_type="application/pdf")
    name = slugify(f"evaluasi-{evaluation.version.name}-{evaluation.year}")[:80] or "evaluasi"
    response["Content-Disposition"] = f'attachment; filename="{name}.pdf"'
    return response
