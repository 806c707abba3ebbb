"""E-mail for notifications: new tasks as they come, overdue tasks once each.

`alur notify` runs this from cron (every few minutes): it records overdue notifications for
tasks that passed their due time, then mails every notification not mailed yet, one message
per person listing their items, so a busy official gets one e-mail rather than twenty.

A notification is marked sent only after its message went out, under a lease
(`claimed_until`/`claimed_by`) that keeps overlapping runs apart. A crash between sending and
marking means the message is sent again after the lease (a duplicate); a lost e-mail cannot
happen.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
import uuid
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ..work.items import record_due
from . import routing
from .models import Notification, Task
from .queries import overdue

logger = logging.getLogger(__name__)
# How long a run holds the notifications it is sending. It must outlast one message's sending
# (EMAIL_TIMEOUT bounds that when set), or a slow send could be repeated by the next run.
LEASE = dt.timedelta(minutes=15)


@dataclass
class NotifyResult:
    overdue: int = 0
    emails: int = 0
    notifications: int = 0
    skipped_no_email: int = 0
    failed: int = 0  # notifications whose e-mail could not be sent (tried again next run)


def record_overdue(now: dt.datetime) -> int:
    """One OVERDUE notification per late task, to whoever can act on it now."""
    created = 0
    for task in overdue(now).filter(overdue_notified_at__isnull=True).select_related("case"):
        with transaction.atomic():
            # Mark first, and only if no other run (cron may overlap) has marked it since
            # the list was read: the update waits for that run and then matches nothing.
            if not Task.objects.filter(pk=task.pk, overdue_notified_at__isnull=True) \
                    .update(overdue_notified_at=now):
                continue
            task.refresh_from_db(fields=["assignee", "position", "status"])  # current holder
            if task.status != Task.Status.OPEN:
                continue
            if task.assignee_id:
                people = [task.assignee_id]
            elif task.position_id:
                people = [p.pk for p in routing.holders(task.position_id,
                                                        timezone.localdate(now))]
            else:
                people = []
            Notification.objects.bulk_create([
                Notification(person_id=p, kind=Notification.Kind.OVERDUE, task=task,
                             case=task.case) for p in people])
            created += len(people)
    return created


def send_pending(now: dt.datetime, language: str = "id") -> NotifyResult:
    """Mail every pending notification, one message per person. Each person's batch is
    leased to this run before sending and marked sent only after: a run that dies in between
    leaves it leased, and once the lease runs out the next run sends it again (a rare
    duplicate, never a lost e-mail); a run overlapping this one skips what is leased."""
    result = NotifyResult()
    run_id = uuid.uuid4().hex
    pending = _free(Notification.objects.filter(emailed_at__isnull=True), now) \
        .select_related("person", "task", "case").order_by("person_id", "created_at")
    by_person: dict[int, list[Notification]] = defaultdict(list)
    for note in pending:
        by_person[note.person_id].append(note)
    for notes in by_person.values():
        person = notes[0].person
        notes = _claim(notes, run_id, now)
        if not notes:
            continue  # another run has them
        ids = [n.pk for n in notes]
        if not person.email:
            result.skipped_no_email += len(notes)
            _mark_sent(ids, now)
            continue
        with override(language):
            subject, body = _message(notes)
        try:
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [person.email])
        except (smtplib.SMTPException, OSError):
            # One refused address or a hiccup must not keep everyone else's mail back; these
            # are released and tried again on the next run.
            logger.exception("notification e-mail to %s failed", person.email)
            Notification.objects.filter(pk__in=ids, claimed_by=run_id) \
                .update(claimed_until=None, claimed_by=None)
            result.failed += len(notes)
            continue
        _mark_sent(ids, now)
        result.emails += 1
        result.notifications += len(notes)
    return result


def _free(notes: QuerySet[Notification], now: dt.datetime) -> QuerySet[Notification]:
    """Those no run holds a lease on (never leased, or the lease ran out)."""
    return notes.filter(Q(claimed_until__isnull=True) | Q(claimed_until__lte=now))


def _claim(notes: list[Notification], run_id: str, now: dt.datetime) -> list[Notification]:
    """Lease the notifications to this run; those another run leased or sent meanwhile are
    left out. Each row is taken by one conditional update, so two runs never both win."""
    ids = [n.pk for n in notes]
    _free(Notification.objects.filter(pk__in=ids, emailed_at__isnull=True), now) \
        .update(claimed_by=run_id, claimed_until=now + LEASE)
    mine = set(Notification.objects.filter(pk__in=ids, claimed_by=run_id,
                                           emailed_at__isnull=True)
               .values_list("pk", flat=True))
    return [n for n in notes if n.pk in mine]


def _mark_sent(ids: list[int], now: dt.datetime) -> None:
    Notification.objects.filter(pk__in=ids, emailed_at__isnull=True) \
        .update(emailed_at=now, claimed_until=None)


def _message(notes: list[Notification]) -> tuple[str, str]:
    kinds: dict[str, str] = {Notification.Kind.NEW_TASK: _("New task"), Notification.Kind.OVERDUE:
             _("Overdue"), Notification.Kind.UNROUTABLE: _("Nobody can take this task"),
             Notification.Kind.CASE_ENDED: _("Case ended")}
    lines = [_("Dear {name},").format(name=notes[0].person.name), ""]
    for note in notes:
        if note.case is None:  # work that is not a case task (alur.web.work)
            lines.append(f"- {note.get_kind_display()}: {note.subject}")
            lines.append(f"  {settings.ALUR_BASE_URL}{note.link}")
            continue
        target = reverse("cases:task", args=[note.task.public_id]) if note.task else \
            reverse("cases:case", args=[note.case.public_id])
        what = f"{note.task.step}. {note.task.activity[:80]}" if note.task else ""
        lines.append(f"- {kinds[note.kind]}: {note.case.title} — {what}")
        if note.task and note.task.due_at:
            due = timezone.localtime(note.task.due_at)
            lines.append("  " + _("due {when}").format(when=due.strftime("%d-%m-%Y %H:%M")))
        lines.append(f"  {settings.ALUR_BASE_URL}{target}")
    lines += ["", _("This message was sent by alur.")]
    count = len(notes)
    subject = _("[alur] {count} notification(s)").format(count=count)
    return subject, "\n".join(lines)


def run(now: dt.datetime | None = None) -> NotifyResult:
    now = now or timezone.now()
    late = record_overdue(now)
    record_due(now)
    result = send_pending(now)
    result.overdue = late
    return result
