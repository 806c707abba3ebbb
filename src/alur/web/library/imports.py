"""Importing documents into the library: upload → review → save as drafts.

The upload is read with `alur.importers` exactly as `alur import` reads it (each file is written
to a temporary file of the same name and read with `read_document`). Between the upload and the
save, the SOPs found live in the session as `alur-sop/1` JSON, with the reading findings, keyed
by a random token in the review URL. On review, the checker runs on each SOP as corrected so far
(`known_sops`: the ids of this upload); the reviewer can name an SOP, correct each step's
actor(s) and choose which SOPs to keep. Saving goes through `services.add_sop`.
"""

from __future__ import annotations

import secrets
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePath

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from alur.importers import read_document
from alur.sop import Finding, check, from_data, to_data
from alur.sop import Sop as SopDocument
from alur.sop.findings import SEVERITY_LABELS
from alur.sop.model import Step

from ..org.models import Unit, units_where
from .editor import KIND_LABELS
from .models import Sop
from .services import add_sop

ROLE = "penyusun"
SUFFIXES = (".txt", ".tsv", ".htm", ".html")
MAX_FILES = 10
MAX_FILE_SIZE = 5 * 1024 * 1024
SESSION_KEY = "alur_imports"
MAX_KEPT = 5  # uploads kept in one session at once; the oldest goes first
NAME_MAX = 300  # SopVersion.name
KEEP = "="  # the actor select's value for "as read from the document"
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


# -- upload ---------------------------------------------------------------------------------
class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """One or more documents; each is checked, and every bad file is named."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "multiple": True, "accept": ",".join(SUFFIXES)}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(_("Choose at least one file to import."), code="required")
        if len(files) > MAX_FILES:
            raise ValidationError(
                _("At most %(max)s files per upload; you chose %(count)s.")
                % {"max": MAX_FILES, "count": len(files)}, code="too_many")
        errors = []
        for upload in files:
            suffix = PurePath(upload.name or "").suffix.lower()
            if suffix not in SUFFIXES:
                errors.append(ValidationError(
                    _("File '%(name)s' cannot be imported: only %(suffixes)s files are "
                      "accepted.") % {"name": upload.name, "suffixes": ", ".join(SUFFIXES)},
                    code="extension"))
            elif upload.size > MAX_FILE_SIZE:
                errors.append(ValidationError(
                    _("File '%(name)s' is too large (%(size)s MB); the limit is %(max)s MB per "
                      "file.") % {"name": upload.name, "size": f"{upload.size / 1024 / 1024:.1f}",
                                  "max": MAX_FILE_SIZE // 1024 // 1024}, code="size"))
            elif upload.size == 0:
                errors.append(ValidationError(_("File '%(name)s' is empty.")
                                              % {"name": upload.name}, code="empty"))
        if errors:
            raise ValidationError(errors)
        return files


class UploadForm(forms.Form):
    unit = forms.ModelChoiceField(
        queryset=Unit.objects.none(), label=gettext_lazy("Import into unit"),
        empty_label=gettext_lazy("— choose a unit —"),
        error_messages={"required": gettext_lazy("Choose the unit to import into."),
                        "invalid_choice": gettext_lazy("You cannot choose that unit.")})
    files = DocumentsField(label=gettext_lazy("SOP documents"))

    def __init__(self, *args, unit_ids: set[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        units = Unit.objects.filter(pk__in=unit_ids).order_by("name")
        self.fields["unit"].queryset = units
        if len(unit_ids) == 1:
            self.fields["unit"].initial = next(iter(unit_ids))


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    unit_ids = units_where(request.user, ROLE)
    if not unit_ids:
        if request.method == "POST":
            raise PermissionDenied(_("You do not have the author role in any unit."))
        return render(request, "library/import_upload.html", {"form": None})
    findings: list[tuple[str, Finding]] = []
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, unit_ids=unit_ids)
        if form.is_valid():
            files = form.cleaned_data["files"]
            sops, read_findings = read_uploads(files)
            if sops:
                token = _store(request, form.cleaned_data["unit"], [f.name for f in files],
                               sops, read_findings)
                return redirect("imports:review", token=token)
            form.add_error(None, _("No SOP was found in the uploaded files; see the findings "
                                   "below."))
            findings = [(f.severity.label, f) for f in _sorted(read_findings)]
    else:
        form = UploadForm(unit_ids=unit_ids)
    return render(request, "library/import_upload.html", {
        "form": form, "findings": findings, "suffixes": ", ".join(SUFFIXES),
        "max_files": MAX_FILES, "max_mb": MAX_FILE_SIZE // 1024 // 1024})


def read_uploads(files) -> tuple[list[SopDocument], list[Finding]]:
    """Read uploaded files as the CLI reads paths: ids unique across the upload, findings
    naming the uploaded file."""
    taken: set[str] = set()
    sops: list[SopDocument] = []
    findings: list[Finding] = []
    with tempfile.TemporaryDirectory(prefix="alur-impor-") as tmp:
        for upload in files:
            # Same name as uploaded: the reader uses it for fallback ids and `source.file`.
            path = Path(tmp) / _disk_name(upload.name)
            with path.open("wb") as out:
                for chunk in upload.chunks():
                    out.write(chunk)
            result = read_document(path, taken_ids=taken)
            path.unlink()
            sops.extend(result.sops)
            findings.extend(f.model_copy(update={"file": upload.name}) if f.file else f
                            for f in result.findings)
    return sops, findings


def _disk_name(name: str) -> str:
    name = PurePath(name.replace("\\", "/").replace("\x00", "")).name or "dokumen.txt"
    if len(name.encode()) > 200:  # file systems allow 255 bytes
        suffix = PurePath(name).suffix[:10]
        name = name[:60] + suffix
    return name


def _store(request: HttpRequest, unit: Unit, names: list[str], sops: list[SopDocument],
           findings: list[Finding]) -> str:
    kept = dict(request.session.get(SESSION_KEY, {}))
    while len(kept) >= MAX_KEPT:
        oldest = min(kept, key=lambda t: kept[t]["created"])
        del kept[oldest]
    token = secrets.token_urlsafe(16)
    kept[token] = {
        "unit": unit.pk,
        "files": names,
        "created": timezone.now().isoformat(),
        "sops": [to_data(s, full=True) for s in sops],
        "findings": [f.model_dump(mode="json") for f in findings],
    }
    request.session[SESSION_KEY] = kept
    return token


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0))


# -- review ---------------------------------------------------------------------------------
@dataclass
class Choice:
    """What the reviewer chose for one SOP: keep it, its name, each step's actor value."""

    selected: bool
    name: str
    actors: list[str]
    errors: list[str] = field(default_factory=list)


