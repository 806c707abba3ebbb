"""The approval record and the document as issued: what the approved version's outputs show.

Approving writes an `Approval` (who signed, as what, when, in force from when, under which
decree); the content as submitted is never changed. Every output of the approved version reads
`issued(version)`: the content with the identity sheet's "Disahkan oleh" and "Tanggal Efektif"
taken from that record, the SOP number the bureau's reviewer gave it (review.py), and the
agency heading from the SOP's unit when the document has none, so an approved SOP never
prints an empty approver or "(instansi belum diisi)".
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from alur.sop import Sop as SopModel
from alur.sop.model import Approver

from ..org.models import AnyUser, Assignment, Person, in_force_on

if TYPE_CHECKING:
    from .models import Approval, SopVersion


@dataclass(frozen=True)
class Signatory:
    """Who signs an approval and as what, as the signature block prints it."""

    position_title: str
    name: str
    nip: str = ""
    capacity: str = "definitif"  # Approval.Capacity
    on_behalf_of: str = ""
    person_id: int | None = None


def issued(version: SopVersion) -> SopModel:
    """The version's document with its approval applied (see `SopVersion.issued_document`)."""
    document = version.document
    record: Approval | None = getattr(version, "approval", None) if version.pk else None
    update: dict[str, object] = {}
    if record is not None:
        if record.position_title:  # records carried over from before kept the document's
            update["approved_by"] = Approver(title=record.printed_title(), name=record.name,
                                             nip=record.nip)
        update["dates"] = document.dates.model_copy(
            update={"effective": record.effective_date.isoformat()})
        if record.sop_number:
            update["number"] = record.sop_number
    if not document.organization and version.sop_id:
        update["organization"] = version.sop.unit.heading()
    return document.model_copy(update=update) if update else document


def nip_required() -> bool:
    """Whether an approver must have a NIP: elected heads (Bupati, Wali Kota) have none, and
    an installation where they sign SOPs turns this off (ALUR_APPROVER_NIP_REQUIRED=0)."""
    return bool(getattr(settings, "ALUR_APPROVER_NIP_REQUIRED", True))


def holdings(user: AnyUser, on: dt.date | None = None) -> list[Assignment]:
    """The positions the user's employee record holds on the day, acting ones included: what
    they may sign as."""
    person = Person.objects.filter(user_id=user.pk).first() if user.is_authenticated else None
    if person is None:
        return []
    on = on or timezone.localdate()
    return list(Assignment.objects.filter(person=person).filter(in_force_on(on))
                .select_related("position__unit", "person").order_by("position__name"))


def signatory_of(assignment: Assignment, on_behalf_of: str = "") -> Signatory:
    person = assignment.person
    return Signatory(position_title=assignment.position.name, name=person.name,
                     nip=person.nip or "", capacity=assignment.kind,
                     on_behalf_of=on_behalf_of.strip(), person_id=person.pk)


def holding_label(assignment: Assignment) -> str:
    """"Kepala Dinas Sosial (Plt)" — a position as the approver picks what they sign as."""
    if assignment.kind == Assignment.Kind.DEFINITIF:
        return assignment.position.name
    return _("%(position)s (%(kind)s)") % {"position": assignment.position.name,
                                           "kind": assignment.kind.capitalize()}


def signatory_from_document(document: SopModel, fallback_name: str) -> Signatory | None:
    """The signer a document names itself (an SOP signed on paper before it came in), when it
    names one."""
    block = document.approved_by
    if not block.title:
        return None
    return Signatory(position_title=block.title, name=block.name or fallback_name,
                     nip=block.nip)
