"""Who may see a case, and the person behind an account.

A case can hold personal matters (a leave request), so it is not open to everybody in the
agency: its initiator, the people who hold or did its tasks, and those with a supervising role
(admin, pengesah, evaluator) in its unit may see it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..org.models import AnyUser, Membership, Person, units_where
from .models import Case, Task
from .routing import positions_held

SUPERVISING_ROLES = (Membership.Role.ADMIN, Membership.Role.PENGESAH,
                     Membership.Role.EVALUATOR)


def person_of(user: AnyUser) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def is_admin_for(user: AnyUser, case: Case) -> bool:
    return user.is_superuser or case.unit_id in units_where(user, Membership.Role.ADMIN)


def supervised_units(user: AnyUser) -> set[int]:
    units: set[int] = set()
    for role in SUPERVISING_ROLES:
        units |= units_where(user, role)
    return units


def visible_cases(user: AnyUser) -> QuerySet[Case]:
    """Cases the user may see (a queryset, for lists)."""
    if user.is_superuser:
        return Case.objects.all()
    person = person_of(user)
    condition = Q(unit_id__in=supervised_units(user))
    if person is not None:
        held = positions_held(person, timezone.localdate())
        involved = Task.objects.filter(
            Q(assignee=person) | Q(done_by=person) | Q(position_id__in=held)
        ).values("case_id")
        condition |= Q(initiator=person) | Q(pk__in=involved)
    return Case.objects.filter(condition)


def can_view(user: AnyUser, case: Case) -> bool:
    return visible_cases(user).filter(pk=case.pk).exists()
