"""Who may do what to an SOP: roles per unit (org.Membership), reaching the units below."""

from __future__ import annotations

from ..org.models import AnyUser, units_where
from .models import Sop


def can(user: AnyUser, role: str, sop: Sop) -> bool:
    return sop.unit_id in units_where(user, role)


def can_write(user: AnyUser, sop: Sop) -> bool:
    return can(user, "penyusun", sop)


def can_approve(user: AnyUser, sop: Sop) -> bool:
    return can(user, "pengesah", sop)


def can_review(user: AnyUser, sop: Sop) -> bool:
    return can(user, "peninjau", sop)
