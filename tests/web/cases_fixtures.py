"""Shared set-up for the case tests: an approved SOP whose actors' positions are held."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.utils import timezone

from alur.sop import load
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Assignment, Person, Position

LIBRARY = Path(__file__).parents[2] / "examples" / "library"


def approved(name: str, unit, author, effective: dt.date | None = None):
    """An example SOP added to `unit` and approved, effective from `effective` (default: a
    year ago, so it is in force)."""
    version = add_sop(load(LIBRARY / f"{name}.yaml").sop, unit, author)
    approve(version, author, effective=effective or timezone.localdate() - dt.timedelta(days=365))
    return version


def staff(version, user_factory, *, kind: str = "definitif") -> dict[str, Person]:
    """One person with an account for every position linked to the SOP's actors, holding it
    from a year ago; keyed by actor id."""
    people = {}
    for link in version.sop.actor_links.select_related("position"):
        user = user_factory(f"u-{version.sop.pk}-{link.actor_id}", "pegawai", version.sop.unit)
        person = Person.objects.create(user=user, name=f"Orang {link.position.name}",
                                       email=f"{link.actor_id}@contoh.go.id")
        Assignment.objects.create(person=person, position=link.position, kind=kind,
                                  start=timezone.localdate() - dt.timedelta(days=365))
        people[link.actor_id] = person
    return people


def person_with_position(user_factory, username: str, position: Position) -> Person:
    user = user_factory(username, "pegawai", position.unit)
    person = Person.objects.create(user=user, name=username.title())
    Assignment.objects.create(person=person, position=position,
                              start=timezone.localdate() - dt.timedelta(days=30))
    return person
