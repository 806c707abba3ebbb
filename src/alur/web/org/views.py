"""The organisation as people see it: the unit tree, each unit's positions with who holds
them today (acting officials marked), and the SOPs the unit owns. Editing is in the admin."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..library.queries import with_latest
from .models import Assignment, Position, Unit, in_force_on


@login_required
@require_GET
def unit_tree(request: HttpRequest) -> HttpResponse:
    units = list(Unit.objects.order_by("name"))
    children: dict[int | None, list[Unit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)

    def branch(parent: int | None, depth: int) -> list[tuple[Unit, int]]:
        rows = []
        for unit in children.get(parent, []):
            rows.append((unit, depth))
            rows.extend(branch(unit.pk, depth + 1))
        return rows

    return render(request, "org/tree.html", {"rows": branch(None, 0)})


@login_required
@require_GET
def unit_detail(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(Unit, code=code)
    today = timezone.localdate()
    current = Assignment.objects.filter(in_force_on(today)).select_related("person")
    positions = Position.objects.filter(unit=unit).prefetch_related(
        Prefetch("assignments", queryset=current, to_attr="current"))
    return render(request, "org/unit.html", {
        "unit": unit, "ancestors": list(reversed(unit.ancestors())),
        "children": unit.children.order_by("name"), "positions": positions,
        "sops": with_latest(unit.sops.all()).order_by("latest_name", "slug"),
        "today": today})
