"""SOPs in the database: each SOP belongs to a unit and has numbered versions; a version holds
the whole `alur-sop/1` document. An approved (disahkan) version never changes: editing it
starts a new draft version. Actors are linked to positions so the engine can route tasks."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from alur.sop import Sop as SopModel
from alur.sop import from_data, to_data
from alur.sop.codes import LIBRARY_TOO_MANY_STEPS

from ..org.models import Person, Position, Unit


class Sop(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="sops")
    slug = models.SlugField(_("SOP id"), max_length=80)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # The newest version, kept by SopVersion.save: lists and search join it instead of running
    # a subquery per SOP for each of its fields.
    latest_version = models.ForeignKey("SopVersion", null=True, blank=True, editable=False,
                                       on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("SOP")
        verbose_name_plural = _("SOPs")
        constraints = [models.UniqueConstraint(fields=["unit", "slug"],
                                               name="sop_slug_unique_in_unit")]

    def __str__(self) -> str:
        latest = self.versions.order_by("-number").first()
        return latest.name if latest else self.slug

    def latest(self) -> SopVersion | None:
        return self.versions.order_by("-number").first()

    def in_force(self, on: dt.date | None = None) -> SopVersion | None:
        """The approved version in force on a date: the newest effective one."""
        on = on or timezone.localdate()
        return self.versions.filter(status=SopVersion.Status.DISAHKAN,
                                    effective_date__lte=on).order_by("-number").first()


def step_limit_problem(document: SopModel) -> str | None:
    """Why the library will not hold (nor draw) this SOP, or None: more steps than the
    installation's ALUR_MAX_STEPS (library/renders.py draws the large ones it holds)."""
    if len(document.steps) <= settings.ALUR_MAX_STEPS:
        return None
    return LIBRARY_TOO_MANY_STEPS(count=len(document.steps), limit=settings.ALUR_MAX_STEPS).text


class SopVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        # Waiting for the organisation bureau's review (review.py), before the approver.
        REVIU = "reviu", _("In review")
        DIAJUKAN = "diajukan", _("Submitted")
        DISAHKAN = "disahkan", _("Approved")
        DICABUT = "dicabut", _("Revoked")
        DIGANTI = "diganti", _("Replaced")

    # Not yet decided: at most one such version per SOP (services.new_draft).
    OPEN_STATUSES = (Status.DRAFT, Status.REVIU, Status.DIAJUKAN)

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    content = models.JSONField(_("content (alur-sop/1)"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices,
                              default=Status.DRAFT)
    name = models.CharField(_("SOP name"), max_length=300, blank=True)
    name_key = models.CharField(max_length=300, blank=True, editable=False, db_index=True)
    sop_number = models.CharField(_("SOP number"), max_length=120, blank=True)
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)
    # Set when a Pengesah sends the draft back, cleared when it is submitted again: the
    # author's home lists returned drafts first.
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)

    class Meta:
        verbose_name = _("SOP version")
        verbose_name_plural = _("SOP versions")
        ordering = ["sop", "-number"]
        constraints = [models.UniqueConstraint(fields=["sop", "number"],
                                               name="version_number_unique")]
        indexes = [models.Index(fields=["status"], name="version_status")]
        # (migration 0003 dropped the plain name index: Keterkaitan looks up name_key)

    def __str__(self) -> str:
        return gettext("%(name)s (version %(number)s, %(status)s)") % {
            "name": self.name, "number": self.number, "status": self.get_status_display()}

    @property
    def document(self) -> SopModel:
        """The version as the core's SOP model."""
        result = from_data(self.content)
        if result.sop is None:  # stored content is validated on save; this is a bug
            raise ValidationError(gettext("The content of version %(pk)s is not valid: "
                                          "%(findings)s") % {"pk": self.pk,
                                                             "findings": result.findings})
        return result.sop

    def issued_document(self) -> SopModel:
        """The version as its official outputs show it: for an approved version, the content
        as submitted with the identity taken from its approval record (who approved, as what,
        the effective date); otherwise the content itself. Every output (page, PDF, DOCX,
        XLSX, book, public archive, signature) reads this, never `document`, so the document
        records its own approval while the submitted content stays as it was."""
        from .approval import issued  # the approval record's module imports this one

        return issued(self)

    @property
    def in_force(self) -> bool:
        return (self.status == self.Status.DISAHKAN and self.effective_date is not None
                and self.effective_date <= timezone.localdate())

    def set_document(self, sop: SopModel) -> None:
        self.content = to_data(sop, full=True)
        self.name = sop.name
        self.sop_number = sop.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        document = self.document  # refuse to store content the core cannot read
        if (too_many := step_limit_problem(document)) is not None:
            raise ValidationError(too_many)
        if self.pk is not None:
            stored = SopVersion.objects.filter(pk=self.pk).values("content", "status").first()
            if stored and stored["status"] != self.Status.DRAFT and \
                    stored["content"] != self.content:
                raise ValidationError(gettext("A submitted or approved version cannot be "
                                              "changed; create a new version."))
        self.search_text = search_text(document, self.sop.unit.name if self.sop_id else "")
        self.name_key = name_key(self.name)
        super().save(*args, **kwargs)
        refresh_latest(self.sop_id)


