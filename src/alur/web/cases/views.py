"""Pages for running SOPs: start a case, "Tugas saya", a task, a case, the list of cases and
the notifications."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from alur.engine import EngineError
from alur.render import layout
from alur.render.svg import page_svg
from alur.sop.model import Step

from ..library.models import SopVersion
from ..org.models import Person, Unit, in_force_on, units_where
from ..work import work_items
from . import services
from .access import can_view, is_admin_for, person_of, supervised_units, visible_cases
from .forms import AttachmentForm, CommentForm, CompleteForm, ReasonForm, ReassignForm, StartForm
from .models import Attachment, Case, Notification, Task
from .queries import acting_positions, my_open_tasks, progress, unroutable_tasks, with_late

PAGE_SIZE = 25
# "As" on the inbox for a task reaching an acting official through the position they act in.
ACTING_AS = {"plt": gettext_lazy("as Plt %(position)s"),
             "plh": gettext_lazy("as Plh %(position)s")}


def _person_or_explain(request: HttpRequest) -> Person | None:
    person = person_of(request.user)
    if person is None:
        messages.error(request, _("Your account is not linked to an employee record yet; ask "
                                  "the admin to link it before you run procedures."))
    return person


# --- starting -------------------------------------------------------------------------------

@login_required
@require_GET
def start_list(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()
    versions = services.runnable_versions().select_related("sop__unit") \
        .order_by(Lower("name"), "pk")
    if query:
        versions = versions.filter(Q(name__icontains=query) | Q(sop_number__icontains=query) |
                                   Q(sop__unit__name__icontains=query))
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(request, "cases/start_list.html", {"page": page, "query": query})


@login_required
def start(request: HttpRequest, public_id: str) -> HttpResponse:
    version = get_object_or_404(SopVersion.objects.select_related("sop__unit"),
                                public_id=public_id)
    form = StartForm(request.POST or None)
    problem = None
    if not version.in_force:
        problem = _("This version is not an approved SOP in force, so it cannot be run.")
    if request.method == "POST" and problem is None and form.is_valid():
        person = _person_or_explain(request)
        if person is not None:
            try:
                case = services.start_case(version, person, title=form.cleaned_data["title"])
            except EngineError as error:
                problem = error.message
            else:
                if form.cleaned_data["note"].strip():
                    services.comment(case, services.Actor(person), form.cleaned_data["note"])
                messages.success(request, _("The case has started."))
                return redirect("cases:case", case.public_id)
    return render(request, "cases/start.html", {
        "version": version, "form": form, "problem": problem,
        "steps": version.document.steps}, status=400 if problem and request.method == "POST"
        else 200)


# --- my tasks -------------------------------------------------------------------------------

@login_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    now = timezone.now()
    tasks = list(my_open_tasks(person)[:200]) if person else []
    # A Plt or Plh sees which position they stand in for on each task it reaches them by.
    acting = acting_positions(person) if person else {}
    rows = [(task, ACTING_AS[acting[task.position_id]] % {"position": task.position.name}
             if task.position is not None and task.position_id in acting else "")
            for task in tasks]
    admin_units = units_where(request.user, "admin")
    return render(request, "cases/inbox.html", {
        "person": person, "tasks": tasks, "rows": rows, "now": now,
        "work": [(item, item.overdue(timezone.localdate(now)))
                 for item in work_items(request.user, person, now)],
        "unroutable": list(unroutable_tasks(admin_units)[:50]) if admin_units else [],
    })


# --- a task ---------------------------------------------------------------------------------

def _task_or_404(request: HttpRequest, public_id: str) -> Task:
    task = get_object_or_404(Task.objects.select_related("case__version__sop", "position",
                                                         "assignee", "done_by"),
                             public_id=public_id)
    if not can_view(request.user, task.case):
        raise Http404(_("Task not found."))
    return task


def _task_context(request: HttpRequest, task: Task, **forms: Form) -> dict[str, Any]:
    document = task.case.version.document
    step = document.step(task.step)
    person = person_of(request.user)
    admin = is_admin_for(request.user, task.case)
    context = {
        "task": task, "case": task.case, "step": step, "now": timezone.now(),
        "attachments": task.case.attachments.filter(task=task).select_related("uploaded_by"),
        "complete_form": forms.get("complete_form") or _complete_form(task, step),
        "attachment_form": forms.get("attachment_form") or AttachmentForm(),
        "reassign_form": forms.get("reassign_form") or ReassignForm(
            people=_people_for(task)),
        "comment_form": forms.get("comment_form") or CommentForm(),
        "person": person, "is_admin": admin,
        # The completion form's token: a resubmitted form is answered, not done twice.
        "idempotency_key": request.POST.get("idempotency_key") or secrets.token_urlsafe(16),
        # Claimed (or handed over) to me, so I may give it back; a task that is mine because
        # I started the case has nobody to go back to.
        "mine": person is not None and task.assignee_id == person.pk and
        task.claimed_at is not None,
        "others": task.case.tasks.filter(step=task.step, round=task.round).exclude(pk=task.pk),
    }
    return context


def _complete_form(task: Task, step: Step | None, data: QueryDict | None = None) -> CompleteForm:
    return CompleteForm(data, inputs=list(step.inputs) if step else [],
                        outputs=list(step.outputs) if step else [],
                        is_decision=task.is_decision)


def _people_for(task: Task) -> QuerySet[Person]:
    """Whom a task may be handed to: people holding a position in the case's unit or below."""
    unit_ids = Unit.objects.get(pk=task.case.unit_id).descendant_ids()
    today = timezone.localdate()
    return Person.objects.filter(
        Q(assignments__position__unit_id__in=unit_ids) &
        in_force_on(today, "assignments__")).distinct()


