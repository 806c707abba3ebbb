"""Running SOPs in the database: cases, their tasks (a projection for queries), the
append-only hash-chained event log (the truth the engine replays), attachments, the agency's
working hours and calendar additions, and in-app notifications."""

from __future__ import annotations

import uuid
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from alur.engine.calendar import WorkingHours

from ..library.models import Sop, SopVersion
from ..org.models import Person, Position, Unit


class Case(models.Model):
    class Status(models.TextChoices):
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("title"), max_length=300)
    version = models.ForeignKey(SopVersion, verbose_name=_("SOP version"),
                                on_delete=models.PROTECT, related_name="cases")
    # The version's SOP, kept here so routing and lists need not read the version's content.
    sop = models.ForeignKey(Sop, verbose_name=_("SOP"), on_delete=models.PROTECT,
                            related_name="cases")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="cases")
    initiator = models.ForeignKey(Person, verbose_name=_("initiator"),
                                  on_delete=models.PROTECT, related_name="cases_started")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.RUNNING)
    parent_task = models.ForeignKey("Task", verbose_name=_("called from"), null=True,
                                    blank=True, on_delete=models.PROTECT,
                                    related_name="child_cases")
    started_at = models.DateTimeField(_("started"))
    ended_at = models.DateTimeField(_("ended"), null=True, blank=True)
    # The head of the event chain: a deleted last event is detected by comparing with it.
    event_count = models.PositiveIntegerField(default=0, editable=False)
    head_hash = models.CharField(max_length=64, blank=True, editable=False)
    # Not a column: after a transition, the task rows it opened (unsaved instances with their
    # values), left by `services._commit` so its caller need not read them back.
    opened: list[Task]

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["status", "-started_at"], name="case_status_started"),
                   models.Index(fields=["initiator", "-started_at"], name="case_initiator")]

    def __str__(self) -> str:
        return self.title


class Task(models.Model):
    """The engine's task as rows to query: inbox, overdue, workload. Rebuilt from events."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # No index of its own: the (case, key) unique constraint leads with it. Each index costs
    # every step a write.
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.CASCADE,
                             related_name="tasks", db_index=False)
    # The engine's task id: step.round[.actor]
    key = models.CharField(_("task id"), max_length=120)
    step = models.PositiveIntegerField(_("step"))
    round = models.PositiveIntegerField(default=1)
    actor_id = models.CharField(_("actor"), max_length=80, blank=True)
    actor_name = models.CharField(_("actor"), max_length=200, blank=True)
    activity = models.TextField(_("activity"))
    is_decision = models.BooleanField(default=False)
    position = models.ForeignKey(Position, verbose_name=_("position"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tasks")
    assignee = models.ForeignKey(Person, verbose_name=_("handled by"), null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="tasks")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.OPEN)
    ready_at = models.DateTimeField(_("ready"))
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(Person, verbose_name=_("done by"), null=True, blank=True,
                                on_delete=models.PROTECT, related_name="+")
    decision = models.CharField(_("decision"), max_length=8, blank=True)
    calls = models.CharField(max_length=80, blank=True)
    # Nobody holds the position (or no position is linked): the admin must act.
    unroutable = models.BooleanField(_("nobody can take it"), default=False)
    overdue_notified_at = models.DateTimeField(null=True, blank=True)
    # Set when the task is done (reports aggregate them in SQL): working minutes on the
    # agency's calendar from ready to done, and the waiting part of them (ready to claimed).
    work_minutes = models.PositiveIntegerField(_("working minutes"), null=True, blank=True)
    wait_minutes = models.PositiveIntegerField(_("minutes waiting"), null=True, blank=True)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["ready_at", "key"]
        constraints = [models.UniqueConstraint(fields=["case", "key"], name="task_key_in_case")]
        indexes = [
            # "Tugas saya": open tasks by assignee or by position, overdue first.
            models.Index(fields=["assignee", "due_at"], name="task_open_assignee",
                         condition=Q(status="open")),
            models.Index(fields=["position", "due_at"], name="task_open_position",
                         condition=Q(status="open", assignee__isnull=True)),
            models.Index(fields=["due_at"], name="task_open_due", condition=Q(status="open")),
        ]

    def __str__(self) -> str:
        return f"{self.case} — {self.step}. {self.activity[:60]}"


class AppendOnly(models.Model):
    """A row written once: saving it again or deleting it through the ORM is refused with
    `append_only`, the subclass's message (the database itself is checked by `audit verify`)."""

    append_only = "rows are append-only"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise RuntimeError(self.append_only)
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError(self.append_only)


