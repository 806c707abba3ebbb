"""Who a task goes to: the people holding the position linked to its actor on that day
(acting officials included), or the case's initiator for actors that stand for the applicant.

Resolution happens when the inbox is read, not when the task is made, so a Plt appointed
tomorrow sees today's waiting tasks.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from django.db.models import Q

from ..org.models import Person, Position, in_force_on

# Actor columns that mean "whoever asks": PNS, Pegawai, Pemohon, ASN, Pengusul, Pelapor.
INITIATOR_ACTOR = re.compile(r"^\s*(pns|pegawai|pemohon|asn|pengusul|pelapor)\b", re.I)


@lru_cache(maxsize=4096)  # asked for every task of every step; SOPs name few distinct actors
def is_initiator_actor(actor_name: str) -> bool:
    return bool(INITIATOR_ACTOR.match(actor_name or ""))


def positions_held(person: Person, on: dt.date) -> list[int]:
    """Ids of the positions a person holds on a date (definitif, Plt or Plh). One filter()
    call, so start and end are tested on the same assignment."""
    return list(Position.objects.filter(
        Q(assignments__person=person) & in_force_on(on, "assignments__"))
        .values_list("pk", flat=True).distinct())


def holders(position_id: int, on: dt.date) -> list[Person]:
    return list(Position(pk=position_id).holders(on))
