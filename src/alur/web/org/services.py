"""Changes to who holds a position, made from the organisation pages. Each goes into
Django's admin history (LogEntry) as well, so an inspector finds who appointed whom and
when, whichever screen was used."""

from __future__ import annotations

import datetime as dt

from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.db import transaction
from django.utils import timezone

from .models import AnyUser, Assignment, Membership, Unit, units_where


def may_staff(user: AnyUser, unit: Unit) -> bool:
    """Appointing to a unit's positions is its admin's (a role given on a unit above
    counts)."""
    return unit.pk in units_where(user, Membership.Role.ADMIN)


@transaction.atomic
def appoint(assignment: Assignment, by) -> Assignment:
    assignment.save()
    _history(by, assignment, ADDITION, [{"added": {}}])
    return assignment


@transaction.atomic
def end_holding(assignment: Assignment, last_day: dt.date, by) -> Assignment:
    assignment.end = last_day
    assignment.save(update_fields=["end"])
    _history(by, assignment, CHANGE, [{"changed": {"fields": ["end"]}}])
    return assignment


@transaction.atomic
def cancel_upcoming(assignment: Assignment, by) -> None:
    """Take back an appointment entered by mistake that has not begun: it is deleted, not
    marked cancelled. It never took effect — tasks are routed to whoever holds a position on
    the day, so nothing was ever routed by it — and a case's own ledger names people, not
    holdings, so no case history points at it. What was appointed, by whom and when it was
    taken back stays in the admin history (LogEntry keeps the holding's description)."""
    if assignment.start <= timezone.localdate():
        raise ValueError("only a holding that has not begun can be cancelled")
    _history(by, assignment, DELETION, [{"deleted": {}}])
    assignment.delete()


def _history(user, assignment: Assignment, flag: int, message: list) -> None:
    LogEntry.objects.log_actions(user.pk, [assignment], flag, change_message=message,
                                 single_object=True)
