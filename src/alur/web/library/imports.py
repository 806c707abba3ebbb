"""Importing documents into the library: upload → review → save as drafts.

The upload is stored and read in the background (`jobs`: an `ImportJob` on django-q2, each file
read as `alur import` reads it but in a limited child process); meanwhile the job page shows
the progress, and when the job is done it leads to the review. Between the upload and the
save, the job row is the pending import: the SOPs found as `alur-sop/1` JSON, the reading
findings and the reviewer's answers so far, reached by the random token in the URL and only
by the user who uploaded.

The review shows a few SOPs a page. For each, the reviewer names it, corrects each step's
actor(s), maps each actor column to a position of the unit (or to the applicant) and chooses
whether to keep it; alur proposes the unit from the document's heading and each mapping from
the column's name (`import_review`). An SOP the library holds already (same number, or same id
in the unit: `import_targets`) is proposed as a new version of that SOP, never silently made a
second one. Every page posts its answers back to the pending import, so moving between pages
keeps them; saving validates every SOP, on every page, through the same forms, and goes through
`services.add_sop` with the chosen positions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from alur.importers import IMPORTABLE_SUFFIXES
from alur.sop import Finding, check, from_data
from alur.sop import Sop as SopDocument
from alur.sop.findings import SEVERITY_LABELS
from alur.sop.model import Step

from ..org.models import AnyUser, Position, Unit, units_where
from .editor import KIND_LABELS
from .import_pages import step_symbols
from .import_review import (
    APPLICANT,
    KEEP,
    ActorMappingFormSet,
    BaseActorMappingFormSet,
    ReviewActionForm,
    ReviewUnitForm,
    SopReviewForm,
    default_actor_value,
    inferred_titles,
    mapping_choices,
    propose_mapping,
    source_place,
    unit_positions,
)
from .import_targets import (
    Match,
    find_matches,
    open_version_message,
    save_as_version,
    separate_id,
)
from .jobs import AUTHOR_ROLE, discard, start_import
from .models import ActorLink, ImportJob, Sop
from .services import DraftExists, add_sop

ROLE = AUTHOR_ROLE
# The documents the importers read; the web upload and the API accept these and no others.
SUFFIXES = tuple(sorted(IMPORTABLE_SUFFIXES))
# How many files and how large (settings.ALUR_IMPORT_MAX_FILES/_MB, from the environment) are
# read at each upload, so a test or an operator's change applies at once.


def max_files() -> int:
    return settings.ALUR_IMPORT_MAX_FILES


def max_file_size() -> int:
    return settings.ALUR_IMPORT_MAX_MB * 1024 * 1024


MAX_KEPT = 5  # finished imports kept per user awaiting review; the oldest goes first
PAGE_SIZE = 5  # SOPs reviewed on one page
SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}
# Inferred fields marked in their own column of the steps table; the others on the activity.
EXIT_FIELDS = ("on_yes", "on_no", "next", "labels")
SHOWN_FIELDS = {"number", "actors", "kind", "time", *EXIT_FIELDS}


# -- upload ---------------------------------------------------------------------------------
class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.FileField):
    """One or more documents; each is checked, and every bad file is named."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={
            "multiple": True, "accept": ",".join(SUFFIXES)}))
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = [f for f in (data if isinstance(data, list | tuple) else [data]) if f]
        if not files:
            raise ValidationError(_("Choose at least one file to import."), code="required")
        if len(files) > max_files():
            raise ValidationError(
                _("At most %(max)s files per upload; you chose %(count)s.")
                % {"max": max_files(), "count": len(files)}, code="too_many")
        errors = []
        for upload in files:
            suffix = PurePath(upload.name or "").suffix.lower()
            if suffix not in SUFFIXES:
                errors.append(ValidationError(
                    _("File '%(name)s' cannot be imported: only %(suffixes)s files are "
                      "accepted.") % {"name": upload.name, "suffixes": ", ".join(SUFFIXES)},
                    code="extension"))
            elif upload.size > max_file_size():
                errors.append(ValidationError(
                    _("File '%(name)s' is too large (%(size)s MB); the limit is %(max)s MB per "
                      "file.") % {"name": upload.name, "size": f"{upload.size / 1024 / 1024:.1f}",
                                  "max": settings.ALUR_IMPORT_MAX_MB}, code="size"))
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

    def __init__(self, *args: Any, unit_ids: set[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Added here, not declared on the class: a class attribute `files` reads as the
        # form's uploaded files (`BaseForm.files`) to the type checker. It comes after `unit`.
        self.fields["files"] = DocumentsField(label=gettext_lazy("SOP documents"))
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)  # declared so above
        field.queryset = Unit.objects.filter(pk__in=unit_ids).order_by("name")
        if len(unit_ids) == 1:
            field.initial = next(iter(unit_ids))
        else:  # left empty: proposed from the documents' headings
            field.required = False
            field.empty_label = gettext_lazy("— propose from the document's heading —")


@login_required
@require_http_methods(["GET", "POST"])
def upload(request: HttpRequest) -> HttpResponse:
    unit_ids = units_where(request.user, ROLE)
    if not unit_ids:
        if request.method == "POST":
            raise PermissionDenied(_("You do not have the author role in any unit."))
        return render(request, "library/import_upload.html", {"form": None})
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, unit_ids=unit_ids)
        if form.is_valid():
            _forget_old_imports(request.user)
            job = start_import(request.user, form.cleaned_data["unit"],
                               form.cleaned_data["files"], get_language() or "id")
            return redirect("imports:job", token=job.token)
    else:
        form = UploadForm(unit_ids=unit_ids)
    return render(request, "library/import_upload.html", {
        "form": form, "suffixes": ", ".join(SUFFIXES),
        "accept": ",".join(SUFFIXES), "several_units": len(unit_ids) > 1,
        "max_files": max_files(), "max_mb": settings.ALUR_IMPORT_MAX_MB,
        "max_pages": settings.ALUR_IMPORT_MAX_PAGES})


