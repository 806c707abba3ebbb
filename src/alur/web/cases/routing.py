"""Who a task goes to: the people holding the position linked to its actor on that day
(acting officials included), or the case's initiator for actors that stand for the applicant.

Resolution happens when the inbox is read, not when the task is made, so a Plt appointed
tomorrow sees today's waiting tasks.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db.models import Q

from ..library.models import ActorLink
from ..org.models import Person, Position

# Actor columns that mean "whoever asks": PNS, Pegawai, Pemohon, ASN, Pengusul, Pelapor.
INITIATOR_ACTOR = re.compile(r"^\s*(pns|pegawai|pemohon|asn|pengusul|pelapor)\b", re.I)


def is_initiator_actor(actor_name: str) -> bool:
    return bool(INITIATOR_ACTOR.match(actor_name or ""))


def positions_held(person: Person, on: dt.date) -> list[int]:
    """Ids of the positions a person holds on a date (definitif, Plt or Plh)."""
    return list(Position.objects.filter(
        assignments__person=person, assignments__start__lte=on).filter(
        Q(assignments__end__isnull=True) | Q(assignments__end__gte=on))
        .values_list("pk", flat=True).distinct())


def acting_as(person: Person, case, on: dt.date, actor_names: dict[str, str]) -> set[str]:
    """The SOP actor ids this person may act as in this case (one query)."""
    held = (Q(position__assignments__person=person) &
            Q(position__assignments__start__lte=on) &
            (Q(position__assignments__end__isnull=True) | Q(position__assignments__end__gte=on)))
    actors = set(ActorLink.objects.filter(held, sop_id=case.sop_id)
                 .values_list("actor_id", flat=True))
    if case.initiator_id == person.pk:
        actors |= {a for a, name in actor_names.items() if is_initiator_actor(name)}
    return actors


def link_positions(sop_id: int) -> dict[str, int]:
    """actor id → linked position id for one SOP."""
    return dict(ActorLink.objects.filter(sop_id=sop_id).values_list("actor_id", "position_id"))


def holders(position_id: int, on: dt.date) -> list[Person]:
    return list(Position(pk=position_id).holders(on))