@login_required
@require_GET
def task_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    task = _task_or_404(request, public_id)
    # Opening the task is reading its notifications (signed in: login_required).
    if request.user.is_authenticated:
        Notification.objects.filter(person__user=request.user, task=task,
                                    read_at__isnull=True).update(read_at=timezone.now())
    return render(request, "cases/task.html", _task_context(request, task))


def _actor(request: HttpRequest, task: Task) -> services.Actor | None:
    person = _person_or_explain(request)
    if person is None:
        return None
    return services.Actor(person, is_admin=is_admin_for(request.user, task.case))


def _attempt(request: HttpRequest, action: Callable[[], object], success: str) -> bool:
    try:
        action()
    except EngineError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@login_required
@require_POST
def task_action(request: HttpRequest, public_id: str, action: str) -> HttpResponse:
    task = _task_or_404(request, public_id)
    actor = _actor(request, task)
    if actor is None:
        return redirect("cases:task", task.public_id)
    if action == "ambil":
        _attempt(request, lambda: services.claim(task, actor),
                 _("You have taken the task."))
    elif action == "kembalikan":
        _attempt(request, lambda: services.release(
            task, actor, request.POST.get("comment", "")),
            _("The task is offered to everyone holding the position again."))
    elif action == "selesai":
        step = task.case.version.document.step(task.step)
        complete = _complete_form(task, step, request.POST)
        if not complete.is_valid():
            return render(request, "cases/task.html", _task_context(
                request, task, complete_form=complete), status=400)
        data = complete.cleaned_data
        if _attempt(request, lambda: services.complete(
                task, actor, decision=data["decision"], outputs=data["output_names"],
                comment=data["comment"],
                idempotency_key=request.POST.get("idempotency_key", "")), _("The step is done.")):
            return redirect("cases:case", task.case.public_id)
    elif action == "alihkan":
        reassign = ReassignForm(request.POST, people=_people_for(task))
        if not reassign.is_valid():
            return render(request, "cases/task.html", _task_context(
                request, task, reassign_form=reassign), status=400)
        _attempt(request, lambda: services.reassign(
            task, actor, reassign.cleaned_data["person"], reassign.cleaned_data["comment"]),
            _("The task has been handed over."))
    elif action == "komentar":
        comment = CommentForm(request.POST)
        if not comment.is_valid():
            return render(request, "cases/task.html", _task_context(
                request, task, comment_form=comment), status=400)
        _attempt(request, lambda: services.comment(
            task.case, actor, comment.cleaned_data["text"], task), _("Comment added."))
    elif action == "lampiran":
        attached = AttachmentForm(request.POST, request.FILES)
        if not attached.is_valid():
            return render(request, "cases/task.html", _task_context(
                request, task, attachment_form=attached), status=400)
        _attempt(request, lambda: services.attach(
            task, actor, attached.cleaned_data["file"], attached.cleaned_data["role"],
            attached.cleaned_data["label"]), _("The file is attached."))
    else:
        raise Http404(_("Unknown action."))
    return redirect("cases:task", task.public_id)


