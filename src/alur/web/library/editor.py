"""The SOP editor: identity fields and the steps table in a form, or the YAML itself; the
flowchart and the checker's findings follow as you type (htmx posts the form to `preview`).

A failed save never loses what was typed: the form comes back with the values as submitted
and the messages. Only drafts can be edited; an approved version starts a new draft.

Every page carries the draft's revision (a hash of its content, `revision_of`) and the content
it was drawn from; a save whose revision is no longer the draft's is refused (409) rather than
overwriting someone else's save, and the page comes back with what was typed, what the other
save changed, and the new revision (so saving again is a deliberate choice).
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from alur.render import layout
from alur.render.svg import page_svg
from alur.sop import Sop as SopModel
from alur.sop import check, dumps_yaml, loads, to_data
from alur.sop.codes import FORMAT_SYNTAX
from alur.sop.findings import Finding, Severity

from . import review
from .editor_changes import changes
from .editor_forms import (
    KIND_LABELS,
    LISTS,
    EditorForms,
    form_fields,
    revision_of,
    without_location,
)
from .models import SopVersion
from .permissions import can_write

__all__ = ["KIND_LABELS", "LISTS", "edit", "form_fields", "preview"]  # others import these here


def _context(version: SopVersion, forms: EditorForms, *,
             errors: list[Finding] | None = None, yaml_text: str | None = None,
             tab: str = "formulir", conflict: list[str] | None = None) -> dict[str, Any]:
    """The page: the forms (bound after a failed save, so what was typed stays), the messages
    for the box above them, the YAML tab, and the revision the page starts from."""
    name = forms.identity["name"].value() or version.document.id
    forms.mark_invalid()
    notes = review.notes_for(version)
    return {"version": version, "sop": version.sop, "title": name, "forms": forms,
            "identity": forms.identity, "actors": forms.actors, "steps": forms.steps,
            "actor_columns": forms.steps.actor_choices,
            "colspan": len(forms.steps.actor_choices) + 7,
            "errors": errors or [], "tab": tab, "conflict": conflict,
            "has_field_errors": bool(errors) and len(forms.unplaced) < len(errors or []),
            "advanced_open": any(f.errors.get("id") for f in forms.actors.forms),
            "revision": revision_of(version.content),
            "base": json.dumps(version.content, ensure_ascii=False, separators=(",", ":")),
            "yaml_text": yaml_text if yaml_text is not None else dumps_yaml(version.document),
            "review_notes": notes, "review_places": review.notes_by_place(notes)}


def _yaml_errors(findings: list[Finding]) -> list[Finding]:
    """The YAML tab's messages for people: a text that cannot be read at all says what to look
    for (the line is selected in the text box, not named); the model's messages lose their key
    path."""
    shown = []
    for finding in findings:
        if finding.code == FORMAT_SYNTAX.code:
            message = _("The YAML text cannot be read: check the brackets, colons and "
                        "indentation around the selected line.")
        else:
            message = without_location(finding.message)
        shown.append(finding.model_copy(update={"message": message}))
    return shown


def _form_errors(forms: EditorForms) -> list[Finding]:
    """Every message of the forms, for the box above the form and the preview's list."""
    return [Finding(severity=Severity.ERROR, code="", message=m) for m in forms.errors()]


def _posted(version: SopVersion, request: HttpRequest) -> tuple[EditorForms, SopModel | None]:
    """The forms bound to the post and the SOP they make, or None when a field is wrong
    (each message then sits next to its field). A forged form count cannot be shown row by
    row, so the page comes back as the version is, with the formset's message."""
    forms = EditorForms(version.document, request.POST)
    if not forms.is_valid():
        if forms.forged_counts():
            fresh = EditorForms(version.document)
            fresh.unplaced = forms.errors()
            return fresh, None
        return forms, None
    document, _findings = forms.validate()
    return forms, document


def _editable(request: HttpRequest, public_id: str) -> SopVersion:
    version = get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                                public_id=public_id)
    if not can_write(request.user, version.sop):
        raise PermissionDenied
    return version


@login_required
def edit(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _editable(request, public_id)
    if version.status != SopVersion.Status.DRAFT:
        messages.error(request, _("Only drafts can be edited; create a new version first."))
        return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")
    if request.method != "POST":
        return render(request, "library/editor.html",
                      _context(version, EditorForms(version.document)))
    yaml_mode = request.POST.get("mode") == "yaml"
    if yaml_mode:
        text = request.POST.get("yaml", "")
        result = loads(text)
        if result.sop is None:
            return render(request, "library/editor.html", _context(
                version, EditorForms(version.document), errors=_yaml_errors(result.findings),
                yaml_text=text, tab="yaml"), status=400)
        document = result.sop
        forms = EditorForms(version.document)
    else:
        forms, posted = _posted(version, request)
        if posted is None:
            return render(request, "library/editor.html",
                          _context(version, forms, errors=_form_errors(forms)), status=400)
        document = posted
    if document.id != version.document.id:
        document = document.model_copy(update={"id": version.document.id})
        messages.warning(request, _("The SOP id cannot be changed here; the old id was kept."))
    with transaction.atomic():
        current = SopVersion.objects.select_for_update().select_related("sop__unit").get(
            pk=version.pk)
        if current.status != SopVersion.Status.DRAFT:  # submitted meanwhile
            messages.error(request, _("Only drafts can be edited; create a new version first."))
            return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")
        started = request.POST.get("revision")
        if started is not None and started != revision_of(current.content):
            return _conflict(request, current, forms, to_data(document, full=True),
                             yaml_text=text if yaml_mode else None)
        current.set_document(document)
        current.save()
    errors = [f for f in check(document) if f.severity == "error"]
    saved = _("Draft saved.")
    if errors:
        saved += " " + ngettext("There is still %(count)d error; see the check results.",
                                "There are still %(count)d errors; see the check results.",
                                len(errors)) % {"count": len(errors)}
    messages.success(request, saved)
    return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")


def _conflict(request: HttpRequest, current: SopVersion, forms: EditorForms,
              posted: dict[str, Any], *, yaml_text: str | None) -> HttpResponse:
    """The draft was saved by someone else since this page was opened: nothing is written;
    the page comes back with what was typed, the other save's changes, and the draft's new
    revision."""
    try:
        base = json.loads(request.POST.get("base", ""))
    except ValueError:
        base = None
    if not isinstance(base, dict) or revision_of(base) != request.POST.get("revision"):
        base = posted  # the page's copy is missing or damaged: compare with what was posted
    changed = changes(base, current.content)
    return render(request, "library/editor.html", _context(
        current, forms, yaml_text=yaml_text, tab="yaml" if yaml_text is not None else "formulir",
        conflict=changed), status=409)


@login_required
@require_POST
def preview(request: HttpRequest, public_id: str) -> HttpResponse:
    """The flowchart and findings for what is in the form now (an htmx fragment)."""
    version = _editable(request, public_id)
    if request.POST.get("mode") == "yaml":
        result = loads(request.POST.get("yaml", ""))
        document, findings = result.sop, _yaml_errors(result.findings)
    else:
        forms, document = _posted(version, request)
        findings = _form_errors(forms)
    pages: list[str] = []
    unhonoured: list[int] = []
    if document is not None:
        findings = check(document)
        drawing = layout(document)
        pages = [mark_safe(page_svg(p, drawing, crop=True)) for p in drawing.pages]
        unhonoured = drawing.unhonoured
    return render(request, "library/editor_preview.html", {
        "pages": pages, "findings": [(f.severity.label, f) for f in findings],
        "unhonoured": unhonoured})
