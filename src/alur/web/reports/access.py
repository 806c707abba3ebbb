"""Who may read a unit's reports and who may monitor and evaluate its SOPs."""

from __future__ import annotations

from ..org.models import AnyUser, units_where


def report_units(user: AnyUser) -> set[int]:
    """The units whose reports the user may read: where they are an evaluator or an admin
    (directly or through a unit above)."""
    return units_where(user, "evaluator")


def evaluator_units(user: AnyUser) -> set[int]:
    """The units whose SOPs the user may monitor and evaluate (fill and finalise the forms):
    evaluators and admins, directly or through a unit above."""
    return units_where(user, "evaluator")
