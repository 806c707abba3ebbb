"""The public archive (`/publik/`): the SOPs in force of the installation, for anyone, without
logging in — each as its signed document shows it, with that document to download.

What is in force is one database query (`in_force`): approved versions whose effective date
has come; a replaced, revoked, submitted or draft version, or one effective only later, is not
found here at all (404), so no link can lead to it. Everything shown is read from
`SopVersion.issued_document()` — the document with its approval record applied, what the PDF
carries — never from the stored content, the version's history, its cases, its users or its
internal comments. `ALUR_PUBLIC_ARCHIVE=0` turns the whole archive off: every address answers
404 and no page links to it (templatetags/public_archive.py)."""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, QuerySet
from django.db.models.functions import Lower
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from alur.render import layout
from alur.render.formats import FORMATS
from alur.render.html import identity_sheet, sections
from alur.render.svg import page_svg
from alur.sop import Sop as SopModel

from ..library import renders
from ..library.models import SopVersion
from ..library.queries import search_words
from ..org.models import Unit

PAGE_SIZE = 25
PDF = FORMATS["pdf"]
# Written by the electronic signature (issue 14 item 6); looked up at each call so the archive
# works before and without it: no module, or no signed file yet, serves the drawn PDF.
SIGNED_FILES = "alur.web.signing.files"


def in_force() -> QuerySet[SopVersion]:
    """Every version in force today: approved, its effective date come (see
    `SopVersion.in_force`, the same rule for one version)."""
    return SopVersion.objects.filter(status=SopVersion.Status.DISAHKAN,
                                     effective_date__lte=timezone.localdate())


def public(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
    """A page of the archive: GET or HEAD only, and not there at all when it is turned off."""
    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not settings.ALUR_PUBLIC_ARCHIVE:
            raise Http404(_("Page not found."))
        return view(request, *args, **kwargs)
    return require_safe(wrapped)


@dataclass(frozen=True)
class Row:
    """One SOP of the list, as its issued document names it."""

    version: SopVersion
    name: str
    number: str
    approver_title: str
    approver_name: str


def _row(version: SopVersion) -> Row:
    document = version.issued_document()
    return Row(version, document.name or version.name, document.number,
               document.approved_by.title, document.approved_by.name)


def find(query: str, unit: Unit | None) -> QuerySet[SopVersion]:
    """In-force versions with every word of `query` in their name, number, unit or steps;
    `unit` includes its sub-units. Ordered by name as people read it."""
    versions = in_force()
    for word in search_words(query):
        versions = versions.filter(search_text__contains=word)
    if unit is not None:
        versions = versions.filter(sop__unit_id__in=unit.descendant_ids())
    return versions.order_by(Lower("name"), "pk")


@public
def archive(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    unit_id = request.GET.get("unit", "").strip()
    unit = Unit.objects.filter(pk=int(unit_id)).first() if unit_id.isdigit() else None
    versions = find(query, unit)
    if unit_id and unit is None:  # an address with a unit that is not (or no longer) there
        versions = versions.none()
    # The page is chosen over the ids and names only (sorting whole rows, content and all,
    # would carry every version's document through the sort), then its rows are read.
    page = Paginator(versions.only("pk", "name"), PAGE_SIZE).get_page(request.GET.get("hal"))
    # With what `issued_document` reads: the approval record, and the unit with its parents
    # (the heading of a document that names no agency).
    chosen = versions.select_related("approval", "sop__unit__parent__parent__parent") \
        .in_bulk([v.pk for v in page])
    return render(request, "public/list.html", {
        "page": page, "rows": [_row(chosen[v.pk]) for v in page],
        "query": query, "unit": unit_id if unit_id.isdigit() else "",
        # Only units that have an SOP in force: a filter that can only find nothing is noise.
        "units": Unit.objects.filter(Exists(in_force().filter(sop__unit_id=OuterRef("pk"))))
        .order_by("name"),
        "filtered": bool(query or unit_id)})


def _version(public_id: str) -> SopVersion:
    return get_object_or_404(in_force().select_related("approval", "sop__unit"),
                             public_id=public_id)


@public
def detail(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    document = version.issued_document()
    result = layout(document)
    return render(request, "public/detail.html", {
        "version": version, "row": _row(version), "document": document,
        # Built by alur.render with every SOP text escaped; internal comments never printed.
        "identity": mark_safe(identity_sheet(document)),
        "sections": mark_safe(sections(document)),
        "pages": [mark_safe(page_svg(p, result, crop=True)) for p in result.pages]})


def signed_pdf(version: SopVersion) -> bytes | None:
    """The version's stored signed PDF, or None: not signed (yet), or no signing installed."""
    try:
        files = importlib.import_module(SIGNED_FILES)
    except ImportError:
        return None
    data: bytes | None = files.signed_pdf(version)
    return data


def _filename(document: SopModel, version: SopVersion) -> str:
    return f"{document.id}-v{version.number}.{PDF.extension}"


@public
def download(request: HttpRequest, public_id: str) -> HttpResponseBase:
    """The signed PDF when there is one, else the issued document drawn as PDF, its footer
    saying it is not signed (a large SOP by the job worker, as the library's downloads are)."""
    version = _version(public_id)
    document = version.issued_document()
    filename = _filename(document, version)
    signed = signed_pdf(version)
    if signed is not None:
        response = HttpResponse(signed, content_type=PDF.media_type)
    elif (refused := renders.step_limit_problem(document)) is not None:
        return render(request, "public/download_wait.html", {
            "version": version, "document": document, "refused": refused}, status=413)
    elif len(document.steps) > renders.inline_steps():
        return _drawn_in_background(request, version, document, filename)
    else:
        response = HttpResponse(renders.make(version, document, PDF.name),  # says unsigned
                                content_type=PDF.media_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _drawn_in_background(request: HttpRequest, version: SopVersion, document: SopModel,
                         filename: str) -> HttpResponseBase:
    """A large SOP's PDF once the job worker has drawn it; until then a page that says so and
    looks again every few seconds."""
    name = renders.ready(version, PDF.name)
    if name is None:
        renders.request(version, PDF.name)
        name = renders.ready(version, PDF.name)  # drawn already when jobs run in the request
    if name is not None:
        return FileResponse(default_storage.open(name), as_attachment=True, filename=filename,
                            content_type=PDF.media_type)
    return render(request, "public/download_wait.html", {
        "version": version, "document": document, "steps": len(document.steps)}, status=202)
