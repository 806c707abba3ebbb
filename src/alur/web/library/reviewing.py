"""The Peninjau's page: read a submitted SOP, write notes on its steps and identity fields,
give it its number and record the result (review.py does the rest); and the Berita Acara Hasil
Reviu, drawn as a PDF from the review record whenever it is asked for, so it always says what
the record says."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from alur.render.html import identity_sheet
from alur.render.pdf import html_to_pdf
from alur.sop import Sop as SopModel

from ..evaluation.views import STYLESHEET
from . import review
from .editor_forms import LISTS, IdentityForm
from .models import Review, SopVersion
from .permissions import can_review

STEP_PREFIX, FIELD_PREFIX = "langkah_", "isian_"


def identity_labels() -> dict[str, str]:
    """The identity fields a note can be on (the editor's, dates aside), with their labels."""
    return {name: str(field.label) for name, field in IdentityForm.base_fields.items()
            if not name.startswith("date_")} | {key: str(label) for key, label in LISTS}


class ReviewForm(forms.Form):
    """The result, the general notes, the number, and one optional note per step and per
    identity field (named `langkah_<n>` and `isian_<field>`)."""

    result = forms.ChoiceField(label=gettext_lazy("Result"), choices=Review.Result.choices,
                               widget=forms.RadioSelect)
    sop_number = forms.CharField(
        label=gettext_lazy("SOP number"), required=False, max_length=120,
        help_text=gettext_lazy("Proposed from the agency's numbering pattern; change it if "
                               "needed. It is printed once the SOP is approved."))
    summary = forms.CharField(label=gettext_lazy("General notes"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, document: SopModel, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.step_numbers = [s.number for s in document.steps]
        for number in self.step_numbers:
            self.fields[f"{STEP_PREFIX}{number}"] = forms.CharField(
                required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                label=_("Note on step %(step)s") % {"step": number})
        self.field_labels = identity_labels()
        for name, label in self.field_labels.items():
            self.fields[f"{FIELD_PREFIX}{name}"] = forms.CharField(
                required=False, max_length=2000, label=label,
                widget=forms.Textarea(attrs={"rows": 1}))

    def step_fields(self) -> list[forms.BoundField]:
        return [self[f"{STEP_PREFIX}{n}"] for n in self.step_numbers]

    def identity_fields(self) -> list[forms.BoundField]:
        return [self[f"{FIELD_PREFIX}{name}"] for name in self.field_labels]

    def notes(self) -> list[review.Note]:
        data = self.cleaned_data
        return [*(review.Note(data[f"{STEP_PREFIX}{n}"], step=n) for n in self.step_numbers
                  if data.get(f"{STEP_PREFIX}{n}", "").strip()),
                *(review.Note(data[f"{FIELD_PREFIX}{name}"], field=name)
                  for name in self.field_labels
                  if data.get(f"{FIELD_PREFIX}{name}", "").strip())]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("result") == Review.Result.PERBAIKAN and not self.errors \
                and not self.notes() and not data.get("summary", "").strip():
            self.add_error("summary", _("Say what must be corrected: write a note on a step "
                                        "or field, or a general note."))
        return data


def _version(public_id: str) -> SopVersion:
    return get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                             public_id=public_id)


def _back(version: SopVersion) -> str:
    return reverse("library:detail", args=[version.sop.public_id]) + \
        f"?versi={version.public_id}"


@login_required
@require_http_methods(["GET", "POST"])
def review_page(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    if not can_review(request.user, version.sop):
        raise PermissionDenied
    if version.status != SopVersion.Status.REVIU:
        messages.error(request, _("Only versions waiting for review can be reviewed."))
        return redirect(_back(version))
    document = version.document
    names = {a.id: a.name or a.id for a in document.actors}
    form = ReviewForm(request.POST or None, document=document,
                      initial={"sop_number": review.suggested_number(version)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        record = review.record(version, request.user, data["result"],
                               summary=data["summary"], notes=form.notes(),
                               sop_number=data["sop_number"])
        if record.result == Review.Result.SESUAI:
            messages.success(request, _("Version %(number)s reviewed as compliant and sent to "
                                        "the approver.") % {"number": version.number})
        else:
            messages.success(request, _("Version %(number)s returned to the author with the "
                                        "review notes.") % {"number": version.number})
        return redirect(_back(version))
    return render(request, "library/review.html", {
        "version": version, "sop": version.sop, "back": _back(version), "form": form,
        "identity": mark_safe(identity_sheet(document)),  # rendered with every text escaped
        "steps": [(step, field, [names.get(a, a) for a in step.actors])
                  for step, field in zip(document.steps, form.step_fields(), strict=True)],
        "earlier": version.reviews.prefetch_related("notes").order_by("-at", "-pk"),
    }, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def berita_acara(request: HttpRequest, public_id: str, review_id: int) -> HttpResponse:
    """The Berita Acara Hasil Reviu of a compliant review, as a PDF."""
    version = _version(public_id)
    record = version.reviews.filter(pk=review_id, result=Review.Result.SESUAI).first()
    if record is None:
        raise Http404(_("No such review record."))
    document = version.issued_document()  # its agency heading from the unit when it has none
    labels = identity_labels()
    body = html_to_pdf(render_to_string("library/berita_acara.html", {
        "review": record, "version": version, "sop": version.sop, "document": document,
        "organization": document.organization,
        "notes": [(n, labels.get(n.field, n.field)) for n in record.notes.all()],
        "stylesheet": mark_safe(  # our own file, no user text
            "<style>" + STYLESHEET.read_text(encoding="utf-8") + "</style>"),
        "now": timezone.localtime(record.at),
    }, request=request))
    response = HttpResponse(body, content_type="application/pdf")
    name = slugify(f"berita-acara-reviu-{version.name}-v{version.number}")[:90]
    response["Content-Disposition"] = f'attachment; filename="{name or "berita-acara"}.pdf"'
    return response
