"""Who may read a unit's reports and who may monitor and evaluate its SOPs.

Evaluators and admins read the reports of their units (and the units below); so does the
unit's head: whoever holds the position marked as the unit's head today, definitif or acting
(Plt, Plh) while the acting holding runs."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from ..org.models import AnyUser, Position, Unit, in_force_on, units_where


def head_units(user: AnyUser) -> set[int]:
    """The units the user leads today (holding a head position, acting included), and every
    unit below them."""
    if not user.is_authenticated:
        return set()
    today = timezone.localdate()
    # One filter() call: the account, the start and the end belong to the same holding.
    headed = Position.objects.filter(
        Q(is_head=True, assignments__person__user=user) & in_force_on(today, "assignments__")
    ).values_list("unit_id", flat=True).distinct()
    ids: set[int] = set()
    for unit in Unit.objects.filter(pk__in=list(headed)):
        ids |= unit.descendant_ids()
    return ids


def report_units(user: AnyUser) -> set[int]:
    """The units whose reports the user may read: where they are an evaluator or an admin
    (directly or through a unit above), or the head of the unit or of a unit above."""
    return units_where(user, "evaluator") | head_units(user)


def evaluator_units(user: AnyUser) -> set[int]:
    """The units whose SOPs the user may monitor and evaluate (fill and finalise the forms):
    evaluators and admins, directly or through a unit above."""
    return units_where(user, "evaluator")
