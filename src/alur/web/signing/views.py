"""The public verification page: what the QR code on a signed SOP opens (no login).

It states what was signed (the SOP, its number, the version, who approved it and when, the
effective date, the seal and the stored hash) and whether the version is still in force, and
checks an uploaded file: its SHA-256 against the stored one and its embedded signature
(intact, covering the whole file). Either failing means the file is not the signed document.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from ..library.models import SopVersion
from .forms import CheckForm
from .models import CODE_ALPHABET, SignedDocument
from .signers import SealUnavailable, current_signer
from .validation import SignatureCheck, check_pdf


@dataclass(frozen=True)
class Result:
    hash_matches: bool
    signature: SignatureCheck

    @property
    def genuine(self) -> bool:
        return self.hash_matches and self.signature.valid


def _trust_root() -> bytes | None:
    """The installation's seal certificate, so a file it sealed shows as such."""
    try:
        signer = current_signer()
    except SealUnavailable:
        return None
    return signer.certificate() if signer is not None else None


def _revoked_at(version: SopVersion) -> object | None:
    events = getattr(version, "events", None)  # the version's history (library.VersionEvent)
    if events is None:
        return None
    event = events.filter(kind="revoked").order_by("-at").first()
    return event.at if event is not None else None


@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest, code: str) -> HttpResponse:
    code = code.strip().upper()
    signed = None
    if 8 <= len(code) <= 10 and set(code) <= set(CODE_ALPHABET):
        signed = SignedDocument.objects.select_related(
            "version__sop__unit", "version__approved_by").filter(code=code).first()
    if signed is None:
        return render(request, "signing/unknown.html", {"code": code[:20]}, status=404)
    version = signed.version
    document = version.issued_document()
    result = None
    form = CheckForm()
    if request.method == "POST":
        form = CheckForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            result = Result(hash_matches=hashlib.sha256(data).hexdigest() == signed.sha256,
                            signature=check_pdf(data, _trust_root()))
    status = SopVersion.Status
    return render(request, "signing/verify.html", {
        "signed": signed, "version": version, "document": document,
        "approver": document.approved_by, "form": form, "result": result,
        "revoked": version.status == status.DICABUT, "revoked_at": _revoked_at(version),
        "replaced": version.status == status.DIGANTI,
        "in_force": version.in_force})