class Event(AppendOnly):
    """Append-only: each row's hash covers its content and the previous row's hash, so an
    edited, inserted or deleted row breaks the chain (`alur audit verify`)."""

    # Indexed by the (case, seq) unique constraint.
    case = models.ForeignKey(Case, verbose_name=_("case"), on_delete=models.PROTECT,
                             related_name="events", db_index=False)
    seq = models.PositiveIntegerField(_("sequence"))
    kind = models.CharField(_("kind"), max_length=20)
    at = models.DateTimeField(_("time"))
    by = models.ForeignKey(Person, verbose_name=_("by"), null=True, blank=True,
                           on_delete=models.PROTECT,
                           related_name="+")
    by_name = models.CharField(_("by (name)"), max_length=200, blank=True)  # when acting
    task_key = models.CharField(_("task"), max_length=120, blank=True)
    data = models.JSONField(_("data"), default=dict)
    prev_hash = models.CharField(max_length=64)
    # Not unique across cases: a chain is per case and `verify` recomputes every link, so an
    # index over all hashes (two on PostgreSQL) would only slow every step down.
    hash = models.CharField(max_length=64)

    append_only = "events are append-only"

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["case", "seq"]
        constraints = [models.UniqueConstraint(fields=["case", "seq"], name="event_seq_in_case")]


def attachment_path(instance: Attachment, filename: str) -> str:
    return f"lampiran/{instance.case.public_id}/{uuid.uuid4().hex[:12]}-{filename}"


class Attachment(models.Model):
    class Role(models.TextChoices):
        INPUT = "input", _("Input")
        OUTPUT = "output", _("Output")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    case = models.ForeignKey(Case, on_delete=models.PROTECT, related_name="attachments")
    task = models.ForeignKey(Task, null=True, blank=True, on_delete=models.PROTECT,
                             related_name="attachments")
    role = models.CharField(_("kind"), max_length=8, choices=Role.choices)
    label = models.CharField(_("for"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=attachment_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at"]


class Holiday(models.Model):
    """Days off the `holidays` package does not know: cuti bersama and local holidays."""

    class Kind(models.TextChoices):
        CUTI_BERSAMA = "cuti_bersama", _("Collective leave (cuti bersama)")
        LOCAL = "local", _("Local holiday")
        NATIONAL = "national", _("Additional national holiday")

    date = models.DateField(_("date"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=14, choices=Kind.choices,
                            default=Kind.CUTI_BERSAMA)

    class Meta:
        verbose_name = _("holiday or collective leave")
        verbose_name_plural = _("holidays and collective leave")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y} {self.name}"


class RamadanPeriod(models.Model):
    """When Ramadan working hours apply (the government announces them each year)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    start = models.DateField(_("first day"))
    end = models.DateField(_("last day"))

    class Meta:
        verbose_name = _("Ramadan period")
        verbose_name_plural = _("Ramadan periods")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")),
                                              name="ramadan_end_after_start")]

    def __str__(self) -> str:
        return f"Ramadan {self.year}: {self.start:%d-%m} – {self.end:%d-%m}"


NO_WORKING_TIME = _("At least one day of the week must have working hours.")


class WorkingDay(models.Model):
    """The agency's working hours on one weekday, normally and during Ramadan: seven rows,
    made with the national defaults (37.5 h a week from 07.30) and edited in the admin.
    Due times already given keep their value (the log records them); new ones follow."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Monday")
        TUESDAY = 1, _("Tuesday")
        WEDNESDAY = 2, _("Wednesday")
        THURSDAY = 3, _("Thursday")
        FRIDAY = 4, _("Friday")
        SATURDAY = 5, _("Saturday")
        SUNDAY = 6, _("Sunday")

    weekday = models.PositiveSmallIntegerField(_("day"), choices=Weekday.choices, unique=True)
    hours = models.CharField(
        _("working hours"), max_length=200, blank=True,
        help_text=_("For example 07.30-12.00, 13.00-16.00 (breaks left out). Empty: a day "
                    "off."))
    ramadan_hours = models.CharField(
        _("working hours in Ramadan"), max_length=200, blank=True,
        help_text=_("Used on the dates of a Ramadan period. Empty: a day off."))

    class Meta:
        verbose_name = _("working day")
        verbose_name_plural = _("working days")
        ordering = ["weekday"]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.hours or '—'}"

    def clean(self) -> None:
        """Each field must read as a day's hours, and is kept in its tidy form. The week must
        keep some working time, or no due time could ever be reached."""
        errors = {}
        for name in ("hours", "ramadan_hours"):
            try:
                setattr(self, name, WorkingHours.from_text(getattr(self, name)).text)
            except ValueError:
                errors[name] = _("Write the hours like 07.30-12.00, 13.00-16.00: each from "
                                 "the earlier time to the later, in order, not overlapping, "
                                 "in whole minutes.")
        if "hours" not in errors and WorkingDay.leaves_no_working_time({self.weekday: self.hours}):
            errors["hours"] = NO_WORKING_TIME
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def leaves_no_working_time(edited: dict[int, str]) -> bool:
        """Whether giving the weekdays in `edited` these hours would leave the whole week
        without working time, the other days keeping what they have."""
        return not any(edited.values()) and not WorkingDay.objects.exclude(
            weekday__in=edited).exclude(hours="").exists()



