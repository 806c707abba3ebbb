"""Finding SOPs by their latest version: one query shape for the library page, the API and
the organisation pages, so search and filters mean the same everywhere."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypedDict

from django.db.models import F, QuerySet

from ..org.models import Unit
from .models import Sop, SopVersion

if TYPE_CHECKING:  # django-stubs' helper (a dev dependency) for annotated model instances
    from django_stubs_ext import WithAnnotations


class Latest(TypedDict):
    """The fields `with_latest` adds to each SOP: its latest version's."""

    latest_pk: int | None
    latest_name: str | None
    latest_number: str | None
    latest_status: str | None
    latest_search: str | None


ListedSop: TypeAlias = "WithAnnotations[Sop, Latest]"

MAX_WORDS = 20
MAX_WORD_LENGTH = 100


def with_latest(sops: QuerySet[Sop] | None = None) -> QuerySet[ListedSop]:
    """SOPs annotated with their latest version's id, name, number, status, search text:
    one join on the pointer `SopVersion.save` keeps, not a subquery per field and SOP."""
    sops = sops if sops is not None else Sop.objects.all()
    return sops.select_related("unit").annotate(
        latest_pk=F("latest_version_id"),
        latest_name=F("latest_version__name"),
        latest_number=F("latest_version__sop_number"),
        latest_status=F("latest_version__status"),
        latest_search=F("latest_version__search_text"))


def search_words(query: str) -> list[str]:
    """The words searched for: distinct, at most `MAX_WORDS`, each cut to `MAX_WORD_LENGTH`
    characters. A pasted page of text would otherwise become thousands of LIKE filters or one
    pattern SQLite refuses ('LIKE or GLOB pattern too complex', a 500); a cut word still
    finds every text the whole word is in."""
    words = dict.fromkeys(word[:MAX_WORD_LENGTH] for word in query.lower().split())
    return list(words)[:MAX_WORDS]


def find(query: str = "", unit: Unit | None = None, status: str | None = None
         ) -> QuerySet[ListedSop]:
    """Every word of `query` in the latest version's text; `unit` includes its sub-units."""
    sops = with_latest()
    for word in search_words(query):
        sops = sops.filter(latest_search__contains=word)
    if unit is not None:
        sops = sops.filter(unit_id__in=unit.descendant_ids())
    if status in SopVersion.Status.values:
        sops = sops.filter(latest_status=status)
    return sops