def _default_choice(doc: SopDocument) -> Choice:
    return Choice(selected=True, name=doc.name,
                  actors=[_default_actor_value(s) for s in doc.steps])


def _needs_keep_option(step: Step) -> bool:
    """As read can't be shown as one plain actor: inferred, or a joint activity."""
    return "actors" in step.inferred or len(step.actors) > 1


def _default_actor_value(step: Step) -> str:
    if _needs_keep_option(step):
        return KEEP
    return step.actors[0] if step.actors else ""


def _posted_choice(post, index: int, doc: SopDocument) -> Choice:
    prefix = f"sop-{index}"
    choice = Choice(selected=post.get(f"{prefix}-simpan") == "1",
                    name=" ".join(post.get(f"{prefix}-nama", "").split()),
                    actors=[])
    known = {a.id for a in doc.actors}
    for j, step in enumerate(doc.steps):
        value = post.get(f"{prefix}-langkah-{j}", _default_actor_value(step))
        if value != KEEP and not set(filter(None, value.split(","))) <= known:
            choice.errors.append(_("The actor of step %(number)s is unknown; choose one from "
                                   "the list.") % {"number": step.number})
            value = _default_actor_value(step)
        choice.actors.append(value)
    if choice.selected:
        if not choice.name:
            choice.errors.append(_("The SOP needs a name before it is saved."))
        elif len(choice.name) > NAME_MAX:
            choice.errors.append(_("An SOP name has at most %(max)s characters.")
                                 % {"max": NAME_MAX})
    return choice


def corrected(doc: SopDocument, choice: Choice) -> SopDocument:
    """The SOP with the reviewer's name and actors; a chosen actor is no longer inferred."""
    steps = []
    for step, value in zip(doc.steps, choice.actors, strict=True):
        if value == KEEP:
            steps.append(step)
            continue
        actors = [v for v in value.split(",") if v]
        steps.append(step.model_copy(update={
            "actors": actors, "inferred": [f for f in step.inferred if f != "actors"]}))
    return doc.model_copy(update={"name": choice.name or doc.name, "steps": steps})


def _load(request: HttpRequest, token: str) -> dict | None:
    return request.session.get(SESSION_KEY, {}).get(token)


