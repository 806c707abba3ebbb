"""Which library SOP an imported SOP continues, so that importing a document again never makes
a second SOP beside the first.

An imported SOP is the same SOP as one in the library when it carries that SOP's number (Nomor
SOP, on the newest version) in a unit where the reviewer may write, or when it has that SOP's
id in the unit chosen for the import (`services.add_sop` keeps a unit's SOPs by id). The review
offers each such SOP — "make it a new version of SOP …" — besides importing it as a separate
SOP, and proposes the first: a number match before an id match, the chosen unit's before
another's.

A new version is never made beside one still open (a draft, one in review, one submitted): two
would fork the SOP's history (`services.DraftExists`). The review says so next to the choice,
refuses to save it, and `save_as_version` checks again under a lock.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _

from alur.sop import Sop as SopDocument
from alur.sop.slug import slugify, unique_slug

from ..org.models import AnyUser, Position, Unit
from .models import Sop, SopVersion
from .services import DraftExists, add_sop

MAX_MATCHES = 5  # SOPs offered for one imported SOP; more would be a list nobody reads


@dataclass(frozen=True)
class Match:
    """An SOP of the library that an imported SOP may continue, and its version still open."""

    sop: Sop
    by_number: bool
    open_version: SopVersion | None

    @property
    def value(self) -> str:
        """The review form's value for choosing this SOP."""
        return str(self.sop.pk)

    @property
    def name(self) -> str:
        latest = self.sop.latest_version
        name = latest.name if latest is not None and latest.name else self.sop.slug
        return name[4:] if name[:4].lower() == "sop " else name  # "SOP SOP Cuti" reads badly

    @property
    def number(self) -> str:
        latest = self.sop.latest_version
        return latest.sop_number if latest is not None else ""

    def label(self, unit: Unit | None) -> str:
        """The choice as the review words it; another unit's SOP names its unit."""
        values = {"name": self.name, "number": self.number, "unit": self.sop.unit.name}
        elsewhere = unit is None or self.sop.unit_id != unit.pk
        if self.number:
            text = (_("Make it a new version of SOP %(name)s (number %(number)s) of %(unit)s")
                    if elsewhere else
                    _("Make it a new version of SOP %(name)s (number %(number)s)"))
        else:
            text = (_("Make it a new version of SOP %(name)s of %(unit)s") if elsewhere
                    else _("Make it a new version of SOP %(name)s"))
        return text % values

    def refusal(self) -> str | None:
        """Why this SOP cannot get a new version now, or None."""
        open_version = self.open_version
        if open_version is None:
            return None
        return open_version_message(self.name, open_version)


def open_version_message(name: str, open_version: SopVersion) -> str:
    return _("SOP %(name)s already has version %(version)s that is not finished (%(status)s); "
             "a second one would split its history. Finish that version first, import this "
             "one as a separate SOP, or do not save it.") % {
        "name": name, "version": open_version.number,
        "status": open_version.get_status_display().lower()}


def number_key(number: str | None) -> str:
    """An SOP number as matched: '800/12/ORG/2023' and '800 / 12 / org / 2023' are one number;
    a placeholder ('-', '…') is none."""
    key = "".join((number or "").casefold().split())
    return key if any(c.isalnum() for c in key) else ""


def find_matches(documents: Sequence[SopDocument], unit: Unit | None,
                 unit_ids: Collection[int]) -> list[list[Match]]:
    """For each document, the library SOPs it may continue, the one to propose first."""
    keys = {key for d in documents if (key := number_key(d.number))}
    by_number: dict[str, list[int]] = {}
    if keys:
        numbered = Sop.objects.filter(unit_id__in=unit_ids, latest_version__isnull=False) \
            .exclude(latest_version__sop_number="") \
            .values_list("pk", "latest_version__sop_number")
        for pk, number in numbered:
            key = number_key(number)
            if key in keys:
                by_number.setdefault(key, []).append(pk)
    by_slug: dict[str, int] = {}
    if unit is not None:
        by_slug = dict(Sop.objects.filter(unit=unit, slug__in={d.id for d in documents})
                       .values_list("slug", "pk"))
    wanted = {pk for pks in by_number.values() for pk in pks} | set(by_slug.values())
    sops = Sop.objects.select_related("unit", "latest_version").in_bulk(wanted)
    open_versions: dict[int, SopVersion] = {}
    for version in SopVersion.objects.filter(sop_id__in=wanted,
                                             status__in=SopVersion.OPEN_STATUSES) \
            .order_by("number"):
        open_versions[version.sop_id] = version  # the newest, when (wrongly) several
    result = []
    for document in documents:
        same_id = by_slug.get(document.id)
        numbered_pks = by_number.get(number_key(document.number), [])

        def order(pk: int, same_id: int | None = same_id) -> tuple[bool, bool, str]:
            sop = sops[pk]
            return (pk != same_id, unit is None or sop.unit_id != unit.pk, sop.slug)

        found = [Match(sops[pk], True, open_versions.get(pk))
                 for pk in sorted(numbered_pks, key=order)]
        if same_id is not None and same_id not in numbered_pks:
            found.append(Match(sops[same_id], False, open_versions.get(same_id)))
        result.append(found[:MAX_MATCHES])
    return result


def save_as_version(sop: Sop, document: SopDocument, user: AnyUser,
                    positions: Mapping[str, Position] | None = None) -> SopVersion:
    """The imported document as a new draft version of `sop`. Raises `DraftExists` when the
    SOP has a version still open, as `services.new_draft` does."""
    # Lock the SOP row: two saves at once must not both find no open version.
    Sop.objects.select_for_update().filter(pk=sop.pk).first()
    open_version = (sop.versions.filter(status__in=SopVersion.OPEN_STATUSES)
                    .order_by("-number").first())
    if open_version is not None:
        raise DraftExists(open_version)
    return add_sop(document.model_copy(update={"id": sop.slug}), sop.unit, user,
                   positions=positions)


def separate_id(document: SopDocument, name: str, taken: Collection[str]) -> str:
    """The id of an imported SOP saved as an SOP of its own: its document's, or, when the
    document did not name it, made from the name the reviewer gave; never one of `taken`
    (the unit's ids), so that it never becomes a version of another SOP."""
    base = document.id if document.name.strip() else (slugify(name) or document.id)
    return unique_slug(base, taken)
