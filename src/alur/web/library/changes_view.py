"""The comparison page of two versions of an SOP (`/versi/<id>/perubahan/`): what changed,
said as the SOP says it (library/changes.py), then both flowcharts side by side with the
changed steps marked, and the YAML diff only behind the "Teknis" toggle.

Anyone who may read the SOP page may read this one. Each side is the document as issued
(`SopVersion.issued_document`): an approved version as its signed outputs show it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from alur.render import layout
from alur.render.svg import page_svg
from alur.sop import Sop as SopModel

from .changes import DetailChange, Exit, FieldChange, StepChange, compare, yaml_diff
from .models import SopVersion

# The class a changed step's symbol gets in the flowcharts (styled in static/alur/changes.css).
MARK_CLASS = "beda-{state}"


@dataclass(frozen=True)
class Shown:
    """A field or a step's part as the page shows it: its label and both values as text."""

    label: str
    old: str
    new: str


@login_required
@require_GET
def version_changes(request: HttpRequest, public_id: str) -> HttpResponse:
    version = get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                                public_id=public_id)
    sop = version.sop
    other = _other(request, version)
    context: dict[str, object] = {
        "sop": sop, "version": version, "other": other,
        "versions": sop.versions.exclude(pk=version.pk).order_by("-number")}
    if other is None:
        return render(request, "library/changes.html", context)
    older, newer = sorted((version, other), key=lambda v: v.number)
    old_doc, new_doc = _documents(older, newer)
    changes = compare(old_doc, new_doc)
    context.update({
        "older": older, "newer": newer, "changes": changes, "pending": _pending(newer),
        "identity": [_field(change) for change in changes.identity],
        "steps": [(step, [_detail(d) for d in step.details], _about(step, old_doc, new_doc))
                  for step in changes.shown_steps],
        "renumbered": _runs(changes.renumbered),
        "charts": [(older, _charts(old_doc, changes.marks("old"))),
                   (newer, _charts(new_doc, changes.marks("new")))],
        "technical": yaml_diff(old_doc, new_doc)})
    return render(request, "library/changes.html", context)


def _other(request: HttpRequest, version: SopVersion) -> SopVersion | None:
    """The version to compare with: `?dengan=` (a version of the same SOP), or else the one
    before this one (None for a first version)."""
    wanted = request.GET.get("dengan")
    if wanted:
        try:
            return version.sop.versions.exclude(pk=version.pk).get(public_id=wanted)
        except (SopVersion.DoesNotExist, ValueError, ValidationError):
            raise Http404(_("Version not found.")) from None
    return version.sop.versions.filter(number__lt=version.number).order_by("-number").first()


def _pending(version: SopVersion) -> bool:
    return version.status in SopVersion.OPEN_STATUSES


def _documents(older: SopVersion, newer: SopVersion) -> tuple[SopModel, SopModel]:
    """Both sides as issued. A newer version not yet approved has no approver or effective
    date of its own until it is: its identity is compared with the older one's as
    submitted there, so the author's changes show and the older approval record does not
    read as "approver removed"."""
    old, new = older.issued_document(), newer.issued_document()
    if _pending(newer):
        submitted = older.document
        old = old.model_copy(update={
            "approved_by": submitted.approved_by,
            "dates": old.dates.model_copy(update={"effective": submitted.dates.effective})})
    return old, new


def _charts(document: SopModel, marks: dict[int, str]) -> list[SafeString]:
    result = layout(document)
    classes = {number: MARK_CLASS.format(state=state) for number, state in marks.items()}
    # Drawn by alur.render with every SOP text escaped.
    return [mark_safe(page_svg(page, result, crop=True, marks=classes))
            for page in result.pages]


def _text(values: tuple[str, ...] | Exit | None, older: bool = False) -> str:
    if values is None:
        return "—"
    if isinstance(values, Exit):
        if values.step is None:
            return _("end of the procedure")
        if older and values.now is None:
            return _("step %(number)s (removed)") % {"number": values.step}
        if older and values.now != values.step:
            return _("step %(number)s (now %(now)s)") % {"number": values.step,
                                                         "now": values.now}
        return _("step %(number)s") % {"number": values.step}
    return "; ".join(values) if values else "—"


def _date(text: str) -> str:
    """A date of the identity ("2024-05-01" or "2024-05") as people write it."""
    try:
        if len(text) == 7:
            return date_format(dt.date.fromisoformat(f"{text}-01"), "F Y")
        return date_format(dt.date.fromisoformat(text), "j F Y")
    except ValueError:
        return text


def _field(change: FieldChange) -> tuple[FieldChange, Shown]:
    old, new = _text(change.old), _text(change.new)
    if change.key.startswith("dates."):
        old, new = (_date(v) if v != "—" else v for v in (old, new))
    return change, Shown(str(change.label), old, new)


def _detail(change: DetailChange) -> Shown:
    return Shown(str(change.label), _text(change.old, older=True), _text(change.new))


def _about(change: StepChange, old: SopModel, new: SopModel) -> str:
    """An added or removed step's actors and time, in one line ("Kasubag · 5 menit")."""
    if change.new is not None and change.old is not None:
        return ""
    step, document = (change.new, new) if change.new is not None else (change.old, old)
    assert step is not None
    names = {a.id: a.name for a in document.actors}
    return " · ".join(p for p in (", ".join(names.get(a, a) for a in step.actors), step.time)
                      if p)


def _runs(steps: list[StepChange]) -> list[tuple[str, str]]:
    """Renumbered steps as runs, ("3–5", "4–6"), for one short sentence."""
    runs: list[list[int]] = []  # [first old, last old, first new]
    for step in steps:
        old, new = step.old_number, step.new_number
        assert old is not None and new is not None
        if runs and old == runs[-1][1] + 1 and new - old == runs[-1][2] - runs[-1][0]:
            runs[-1][1] = old
        else:
            runs.append([old, old, new])
    shown = []
    for first, last, new in runs:
        if first == last:
            shown.append((str(first), str(new)))
        else:
            shown.append((f"{first}–{last}", f"{new}–{new + last - first}"))
    return shown
