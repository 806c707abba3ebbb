"""The organisation: units as a tree, positions (jabatan) in units, people holding positions
over time (acting officials included), and who may do what where (roles per unit)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypeAlias

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# Whoever makes a request (`request.user`): an account or nobody logged in.
AnyUser: TypeAlias = "User | AnonymousUser"


class Unit(models.Model):
    """Pemerintah → Dinas/Badan → Bidang/Bagian → Subbag/Seksi."""

    class Kind(models.TextChoices):
        PEMERINTAH = "pemerintah", _("Government")
        DINAS = "dinas", _("Agency (Dinas/Badan)")
        BIDANG = "bidang", _("Division (Bidang/Bagian)")
        SEKSI = "seksi", _("Section (Subbag/Seksi)")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey("self", verbose_name=_("parent"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="children")
    code = models.SlugField(_("code"), max_length=80, unique=True)

    class Meta:
        verbose_name = _("work unit")
        verbose_name_plural = _("work units")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def ancestors(self) -> list[Unit]:
        chain, unit = [], self.parent
        while unit is not None:
            chain.append(unit)
            unit = unit.parent
        return chain

    def chain_ids(self) -> list[int]:
        """This unit and every unit above it: where a role given "reaches" it from."""
        return [self.pk, *(u.pk for u in self.ancestors())]

    def heading(self) -> list[str]:
        """The names from the top of the tree down to this unit, as a document's agency
        heading prints them."""
        return [u.name for u in reversed([self, *self.ancestors()])]

    def descendant_ids(self) -> set[int]:
        """This unit and every unit below it (one query a level; trees are shallow)."""
        ids, frontier = {self.pk}, [self.pk]
        while frontier:
            frontier = list(Unit.objects.filter(parent_id__in=frontier)
                            .values_list("pk", flat=True))
            ids.update(frontier)
        return ids


def in_force_on(on: dt.date, through: str = "") -> Q:
    """Assignments held on a date (started, and not ended before it), reached from a model
    through `through` (e.g. "assignments__"). One Q, so start and end are tested on the same
    assignment when used in a single filter() call."""
    return Q(**{f"{through}start__lte": on}) & (
        Q(**{f"{through}end__isnull": True}) | Q(**{f"{through}end__gte": on}))


class Position(models.Model):
    """A jabatan in a unit: Kepala Dinas, Sekretaris, Kasubag Umum, Staf …"""

    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT,
                             related_name="positions")
    name = models.CharField(_("position title"), max_length=200)
    # Whoever holds the head's position (definitif, or Plt/Plh while acting) reads the unit's
    # reports (reports/access.py): the dashboard, heat maps, cases and the ABK.
    is_head = models.BooleanField(
        _("head of the unit"), default=False,
        help_text=_("The holder of this position leads the unit and may read its reports and "
                    "those of the units below. A unit has at most one head position."))

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["unit__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "name"], name="position_unique_in_unit"),
            models.UniqueConstraint(
                fields=["unit"], condition=Q(is_head=True), name="position_one_head_per_unit",
                violation_error_message=_("This unit already has a head position; remove the "
                                          "mark from that one first.")),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.unit}"

    def holders(self, on: dt.date | None = None) -> models.QuerySet[Person]:
        """People holding this position on a date, acting officials included."""
        on = on or timezone.localdate()
        # One filter() call: start and end must hold for the same assignment, not for two
        # different ones of the same person.
        return Person.objects.filter(
            Q(assignments__position=self) & in_force_on(on, "assignments__")).distinct()


nip_validator = RegexValidator(r"^\d{18}$", _("A NIP has 18 digits."))


class Person(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("account"), null=True,
                                blank=True, on_delete=models.SET_NULL, related_name="person")
    nip = models.CharField(_("NIP"), max_length=18, unique=True, null=True, blank=True,
                           validators=[nip_validator])
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Assignment(models.Model):
    """A person holding a position from `start` to `end` (open-ended when empty)."""

    class Kind(models.TextChoices):
        DEFINITIF = "definitif", _("Permanent (definitif)")
        PLT = "plt", _("Acting official (Plt)")
        PLH = "plh", _("Daily acting official (Plh)")

    person = models.ForeignKey(Person, verbose_name=_("employee"), on_delete=models.CASCADE,
                               related_name="assignments")
    position = models.ForeignKey(Position, verbose_name=_("position"), on_delete=models.PROTECT,
                                 related_name="assignments")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices,
                            default=Kind.DEFINITIF)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"), null=True, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["-start"]
        constraints = [models.CheckConstraint(
            condition=Q(end__isnull=True) | Q(end__gte=models.F("start")),
            name="assignment_end_after_start")]

    def __str__(self) -> str:
        return f"{self.person} — {self.position} ({self.get_kind_display()})"


def overlapping(position: Position, person: Person, kind: str | None, start: dt.date,
                end: dt.date | None) -> models.QuerySet[Assignment]:
    """Holdings of `position` by `person` in the same capacity that share a day with the
    period from `start` to `end` (open-ended when None)."""
    found = Assignment.objects.filter(position=position, person=person, kind=kind).filter(
        Q(end__isnull=True) | Q(end__gte=start))
    return found if end is None else found.filter(start__lte=end)


class Membership(models.Model):
    """A role a user has in a unit; it reaches the units below it too."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        PENYUSUN = "penyusun", _("Author")
        # The organisation bureau's staff, for the units they serve: they review submitted
        # SOPs before the approver (library/review.py).
        PENINJAU = "peninjau", _("Reviewer")
        PENGESAH = "pengesah", _("Approver")
        PEGAWAI = "pegawai", _("Employee")
        EVALUATOR = "evaluator", _("Evaluator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("account"),
                             on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE,
                             related_name="memberships")
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"],
                                               name="membership_unique")]

    def __str__(self) -> str:
        return gettext("%(user)s — %(role)s in %(unit)s") % {
            "user": self.user, "role": self.get_role_display(), "unit": self.unit}


def units_where(user: AnyUser, role: str) -> set[int]:
    """Ids of the units where the user has the role (directly or through a unit above)."""
    if not user.is_authenticated:
        return set()
    if user.is_superuser:
        return set(Unit.objects.values_list("pk", flat=True))
    ids: set[int] = set()
    for membership in Membership.objects.filter(user=user, role__in=[role, "admin"]) \
            .select_related("unit"):
        ids |= membership.unit.descendant_ids()
    return ids


def admins_of(unit: Unit) -> set[int]:
    """Person ids of who runs a unit's part of the installation, as notifications go to
    employees: the active admins of the unit or of a unit above it, and active superusers."""
    admins = Membership.objects.filter(unit_id__in=unit.chain_ids(),
                                       role=Membership.Role.ADMIN).values("user_id")
    return set(Person.objects.filter(Q(user_id__in=admins) | Q(user__is_superuser=True),
                                     user__is_active=True).values_list("pk", flat=True))
