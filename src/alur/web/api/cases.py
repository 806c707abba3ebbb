"""REST endpoints for running SOPs: start a case, my tasks, complete a task, a case's status
and its events. Rules and messages are the same as the pages' (`alur.web.cases.services`)."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError

from alur.engine import EngineError
from alur.web.cases import services
from alur.web.cases.access import can_view, is_admin_for, person_of
from alur.web.cases.models import Case, Task
from alur.web.cases.queries import my_open_tasks
from alur.web.library.models import SopVersion
from alur.web.org.models import AnyUser, Person

if TYPE_CHECKING:  # the types of the django-ninja this is developed with
    from ninja import Status
else:
    try:
        from ninja import Status
    except ImportError:  # django-ninja < 1.5 takes a (status, body) tuple instead

        def Status(status_code, value):
            return status_code, value

router = Router(tags=["kasus"])


class StartIn(Schema):
    version: uuid.UUID
    title: str = ""


class CompleteIn(Schema):
    decision: str | None = None
    outputs: list[str] = []
    comment: str = ""


class TaskOut(Schema):
    id: uuid.UUID
    case: uuid.UUID
    case_title: str
    key: str
    step: int
    round: int
    activity: str
    actor: str
    is_decision: bool
    status: str
    assignee: str | None
    ready_at: dt.datetime
    due_at: dt.datetime | None
    done_at: dt.datetime | None
    decision: str
    overdue: bool
    unroutable: bool


class CaseOut(Schema):
    id: uuid.UUID
    title: str
    sop: str
    version: uuid.UUID
    unit: str
    initiator: str
    status: str
    started_at: dt.datetime
    ended_at: dt.datetime | None
    tasks: list[TaskOut]


class EventOut(Schema):
    seq: int
    kind: str
    at: dt.datetime
    by: str
    task: str
    data: dict
    hash: str


class ProblemOut(Schema):
    detail: str
    code: str


def _task_out(task: Task, now: dt.datetime) -> dict[str, Any]:
    return {
        "id": task.public_id, "case": task.case.public_id, "case_title": task.case.title,
        "key": task.key, "step": task.step, "round": task.round, "activity": task.activity,
        "actor": task.actor_name, "is_decision": task.is_decision, "status": task.status,
        "assignee": task.assignee.name if task.assignee is not None else None,
        "ready_at": task.ready_at, "due_at": task.due_at, "done_at": task.done_at,
        "decision": task.decision, "unroutable": task.unroutable,
        "overdue": task.status == Task.Status.OPEN and task.due_at is not None and
        now > task.due_at,
    }


def _case_out(case: Case) -> dict[str, Any]:
    from django.utils import timezone

    now = timezone.now()
    tasks = case.tasks.select_related("assignee", "case").order_by("ready_at", "pk")
    return {"id": case.public_id, "title": case.title, "sop": case.version.name,
            "version": case.version.public_id, "unit": case.unit.name,
            "initiator": case.initiator.name, "status": case.status,
            "started_at": case.started_at, "ended_at": case.ended_at,
            "tasks": [_task_out(t, now) for t in tasks]}


def _account(request: HttpRequest) -> AnyUser:
    """The account whose token `TokenAuth` accepted: django-ninja keeps it on `request.auth`,
    an attribute it adds to Django's request without declaring it to type checkers."""
    account: AnyUser = request.auth  # type: ignore[attr-defined]
    return account


def _person(request: HttpRequest) -> Person:
    person = person_of(_account(request))
    if person is None:
        raise HttpError(403, _("Your account is not linked to an employee record."))
    return person


def _visible_case(request: HttpRequest, public_id: uuid.UUID) -> Case:
    case = Case.objects.select_related("version", "unit", "initiator").filter(
        public_id=public_id).first()
    if case is None or not can_view(_account(request), case):
        raise HttpError(404, _("Case not found."))
    return case


