"""The home page (one section per role the user holds) and the user guide."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.db.models.functions import Lower
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from ..cases import services as case_services
from ..cases.access import person_of
from ..org.models import Membership, units_where
from ..work import work_items
from . import queries
from .roles import roles_of


@login_required
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    user, roles = request.user, roles_of(request.user)
    person = person_of(user)
    context: dict[str, Any] = {"person": person, "now": timezone.now(),
                               "today": timezone.localdate(), "roles": roles}
    if Membership.Role.PENYUSUN in roles:
        units = units_where(user, Membership.Role.PENYUSUN)
        context.update(returned=queries.returned_drafts(units), drafts=queries.drafts(units),
                       imports=queries.my_imports(user))
    if Membership.Role.PENGESAH in roles:
        context["awaiting"] = queries.awaiting_approval(units_where(user,
                                                                    Membership.Role.PENGESAH))
    # SOPs to approve and returned drafts have their own sections on the home.
    work = [item for item in work_items(user, person, context["now"])
            if item.kind not in ("approval", "returned")]
    context["work"] = [(item, item.overdue(context["today"])) for item in work[:queries.LIMIT]]
    context["work_total"] = len(work)
    if person is not None:
        context["tasks"] = queries.my_tasks(person)
        context["startable"] = list(case_services.runnable_versions()
                                    .select_related("sop__unit")
                                    .order_by(Lower("name"), "pk")[:queries.LIMIT])
    if Membership.Role.EVALUATOR in roles:
        context["reviews"] = queries.reviews_due(units_where(user, Membership.Role.EVALUATOR))
        context["soon"] = context["today"] + dt.timedelta(days=queries.SOON_DAYS)
    if Membership.Role.ADMIN in roles:
        units = units_where(user, Membership.Role.ADMIN)
        context.update(unroutable=queries.tasks_nobody_can_take(units),
                       vacant=queries.vacant_positions(units))
    return render(request, "home/home.html", context)


@require_GET
def guide(request: HttpRequest) -> HttpResponse:
    """The user guide: open to everyone, signed in or not (the login page links to it)."""
    return render(request, "home/guide.html")
