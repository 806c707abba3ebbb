"""`{% evaluation_of version as evaluation %}`: the evaluation that opened (or linked) this
draft version, for the SOP page's "made from the evaluation of year N" line. One indexed
query on the draft link."""

from __future__ import annotations

from django import template

from ..models import Evaluation

register = template.Library()


@register.simple_tag
def evaluation_of(version: object) -> Evaluation | None:
    pk = getattr(version, "pk", None)
    if pk is None:
        return None
    return (Evaluation.objects.filter(draft_id=pk, finalised_at__isnull=False)
            .only("public_id", "year", "draft_created").first())