def _refused(error: EngineError) -> Status[dict[str, Any]]:
    """The 409 answer when the case's rules refuse."""
    return Status(409, {"detail": error.message, "code": error.code})


@router.post("/cases", response={201: CaseOut, 403: ProblemOut, 404: ProblemOut,
                                 409: ProblemOut}, summary="Mulai kasus dari SOP yang berlaku")
def start_case(request: HttpRequest, payload: StartIn) -> Status[dict[str, Any]]:
    person = _person(request)
    version = SopVersion.objects.filter(public_id=payload.version).first()
    if version is None:
        raise HttpError(404, _("SOP version not found."))
    try:
        case = services.start_case(version, person, title=payload.title)
    except EngineError as error:
        return _refused(error)
    return Status(201, _case_out(case))


@router.get("/tasks/mine", response=list[TaskOut], summary="Tugas saya")
def my_tasks(request: HttpRequest) -> list[dict[str, Any]]:
    from django.utils import timezone

    now = timezone.now()
    return [_task_out(t, now) for t in my_open_tasks(_person(request))[:500]]


def _task(request: HttpRequest, public_id: uuid.UUID) -> Task:
    task = Task.objects.select_related("case").filter(public_id=public_id).first()
    if task is None or not can_view(_account(request), task.case):
        raise HttpError(404, _("Task not found."))
    return task


@router.post("/tasks/{task_id}/complete", response={200: CaseOut, 403: ProblemOut,
                                                    404: ProblemOut, 409: ProblemOut},
             summary="Selesaikan tugas (keputusan ya/tidak untuk langkah keputusan)")
def complete_task(request: HttpRequest, response: HttpResponse, task_id: uuid.UUID,
                  payload: CompleteIn) -> Status[dict[str, Any]]:
    """Safe to retry: with the same `Idempotency-Key` header (or, without one, when the task
    is already done by you with the same decision) a repeat is answered 200 with the case,
    marked `Idempotent-Replayed: true`, and nothing is done twice."""
    task = _task(request, task_id)
    actor = services.Actor(_person(request), is_admin=is_admin_for(_account(request), task.case))
    try:
        done = services.complete_once(
            task, actor, decision=payload.decision, outputs=payload.outputs,
            comment=payload.comment, idempotency_key=request.headers.get("Idempotency-Key", ""))
    except EngineError as error:
        return _refused(error)
    if done.repeated:
        response["Idempotent-Replayed"] = "true"
    return Status(200, _case_out(Case.objects.get(pk=task.case_id)))


@router.post("/tasks/{task_id}/claim", response={200: CaseOut, 403: ProblemOut,
                                                 404: ProblemOut, 409: ProblemOut},
             summary="Ambil tugas")
def claim_task(request: HttpRequest, task_id: uuid.UUID) -> Status[dict[str, Any]]:
    task = _task(request, task_id)
    actor = services.Actor(_person(request), is_admin=is_admin_for(_account(request), task.case))
    try:
        services.claim(task, actor)
    except EngineError as error:
        return _refused(error)
    return Status(200, _case_out(Case.objects.get(pk=task.case_id)))


@router.get("/cases/{case_id}", response={200: CaseOut, 404: ProblemOut},
            summary="Status kasus dan tugasnya")
def case_status(request: HttpRequest, case_id: uuid.UUID) -> Status[dict[str, Any]]:
    return Status(200, _case_out(_visible_case(request, case_id)))


@router.get("/cases/{case_id}/events", response={200: list[EventOut], 404: ProblemOut},
            summary="Peristiwa kasus (log berantai hash)")
def case_events(request: HttpRequest, case_id: uuid.UUID) -> Status[list[dict[str, Any]]]:
    case = _visible_case(request, case_id)
    return Status(200, [{"seq": e.seq, "kind": e.kind, "at": e.at, "by": e.by_name,
                         "task": e.task_key, "data": e.data, "hash": e.hash}
                        for e in case.events.order_by("seq")])