def _forget_old_imports(user: AnyUser) -> None:
    """Keep the newest few finished imports awaiting review; a job still reading is kept."""
    if not user.is_authenticated:  # nobody's: there is nothing of theirs to forget
        return
    finished = ImportJob.objects.filter(
        user=user, status__in=[ImportJob.Status.DONE, ImportJob.Status.FAILED]
    ).order_by("-created_at", "-pk")
    for job in finished[MAX_KEPT - 1:]:
        discard(job)


# -- the job --------------------------------------------------------------------------------
@login_required
@require_http_methods(["GET"])
def progress(request: HttpRequest, token: str) -> HttpResponse:
    """The import's progress; polled by htmx (or refreshed) until it is done, then the review.
    A job with no SOP, or a failed one, shows its findings and message here."""
    job = get_object_or_404(ImportJob, token=token, user=request.user)
    if job.status == ImportJob.Status.DONE and job.sops:
        url = reverse("imports:review", args=[token])
        if request.headers.get("HX-Request"):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = url
            return response
        return redirect(url)
    findings = _sorted([Finding.model_validate(f) for f in job.findings])
    names = job.file_names
    # The file being read counts by its pages read so far (a long PDF or scan), so the bar
    # moves while one large file is read.
    reading = job.page / job.pages_total if job.pages_total else 0
    return render(request, "library/import_job.html", {
        "job": job, "files": names,
        "reading": names[job.done] if job.status == ImportJob.Status.RUNNING and
        job.done < len(names) else None,
        "findings": [(f.severity.label, f) for f in findings],
        "percent": int((job.done + reading) * 100 // job.total) if job.total else 0})


def _sorted(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (SEVERITY_ORDER[f.severity], f.line or 0))


@login_required
@require_http_methods(["GET"])
def page_image(request: HttpRequest, token: str, file: int, number: int
               ) -> HttpResponseBase:
    """A source page's picture for the review; only the uploader's, never a public URL."""
    job = get_object_or_404(ImportJob, token=token, user=request.user)
    entries = job.pages
    if not 1 <= file <= len(entries):
        raise Http404
    page = next((p for p in entries[file - 1].get("pages", []) if p["number"] == number), None)
    if page is None or not default_storage.exists(page["image"]):
        raise Http404
    response = FileResponse(default_storage.open(page["image"], "rb"), content_type="image/png")
    response["Cache-Control"] = "private, max-age=3600"
    return response


# -- review ---------------------------------------------------------------------------------
@dataclass
class SopReview:
    """One SOP of the pending import with the reviewer's forms, bound to what was last posted
    for it (or unbound, showing the proposals, when its page was never posted)."""

    index: int
    document: SopDocument
    form: SopReviewForm
    mapping: BaseActorMappingFormSet
    positions: dict[int, Position]
    matches: list[Match]

    def is_valid(self) -> bool:
        return self.form.is_valid() and self.mapping.is_valid()

    @property
    def selected(self) -> bool:
        return self.form.selected

    def target(self) -> Match | None:
        """The library SOP this one becomes a new version of, or None for an SOP of its own."""
        value = self.form.target
        return next((m for m in self.matches if m.value == value), None)

    def corrected(self) -> SopDocument:
        """The SOP as the reviewer has it: their name, actors and applicant columns; a chosen
        actor is no longer inferred."""
        steps = []
        for step, value in zip(self.document.steps, self.form.actor_values(), strict=True):
            if value == KEEP:
                steps.append(step)
                continue
            steps.append(step.model_copy(update={
                "actors": [value] if value else [],
                "inferred": [f for f in step.inferred if f != "actors"]}))
        actors = [actor.model_copy(update={"applicant": value == APPLICANT})
                  for actor, value in zip(self.document.actors, self.mapping.values(),
                                          strict=True)]
        return self.document.model_copy(update={
            "name": self.form.value("nama") or self.document.name, "steps": steps,
            "actors": actors})

    def chosen_positions(self) -> dict[str, Position]:
        """The actor columns mapped to a position, by actor id."""
        chosen = {}
        for actor, value in zip(self.document.actors, self.mapping.values(), strict=True):
            if value.isdigit() and int(value) in self.positions:
                chosen[actor.id] = self.positions[int(value)]
        return chosen

    def bound_to_proposals(self) -> SopReview:
        """This review with every unposted form bound to what it shows (the document as read
        and alur's proposals), so that saving validates an SOP whose page was never posted
        exactly as a posted one."""
        form, mapping = self.form, self.mapping
        if not form.is_bound:
            form = SopReviewForm(_shown(form), prefix=form.prefix, document=self.document,
                                 targets=form.targets, refusals=form.refusals)
        if not mapping.is_bound:
            mapping = ActorMappingFormSet(
                _shown(mapping.management_form, *mapping.forms), prefix=mapping.prefix,
                actors=mapping.actors, choices=mapping.choices, proposals=mapping.proposals)
        return SopReview(self.index, self.document, form, mapping, self.positions,
                         self.matches)


def _shown(*shown: forms.Form) -> dict[str, str]:
    """The fields a browser would post for unbound forms as rendered."""
    data: dict[str, str] = {}
    for form in shown:
        for name, field in form.fields.items():
            value = form.get_initial_for_field(field, name)
            if isinstance(field, forms.BooleanField):
                if value:
                    data[form.add_prefix(name)] = "on"
            elif value is not None:
                data[form.add_prefix(name)] = str(value)
    return data


def _reviews(documents: list[SopDocument], job: ImportJob, unit: Unit | None,
             matches: list[list[Match]], bind_all: bool = False) -> list[SopReview]:
    """A review per SOP, bound to its posted answers; with `bind_all`, the never-posted ones
    are bound to their proposals, so that saving validates every SOP alike."""
    positions = unit_positions(unit)
    by_pk = {p.pk: p for p in positions}
    choices = mapping_choices(positions)
    linked = _existing_links(matches)
    posted = job.posted
    reviews = []
    # Uploads repeat the same columns (Kasubag, Staf …) in SOP after SOP: propose each once.
    proposed: dict[tuple[str, bool, int | None], str] = {}
    for index, document in enumerate(documents):
        proposals = []
        for actor in document.actors:
            key = (actor.name, actor.applicant, linked.get((index, actor.id)))
            if key not in proposed:
                proposed[key] = propose_mapping(actor, positions, unit, key[2])
            proposals.append(proposed[key])
        answers = posted.get(str(index), {})
        found = matches[index]
        review = SopReview(
            index, document,
            SopReviewForm(answers.get("form"), prefix=f"sop-{index}", document=document,
                          targets=[(m.value, m.label(unit)) for m in found],
                          refusals={m.value: why for m in found if (why := m.refusal())}),
            ActorMappingFormSet(answers.get("mapping"), prefix=f"sop-{index}-peta",
                                actors=document.actors, choices=choices, proposals=proposals),
            by_pk, found)
        reviews.append(review.bound_to_proposals() if bind_all else review)
    return reviews


def _existing_links(matches: list[list[Match]]) -> dict[tuple[int, str], int]:
    """Positions the library SOP proposed for each imported SOP (a re-import) already links
    its actors to, by (SOP index, actor id)."""
    proposed = {index: found[0].sop.pk for index, found in enumerate(matches) if found}
    links: dict[int, dict[str, int]] = {}
    for sop_id, actor, position in ActorLink.objects.filter(
            sop_id__in=set(proposed.values())).values_list("sop_id", "actor_id", "position_id"):
        links.setdefault(sop_id, {})[actor] = position
    return {(index, actor): position for index, sop_id in proposed.items()
            for actor, position in links.get(sop_id, {}).items()}


def _load(request: HttpRequest, token: str) -> ImportJob | None:
    """The pending import of this token; someone else's is not found (404)."""
    job = ImportJob.objects.filter(token=token).first()
    if job is not None and job.user_id != request.user.pk:
        raise Http404
    return job


def _put(job: ImportJob) -> None:
    job.save(update_fields=["unit", "unit_proposed", "posted"])


def _keep_posted(request: HttpRequest, job: ImportJob, count: int) -> None:
    """Remember the answers of the SOPs this page showed (each posts its formset's management
    form, so a page says which SOPs it held without trusting a page number): the SOP's own
    fields and its actor mapping apart, as a change of unit forgets the mapping only."""
    posted = dict(job.posted)
    for index in range(count):
        prefix, mapping = f"sop-{index}-", f"sop-{index}-peta-"
        if f"{mapping}TOTAL_FORMS" not in request.POST:
            continue
        fields = [(k, v) for k, v in request.POST.items() if k.startswith(prefix)]
        posted[str(index)] = {
            "form": {k: v for k, v in fields if not k.startswith(mapping)},
            "mapping": {k: v for k, v in fields if k.startswith(mapping)}}
    job.posted = posted


def _forget_mappings(job: ImportJob) -> None:
    """Another unit has other positions and other SOPs: its proposals replace the answers
    given so far about either (the actor mapping, the SOP each one continues)."""
    job.posted = {index: {"form": {k: v for k, v in answers.get("form", {}).items()
                                   if not k.endswith("-tujuan")}}
                  for index, answers in job.posted.items()}


def _page_url(token: str, page: int, index: int | None = None) -> str:
    url = f"{reverse('imports:review', args=[token])}?hal={page}"
    return url + (f"#sop-{index}" if index is not None else "")


@login_required
@require_http_methods(["GET", "POST"])
def review(request: HttpRequest, token: str) -> HttpResponse:
    job = _load(request, token)
    if job is None:
        messages.warning(request, _("That import was not found: it was saved, cancelled or "
                                    "replaced by newer uploads. Upload the documents again."))
        return redirect("imports:upload")
    if job.status != ImportJob.Status.DONE or not job.sops:  # still reading, or nothing to review
        return redirect("imports:job", token=token)
    writable = units_where(request.user, ROLE)
    unit = Unit.objects.filter(pk=job.unit_id).first() if job.unit_id else None
    if not writable or (job.unit_id and (unit is None or unit.pk not in writable)):
        raise PermissionDenied(_("You no longer have the author role in this unit."))
    documents = _documents(job)
    paginator = Paginator(range(len(documents)), PAGE_SIZE)
    if request.method == "GET":
        return _render(request, token, job, documents, unit,
                       find_matches(documents, unit, writable),
                       paginator.get_page(request.GET.get("hal")),
                       ReviewUnitForm(initial={"unit": unit}, unit_ids=writable))
    action = ReviewActionForm(request.POST)
    if action.value("aksi") == ReviewActionForm.CANCEL:
        discard(job)
        messages.info(request, _("Import cancelled; no SOP was saved."))
        return redirect("imports:upload")
    _keep_posted(request, job, len(documents))
    page = paginator.get_page(action.value("halaman_ini"))
    unit_form = ReviewUnitForm(request.POST, unit_ids=writable)
    if not unit_form.is_valid():
        _put(job)
        return _render(request, token, job, documents, unit,
                       find_matches(documents, unit, writable), page, unit_form)
    chosen_unit = unit_form.cleaned_data["unit"]
    if chosen_unit is not None and chosen_unit != unit:
        job.unit, job.unit_proposed = chosen_unit, False
        _forget_mappings(job)
        _put(job)
        messages.info(request, _("The SOPs will be saved in %(unit)s; the positions proposed "
                                 "are now that unit's. Check them, then save.")
                      % {"unit": chosen_unit.name})
        return redirect(_page_url(token, page.number))
    _put(job)
    target = action.value("ke")
    if target is not None and target < len(documents):
        return redirect(_page_url(token, target // PAGE_SIZE + 1, target))
    if action.value("halaman") is not None:
        chosen = paginator.get_page(action.value("halaman"))
        return redirect(_page_url(token, chosen.number, chosen.start_index() - 1))
    if action.value("aksi") != ReviewActionForm.SAVE:
        return redirect(_page_url(token, page.number))
    return _save_or_show(request, token, job, documents, unit,
                         find_matches(documents, unit, writable), unit_form, paginator, page)


def _documents(job: ImportJob) -> list[SopDocument]:
    """The pending import's SOPs. The job stored each as it read it, so each loads again; one
    that no longer does (the format changed since the upload) is left out, as the API's
    import leaves it out. Leaving it out keeps the others' positions, by which their posted
    answers are kept, the same at every request."""
    loaded = (from_data(data).sop for data in job.sops)
    return [document for document in loaded if document is not None]


def _save_or_show(request: HttpRequest, token: str, job: ImportJob,
                  documents: list[SopDocument], unit: Unit | None,
                  matches: list[list[Match]], unit_form: ReviewUnitForm,
                  paginator: Paginator[int], page: Page[int]) -> HttpResponse:
    """Save every SOP when all pages are valid; else show `page`, or the page of the first
    SOP with an error."""
    reviews = _reviews(documents, job, unit, matches, bind_all=True)
    errors: list[str] = []
    if unit is None:
        unit_form.add_error("unit", _("Choose the unit to import into."))
    invalid = [r for r in reviews if not r.is_valid()]
    if not any(r.selected for r in reviews):
        errors.append(_("Choose at least one SOP to save."))
    if not invalid:
        errors.extend(_same_target(reviews))
    if unit is not None and not invalid and not errors:
        try:
            count, versions = _save(reviews, unit, request.user)
        except ValidationError as exc:
            errors.extend(exc.messages)
        except DraftExists as exc:  # opened by someone else since the page was shown
            errors.append(_("Nothing was saved: %(reason)s") % {"reason": _refused(exc)})
        else:
            discard(job)
            message = ngettext("%(count)d SOP draft saved in %(unit)s.",
                               "%(count)d SOP drafts saved in %(unit)s.", count) \
                % {"count": count, "unit": unit.name}
            if versions:
                message += " " + ngettext(
                    "%(count)d of them is a new version of an SOP already in the library.",
                    "%(count)d of them are new versions of SOPs already in the library.",
                    versions) % {"count": versions}
            messages.success(request, message)
            return redirect("library:list")
    first_bad = invalid[0].index if invalid else None
    if first_bad is not None:
        page = paginator.get_page(first_bad // PAGE_SIZE + 1)
    return _render(request, token, job, documents, unit, matches, page, unit_form, errors,
                   reviews)


def _same_target(reviews: list[SopReview]) -> list[str]:
    """Two SOPs of the import made new versions of one library SOP would fork it."""
    chosen: dict[int, SopReview] = {}
    errors = []
    for review in reviews:
        target = review.target() if review.selected else None
        if target is None:
            continue
        first = chosen.setdefault(target.sop.pk, review)
        if first is not review:
            errors.append(_("SOP %(first)s and SOP %(second)s of this import would both become "
                            "a new version of SOP %(name)s; import one of them as a separate "
                            "SOP.") % {"first": first.index + 1, "second": review.index + 1,
                                       "name": target.name})
    return errors


def _refused(exc: DraftExists) -> str:
    draft = exc.draft
    return open_version_message(draft.name or draft.sop.slug, draft)


@transaction.atomic
def _save(reviews: list[SopReview], unit: Unit, user: AnyUser) -> tuple[int, int]:
    """Save the chosen SOPs: each a new version of the library SOP it continues, or an SOP
    of its own under an id no SOP of the unit has. (saved, of which new versions)"""
    count = versions = 0
    taken = set(Sop.objects.filter(unit=unit).values_list("slug", flat=True))
    for review in reviews:
        if not review.selected:
            continue
        document, positions = review.corrected(), review.chosen_positions()
        target = review.target()
        if target is not None:
            save_as_version(target.sop, document, user, positions)
            versions += 1
        else:
            sop_id = separate_id(review.document, document.name, taken)
            taken.add(sop_id)
            add_sop(document.model_copy(update={"id": sop_id}), unit, user,
                    positions=positions)
        count += 1
    return count, versions


def _render(request: HttpRequest, token: str, job: ImportJob, documents: list[SopDocument],
            unit: Unit | None, matches: list[list[Match]], page: Page[int],
            unit_form: ReviewUnitForm, errors: list[str] | None = None,
            reviews: list[SopReview] | None = None) -> HttpResponse:
    reviews = reviews or _reviews(documents, job, unit, matches)
    reading = [Finding.model_validate(f) for f in job.findings]
    known = {d.id for d in documents}
    on_page = set(page.object_list)
    summary, items = [], []
    for review in reviews:
        current = review.corrected()
        findings = _sorted([f for f in reading if f.sop == review.document.id]
                           + check(current, known_sops=known))
        counts = {label: sum(1 for f in findings if f.severity == severity)
                  for severity, label in SEVERITY_LABELS.items()}
        line = {"review": review, "doc": review.document, "counts": counts,
                "missing": sum(1 for s in current.steps if _lacks_actor(s)),
                "unmapped": sum(1 for v in review.mapping.values() if not v),
                "exists": bool(review.matches), "target": review.target(),
                "same_id": unit is not None and any(
                    m.sop.unit_id == unit.pk and m.sop.slug == review.document.id
                    for m in review.matches),
                "has_errors": review.form.is_bound and not review.is_valid(),
                "page": review.index // PAGE_SIZE + 1}
        summary.append(line)
        if review.index in on_page:
            items.append(_item(review, current, line, findings, reading, len(on_page) <= 3,
                               _pages_shown(token, review.index,
                                            _source_pages(job, review.document.id),
                                            review.document.steps)))
    item_errors = [line for line in summary if line["has_errors"]]
    return render(request, "library/import_review.html", {
        "token": token, "unit": unit, "unit_form": unit_form,
        "unit_proposed": job.unit_proposed, "files": job.file_names,
        "summary": summary, "items": items, "page": page,
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
        "several_files": len(job.file_names) > 1, "errors": errors or [],
        "item_errors": item_errors, "has_pages": any(item["pages"] for item in items),
        "has_errors": bool(errors) or bool(item_errors) or bool(unit_form.errors),
        "document_findings": [(f.severity.label, f)
                              for f in _sorted([f for f in reading if f.sop not in known])],
    })


def _source_pages(job: ImportJob, sop_id: str) -> tuple[int, dict[str, Any]] | None:
    """The file entry (1-based position, entry) whose pages hold this SOP, if it has pages."""
    for position, entry in enumerate(job.pages, start=1):
        if sop_id in entry.get("sops", []) and entry.get("pages"):
            return position, entry
    return None


def _pages_shown(token: str, index: int, source: tuple[int, dict[str, Any]] | None,
                 steps: list[Step]) -> tuple[list[dict[str, Any]], dict[int, tuple[int, int]]]:
    """The pages of the SOP's file as the review shows them: picture URL, size, symbols with
    the step each is linked to; and each step's (page, symbol)."""
    if source is None:
        return [], {}
    position, entry = source
    linked = step_symbols(steps, entry)
    by_symbol = {place: i for i, place in linked.items()}
    used = {s.source.page for s in steps if s.source and s.source.page}
    shown = []
    for page in entry["pages"]:
        width, height = page["points"]
        shown.append({
            "number": page["number"], "id": f"sop-{index}-hal-{page['number']}",
            "url": reverse("imports:page", args=[token, position, page["number"]]),
            "width": page["width"], "height": page["height"], "view": f"0 0 {width} {height}",
            "used": page["number"] in used,
            "symbols": [{"kind": s["kind"], "x": s["box"][0], "y": s["box"][1],
                         "w": round(s["box"][2] - s["box"][0], 1),
                         "h": round(s["box"][3] - s["box"][1], 1),
                         "step": by_symbol.get((page["number"], k))}
                        for k, s in enumerate(page["symbols"])]})
    return shown, linked


def _target_rows(review: SopReview) -> list[dict[str, Any]]:
    """The choices between the library SOPs this one may continue and an SOP of its own:
    each radio button with, for an SOP whose open version forbids a new one, why."""
    if "tujuan" not in review.form.fields:
        return []
    by_value = {m.value: m for m in review.matches}
    rows = []
    for radio in review.form["tujuan"]:
        match = by_value.get(str(radio.data["value"]))
        rows.append({"radio": radio, "match": match,
                     "refusal": match.refusal() if match is not None else None})
    return rows


def _lacks_actor(step: Step) -> bool:
    """A step someone must do has no actor; a bare Mulai/Selesai row needs none."""
    return not step.actors and step.kind not in ("start", "end")


def _item(review: SopReview, current: SopDocument, line: dict[str, Any],
          findings: list[Finding], reading: list[Finding], open_all: bool,
          shown: tuple[list[dict[str, Any]], dict[int, tuple[int, int]]]) -> dict[str, Any]:
    doc = review.document
    pages, linked = shown
    file = next((f.file for f in reading if f.sop == doc.id and f.file), None) or \
        next((s.source.file for s in doc.steps if s.source and s.source.file), None)
    rows, values = [], review.form.actor_values()
    for index, (original, step) in enumerate(zip(doc.steps, current.steps, strict=True)):
        field = review.form[SopReviewForm.step_field(index)]
        titles = inferred_titles(step)
        rows.append({
            "step": step, "field": field, "kind": KIND_LABELS.get(step.kind, step.kind),
            "inferred": titles, "place": source_place(step.source),
            "exits_inferred": " ".join(titles[k] for k in EXIT_FIELDS if k in titles),
            "other_inferred": " ".join(t for k, t in titles.items() if k not in SHOWN_FIELDS),
            "missing": _lacks_actor(step),
            "corrected": values[index] != default_actor_value(original),
            "page": step.source.page if pages and step.source else None,
            "symbol": linked.get(index, (None, None))[1],
        })
    mapping_rows = [{"form": form, "actor": form.actor, "proposed": value == form.proposal
                     and bool(value), "value": value}
                    for form, value in zip(review.mapping.forms, review.mapping.values(),
                                           strict=False)]
    has_errors = line["has_errors"]
    return {**line, "index": review.index, "form": review.form, "mapping": review.mapping,
            "mapping_rows": mapping_rows, "targets": _target_rows(review), "file": file,
            "rows": rows, "pages": pages,
            "findings": [(f.severity.label, f) for f in findings],
            "inferred": sum(1 for r in rows if r["inferred"]),
            "open": open_all or has_errors}
