"""The library: find SOPs, read one (identity sheet, flowchart, findings, versions) and
download its documents."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import F, OrderBy
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from alur.render import layout
from alur.render.formats import FORMATS
from alur.render.html import identity_sheet
from alur.render.svg import page_svg
from alur.sop import Severity, check, dumps_yaml

from ..org.models import Unit, units_where
from ..signing.files import signed_document
from . import renders, review
from .models import Sop, SopVersion, VersionEvent, name_key
from .permissions import can_approve, can_review, can_write
from .queries import find
from .transitions import beside_step, editor_links
from .transitions import last_reason as last_event

PAGE_SIZE = 25
# Names sort as people read them, "Surat masuk" beside "SURAT KELUAR": Lower() orders the
# same on SQLite and PostgreSQL, whatever the database's collation.
SORTS: dict[str, OrderBy] = {
    "nama": Lower("latest_name").asc(), "nomor": Lower("latest_number").asc(),
    "unit": Lower("unit__name").asc(), "terbaru": F("created_at").desc()}
SORT_LABELS = {"nama": gettext_lazy("Name"), "nomor": gettext_lazy("Number"),
               "unit": gettext_lazy("Unit"), "terbaru": gettext_lazy("Newest")}


@login_required
@require_GET
def sop_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    unit = request.GET.get("unit", "")
    status = request.GET.get("status", "")
    sops = find(query, get_object_or_404(Unit, pk=unit) if unit.isdigit() else None, status)
    sort = request.GET.get("urut", "nama")
    sops = sops.order_by(SORTS.get(sort, SORTS["nama"]), "pk")
    page = Paginator(sops, PAGE_SIZE).get_page(request.GET.get("hal"))
    labels = dict(SopVersion.Status.choices)
    # The page's list is evaluated once; each SOP with its status in words (none: no version).
    rows = [(sop, labels.get(sop.latest_status or "", sop.latest_status)) for sop in page]
    return render(request, "library/list.html", {
        "page": page, "rows": rows, "query": query, "units": Unit.objects.order_by("name"),
        "unit": unit, "status": status, "statuses": SopVersion.Status.choices,
        "sort": sort, "sorts": list(SORT_LABELS.items()),
        "filtered": bool(query or unit or status),
        # Authors import; everyone else is told whom to ask.
        "may_import": bool(units_where(request.user, "penyusun"))})


def _version(request: HttpRequest, sop: Sop) -> SopVersion:
    wanted = request.GET.get("versi")
    if wanted:
        try:
            return sop.versions.get(public_id=wanted)
        except (SopVersion.DoesNotExist, ValueError, ValidationError):
            raise Http404(_("Version not found.")) from None
    version = sop.latest()
    if version is None:
        raise Http404(_("The SOP has no version yet."))
    return version


@login_required
@require_GET
def sop_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    sop = get_object_or_404(Sop.objects.select_related("unit"), public_id=public_id)
    version = _version(request, sop)
    document = version.issued_document()
    result = layout(document)
    related = related_sops(document.related, sop)
    previous = sop.versions.filter(number__lt=version.number).order_by("-number").first()
    checked = check(document)
    editable = version.status == SopVersion.Status.DRAFT and can_write(request.user, sop)
    return render(request, "library/detail.html", {
        "sop": sop, "version": version, "document": document,
        # Both are built by alur.render with every SOP text escaped.
        "identity": mark_safe(identity_sheet(document)),
        "pages": [mark_safe(page_svg(p, result, crop=True)) for p in result.pages],
        "unhonoured": result.unhonoured,
        "findings": [(f.severity.label, f) for f in beside_step(checked)],
        "errors": editor_links(version, [f for f in checked if f.severity == Severity.ERROR]),
        "editable": editable,
        "approval": getattr(version, "approval", None),
        "returned": (last_event(version, VersionEvent.Kind.RETURNED)
                     if version.returned_at and version.status == SopVersion.Status.DRAFT
                     else None),
        "events": version.events.select_related("user"),
        "versions": sop.versions.order_by("-number").select_related("approval"),
        "related": related, "formats": [*FORMATS, "yaml"],
        "can_write": can_write(request.user, sop), "can_approve": can_approve(request.user, sop),
        "can_review": can_review(request.user, sop),
        "passed_review": review.passed(version), "review_notes": review.notes_for(version),
        "open_draft": sop.versions.filter(status__in=SopVersion.OPEN_STATUSES).exists(),
        "previous": previous})


def related_sops(texts: list[str], sop: Sop) -> list[tuple[str, Sop | None]]:
    """Keterkaitan names other SOPs loosely ("SOP Surat Masuk."): each entry with the SOP of
    that name, nearest unit first, found for all entries in one indexed query."""
    keys = {text: name_key(text) for text in texts}
    wanted = {k for k in keys.values() if len(k) >= 4}
    found: dict[str, Sop] = {}
    for version in SopVersion.objects.filter(name_key__in=wanted).exclude(sop=sop) \
            .select_related("sop").order_by("-number"):
        current = found.get(version.name_key)
        if current is None or (current.unit_id != sop.unit_id and
                               version.sop.unit_id == sop.unit_id):
            found[version.name_key] = version.sop
    return [(text, found.get(keys[text])) for text in texts]


@login_required
@require_GET
def download(request: HttpRequest, public_id: str, fmt: str) -> HttpResponseBase:
    version = get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                                public_id=public_id)
    document = version.issued_document()
    stem = f"{document.id}-v{version.number}"
    if fmt == "pdf" and (signed := signed_document(version)) is not None:  # the signed file
        return FileResponse(default_storage.open(signed.stored_name), as_attachment=True,
                            filename=f"{stem}.pdf", content_type="application/pdf")
    if fmt == "yaml":
        response = HttpResponse(dumps_yaml(document), content_type="application/yaml")
        extension = "yaml"
    elif fmt in FORMATS:
        chosen = FORMATS[fmt]
        extension = chosen.extension
        if (refused := renders.step_limit_problem(document)) is not None:
            return render(request, "library/download_wait.html", {
                "version": version, "document": document, "refused": refused}, status=413)
        if len(document.steps) > renders.inline_steps():
            return _drawn_in_background(request, version, fmt, f"{stem}.{extension}")
        content = renders.make(version, document, fmt)  # an approved PDF: says unsigned
        response = HttpResponse(content, content_type=chosen.media_type)
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{stem}.{extension}"'
    return response


def _drawn_in_background(request: HttpRequest, version: SopVersion, fmt: str,
                         filename: str) -> HttpResponseBase:
    """A large SOP's file once the job worker has drawn it; until then a page that says so
    and looks again every few seconds."""
    name = renders.ready(version, fmt)
    if name is None:
        renders.request(version, fmt)
        name = renders.ready(version, fmt)  # drawn already when jobs run in the request
    if name is not None:
        return FileResponse(default_storage.open(name), as_attachment=True, filename=filename,
                            content_type=FORMATS[fmt].media_type)
    return render(request, "library/download_wait.html", {
        "version": version, "document": version.issued_document(), "format": fmt.upper(),
        "steps": len(version.document.steps)}, status=202)
