"""Review by the organisation bureau, between the author and the approver.

Where the installation has it on (ALUR_BUREAU_REVIEW, on by default) and someone holds the
Peninjau role for the SOP's unit, a submitted version waits for their review (status `reviu`)
before it reaches the Pengesah. The reviewer records a result with notes per step or identity
field: "Perlu perbaikan" returns the version to its authors, who read the notes in the editor
beside the steps and fields; "Sesuai" sends it on to the approver with a Berita Acara Hasil
Reviu (reviewing.py draws it from the record). The reviewer may also give the SOP its number
from the agency's numbering pattern (ALUR_SOP_NUMBER_PATTERN); the approved version's outputs
print it (approval.issued).

Where nobody holds the role for a unit, its SOPs go straight to the approver: an installation
turns the review on for a unit by giving the bureau's staff the role there.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ..cases.models import Notification
from ..org.models import Assignment, Membership, Person, Unit
from . import approval, transitions
from .models import Review, ReviewNote, SopVersion, VersionEvent

Status = SopVersion.Status
DEFAULT_PATTERN = "{urut:03d}/SOP/{unit}/{tahun}"
ROMAN_MONTHS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
logger = logging.getLogger(__name__)


def applies(unit: Unit) -> bool:
    """Whether the unit's submitted SOPs wait for a review: the installation has it on and a
    Peninjau serves the unit (directly or through a unit above it)."""
    if not getattr(settings, "ALUR_BUREAU_REVIEW", True):
        return False
    return Membership.objects.filter(unit_id__in=unit.chain_ids(),
                                     role=Membership.Role.PENINJAU).exists()


def reviewers_of(unit: Unit) -> set[int]:
    return transitions.people_with_role(unit, Membership.Role.PENINJAU)


@dataclass(frozen=True)
class Note:
    """A note as the reviewer writes it: on a step (its number) or an identity field."""

    text: str
    step: int | None = None
    field: str = ""


def suggested_number(version: SopVersion, on: dt.date | None = None) -> str:
    """The number the SOP already carries, else the next one from the agency's pattern:
    `{urut}` counts the numbers reviewers gave this year (from 1), `{unit}` is the unit's
    code, `{tahun}` the year, `{bulan}` the month in Roman numerals (XII)."""
    if version.document.number:
        return version.document.number
    on = on or timezone.localdate()
    given = Review.objects.filter(at__year=on.year).exclude(sop_number="").count()
    values = {"urut": given + 1, "unit": version.sop.unit.code.upper(), "tahun": on.year,
              "bulan": ROMAN_MONTHS[on.month - 1]}
    pattern = getattr(settings, "ALUR_SOP_NUMBER_PATTERN", DEFAULT_PATTERN) or DEFAULT_PATTERN
    try:
        return pattern.format(**values)
    except (KeyError, IndexError, ValueError):  # a mistyped setting must not stop a review
        logger.error("ALUR_SOP_NUMBER_PATTERN %r cannot be filled; using the default", pattern)
        return DEFAULT_PATTERN.format(**values)


def submit_for_review(version: SopVersion, event: VersionEvent) -> None:
    """Tell the unit's reviewers that a version waits for them (transitions.submit)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SOP waiting for your review: %(name)s") % {"name": version.name}
    transitions.notify(reviewers_of(version.sop.unit), Notification.Kind.REVIEW_DUE, subject,
                       version, key=f"review:{version.pk}:{event.pk}",
                       link=reverse("library:review", args=[version.public_id]))


@transaction.atomic
def record(version: SopVersion, user, result: str, *, summary: str = "",
           notes: list[Note] | None = None, sop_number: str = "") -> Review:
    """Record the review's result and move the version on: to the approver (Sesuai) or back
    to its authors (Perlu perbaikan, which needs a note saying what to correct)."""
    notes = [n for n in notes or [] if n.text.strip()]
    if result == Review.Result.PERBAIKAN and not notes and not summary.strip():
        raise ValueError(_("Say what must be corrected: write a note on a step or field, or a "
                           "general note."))
    person = Person.objects.filter(user_id=user.pk).first()
    # The position the reviewer holds today (a definitive one before an acting one): what the
    # Berita Acara names them as; a holding that has ended is no title.
    held = min(approval.holdings(user), default=None,
               key=lambda a: a.kind != Assignment.Kind.DEFINITIF)
    review = Review.objects.create(
        version=version, reviewer=user,
        reviewer_name=(person.name if person else "") or user.get_full_name() or user.username,
        reviewer_nip=(person.nip or "") if person else "",
        reviewer_title=approval.holding_label(held) if held else "", result=result,
        summary=summary.strip(), sop_number=sop_number.strip()[:120] if
        result == Review.Result.SESUAI else "")
    ReviewNote.objects.bulk_create(
        ReviewNote(review=review, step=n.step, field=n.field[:40], text=n.text.strip())
        for n in notes)
    if result == Review.Result.SESUAI:
        _pass(version, user, review)
    else:
        _return(version, user, review, len(notes))
    return review


def _pass(version: SopVersion, user, review: Review) -> None:
    version.status = Status.DIAJUKAN
    if review.sop_number:
        version.sop_number = review.sop_number
    version.save()
    event = transitions.event(version, VersionEvent.Kind.REVIEWED, user, review.summary)
    transitions.ask_approval(version, event)


def _return(version: SopVersion, user, review: Review, noted: int) -> None:
    reason = review.summary or _("%(count)s note(s) from the review, shown beside the steps "
                                 "and fields in the editor.") % {"count": noted}
    transitions.return_to_author(version, user, reason)


def notes_for(version: SopVersion) -> Review | None:
    """The review whose notes the author must work through: the latest, when it asked for
    corrections and the version is a draft again."""
    if version.status != Status.DRAFT:
        return None
    latest = version.reviews.order_by("-at", "-pk").first()
    return latest if latest and latest.result == Review.Result.PERBAIKAN else None


def notes_by_place(found: Review | None) -> dict[str, list[str]]:
    """The review's notes by where the editor shows them: a step's number ("3") or an identity
    field's name ("legal_basis")."""
    places: dict[str, list[str]] = {}
    for note in found.notes.all() if found else []:
        places.setdefault(str(note.step) if note.step else note.field, []).append(note.text)
    return places


def passed(version: SopVersion) -> Review | None:
    """The review that sent this version on to the approver, if any."""
    return version.reviews.filter(result=Review.Result.SESUAI).order_by("-at", "-pk").first()
