"""The Pengesah's pages: approve or return one submitted SOP, or approve several under one
decree. Approving needs a form — what the approver signs as (their position, acting as Plt/Plh,
"a.n." a higher official), the effective date, the decree number — and the acknowledgement of
the checker's warnings; an SOP with errors cannot be approved at all. Returning needs a reason.
An invalid form re-renders with the message next to its field."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from alur.sop import Finding

from ..org.models import Assignment, units_where
from . import transitions
from .approval import holding_label, holdings, nip_required, signatory_of
from .models import SopVersion
from .permissions import can_approve
from .review import passed
from .services import approve, effective_from

Status = SopVersion.Status


class ApprovalForm(forms.Form):
    holding = forms.ChoiceField(label=gettext_lazy("Sign as"))
    on_behalf_of = forms.CharField(
        label=gettext_lazy("On behalf of (a.n.)"), required=False, max_length=200,
        help_text=gettext_lazy("Only when you sign on behalf of a higher official: their "
                               "title, e.g. Bupati Lampung Selatan."))
    effective = forms.DateField(label=gettext_lazy("Effective date"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    decree_number = forms.CharField(label=gettext_lazy("Decree number (Nomor SK)"),
                                    required=False, max_length=120)
    acknowledge = forms.BooleanField(
        label=gettext_lazy("I have read the warnings of the check and approve nonetheless"),
        required=False)

    def __init__(self, *args: Any, held: list[Assignment], warned: bool,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.held = {str(a.pk): a for a in held}
        self.fields["holding"].choices = [  # type: ignore[attr-defined]
            (key, holding_label(a)) for key, a in self.held.items()]
        self.warned = warned
        if not warned:
            del self.fields["acknowledge"]

    def clean_holding(self) -> Assignment:
        assignment = self.held[self.cleaned_data["holding"]]
        if nip_required() and not assignment.person.nip:
            raise forms.ValidationError(_(
                "Your employee record has no NIP, which the signature block prints. Ask the "
                "administrator to add it (an installation where elected heads sign turns this "
                "requirement off)."))
        return assignment

    def clean_acknowledge(self) -> bool:
        if self.warned and not self.cleaned_data.get("acknowledge"):
            raise forms.ValidationError(_("Read the warnings and confirm before approving."))
        return True


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why it is returned"), max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("The author reads this beside the SOP and in their "
                               "notification: say what must change."))


def _initial_effective(version: SopVersion) -> dt.date:
    effective = effective_from(version.document)
    today = timezone.localdate()
    return effective if effective and effective >= today else today


@login_required
@require_http_methods(["GET", "POST"])
def approve_page(request: HttpRequest, public_id: str) -> HttpResponse:
    version = get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                                public_id=public_id)
    if not can_approve(request.user, version.sop):
        raise PermissionDenied
    back = reverse("library:detail", args=[version.sop.public_id]) + \
        f"?versi={version.public_id}"
    if version.status != Status.DIAJUKAN:
        messages.error(request, _("Only submitted versions can be approved or returned."))
        return redirect(back)
    document = version.document
    errors, warnings = transitions.errors_and_warnings(document)
    held = holdings(request.user)
    approval = ApprovalForm(held=held, warned=bool(warnings),
                            initial={"effective": _initial_effective(version)})
    returning = ReturnForm()
    if request.method == "POST" and request.POST.get("aksi") == "kembalikan":
        returning = ReturnForm(request.POST)
        if returning.is_valid():
            transitions.return_to_author(version, request.user,
                                         returning.cleaned_data["reason"])
            messages.success(request, _("Version %(number)s returned to the author.")
                             % {"number": version.number})
            return redirect(back)
    elif request.method == "POST" and not errors and held:
        approval = ApprovalForm(request.POST, held=held, warned=bool(warnings))
        if approval.is_valid():
            with transaction.atomic():
                _approve(version, request.user, approval.cleaned_data)
            messages.success(request, _("Version %(number)s approved, in force from "
                                        "%(date)s.") % {
                "number": version.number, "date": f"{version.effective_date:%d-%m-%Y}"})
            return redirect(back)
    return render(request, "library/approve.html", {
        "version": version, "sop": version.sop, "back": back,
        "errors": transitions.editor_links(version, errors),
        "warnings": transitions.beside_step(warnings),
        "approval": approval, "returning": returning, "held": held,
        "waited": timezone.now() - version.submitted_at if version.submitted_at else None,
        "passed_review": passed(version),
    }, status=400 if request.method == "POST" else 200)


def _approve(version: SopVersion, user: Any, data: dict[str, Any]) -> None:
    # Locked and read again: two approvals of one version at once must not both pass.
    locked = SopVersion.objects.select_for_update().get(pk=version.pk)
    if locked.status != Status.DIAJUKAN:
        raise PermissionDenied
    approve(version, user, data["effective"],
            signatory=signatory_of(data["holding"], data.get("on_behalf_of", "")),
            decree_number=data.get("decree_number", ""))


@dataclass(frozen=True)
class Waiting:
    version: SopVersion
    errors: list[Finding]
    warnings: list[Finding]


class ManyForm(ApprovalForm):
    versions = forms.MultipleChoiceField(label=gettext_lazy("SOPs to approve"),
                                         widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["versions"].choices = choices  # type: ignore[attr-defined]
        self.order_fields(["versions"])


@login_required
@require_http_methods(["GET", "POST"])
def approve_many(request: HttpRequest) -> HttpResponse:
    """Several submitted SOPs approved together under one decree (Nomor SK). Only those with
    no checker error can be chosen; their warnings are listed and acknowledged together."""
    units = units_where(request.user, "pengesah")
    if not units:
        raise PermissionDenied
    waiting = list(SopVersion.objects.filter(status=Status.DIAJUKAN, sop__unit_id__in=units)
                   .select_related("sop__unit").order_by("submitted_at", "pk"))
    rows = [Waiting(v, *transitions.errors_and_warnings(v.document)) for v in waiting]
    choosable = [r for r in rows if not r.errors]
    choices = [(str(r.version.public_id), r.version.name) for r in choosable]
    held = holdings(request.user)
    warned = any(r.warnings for r in choosable)
    form = ManyForm(request.POST or None, held=held, warned=warned, choices=choices,
                    initial={"effective": timezone.localdate()})
    if request.method == "POST" and held and form.is_valid():
        chosen = set(form.cleaned_data["versions"])
        with transaction.atomic():
            for row in choosable:
                if str(row.version.public_id) in chosen:
                    _approve(row.version, request.user, form.cleaned_data)
        messages.success(request, _("%(count)s SOP(s) approved under decree %(sk)s.") % {
            "count": len(chosen), "sk": form.cleaned_data.get("decree_number") or "—"})
        return redirect("library:approve_many")
    return render(request, "library/approve_many.html", {
        "rows": rows, "form": form, "held": held, "warned": warned,
    }, status=400 if request.method == "POST" else 200)
