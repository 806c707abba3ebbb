"""SOPs waiting for someone in Tugas saya: a version in review for each Peninjau of its unit, a
submitted version for each Pengesah (both with how long they have waited), a returned draft
for its authors with the reason. Notifying them
happens at the transition itself (transitions.py), not on a schedule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext as _

from ..org.models import AnyUser, Membership, Person, units_where
from ..work import WorkItem, provider
from .models import SopVersion, VersionEvent

LIMIT = 50  # the list is for acting on, not an archive: the oldest first, at most this many


def _waiting(user: AnyUser, role: str, status: str, kind: str, label: str, action: str,
             page: str) -> list[WorkItem]:
    """Versions in `status` in the units where the user holds `role`, the longest waiting
    first, each linked to the `page` where they act on it."""
    units = units_where(user, role)
    if not units:
        return []
    waiting = SopVersion.objects.filter(status=status, sop__unit_id__in=units) \
        .select_related("sop__unit").order_by("submitted_at", "pk")[:LIMIT]
    return [WorkItem(kind, label, action, f"{v.name} — {v.sop.unit.name}",
                     reverse(page, args=[v.public_id]), since=v.submitted_at)
            for v in waiting]


@provider
def reviews_waiting(user: AnyUser, person: Person | None,
                    now: dt.datetime) -> Iterable[WorkItem]:
    return _waiting(user, Membership.Role.PENINJAU, SopVersion.Status.REVIU, "review",
                    _("Review"), _("Review the SOP"), "library:review")


@provider
def approvals_waiting(user: AnyUser, person: Person | None,
                      now: dt.datetime) -> Iterable[WorkItem]:
    return _waiting(user, Membership.Role.PENGESAH, SopVersion.Status.DIAJUKAN, "approval",
                    _("Approval"), _("Approve or return the SOP"), "library:approve")


@provider
def returned_to_me(user: AnyUser, person: Person | None,
                   now: dt.datetime) -> Iterable[WorkItem]:
    units = units_where(user, Membership.Role.PENYUSUN)
    if not units:
        return []
    drafts = list(SopVersion.objects.filter(status=SopVersion.Status.DRAFT,
                                            returned_at__isnull=False, sop__unit_id__in=units)
                  .select_related("sop").order_by("returned_at", "pk")[:LIMIT])
    reasons: dict[int, str] = {}
    for event in VersionEvent.objects.filter(version__in=drafts,
                                             kind=VersionEvent.Kind.RETURNED).order_by("at"):
        reasons[event.version_id] = event.reason  # the latest wins
    return [WorkItem("returned", _("Returned"),
                     _("Correct the returned SOP: %(reason)s") % {
                         "reason": reasons.get(v.pk, "")[:160]} if reasons.get(v.pk)
                     else _("Correct the returned SOP"), v.name,
                     reverse("library:edit", args=[v.public_id]), since=v.returned_at)
            for v in drafts]