@login_required
@require_GET
def attachment(request: HttpRequest, public_id: str) -> FileResponse:
    item = get_object_or_404(Attachment.objects.select_related("case"), public_id=public_id)
    if not can_view(request.user, item.case):
        raise Http404(_("File not found."))
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=item.original_name)


# --- a case ---------------------------------------------------------------------------------

def _case_or_404(request: HttpRequest, public_id: str) -> Case:
    case = get_object_or_404(Case.objects.select_related(
        "version__sop__unit", "initiator", "parent_task__case"), public_id=public_id)
    if not can_view(request.user, case):
        raise Http404(_("Case not found."))
    return case


@login_required
@require_GET
def case_detail(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _case_or_404(request, public_id)
    now = timezone.now()
    drawing = layout(case.version.document)
    marks = progress(case, now)
    person = person_of(request.user)
    return render(request, "cases/case.html", {
        "case": case, "now": now,
        # Drawn by alur.render with every SOP text escaped.
        "pages": [mark_safe(page_svg(p, drawing, crop=True, progress=marks))
                  for p in drawing.pages],
        "tasks": case.tasks.select_related("assignee", "done_by", "position")
        .order_by("ready_at", "pk"),
        "events": case.events.select_related("by").order_by("seq"),
        "attachments": case.attachments.select_related("uploaded_by", "task"),
        "children": Case.objects.filter(parent_task__case=case),
        "can_cancel": case.status == Case.Status.RUNNING and (
            is_admin_for(request.user, case) or (person and case.initiator_id == person.pk)),
        "cancel_form": ReasonForm(),
    })


@login_required
@require_POST
def case_cancel(request: HttpRequest, public_id: str) -> HttpResponse:
    case = _case_or_404(request, public_id)
    form = ReasonForm(request.POST)
    person = _person_or_explain(request)
    if person is not None and form.is_valid():
        actor = services.Actor(person, is_admin=is_admin_for(request.user, case))
        try:
            services.cancel(case, actor, form.cleaned_data["reason"])
        except EngineError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The case has been cancelled."))
    elif person is not None:
        messages.error(request, _("Give the reason for cancelling."))
    return redirect("cases:case", case.public_id)


# --- all cases ------------------------------------------------------------------------------

FILTERS = {"berjalan": Case.Status.RUNNING, "selesai": Case.Status.FINISHED,
           "dibatalkan": Case.Status.CANCELLED}


@login_required
@require_GET
def case_list(request: HttpRequest) -> HttpResponse:
    cases = visible_cases(request.user).select_related("version", "unit", "initiator")
    query = request.GET.get("q", "").strip()
    status = request.GET.get("status", "")
    unit = request.GET.get("unit", "")
    late = request.GET.get("terlambat") == "1"
    mine = request.GET.get("milik") == "saya"
    if query:
        cases = cases.filter(Q(title__icontains=query) | Q(version__name__icontains=query))
    if status in FILTERS:
        cases = cases.filter(status=FILTERS[status])
    if unit.isdigit():
        cases = cases.filter(unit_id__in=get_object_or_404(Unit, pk=unit).descendant_ids())
    if late:
        cases = cases.filter(tasks__status=Task.Status.OPEN,
                             tasks__due_at__lt=timezone.now()).distinct()
    if mine:
        person = person_of(request.user)
        cases = cases.filter(initiator=person) if person else cases.none()
    page = Paginator(with_late(cases, timezone.now()).order_by("-started_at", "-pk"),
                     PAGE_SIZE).get_page(request.GET.get("hal"))
    units = Unit.objects.filter(pk__in=supervised_units(request.user)) \
        if not request.user.is_superuser else Unit.objects.all()
    return render(request, "cases/list.html", {
        "page": page, "query": query, "status": status, "unit": unit, "late": late,
        "mine": mine, "units": units.order_by("name"), "now": timezone.now()})


# --- notifications --------------------------------------------------------------------------

@login_required
def notifications(request: HttpRequest) -> HttpResponse:
    person = person_of(request.user)
    items = Notification.objects.filter(person=person).select_related("task", "case") \
        if person else Notification.objects.none()
    if request.method == "POST":
        items.filter(read_at__isnull=True).update(read_at=timezone.now())
        return redirect("cases:notifications")
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("hal"))
    return render(request, "cases/notifications.html", {"page": page})
