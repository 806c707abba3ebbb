"""Evaluations falling due, for Tugas saya and the notifications (alur.web.work).

The provider lists, for an evaluator, the SOPs in force in their units whose evaluation is
due; the recorder (run by `alur notify`) tells the evaluators of each unit once per SOP and
year (key `evaluation:{sop}:{year}`, the year the evaluation fell due)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..cases.models import Notification
from ..org.models import AnyUser, Membership, Person, Unit
from ..reports.access import evaluator_units
from ..work import WorkItem, notify_once, provider, recorder
from .due import Due, falling_due
from .services import evaluations_for

DUE_SUBJECT = gettext_noop("Evaluation of SOP %(name)s due (%(unit)s)")


def key_of(item: Due) -> str:
    return f"evaluation:{item.sop_id}:{item.due_on.year}"


@provider
def evaluations_due(user: AnyUser, person: Person | None, now: dt.datetime) -> list[WorkItem]:
    units = evaluator_units(user)
    if not units:
        return []
    today = timezone.localdate(now)
    items = falling_due(units, today)
    begun = evaluations_for([d.sop_id for d in items], today.year)
    out = []
    for item in items:
        evaluation = begun.get(item.sop_id)
        if evaluation is not None and evaluation.final:
            continue  # evaluated this year already (the due date moves on at once)
        out.append(WorkItem(
            kind="evaluation", kind_label=_("Evaluation"),
            title=(_("Finish the yearly evaluation") if evaluation is not None
                   else _("Evaluate the SOP (yearly evaluation)")),
            subject=f"{item.name} — {item.unit_name}",
            url=reverse("evaluation:sop", args=[item.sop_public_id]), due=item.due_on))
    return out


def _evaluators() -> list[tuple[int, set[int]]]:
    """(person, the units they evaluate) for every employee with the evaluator role."""
    reach: dict[int, set[int]] = {}
    for person_id, unit_id in (Membership.objects
                               .filter(role=Membership.Role.EVALUATOR,
                                       user__person__isnull=False)
                               .values_list("user__person__id", "unit_id")):
        reach.setdefault(person_id, set()).update(_below(unit_id))
    return list(reach.items())


_tree_cache: dict[int, set[int]] = {}


def _below(unit_id: int) -> set[int]:
    if unit_id not in _tree_cache:
        _tree_cache[unit_id] = Unit.objects.get(pk=unit_id).descendant_ids()
    return _tree_cache[unit_id]


def _known(keys: Iterable[str]) -> set[tuple[str, int]]:
    """(key, person) pairs already notified, read in chunks of keys."""
    keys = list(keys)
    found: set[tuple[str, int]] = set()
    for i in range(0, len(keys), 500):
        found.update((key or "", person) for key, person in Notification.objects
                     .filter(key__in=keys[i:i + 500]).values_list("key", "person_id"))
    return found


@recorder
def notify_evaluations_due(now: dt.datetime) -> int:
    _tree_cache.clear()  # the organisation may have changed since the last run
    evaluators = _evaluators()
    if not evaluators:
        return 0
    units = set().union(*(reach for _person, reach in evaluators))
    items = falling_due(units, timezone.localdate(now))
    known = _known(key_of(item) for item in items)
    created = 0
    with translation.override(settings.LANGUAGE_CODE):
        for item in items:
            key = key_of(item)
            people = [person for person, reach in evaluators
                      if item.unit_id in reach and (key, person) not in known]
            if people:
                created += notify_once(
                    people, Notification.Kind.EVALUATION_DUE,
                    _(DUE_SUBJECT) % {"name": item.name, "unit": item.unit_name},
                    reverse("evaluation:sop", args=[item.sop_public_id]), key=key)
    return created
