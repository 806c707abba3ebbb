"""Finding SOPs by their latest version: one query shape for the library page, the API and
the organisation pages, so search and filters mean the same everywhere."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

from ..org.models import Unit
from .models import Sop, SopVersion


def with_latest(sops: QuerySet[Sop] | None = None) -> QuerySet[Sop]:
    """SOPs annotated with their latest version's id, name, number, status, search text."""
    latest = SopVersion.objects.filter(sop=OuterRef("pk")).order_by("-number")
    sops = sops if sops is not None else Sop.objects.all()
    return sops.select_related("unit").annotate(
        latest_pk=Subquery(latest.values("pk")[:1]),
        latest_name=Subquery(latest.values("name")[:1]),
        latest_number=Subquery(latest.values("sop_number")[:1]),
        latest_status=Subquery(latest.values("status")[:1]),
        latest_search=Subquery(latest.values("search_text")[:1]))


def find(query: str = "", unit: Unit | None = None, status: str | None = None
         ) -> QuerySet[Sop]:
    """Every word of `query` in the latest version's text; `unit` includes its sub-units."""
    sops = with_latest()
    for word in query.lower().split():
        sops = sops.filter(latest_search__contains=word)
    if unit is not None:
        sops = sops.filter(unit_id__in=unit.descendant_ids())
    if status in SopVersion.Status.values:
        sops = sops.filter(latest_status=status)
    return sops
