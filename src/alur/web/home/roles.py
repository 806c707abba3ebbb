"""Which roles an account holds anywhere, for the menu and the home page.

Permissions stay per unit (org.models.units_where); this only answers "does this user act as a
Penyusun somewhere?", so pages can offer what the user may do without listing what they may not.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..org.models import AnyUser, Membership, Person
from ..reports.access import report_units

ALL_ROLES = frozenset(Membership.Role.values)


def roles_of(user: AnyUser) -> frozenset[str]:
    """The roles the user holds in some unit; an admin (or superuser) holds them all."""
    if not user.is_authenticated:
        return frozenset()
    if user.is_superuser:
        return ALL_ROLES
    held = frozenset(Membership.objects.filter(user=user).values_list("role", flat=True))
    return ALL_ROLES if Membership.Role.ADMIN in held else held


@dataclass(frozen=True)
class Menu:
    """What the main menu offers one user."""

    tasks: bool  # Tugas saya, Notifikasi: an employee, or an evaluator (monitoring falls due)
    cases: bool
    library: bool
    imports: bool
    organisation: bool
    administration: bool
    reports: bool  # Laporan: evaluators, admins and the heads of units (their unit's figures)
    monitoring: bool  # Pemantauan and Evaluasi: evaluators and admins


def menu_for(user: AnyUser, roles: frozenset[str], person: Person | None) -> Menu:
    supervising = bool(roles & {Membership.Role.ADMIN, Membership.Role.PENGESAH,
                                Membership.Role.EVALUATOR})
    return Menu(
        tasks=person is not None or Membership.Role.EVALUATOR in roles,
        cases=person is not None or supervising,
        library=True,
        imports=Membership.Role.PENYUSUN in roles,
        organisation=bool(roles & {Membership.Role.ADMIN, Membership.Role.PENYUSUN}),
        administration=bool(user.is_staff),
        reports=Membership.Role.EVALUATOR in roles or bool(report_units(user)),
        monitoring=Membership.Role.EVALUATOR in roles,
    )
