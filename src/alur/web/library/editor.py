"""The SOP editor: identity fields and the steps table in a form, or the YAML itself; the
flowchart and the checker's findings follow as you type (htmx posts the form to `preview`).

A failed save never loses what was typed: the form comes back with the values as submitted
and the messages. Only drafts can be edited; an approved version starts a new draft.
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from alur.render import layout
from alur.render.svg import page_svg
from alur.sop import Sop as SopModel
from alur.sop import check, dumps_yaml, from_data, loads, to_data
from alur.sop.findings import Finding
from alur.sop.model import STEP_KINDS

from .models import SopVersion
from .permissions import can_write

LISTS = [("legal_basis", gettext_lazy("Legal basis")),
         ("qualifications", gettext_lazy("Actor qualifications")),
         ("related", gettext_lazy("Related SOPs")),
         ("equipment", gettext_lazy("Equipment")),
         ("warnings", gettext_lazy("Warnings")),
         ("records", gettext_lazy("Records and data keeping"))]
KIND_LABELS = {"start": gettext_lazy("Start"), "process": gettext_lazy("Process"),
               "decision": gettext_lazy("Decision"), "end": gettext_lazy("End")}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.replace("\r", "").split("\n") if line.strip()]


def _number(text: str) -> int | str | None:
    text = text.strip()
    if not text:
        return None
    return int(text) if text.isdigit() else text  # non-numbers reach the model's message


def document_from_form(post: QueryDict, base: SopModel) -> dict[str, Any]:
    """The form's fields as `alur-sop/1` data; fields the form does not show (sections,
    provenance) come from the version being edited."""
    data = to_data(base, full=True)
    data["name"] = post.get("name", "").strip()
    data["number"] = post.get("number", "").strip()
    data["organization"] = _lines(post.get("organization", ""))
    data["dates"] = {key: post.get(f"date-{key}", "").strip() or None
                     for key in ("created", "revised", "effective")}
    data["approved_by"] = {key: post.get(f"approver-{key}", "").strip()
                           for key in ("title", "name", "nip")}
    for key, _label in LISTS:
        data[key] = _lines(post.get(key, ""))
    data["actors"] = [{"id": i.strip(), "name": n.strip()} for i, n in
                      zip(post.getlist("actor-id"), post.getlist("actor-name"), strict=False)
                      if i.strip() or n.strip()]
    steps = []
    for key in post.getlist("step-key"):
        field = lambda name, key=key: post.get(f"step-{key}-{name}", "")  # noqa: E731
        extra = json.loads(field("extra") or "{}")
        actors = post.getlist(f"step-{key}-actor")
        inferred = [f for f in extra.get("inferred", [])
                    if not (f == "actors" and sorted(actors) != sorted(extra.get("actors", [])))]
        activity = [a.removeprefix("- ").strip() for a in _lines(field("activity"))]
        steps.append({
            "number": _number(field("number")),
            "activity": activity if len(activity) > 1 else (activity[0] if activity else ""),
            "actors": actors, "kind": field("kind") or "process",
            "inputs": _lines(field("inputs")), "time": field("time").strip() or None,
            "outputs": _lines(field("outputs")), "notes": field("notes").strip(),
            "next": _number(field("next")), "on_yes": _number(field("on_yes")),
            "on_no": _number(field("on_no")), "calls": field("calls").strip() or None,
            "joint": field("joint") if field("joint") in ("any", "all") else None,
            "inferred": inferred, "source": extra.get("source"),
        })
    data["steps"] = steps
    return data


def form_fields(document: SopModel) -> dict[str, Any]:
    """The editor's fields for a document, as a browser posts them (lists for repeated
    fields): the inverse of `document_from_form`, for tests, benchmarks and API clients."""
    post: dict[str, Any] = {
        "name": document.name, "number": document.number,
        "organization": "\n".join(document.organization),
        **{f"date-{key}": getattr(document.dates, key) or ""
           for key in ("created", "revised", "effective")},
        **{f"approver-{key}": getattr(document.approved_by, key)
           for key in ("title", "name", "nip")},
        **{key: "\n".join(getattr(document, key)) for key, _label in LISTS},
        "actor-id": [a.id for a in document.actors],
        "actor-name": [a.name for a in document.actors], "step-key": [],
    }
    for index, step in enumerate(document.steps):
        key = f"k{index}"
        post["step-key"].append(key)
        post.update({
            f"step-{key}-number": str(step.number), f"step-{key}-kind": step.kind,
            f"step-{key}-activity": "\n".join(f"- {a}" for a in step.activity)
            if isinstance(step.activity, list) else step.activity,
            f"step-{key}-actor": list(step.actors), f"step-{key}-time": step.time or "",
            f"step-{key}-inputs": "\n".join(step.inputs),
            f"step-{key}-outputs": "\n".join(step.outputs), f"step-{key}-notes": step.notes,
            **{f"step-{key}-{name}": str(getattr(step, name) or "")
               for name in ("on_yes", "on_no", "next")},
            f"step-{key}-calls": step.calls or "", f"step-{key}-joint": step.joint or "",
            f"step-{key}-extra": json.dumps({
                "inferred": step.inferred, "actors": step.actors,
                "source": step.source.model_dump() if step.source else None}),
        })
    return post


def _rows(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Steps as template rows, each with a stable key and its hidden extras."""
    rows = []
    for step in document.get("steps", []):
        activity = step.get("activity") or ""
        rows.append({
            "key": secrets.token_hex(4), "step": step,
            "activity": "\n".join(f"- {a}" for a in activity) if isinstance(activity, list)
            else activity,
            "inputs": "\n".join(step.get("inputs") or []),
            "outputs": "\n".join(step.get("outputs") or []),
            "extra": json.dumps({"inferred": step.get("inferred") or [],
                                 "actors": step.get("actors") or [],
                                 "source": step.get("source")}),
        })
    return rows


