"""The stored signed PDF of a version, for downloads and the public archive."""

from __future__ import annotations

from django.core.files.storage import default_storage

from ..library.models import SopVersion
from .models import SignedDocument


def signed_document(version: SopVersion) -> SignedDocument | None:
    return SignedDocument.objects.filter(version=version).first()


def signed_pdf(version: SopVersion) -> bytes | None:
    """The stored signed file of the version, or None when it is not signed (yet)."""
    signed = signed_document(version)
    if signed is None:
        return None
    with default_storage.open(signed.stored_name, "rb") as stored:
        data: bytes = stored.read()
    return data
