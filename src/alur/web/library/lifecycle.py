"""The life of an SOP version: draft → diajukan → disahkan → (berlaku from its effective
date) → dicabut or diganti. Each transition is a POST by someone with the role for the
SOP's unit; anything else is refused with a message, and nothing changes."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.decorators.http import require_POST

from .models import SopVersion
from .permissions import can_approve, can_write
from .services import add_sop, approve

Status = SopVersion.Status


def _version(public_id: str) -> SopVersion:
    return get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                             public_id=public_id)


def _back(version: SopVersion) -> HttpResponse:
    return redirect(f"/sop/{version.sop.public_id}/?versi={version.public_id}")


def _refuse(request: HttpRequest, version: SopVersion, message: str) -> HttpResponse:
    messages.error(request, message)
    return _back(version)


@login_required
@require_POST
@transaction.atomic
def submit(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    if not can_write(request.user, version.sop):
        raise PermissionDenied
    if version.status != Status.DRAFT:
        return _refuse(request, version, "Hanya draf yang dapat diajukan.")
    version.status = Status.DIAJUKAN
    version.submitted_at = timezone.now()
    version.save()
    messages.success(request, f"Versi {version.number} diajukan untuk disahkan.")
    return _back(version)


@login_required
@require_POST
@transaction.atomic
def approve_view(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    if not can_approve(request.user, version.sop):
        raise PermissionDenied
    if version.status != Status.DIAJUKAN:
        return _refuse(request, version, "Hanya versi yang diajukan yang dapat disahkan.")
    effective = None
    if request.POST.get("efektif"):
        try:
            effective = dt.date.fromisoformat(request.POST["efektif"])
        except ValueError:
            return _refuse(request, version, "Tanggal efektif tidak valid (YYYY-MM-DD).")
    approve(version, request.user, effective)
    messages.success(request, f"Versi {version.number} disahkan, berlaku mulai "
                              f"{version.effective_date:%d-%m-%Y}.")
    return _back(version)


@login_required
@require_POST
@transaction.atomic
def return_view(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    if not can_approve(request.user, version.sop):
        raise PermissionDenied
    if version.status != Status.DIAJUKAN:
        return _refuse(request, version, "Hanya versi yang diajukan yang dapat dikembalikan.")
    version.status = Status.DRAFT
    version.submitted_at = None
    version.save()
    messages.success(request, f"Versi {version.number} dikembalikan ke penyusun sebagai draf.")
    return _back(version)


@login_required
@require_POST
@transaction.atomic
def revoke(request: HttpRequest, public_id: str) -> HttpResponse:
    version = _version(public_id)
    if not can_approve(request.user, version.sop):
        raise PermissionDenied
    if version.status != Status.DISAHKAN:
        return _refuse(request, version, "Hanya versi yang disahkan yang dapat dicabut.")
    version.status = Status.DICABUT
    version.save()
    messages.success(request, f"Versi {version.number} dicabut.")
    return _back(version)


@login_required
@require_POST
@transaction.atomic
def new_version(request: HttpRequest, public_id: str) -> HttpResponse:
    """Editing an approved SOP starts here: a new draft with the same content."""
    version = _version(public_id)
    if not can_write(request.user, version.sop):
        raise PermissionDenied
    if version.sop.versions.filter(status__in=[Status.DRAFT, Status.DIAJUKAN]).exists():
        return _refuse(request, version, "SOP ini sudah memiliki draf atau versi yang diajukan.")
    draft = add_sop(version.document, version.sop.unit, request.user)
    messages.success(request, f"Draf versi {draft.number} dibuat dari versi {version.number}.")
    return _back(draft)