def _forget(request: HttpRequest, token: str) -> None:
    kept = dict(request.session.get(SESSION_KEY, {}))
    kept.pop(token, None)
    request.session[SESSION_KEY] = kept


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    stored = _load(request, token)
    if stored is None:
        messages.warning(request, _("That import was not found: it was saved or cancelled, or "
                                    "your session changed. Upload the documents again."))
        return redirect("imports:upload")
    unit = Unit.objects.filter(pk=stored["unit"]).first()
    if unit is None or unit.pk not in units_where(request.user, ROLE):
        raise PermissionDenied(_("You no longer have the author role in this unit."))
    documents = [from_data(data).sop for data in stored["sops"]]
    if request.method == "POST" and request.POST.get("aksi") == "batal":
        _forget(request, token)
        messages.info(request, _("Import cancelled; no SOP was saved."))
        return redirect("imports:upload")
    errors: list[str] = []
    if request.method == "POST":
        choices = [_posted_choice(request.POST, i, d) for i, d in enumerate(documents)]
        if not any(c.selected for c in choices):
            errors.append(_("Choose at least one SOP to save."))
        if not errors and not any(c.errors for c in choices):
            try:
                count = _save(documents, choices, unit, request.user)
            except ValidationError as exc:
                errors.extend(exc.messages)
            else:
                _forget(request, token)
                messages.success(request, ngettext(
                    "%(count)d SOP draft saved in %(unit)s.",
                    "%(count)d SOP drafts saved in %(unit)s.", count)
                    % {"count": count, "unit": unit.name})
                return redirect("library:list")
    else:
        choices = [_default_choice(d) for d in documents]
    return render(request, "library/import_review.html",
                  _review_context(stored, unit, documents, choices, errors, token))


@transaction.atomic
def _save(documents: list[SopDocument], choices: list[Choice], unit: Unit, user) -> int:
    count = 0
    for doc, choice in zip(documents, choices, strict=True):
        if choice.selected:
            add_sop(corrected(doc, choice), unit, user)
            count += 1
    return count


def _review_context(stored: dict, unit: Unit, documents: list[SopDocument],
                    choices: list[Choice], errors: list[str], token: str) -> dict:
    reading = [Finding.model_validate(f) for f in stored["findings"]]
    known = {d.id for d in documents}
    existing = set(Sop.objects.filter(unit=unit, slug__in=known).values_list("slug", flat=True))
    several_files = len(stored["files"]) > 1
    open_all = len(documents) <= 3
    items = []
    for index, (doc, choice) in enumerate(zip(documents, choices, strict=True)):
        current = corrected(doc, choice)
        findings = _sorted([f for f in reading if f.sop == doc.id]
                           + check(current, known_sops=known))
        counts = {label: sum(1 for f in findings if f.severity == severity)
                  for severity, label in SEVERITY_LABELS.items()}
        names = {a.id: a.name for a in doc.actors}
        file = next((f.file for f in reading if f.sop == doc.id and f.file), None) or \
            next((s.source.file for s in doc.steps if s.source and s.source.file), None)
        rows = [_row(doc.steps[j], current.steps[j], choice.actors[j], names)
                for j in range(len(doc.steps))]
        items.append({
            "index": index, "doc": doc, "choice": choice, "file": file, "findings": [
                (f.severity.label, f) for f in findings],
            "counts": counts, "rows": rows, "exists": doc.id in existing,
            "missing": sum(1 for r in rows if r["missing"]),
            "inferred": sum(1 for r in rows if r["inferred"]),
            "open": open_all or bool(choice.errors),
        })
    return {
        "token": token, "unit": unit, "files": stored["files"], "items": items,
        "several_files": several_files, "errors": errors,
        "has_errors": bool(errors) or any(c.errors for c in choices),
        "document_findings": [(f.severity.label, f)
                              for f in _sorted([f for f in reading if f.sop not in known])],
    }


def _row(original: Step, current: Step, value: str, names: dict[str, str]) -> dict:
    options = []
    if _needs_keep_option(original):
        label = " + ".join(names.get(a, a) for a in original.actors)
        if "actors" in original.inferred:
            label += f" ({_('inferred')})"
        options.append((KEEP, label))
    options.append(("", _("— no actor —")))
    options.extend(names.items())
    return {
        "step": current, "kind": KIND_LABELS.get(current.kind, current.kind),
        "options": options, "value": value,
        "inferred": set(current.inferred),
        "missing": not current.actors,
        "corrected": value != _default_actor_value(original),
    }
