"""The life of an SOP version: draft → diajukan → disahkan → (berlaku from its effective
date) → dicabut or diganti. Each transition is a POST by someone with the role for the
SOP's unit; anything else is refused with a message, and nothing changes. Approving and
returning have their own page (approving.py): they need a form."""

from __future__ import annotations

from collections.abc import Callable, Collection

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from . import transitions
from .models import SopVersion
from .permissions import can_approve, can_write
from .services import DraftExists, new_draft

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
                allowed: Callable[..., bool], from_status: Collection[str], refusal: str | Promise,
                change: Callable[[HttpRequest, SopVersion], str]) -> HttpResponse:
    """The shape every transition shares: the right person, the right state, one change."""
    version = _version(public_id)
    if not allowed(request.user, version.sop):
        raise PermissionDenied
    if version.status not in from_status:
        return _refuse(request, version, str(refusal))  # lazy: in the request's language
    try:
        messages.success(request, change(request, version))
    except ValueError as error:
        return _refuse(request, version, str(error))
    return _back(version)


def _submit(request: HttpRequest, version: SopVersion) -> str:
    try:
        transitions.submit(version, request.user)
    except transitions.Blocked as blocked:
        raise ValueError(_("This version has %(count)s error(s) to correct before it can be "
                           "submitted; they are listed under Check results.")
                         % {"count": len(blocked.errors)}) from None
    if version.status == Status.REVIU:
        return _("Version %(number)s submitted: it goes to the organisation bureau's review "
                 "first.") % {"number": version.number}
    return _("Version %(number)s submitted for approval.") % {"number": version.number}


def _withdraw(request: HttpRequest, version: SopVersion) -> str:
    transitions.withdraw(version, request.user, request.POST.get("alasan", ""))
    return _("Version %(number)s withdrawn: it is a draft again.") % {"number": version.number}


def _revoke(request: HttpRequest, version: SopVersion) -> str:
    transitions.revoke(version, request.user, request.POST.get("alasan", ""))
    return _("Version %(number)s revoked.") % {"number": version.number}


def _view(allowed: Callable[..., bool], from_status: Collection[str], refusal: str | Promise,
          change: Callable[[HttpRequest, SopVersion], str]) -> Callable[..., HttpResponse]:
    @login_required
    @require_POST
    @transaction.atomic
    def view(request: HttpRequest, public_id: str) -> HttpResponse:
        return _transition(request, public_id, allowed=allowed, from_status=from_status,
                           refusal=refusal, change=change)

    return view


submit = _view(can_write, [Status.DRAFT], gettext_lazy("Only drafts can be submitted."), _submit)
withdraw = _view(can_write, [Status.REVIU, Status.DIAJUKAN],
                 gettext_lazy("Only submitted versions can be withdrawn."), _withdraw)
revoke = _view(can_approve, [Status.DISAHKAN],
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
