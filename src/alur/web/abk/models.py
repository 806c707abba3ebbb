"""The yearly volume of each SOP for the unit's workload analysis (ABK): entered by a person,
or counted from the cases of the last twelve months — the choice is kept per SOP and year."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..library.models import Sop


class Volume(models.Model):
    """How many times a year an SOP is carried out, for the ABK of a year."""

    class Source(models.TextChoices):
        ENTERED = "entered", _("Entered")
        COUNTED = "counted", _("Counted from cases")

    sop = models.ForeignKey(Sop, verbose_name=_("SOP"), on_delete=models.CASCADE,
                            related_name="abk_volumes")
    year = models.PositiveSmallIntegerField(_("year"))
    source = models.CharField(_("volume from"), max_length=10, choices=Source.choices,
                              default=Source.ENTERED)
    # The number entered; kept when the source is switched to counting, so switching back
    # brings it back. Required when the source is "entered".
    volume = models.PositiveIntegerField(_("volume a year"), null=True, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("entered by"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        verbose_name = _("yearly volume")
        verbose_name_plural = _("yearly volumes")
        constraints = [
            models.UniqueConstraint(fields=["sop", "year"], name="abk_volume_unique"),
            models.CheckConstraint(condition=~Q(source="entered") | Q(volume__isnull=False),
                                   name="abk_volume_entered_has_number"),
        ]

    def __str__(self) -> str:
        return f"{self.sop} {self.year}: {self.volume if self.volume is not None else '–'}"