@receiver(post_delete, sender="library.SopVersion")
def _version_deleted(sender: type[SopVersion], instance: SopVersion, **_kwargs: Any) -> None:
    refresh_latest(instance.sop_id)


def refresh_latest(*sop_ids: int) -> None:
    """Point each SOP at its newest version (after a save, a delete or a bulk load)."""
    newest = SopVersion.objects.filter(sop=models.OuterRef("pk")).order_by("-number")
    Sop.objects.filter(pk__in=sop_ids).update(
        latest_version=models.Subquery(newest.values("pk")[:1]))


def name_key(name: str) -> str:
    """A name as other SOPs mention it: lower case, without 'SOP ' and trailing dots, so
    Keterkaitan entries find their SOP by an indexed equality."""
    key = " ".join(name.lower().split()).strip(" .")
    return key.removeprefix("sop ").strip()


def search_text(sop: SopModel, unit_name: str) -> str:
    """Everything the library search looks in: name, number, unit, every step's text."""
    parts = [sop.name, sop.number, unit_name, *sop.organization]
    for step in sop.steps:
        parts.extend([step.activity_text, *step.inputs, *step.outputs, step.notes])
    return " ".join(p for p in parts if p).lower()


class Approval(models.Model):
    """How a version was approved, as the document must print it: the approver's position
    title, name and NIP as they were on the day (a later promotion does not rewrite a signed
    SOP), acting as Plt/Plh or signing "a.n." a higher official, the approval and effective
    dates, the decree (SK) number when one was given and the SOP number the review gave."""

    class Capacity(models.TextChoices):
        DEFINITIF = "definitif", _("Permanent (definitif)")
        PLT = "plt", _("Acting official (Plt)")
        PLH = "plh", _("Daily acting official (Plh)")

    version = models.OneToOneField(SopVersion, on_delete=models.CASCADE,
                                   related_name="approval")
    approver = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    position_title = models.CharField(_("position title"), max_length=200)
    capacity = models.CharField(_("acting as"), max_length=12, choices=Capacity.choices,
                                default=Capacity.DEFINITIF)
    on_behalf_of = models.CharField(_("on behalf of (a.n.)"), max_length=200, blank=True)
    name = models.CharField(_("name"), max_length=200)
    nip = models.CharField(_("NIP"), max_length=18, blank=True)
    approved_at = models.DateTimeField(_("approved at"))
    effective_date = models.DateField(_("effective date"))
    decree_number = models.CharField(_("decree number (SK)"), max_length=120, blank=True)
    # The number the bureau's reviewer gave the SOP (review.py), when one was given.
    sop_number = models.CharField(_("SOP number"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("approval record")
        verbose_name_plural = _("approval records")

    def __str__(self) -> str:
        return f"{self.printed_title()} — {self.name}"

    def printed_title(self) -> str:
        """The title as the signature block prints it: "Plt. Kepala Dinas …", or
        "a.n. Bupati …, Sekretaris Daerah" when signing on a higher official's behalf."""
        prefix = {self.Capacity.PLT: "Plt. ", self.Capacity.PLH: "Plh. "}.get(
            self.Capacity(self.capacity), "")
        title = f"{prefix}{self.position_title}"
        return f"a.n. {self.on_behalf_of}, {title}" if self.on_behalf_of else title


class VersionEvent(models.Model):
    """A step in a version's life, with who took it, when and why: the history officials
    read (submitted, withdrawn, returned with its reason, approved under a decree, revoked)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted for approval")
        WITHDRAWN = "withdrawn", _("Submission withdrawn")
        RETURNED = "returned", _("Returned to the author")
        REVIEWED = "reviewed", _("Reviewed: compliant")
        APPROVED = "approved", _("Approved")
        REVOKED = "revoked", _("Revoked")

    version = models.ForeignKey(SopVersion, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("event"), max_length=12, choices=Kind.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField(_("when"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        verbose_name = _("version event")
        verbose_name_plural = _("version events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["version", "at"], name="version_event_at")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.at:%Y-%m-%d %H:%M})"


class Review(models.Model):
    """The organisation bureau's review of a submitted version: compliant (Sesuai: it goes on
    to the approver, with a Berita Acara Hasil Reviu) or needing correction (Perlu perbaikan:
    back to the author with the notes). The reviewer's name, NIP and position are kept as they
    were on the day, as the Berita Acara prints them; `sop_number` is the number the reviewer
    gave the SOP from the agency's numbering pattern, printed on every output once approved."""

    class Result(models.TextChoices):
        SESUAI = "sesuai", _("Compliant (Sesuai)")
        PERBAIKAN = "perbaikan", _("Needs correction (Perlu perbaikan)")

    version = models.ForeignKey(SopVersion, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="+")
    reviewer_name = models.CharField(_("name"), max_length=200)
    reviewer_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    reviewer_title = models.CharField(_("position title"), max_length=200, blank=True)
    result = models.CharField(_("result"), max_length=12, choices=Result.choices)
    summary = models.TextField(_("general notes"), blank=True)
    sop_number = models.CharField(_("SOP number"), max_length=120, blank=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_result_display()} ({self.at:%Y-%m-%d %H:%M})"


class ReviewNote(models.Model):
    """A reviewer's note on one step (`step`) or one identity field (`field`, the editor's
    field name), shown to the author beside that step or field."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="notes")
    step = models.PositiveIntegerField(_("step"), null=True, blank=True)
    field = models.CharField(_("field"), max_length=40, blank=True)
    text = models.TextField(_("note"))

    class Meta:
        verbose_name = _("review note")
        verbose_name_plural = _("review notes")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.text[:80]


class ActorLink(models.Model):
    """Which position in the organisation plays an SOP actor (column)."""

    sop = models.ForeignKey(Sop, on_delete=models.CASCADE, related_name="actor_links")
    actor_id = models.CharField(_("actor"), max_length=80)
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT,
                                 related_name="actor_links")

    class Meta:
        verbose_name = _("actor link")
        verbose_name_plural = _("actor links")
        constraints = [models.UniqueConstraint(fields=["sop", "actor_id"],
                                               name="actor_link_unique")]


class ImportJob(models.Model):
    """An upload being read in the background, then reviewed (library/jobs.py, imports.py).

    The row is the pending import: the uploaded files (kept in the default storage until the
    job ends), the progress, and afterwards the SOPs found as `alur-sop/1` JSON with the
    reading findings and the reviewer's answers so far. It belongs to one user; saving or
    cancelling the review deletes it."""

    class Status(models.TextChoices):
        QUEUED = "antri", _("queued")
        RUNNING = "berjalan", _("running")
        DONE = "selesai", _("done")
        FAILED = "gagal", _("failed")

    token = models.CharField(max_length=40, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="import_jobs")
    unit = models.ForeignKey(Unit, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    unit_proposed = models.BooleanField(default=False)
    language = models.CharField(max_length=10, default="id")
    # [{"name": as uploaded, "stored": storage name or "" once deleted}]
    files = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    # The file being read now, page by page (PDF, scans): pages read of its pages; 0 of 0
    # for a file read at once.
    page = models.PositiveIntegerField(default=0)
    pages_total = models.PositiveIntegerField(default=0)
    sops = models.JSONField(default=list)  # alur-sop/1 data, full=True
    findings = models.JSONField(default=list)  # Finding.model_dump(mode="json")
    posted = models.JSONField(default=dict)  # SOP index → the review forms as last posted
    # Per PDF or image file: its pages as stored PNGs with the symbols recovered on each
    # (import_pages.py), for the review beside the source; deleted with the job.
    pages = models.JSONField(default=list)
    error = models.TextField(blank=True)  # why the job failed, for people
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["user", "created_at"])]

    def __str__(self) -> str:
        return f"{self.token} ({self.status})"

    @property
    def file_names(self) -> list[str]:
        return [f["name"] for f in self.files]

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)
