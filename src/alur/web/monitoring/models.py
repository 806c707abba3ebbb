"""The semester monitoring form of Permenpan RB 35/2012 (Tabel 7, "Monitoring Pelaksanaan
SOP AP"): one per unit per semester, a row per SOP in force in the unit during the semester
plus the evaluator's own findings, six columns — No | Prosedur | Penilaian terhadap penerapan |
Catatan hasil penilaian | Tindakan yang harus diambil | Paraf penilai.

The rows are proposed from what really ran (`prefill`): an SOP, or one of its steps, whose
on-time rate in the semester is under `ALUR_MONITORING_ON_TIME_THRESHOLD` (a fraction, default
0.8, read with getattr so the setting is optional) proposes "Tidak berjalan dengan baik" with
the figures written in Catatan; an SOP without cases in the semester says "Belum ada data"
rather than being judged. The evaluator edits every cell, initials each row (the paraf is their
name and the time), and finalises the form: from then on it is frozen and kept.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import ProtectedError, Q
from django.utils.translation import gettext_lazy as _

from ..library.models import Sop
from ..org.models import Unit

DEFAULT_THRESHOLD = 0.8


def on_time_threshold() -> float:
    """The on-time rate (0–1) under which an SOP or a step is proposed as not running well:
    setting ALUR_MONITORING_ON_TIME_THRESHOLD, default 0.8."""
    return float(getattr(settings, "ALUR_MONITORING_ON_TIME_THRESHOLD", DEFAULT_THRESHOLD))


def semester_of(day: dt.date) -> tuple[int, int]:
    """(year, semester) of a date: January–June is semester 1, July–December semester 2."""
    return day.year, 1 if day.month <= 6 else 2


def semester_bounds(year: int, semester: int) -> tuple[dt.date, dt.date]:
    """The first and the last day of a semester."""
    if semester == 1:
        return dt.date(year, 1, 1), dt.date(year, 6, 30)
    return dt.date(year, 7, 1), dt.date(year, 12, 31)


def previous_semester(year: int, semester: int) -> tuple[int, int]:
    return (year, 1) if semester == 2 else (year - 1, 2)


class Judgement(models.TextChoices):
    BAIK = "baik", _("Running well")
    TIDAK_BAIK = "tidak_baik", _("Not running well")
    BELUM_ADA_DATA = "belum_ada_data", _("No data yet (not assessed)")


class FollowUp(models.TextChoices):
    SUDAH = "sudah", _("Followed up")
    BELUM = "belum", _("Not followed up")


class MonitoringForm(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINAL = "final", _("Final")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="monitoring_forms")
    year = models.PositiveIntegerField(_("year"))
    semester = models.PositiveSmallIntegerField(_("semester"), choices=[(1, "I"), (2, "II")])
    status = models.CharField(_("status"), max_length=8, choices=Status.choices,
                              default=Status.DRAFT)
    threshold = models.FloatField(_("on-time threshold used"), default=DEFAULT_THRESHOLD)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    # Kept as written when it was finalised: the account may be renamed or removed later.
    evaluator_name = models.CharField(_("evaluator"), max_length=200, blank=True)
    evaluator_nip = models.CharField(_("NIP"), max_length=18, blank=True)

    class Meta:
        verbose_name = _("monitoring form")
        verbose_name_plural = _("monitoring forms")
        ordering = ["-year", "-semester", "unit__name"]
        constraints = [models.UniqueConstraint(fields=["unit", "year", "semester"],
                                               name="monitoring_form_once_per_semester"),
                       models.CheckConstraint(condition=Q(semester__in=[1, 2]),
                                              name="monitoring_semester_1_or_2")]

    def __str__(self) -> str:
        return f"{self.unit} — {self.year}/{self.semester}"

    @property
    def final(self) -> bool:
        return self.status == self.Status.FINAL

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        """A final form is kept for good: the regulation's record of the semester."""
        if self.final:
            raise ProtectedError(str(_("A final monitoring form is kept and cannot be "
                                       "deleted.")), {self})
        return super().delete(*args, **kwargs)

    @property
    def start(self) -> dt.date:
        return semester_bounds(self.year, self.semester)[0]

    @property
    def end(self) -> dt.date:
        return semester_bounds(self.year, self.semester)[1]

    @property
    def semester_roman(self) -> str:
        return "I" if self.semester == 1 else "II"


class MonitoringRow(models.Model):
    form = models.ForeignKey(MonitoringForm, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField(_("No"))
    sop = models.ForeignKey(Sop, verbose_name=_("SOP"), null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="monitoring_rows")
    step = models.PositiveIntegerField(_("step"), null=True, blank=True)
    procedure = models.TextField(_("procedure"))
    # A row the evaluator added (from observation or interviews), not one per SOP.
    is_finding = models.BooleanField(default=False)
    judgement = models.CharField(_("assessment of its application"), max_length=16,
                                 choices=Judgement.choices, blank=True)
    notes = models.TextField(_("notes on the assessment"), blank=True)
    action = models.TextField(_("action to be taken"), blank=True)
    # What the data proposed when the form was made, kept to show what the evaluator changed.
    proposed_judgement = models.CharField(max_length=16, choices=Judgement.choices, blank=True)
    proposed_notes = models.TextField(blank=True)
    initialled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                      on_delete=models.SET_NULL, related_name="+")
    initialled_name = models.CharField(_("initialled by"), max_length=200, blank=True)
    initialled_at = models.DateTimeField(_("initialled at"), null=True, blank=True)
    # The previous semester's row about the same SOP (or finding) and its action.
    previous = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    previous_action = models.TextField(_("previous semester's action"), blank=True)
    followed_up = models.CharField(_("followed up"), max_length=8, choices=FollowUp.choices,
                                   blank=True)
    follow_up_note = models.TextField(_("follow-up note"), blank=True)

    class Meta:
        verbose_name = _("monitoring row")
        verbose_name_plural = _("monitoring rows")
        ordering = ["form", "number"]

    def __str__(self) -> str:
        return f"{self.number}. {self.procedure[:60]}"

    @property
    def initialled(self) -> bool:
        return self.initialled_at is not None


def evidence_path(instance: Evidence, filename: str) -> str:
    return f"pemantauan/{instance.form.public_id}/{uuid.uuid4().hex[:12]}-{filename}"


class Evidence(models.Model):
    """A file behind the assessment: interview notes, a photo of the observation."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    form = models.ForeignKey(MonitoringForm, on_delete=models.PROTECT,
                             related_name="evidence")
    row = models.ForeignKey(MonitoringRow, null=True, blank=True, on_delete=models.PROTECT,
                            related_name="evidence")
    label = models.CharField(_("description"), max_length=300, blank=True)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    original_name = models.CharField(max_length=255)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    uploaded_name = models.CharField(max_length=200, blank=True)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["uploaded_at"]
