"""The life of an SOP version: draft → diajukan → disahkan → (berlaku from its effective
date) → dicabut or diganti. Each transition is a POST by someone with the role for the
SOP's unit; anything else is refused with a message, and nothing changes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from .models import SopVersion
from .permissions import can_approve, can_write
from .services import DraftExists, approve, new_draft

Status = SopVersion.Status


def _version(public_id: str) -> SopVersion:
    return get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                             public_id=public_id)


def _back(version: SopVersion) -> HttpResponse:
    return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")


def _refuse(request: HttpRequest, version: SopVersion, message: str) -> HttpResponse:
    messages.error(request, message)
    return _back(version)


def _transition(request: HttpRequest, public_id: str, *,
                allowed: Callable[..., bool], from_status: str, refusal: str | Promise,
                change: Callable[[HttpRequest, SopVersion], str]) -> HttpResponse:
    """The shape every transition shares: the right person, the right state, one change."""
    version = _version(public_id)
    if not allowed(request.user, version.sop):
        raise PermissionDenied
    if version.status != from_status:
        return _refuse(request, version, str(refusal))  # lazy: in the request's language
    try:
        messages.success(request, change(request, version))
    except ValueError as error:
        return _refuse(request, version, str(error))
    return _back(version)


def _submit(request: HttpRequest, version: SopVersion) -> str:
    version.status, version.submitted_at = Status.DIAJUKAN, timezone.now()
    version.returned_at = None
    version.save()
    return _("Version %(number)s submitted for approval.") % {"number": version.number}


def _approve(request: HttpRequest, version: SopVersion) -> str:
    effective = None
    if request.POST.get("efektif"):
        try:
            effective = dt.date.fromisoformat(request.POST["efektif"])
        except ValueError:
            raise ValueError(_("Invalid effective date (YYYY-MM-DD).")) from None
    approve(version, request.user, effective)
    return _("Version %(number)s approved, in force from %(date)s.") % {
        "number": version.number, "date": f"{version.effective_date:%d-%m-%Y}"}


def _return(request: HttpRequest, version: SopVersion) -> str:
    version.status, version.submitted_at = Status.DRAFT, None
    version.returned_at = timezone.now()
    version.save()
    return _("Version %(number)s returned to the author as a draft.") % {
        "number": version.number}


def _revoke(request: HttpRequest, version: SopVersion) -> str:
    version.status = Status.DICABUT
    version.save()
    return _("Version %(number)s revoked.") % {"number": version.number}


def _view(allowed: Callable[..., bool], from_status: str, refusal: str | Promise,
          change: Callable[[HttpRequest, SopVersion], str]) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    @transaction.atomic
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        return _transition(request, public_id, allowed=allowed, from_status=from_status,
                           refusal=refusal, change=change)

    return view


submit = _view(can_write, Status.DRAFT, gettext_lazy("Only drafts can be submitted."), _submit)
approve_view = _view(can_approve, Status.DIAJUKAN,
                     gettext_lazy("Only submitted versions can be approved."), _approve)
return_view = _view(can_approve, Status.DIAJUKAN,
                    gettext_lazy("Only submitted versions can be returned."), _return)
revoke = _view(can_approve, Status.DISAHKAN,
               gettext_lazy("Only approved versions can be revoked."), _revoke)


@login_required
@require_POST
@transaction.atomic
def new_version(request: HttpRequest, public_id: str) -> HttpResponse:
    """Editing an approved SOP starts here: a new draft with the same content."""
    version = _version(public_id)
    if not can_write(request.user, version.sop):
        raise PermissionDenied
    try:
        draft = new_draft(version, request.user)
    except DraftExists as error:
        return _refuse(request, version, str(error))
    messages.success(request, _("Draft version %(new)s created from version %(old)s.") % {
        "new": draft.number, "old": version.number})
    return _back(draft)
