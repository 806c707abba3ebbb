"""The approval path's changes of state, apart from approving itself (services.approve) and
the bureau's review (review.py): submit, withdraw, return and revoke. Each checks what it
must, writes its event into the version's history with who, when and why, and tells the
people who must act next.

A version with checker errors cannot be submitted (nor approved, see the approve page): its
cases would stall at the broken step. Returning and revoking need a reason, which the authors
read on the SOP page and in their notification.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from alur.sop import Finding, Severity, check
from alur.sop import Sop as SopModel

from ..cases.models import Notification
from ..org.models import Membership, Person, Unit
from ..work import notify_once
from .models import SopVersion, VersionEvent

Status = SopVersion.Status


class Blocked(ValueError):
    """The version has checker errors: `errors` lists them for the page to link."""

    def __init__(self, errors: list[Finding]) -> None:
        super().__init__(_("The SOP has errors that must be corrected first."))
        self.errors = errors


_STEP_PREFIX = re.compile(r"^(?:Langkah|Step) \d+:\s*")


def beside_step(findings: Iterable[Finding]) -> list[Finding]:
    """The findings as a page lists them after its own "Langkah N" link: the message without
    the same words at its start."""
    return [f.model_copy(update={"message": _STEP_PREFIX.sub("", f.message, count=1)})
            if f.step else f for f in findings]


def editor_links(version: SopVersion, findings: Iterable[Finding]) -> list[tuple[Finding, str]]:
    """Each finding, as listed after its own "Langkah N", with the link that opens its step in
    the version's editor (the editor itself for a finding on no step)."""
    editor = reverse("library:edit", args=[version.public_id])
    return [(f, f"{editor}#langkah-{f.step}" if f.step else editor)
            for f in beside_step(findings)]


def errors_and_warnings(document: SopModel) -> tuple[list[Finding], list[Finding]]:
    """The checker's errors (they block submitting and approving) and its warnings (the
    approver acknowledges them), from one run of the check."""
    findings = check(document)
    return ([f for f in findings if f.severity == Severity.ERROR],
            [f for f in findings if f.severity == Severity.WARNING])


def people_with_role(unit: Unit, role: str) -> set[int]:
    """Employees (Person ids) whose account holds `role` for the unit, directly or through a
    unit above it; the unit's admins when nobody holds it."""
    chain = unit.chain_ids()
    for roles in ([role], ["admin"]):
        users = Membership.objects.filter(unit_id__in=chain, role__in=roles) \
            .values_list("user_id", flat=True)
        people = set(Person.objects.filter(user_id__in=users).values_list("pk", flat=True))
        if people:
            return people
    return set()


def authors_of(version: SopVersion) -> set[int]:
    """Whoever wrote the draft, and the unit's authors."""
    people = people_with_role(version.sop.unit, "penyusun")
    if version.created_by_id:
        people |= set(Person.objects.filter(user_id=version.created_by_id)
                      .values_list("pk", flat=True))
    return people


def _link(version: SopVersion) -> str:
    return reverse("library:detail", args=[version.sop.public_id]) + \
        f"?versi={version.public_id}"


def notify(people: Iterable[int], kind: str, subject: str, version: SopVersion,
           key: str, link: str | None = None) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        notify_once(people, kind, str(subject), link or _link(version), key)


def event(version: SopVersion, kind: str, user, reason: str = "") -> VersionEvent:
    return VersionEvent.objects.create(version=version, kind=kind, user=user,
                                       at=timezone.now(), reason=reason.strip())


@transaction.atomic
def submit(version: SopVersion, user) -> None:
    """Submit a draft: to the organisation bureau's review where it applies to the unit
    (review.py), else straight to the approver."""
    from . import review  # the review builds on these transitions

    if errors := errors_and_warnings(version.document)[0]:
        raise Blocked(errors)
    reviewed = review.applies(version.sop.unit)
    version.status = Status.REVIU if reviewed else Status.DIAJUKAN
    version.submitted_at, version.returned_at = timezone.now(), None
    version.save()
    submitted = event(version, VersionEvent.Kind.SUBMITTED, user)
    if reviewed:
        review.submit_for_review(version, submitted)
    else:
        ask_approval(version, submitted)


def ask_approval(version: SopVersion, after: VersionEvent) -> None:
    """Tell the unit's approvers that a version waits for them."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("SOP waiting for your approval: %(name)s") % {"name": version.name}
    notify(people_with_role(version.sop.unit, "pengesah"), Notification.Kind.APPROVAL_DUE,
           subject, version, key=f"approval:{version.pk}:{after.pk}",
           link=reverse("library:approve", args=[version.public_id]))


@transaction.atomic
def withdraw(version: SopVersion, user, reason: str = "") -> None:
    """The author takes a submission back to keep editing; nothing else changes."""
    version.status, version.submitted_at = Status.DRAFT, None
    version.save()
    event(version, VersionEvent.Kind.WITHDRAWN, user, reason)


@transaction.atomic
def return_to_author(version: SopVersion, user, reason: str) -> None:
    if not reason.strip():
        raise ValueError(_("Say why the SOP is returned: the author needs the reason."))
    version.status, version.submitted_at = Status.DRAFT, None
    version.returned_at = timezone.now()
    version.save()
    _tell_authors(version, event(version, VersionEvent.Kind.RETURNED, user, reason),
                  gettext_noop("SOP returned: %(name)s — %(reason)s"))


@transaction.atomic
def revoke(version: SopVersion, user, reason: str) -> None:
    if not reason.strip():
        raise ValueError(_("Say why the SOP is revoked."))
    version.status = Status.DICABUT
    version.save()
    _tell_authors(version, event(version, VersionEvent.Kind.REVOKED, user, reason),
                  gettext_noop("SOP revoked: %(name)s — %(reason)s"))


def _tell_authors(version: SopVersion, happened: VersionEvent, subject: str) -> None:
    """Notify the version's authors of what happened to it and why (`subject`: a message
    with %(name)s and %(reason)s, translated here in the installation's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = _(subject) % {"name": version.name, "reason": happened.reason[:200]}
    notify(authors_of(version), Notification.Kind.RETURNED, text, version,
           key=f"{happened.kind}:{version.pk}:{happened.pk}")


def last_reason(version: SopVersion, kind: str) -> VersionEvent | None:
    return version.events.filter(kind=kind).order_by("-at", "-pk").first()
