"""Who a task goes to: the people holding the position linked to its actor on that day
(acting officials included), or the case's initiator for actors the SOP marks `applicant`
(the flag, never the actor's name: "Pegawai Subbag Keuangan" is a position).

Resolution happens when the inbox is read, not when the task is made, so a Plt appointed
tomorrow sees today's waiting tasks.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from ..org.models import Person, Position, in_force_on


def positions_held(person: Person, on: dt.date) -> list[int]:
    """Ids of the positions a person holds on a date (definitif, Plt or Plh). One filter()
    call, so start and end are tested on the same assignment."""
    return list(Position.objects.filter(
        Q(assignments__person=person) & in_force_on(on, "assignments__"))
        .values_list("pk", flat=True).distinct())


def holders(position_id: int, on: dt.date) -> list[Person]:
    return list(Position(pk=position_id).holders(on))