def _context(version: SopVersion, data: dict[str, Any], *, errors: list[Finding] | None = None,
             yaml_text: str | None = None, tab: str = "formulir") -> dict[str, Any]:
    return {"version": version, "sop": version.sop, "data": data, "rows": _rows(data),
            "lists": [(key, label, "\n".join(data.get(key) or [])) for key, label in LISTS],
            "organization": "\n".join(data.get("organization") or []),
            "kinds": [(k, KIND_LABELS[k]) for k in STEP_KINDS],
            "errors": errors or [], "tab": tab,
            "yaml_text": yaml_text if yaml_text is not None else _as_yaml(data)}


def _as_yaml(data: dict[str, Any]) -> str:
    document = from_data(data).sop
    return dumps_yaml(document) if document else ""


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
                      _context(version, to_data(version.document, full=True)))
    if request.POST.get("mode") == "yaml":
        text = request.POST.get("yaml", "")
        result = loads(text)
        if result.sop is None:
            return render(request, "library/editor.html", _context(
                version, to_data(version.document, full=True), errors=result.findings,
                yaml_text=text, tab="yaml"), status=400)
        document = result.sop
    else:
        data = document_from_form(request.POST, version.document)
        result = from_data(data)
        if result.sop is None:
            return render(request, "library/editor.html",
                          _context(version, data, errors=result.findings), status=400)
        document = result.sop
    if document.id != version.document.id:
        document = document.model_copy(update={"id": version.document.id})
        messages.warning(request, _("The SOP id cannot be changed here; the old id was kept."))
    version.set_document(document)
    version.save()
    errors = [f for f in check(document) if f.severity == "error"]
    saved = _("Draft saved.")
    if errors:
        saved += " " + ngettext("There is still %(count)d error; see the check results.",
                                "There are still %(count)d errors; see the check results.",
                                len(errors)) % {"count": len(errors)}
    messages.success(request, saved)
    return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")


@login_required
@require_POST
def preview(request: HttpRequest, public_id: str) -> HttpResponse:
    """The flowchart and findings for what is in the form now (an htmx fragment)."""
    version = _editable(request, public_id)
    if request.POST.get("mode") == "yaml":
        result = loads(request.POST.get("yaml", ""))
    else:
        result = from_data(document_from_form(request.POST, version.document))
    if result.sop is None:
        findings = result.findings
        pages: list[str] = []
    else:
        findings = check(result.sop)
        drawing = layout(result.sop)
        pages = [mark_safe(page_svg(p, drawing, crop=True)) for p in drawing.pages]
    return render(request, "library/editor_preview.html", {
        "pages": pages, "findings": [(f.severity.label, f) for f in findings]})