class Notification(models.Model):
    """A line in someone's notifications (and the e-mail it becomes). Derived from the event
    log and written only by the transitions, in the same transaction as what they point to,
    so the references carry no database constraint: each would cost every step a check and
    a row lock at commit. Deleting through Django still cascades."""

    class Kind(models.TextChoices):
        NEW_TASK = "new_task", _("New task")
        OVERDUE = "overdue", _("Overdue task")
        UNROUTABLE = "unroutable", _("Task nobody can take")
        CASE_ENDED = "case_ended", _("Case ended")
        # Work that is not a case task (alur.web.work): no task or case, a subject and a link.
        MONITORING_DUE = "monitoring_due", _("Monitoring due")
        EVALUATION_DUE = "evaluation_due", _("Evaluation due")
        REVIEW_DUE = "review_due", _("SOP waiting for review")
        APPROVAL_DUE = "approval_due", _("SOP waiting for approval")
        RETURNED = "returned", _("SOP returned")
        EVALUATION_RESULT = "evaluation_result", _("SOP evaluation result")
        # For the admins: an approved SOP's PDF could not be signed (alur.web.signing).
        NOT_SIGNED = "not_signed", _("SOP not signed")

    # Indexed by notification_unread (person, read_at).
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.CASCADE,
                               related_name="notifications", db_index=False,
                               db_constraint=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    task = models.ForeignKey(Task, verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_constraint=False)
    # Not indexed: nothing lists a case's notifications, and cases are never deleted (their
    # events protect them).
    case = models.ForeignKey(Case, verbose_name=_("case"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+", db_index=False,
                             db_constraint=False)
    # For work that is not a case task: what it is about, where to act, and the key that
    # keeps a recorder from notifying the same person twice about it (alur.web.work).
    # A database default too: the engine's store inserts task notifications in plain SQL.
    subject = models.CharField(_("subject"), max_length=300, blank=True, db_default="")
    link = models.CharField(_("link"), max_length=300, blank=True, db_default="")
    key = models.CharField(max_length=120, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed"), null=True, blank=True)
    # The lease of the `alur notify` run sending it: set before sending, `emailed_at` only
    # after, so a run that dies in between loses nothing (the lease runs out and the next run
    # sends it again) and overlapping runs never take the same notification.
    claimed_until = models.DateTimeField(null=True, blank=True, editable=False)
    claimed_by = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread"),
                   models.Index(fields=["emailed_at"], name="notification_unsent",
                                condition=Q(emailed_at__isnull=True))]
        constraints = [models.UniqueConstraint(fields=["person", "key"],
                                               name="notification_once",
                                               condition=Q(key__isnull=False))]


class ChainCutover(models.Model):
    """Where a case's chain changed from the public SHA-256 formula to the keyed HMAC: events
    up to `seq` (recorded before the audit key existed) verify with the old formula, `hash`
    is the chain's head at that point, and `mac` (keyed) binds both, so nobody can move the
    cut-over to pass recomputed events off as old ones. Written once, by a migration."""

    case = models.OneToOneField(Case, on_delete=models.PROTECT, related_name="cutover")
    seq = models.PositiveIntegerField()
    hash = models.CharField(max_length=64)
    key_id = models.CharField(max_length=16)
    mac = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        verbose_name = _("chain cut-over")
        verbose_name_plural = _("chain cut-overs")


class LedgerBlock(AppendOnly):
    """A batch of case heads anchored together (`alur audit anchor`, every few minutes). The
    blocks form one keyed chain of their own, so a case deleted with its events, or a chain
    cut back to an earlier head, still shows against what the ledger recorded. Cases never
    wait for it: the batch reads committed heads and locks no case."""

    seq = models.PositiveIntegerField(unique=True)
    at = models.DateTimeField()
    key_id = models.CharField(max_length=16)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    append_only = "the ledger is append-only"

    class Meta:
        verbose_name = _("ledger block")
        verbose_name_plural = _("ledger blocks")
        ordering = ["seq"]


class LedgerEntry(AppendOnly):
    """One case's head in a block. The case is named by its public id, not a foreign key: the
    entry must outlive a case deleted behind alur's back, to tell of it."""

    block = models.ForeignKey(LedgerBlock, on_delete=models.PROTECT, related_name="entries")
    case_ref = models.UUIDField()
    event_count = models.PositiveIntegerField()
    head_hash = models.CharField(max_length=64)
    # A keyed digest of the case row's own fields (SOP version, initiator, unit, times,
    # title): the events do not carry them, so the ledger does.
    fields_hash = models.CharField(max_length=64)

    append_only = "the ledger is append-only"

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["case_ref", "-event_count"], name="ledger_case_head")]


class CompletionKey(models.Model):
    """A completion already done under a client's idempotency key: a retry with the same key
    (the answer was lost, the connection dropped) is answered with this outcome instead of
    being done again or refused. Written in the completion's own transaction, so it exists
    exactly when the completion does."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="+")
    decision = models.CharField(max_length=8, blank=True)
    event_seq = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("completion key")
        verbose_name_plural = _("completion keys")
        constraints = [models.UniqueConstraint(fields=["person", "key"],
                                               name="completion_key_per_person")]
