"""The organisation as people see it: the unit tree, each unit's positions with who holds
them today (acting officials marked), and the SOPs the unit owns. A unit's admin appoints
and ends holdings of its positions (definitif, Plt, Plh) on each position's page; the rest
of the organisation is edited in the admin."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Literal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.db.models.functions import Lower
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from ..library.models import SopVersion
from ..library.queries import with_latest
from . import services
from .forms import AppointForm, EndForm
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
        "sops": with_latest(unit.sops.all()).order_by(Lower("latest_name"), "slug"),
        "applicants": _applicant_columns(unit),
        "today": today, "may_staff": services.may_staff(request.user, unit)})


def _applicant_columns(unit: Unit) -> list[tuple[str, int]]:
    """The actor columns of the unit's SOPs (latest versions) that stand for the applicant —
    no position, whoever starts the case — by name, with how many SOPs have one."""
    latest: dict[int, dict[str, Any]] = {}
    for sop_id, content in SopVersion.objects.filter(sop__unit=unit) \
            .order_by("sop", "-number").values_list("sop", "content"):
        latest.setdefault(sop_id, content or {})
    names = Counter(actor.get("name", "") for content in latest.values()
                    for actor in content.get("actors") or [] if actor.get("applicant"))
    return sorted(names.items())


def _appointed_message(held: Assignment, position: Position) -> str:
    """The appointment's confirmation: "now holds" only when it has begun today or before."""
    if held.start > timezone.localdate():
        return _("{person} holds {position} ({kind}) from {date}.").format(
            person=held.person.name, position=position.name, kind=held.get_kind_display(),
            date=held.start.strftime("%d-%m-%Y"))
    return _("{person} now holds {position} ({kind}).").format(
        person=held.person.name, position=position.name, kind=held.get_kind_display())


@dataclass(frozen=True)
class _Holding:
    """A row of a position's holders: the holding, where it stands today and, for a unit's
    admin, the form that ends it."""

    assignment: Assignment
    state: Literal["upcoming", "current", "ended"]
    end_form: EndForm | None = None


@login_required
@require_http_methods(["GET", "POST"])
def position_detail(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """A position's holders, past, present and to come; its unit's admin appoints someone
    (action "angkat"), ends a holding (action "akhiri") or cancels one that has not begun
    (action "batalkan")."""
    position = get_object_or_404(Position.objects.select_related("unit"), pk=pk,
                                 unit__code=code)
    may_staff = services.may_staff(request.user, position.unit)
    appoint_form = AppointForm(position=position)
    end_forms: dict[int, EndForm] = {}
    if request.method == "POST":
        if not may_staff:
            raise PermissionDenied
        action = request.POST.get("aksi")
        if action == "angkat":
            appoint_form = AppointForm(request.POST, position=position)
            if appoint_form.is_valid():
                held = services.appoint(appoint_form.save(commit=False), request.user)
                messages.success(request, _appointed_message(held, position))
                return redirect("org:position", code=code, pk=pk)
        elif action == "akhiri":
            chosen = request.POST.get("assignment", "")
            if not chosen.isdigit():
                raise Http404
            assignment = get_object_or_404(Assignment, pk=int(chosen), position=position)
            form = EndForm(request.POST, assignment=assignment)
            if form.is_valid():
                services.end_holding(assignment, form.cleaned_data["end"], request.user)
                messages.success(request, _("{person} holds {position} until {date}.").format(
                    person=assignment.person.name, position=position.name,
                    date=form.cleaned_data["end"].strftime("%d-%m-%Y")))
                return redirect("org:position", code=code, pk=pk)
            end_forms[assignment.pk] = form
        elif action == "batalkan":
            chosen = request.POST.get("assignment", "")
            if not chosen.isdigit():
                raise Http404
            assignment = get_object_or_404(Assignment.objects.select_related("person"),
                                           pk=int(chosen), position=position)
            if assignment.start <= timezone.localdate():
                messages.error(request, _("Only an appointment that has not begun can be "
                                          "cancelled; end this holding instead."))
            else:
                services.cancel_upcoming(assignment, request.user)
                messages.success(request, _(
                    "The appointment of {person} as {position} from {date} was cancelled."
                ).format(person=assignment.person.name, position=position.name,
                         date=assignment.start.strftime("%d-%m-%Y")))
            return redirect("org:position", code=code, pk=pk)
        else:
            return HttpResponse(_("Unknown action."), status=400)
    today = timezone.localdate()
    holdings: list[_Holding] = []
    for held in position.assignments.select_related("person").order_by("-start", "pk"):
        state: Literal["upcoming", "current", "ended"] = (
            "upcoming" if held.start > today else
            "ended" if held.end is not None and held.end < today else "current")
        end_form = end_forms.get(held.pk) or EndForm(assignment=held) \
            if may_staff and state != "ended" else None
        holdings.append(_Holding(held, state, end_form))
    return render(request, "org/position.html", {
        "position": position, "unit": position.unit, "holdings": holdings, "today": today,
        "may_staff": may_staff, "form": appoint_form,
        "ancestors": list(reversed(position.unit.ancestors()))},
        status=400 if request.method == "POST" else 200)
