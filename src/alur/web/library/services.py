"""Putting SOP documents into the library. Views, the import page and `alur demo` all go
through here, so an SOP always enters the database the same way."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from alur.sop import Sop as SopModel

from ..org.models import Person, Position, Unit
from .approval import Signatory, holdings, signatory_from_document, signatory_of
from .models import ActorLink, Approval, Sop, SopVersion, VersionEvent
from .review import passed


@transaction.atomic
def add_sop(document: SopModel, unit: Unit, user=None,
            positions: Mapping[str, Position] | None = None) -> SopVersion:
    """A new SOP in `unit` (or a new draft version of the unit's SOP with that id).
    `positions`: the actors' positions as a reviewer chose them (see `link_actors`)."""
    sop, _ = Sop.objects.get_or_create(unit=unit, slug=document.id)
    last = sop.versions.order_by("-number").first()
    version = SopVersion(sop=sop, number=(last.number + 1) if last else 1, created_by=user)
    version.set_document(document)
    version.save()
    link_actors(sop, document, positions)
    return version


class DraftExists(ValueError):
    """The SOP already has a draft or a submitted version: a second one would fork its
    history. `draft` is that version, so a caller can point people at it."""

    def __init__(self, draft: SopVersion) -> None:
        super().__init__(gettext("This SOP already has a draft or a submitted version."))
        self.draft = draft


@transaction.atomic
def new_draft(version: SopVersion, user=None) -> SopVersion:
    """A new draft version of `version`'s SOP with the same content: how an approved SOP
    is edited (the library's "Create a new version") and how an evaluation's "revise"
    hands it back to its authors. Raises `DraftExists` when the SOP has a draft or a
    submitted version already."""
    # Lock the SOP row: two requests at once must not both find no draft and make two.
    Sop.objects.select_for_update().filter(pk=version.sop_id).first()
    open_version = (version.sop.versions.filter(status__in=SopVersion.OPEN_STATUSES)
                    .order_by("-number").first())
    if open_version is not None:
        raise DraftExists(open_version)
    return add_sop(version.document, version.sop.unit, user)


def link_actors(sop: Sop, document: SopModel,
                positions: Mapping[str, Position] | None = None) -> None:
    """Link each actor column to the position of that name in the SOP's unit, creating the
    position when the unit has none yet (an organisation bureau confirms it in the admin).
    With `positions` (the import review's choices), link exactly the actors chosen there, to
    the chosen positions, and leave the others as they are. An applicant column (PNS,
    Pemohon) stands for whoever starts a case and links to no position."""
    for actor in document.actors:
        if positions is not None:
            if actor.id in positions and not actor.applicant:
                ActorLink.objects.update_or_create(sop=sop, actor_id=actor.id,
                                                   defaults={"position": positions[actor.id]})
            continue
        if actor.applicant or sop.actor_links.filter(actor_id=actor.id).exists():
            continue
        position, _ = Position.objects.get_or_create(unit=sop.unit, name=actor.name)
        ActorLink.objects.create(sop=sop, actor_id=actor.id, position=position)


@transaction.atomic
def approve(version: SopVersion, user, effective: dt.date | None = None, *,
            signatory: Signatory | None = None, decree_number: str = "") -> Approval:
    """Approve a version: its approval record (who signed, as what, from when it is in force,
    under which decree) and its history event; a previous version in force is replaced.
    Without a `signatory` (the demo, a programmatic load) the signer is the one the document
    names, else a position the approving account's employee holds that day, else that
    employee as the unit's head position."""
    now = timezone.now()
    document = version.document
    version.status = SopVersion.Status.DISAHKAN
    version.approved_by = user
    version.approved_at = now
    version.effective_date = effective or effective_from(document) or timezone.localdate()
    version.returned_at = None
    version.save()
    version.sop.versions.filter(status=SopVersion.Status.DISAHKAN).exclude(pk=version.pk) \
        .update(status=SopVersion.Status.DIGANTI)
    signatory = signatory or _default_signatory(version, document, user)
    record = Approval.objects.create(
        version=version, approver=user, person_id=signatory.person_id,
        position_title=signatory.position_title[:200], capacity=signatory.capacity,
        on_behalf_of=signatory.on_behalf_of[:200], name=signatory.name[:200],
        nip=signatory.nip[:18], approved_at=now, effective_date=version.effective_date,
        decree_number=decree_number.strip()[:120], sop_number=_reviewed_number(version))
    VersionEvent.objects.create(version=version, kind=VersionEvent.Kind.APPROVED, user=user,
                                at=now, reason=record.decree_number)
    from ..signing.services import schedule  # signing builds on the library, not the reverse

    schedule(version)
    return record


def _reviewed_number(version: SopVersion) -> str:
    reviewed = passed(version)
    return reviewed.sop_number if reviewed is not None else ""


def _default_signatory(version: SopVersion, document: SopModel, user) -> Signatory:
    person = Person.objects.filter(user_id=user.pk).first() if user is not None else None
    name = person.name if person else (user.get_full_name() or user.username if user else "")
    named = signatory_from_document(document, name)
    if named is not None:
        return named
    held = holdings(user) if user is not None else []
    if held:
        return signatory_of(held[0])
    head = Position.objects.filter(unit=version.sop.unit, is_head=True).first()
    title = head.name if head else version.sop.unit.name
    return Signatory(position_title=title, name=name, nip=(person.nip or "") if person else "",
                     person_id=person.pk if person else None)


def effective_from(document: SopModel) -> dt.date | None:
    text = document.dates.effective
    if not text:
        return None
    return dt.date.fromisoformat(text if len(text) == 10 else f"{text}-01")
