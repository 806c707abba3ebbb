"""The approval record and the document as issued: what the approved version's outputs show."""

from __future__ import annotations

from typing import TYPE_CHECKING

from alur.sop import Sop as SopModel

if TYPE_CHECKING:
    from .models import SopVersion


def issued(version: SopVersion) -> SopModel:
    """The version's document with its approval applied (see `SopVersion.issued_document`)."""
    return version.document
