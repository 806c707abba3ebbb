"""A yearly evaluation of one SOP: seven yes/no answers with notes, the result the evaluator
chose (keep, revise, revoke) and why. Finalising freezes it (who, when, and the evaluator's
name and NIP as they were then, for the signed PDF); "revise" links the draft version it
opened (or found open) for the unit's authors."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ..library.models import Sop, SopVersion
from .criteria import CRITERIA


class Evaluation(models.Model):
    class Result(models.TextChoices):
        KEEP = "tetap", _("Keep")
        REVISE = "revisi", _("Revise")
        REVOKE = "cabut", _("Revoke")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sop = models.ForeignKey(Sop, verbose_name=_("SOP"), on_delete=models.CASCADE,
                            related_name="evaluations")
    # The version in force that was evaluated (the one its figures are measured against).
    version = models.ForeignKey(SopVersion, verbose_name=_("version"),
                                on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    # The evidence's period: the twelve months up to the day the evaluation began.
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    result = models.CharField(_("result"), max_length=8, choices=Result.choices, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    finalised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("finalised by"))
    finalised_at = models.DateTimeField(_("finalised"), null=True, blank=True)
    evaluator_name = models.CharField(_("evaluator"), max_length=200, blank=True)
    evaluator_nip = models.CharField(_("NIP"), max_length=18, blank=True)
    # "revise": the draft the evaluation opened, or the one already open that it linked.
    draft = models.ForeignKey(SopVersion, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="evaluations_revising", verbose_name=_("draft"))
    draft_created = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        ordering = ["-year", "-pk"]
        constraints = [models.UniqueConstraint(fields=["sop", "year"],
                                               name="evaluation_once_a_year")]
        indexes = [models.Index(fields=["sop", "finalised_at"], name="evaluation_done")]

    def __str__(self) -> str:
        return f"{self.version.name} ({self.year})"

    @property
    def final(self) -> bool:
        return self.finalised_at is not None


class Answer(models.Model):
    """One criterion of an evaluation: Ya (True), Tidak (False) or not answered yet."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE,
                                   related_name="answers")
    criterion = models.PositiveSmallIntegerField(_("criterion"), choices=CRITERIA)
    meets = models.BooleanField(_("answer"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        ordering = ["criterion"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "criterion"],
                                               name="evaluation_answer_once")]

    def __str__(self) -> str:
        return f"{self.evaluation} #{self.criterion}"
