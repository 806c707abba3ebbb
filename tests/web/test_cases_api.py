"""The REST endpoints for running SOPs: start a case, my tasks, claim and complete, a case's
status and its hash-chained events."""

from __future__ import annotations

import json
import re
import uuid

import pytest

from alur.web.api.models import ApiToken
from alur.web.cases import services
from alur.web.cases.models import Case, Event, Task

from .cases_fixtures import approved, staff
from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    make_person,
    open_tasks,
)

pytestmark = pytest.mark.django_db


class Api:
    def __init__(self, client, user=None):
        self.client = client
        self.headers = {}
        if user is not None:
            _, token = ApiToken.issue(user, "uji")
            self.headers = {"Authorization": f"Bearer {token}"}

    def get(self, path: str):
        return self.client.get(f"/api{path}", headers=self.headers)

    def post(self, path: str, data=None):
        return self.client.post(f"/api{path}", json.dumps(data or {}),
                                content_type="application/json", headers=self.headers)


@pytest.fixture
def world(client, units, user_factory):
    author = user_factory("penulis")
    version = approved("surat-ijin-cuti", units["dinsos"], author)
    people = staff(version, user_factory)
    starter = make_person(user_factory, "pemohon", units["dinsos"])
    outsider = make_person(user_factory, "orang-perpus", units["perpus"])
    return {"version": version, "people": people, "starter": starter, "outsider": outsider,
            "api": lambda person: Api(client, getattr(person, "user", person)),
            "anonymous": Api(client)}


def test_start_case_then_follow_it(world):
    api = world["api"](world["starter"])
    response = api.post("/cases", {"version": str(world["version"].public_id),
                                   "title": "Cuti lewat API"})
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(public_id=body["id"])
    assert body["title"] == "Cuti lewat API" and body["status"] == "running"
    assert body["sop"] == "SURAT IJIN CUTI" and body["initiator"] == "Pemohon"
    assert body["version"] == str(world["version"].public_id)
    [task] = body["tasks"]
    assert task["key"] == "1.1" and task["status"] == "open" and task["assignee"] == "Pemohon"
    assert task["overdue"] is False and task["due_at"] is not None
    assert case.initiator == world["starter"]

    status = api.get(f"/cases/{case.public_id}")
    assert status.status_code == 200 and status.json()["id"] == str(case.public_id)


def test_start_refusals(world, user_factory, units):
    api = world["api"](world["starter"])
    assert api.post("/cases", {"version": str(uuid.uuid4())}).status_code == 404
    world["version"].status = "dicabut"
    world["version"].save()
    response = api.post("/cases", {"version": str(world["version"].public_id)})
    assert response.status_code == 409
    assert response.json()["code"] == "cannot-start" and response.json()["detail"]
    assert api.post("/cases", {"title": "tanpa versi"}).status_code == 422
    # An account without an employee record cannot act.
    nobody = world["api"](user_factory("tanpa-pegawai", "pegawai", units["dinsos"]))
    response = nobody.post("/cases", {"version": str(world["version"].public_id)})
    assert response.status_code == 403 and response.json()["detail"]
    assert nobody.get("/tasks/mine").status_code == 403
    assert not Case.objects.exists()


def test_my_tasks_claim_and_complete(world):
    starter_api = world["api"](world["starter"])
    case = services.start_case(world["version"], world["starter"], title="Cuti")
    mine = starter_api.get("/tasks/mine")
    assert mine.status_code == 200
    [entry] = mine.json()
    first = Task.objects.get(case=case, key="1.1")
    assert entry["id"] == str(first.public_id) and entry["case"] == str(case.public_id)
    assert entry["case_title"] == "Cuti" and entry["actor"] == "PNS dan PTT"

    response = starter_api.post(f"/tasks/{first.public_id}/complete",
                                {"outputs": ["Berkas Kepegawaian"], "comment": "Lengkap"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert [t["key"] for t in body["tasks"] if t["status"] == "open"] == ["2.1"]
    event = case.events.get(kind="completed")
    assert event.data["outputs"] == ["Berkas Kepegawaian"] and event.data["comment"] == "Lengkap"

    # Completing again (a retry after a lost answer): already done by you, answered as such.
    again = starter_api.post(f"/tasks/{first.public_id}/complete", {})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert case.events.filter(kind="completed").count() == 1

    decision = Task.objects.get(case=case, key="2.1")
    checker_api = world["api"](world["people"][decision.actor_id])
    # For anyone else the task is no longer open.
    again = checker_api.post(f"/tasks/{first.public_id}/complete", {})
    assert again.status_code == 409 and again.json()["code"] == "task-not-open"
    assert [t["key"] for t in checker_api.get("/tasks/mine").json()] == ["2.1"]
    assert starter_api.get("/tasks/mine").json() == []
    # The applicant is not the Pengelola Kepegawaian.
    refused = starter_api.post(f"/tasks/{decision.public_id}/claim")
    assert refused.status_code == 409 and refused.json()["code"] == "not-your-task"
    claimed = checker_api.post(f"/tasks/{decision.public_id}/claim")
    assert claimed.status_code == 200
    decision.refresh_from_db()
    assert decision.assignee == world["people"][decision.actor_id]
    twice = checker_api.post(f"/tasks/{decision.public_id}/claim")
    assert twice.status_code == 409 and twice.json()["code"] == "invalid-operation"

    count = Event.objects.count()
    needs = checker_api.post(f"/tasks/{decision.public_id}/complete", {})
    assert needs.status_code == 409 and needs.json()["code"] == "decision-required"
    wrong = checker_api.post(f"/tasks/{decision.public_id}/complete", {"decision": "mungkin"})
    assert wrong.status_code == 409 and wrong.json()["code"] == "decision-required"
    assert Event.objects.count() == count
    answered = checker_api.post(f"/tasks/{decision.public_id}/complete", {"decision": "ya"})
    assert answered.status_code == 200
    assert [t["key"] for t in answered.json()["tasks"] if t["status"] == "open"] == ["3.1"]
    done = next(t for t in answered.json()["tasks"] if t["key"] == "2.1")
    assert done["decision"] == "ya" and done["status"] == "done" and done["done_at"]
    # A step that is no decision refuses an answer.
    third = Task.objects.get(case=case, key="3.1")
    holder_api = world["api"](world["people"][third.actor_id])
    refused = holder_api.post(f"/tasks/{third.public_id}/complete", {"decision": "ya"})
    assert refused.status_code == 409 and refused.json()["code"] == "decision-not-allowed"


def test_events_carry_the_hash_chain(world):
    api = world["api"](world["starter"])
    case = services.start_case(world["version"], world["starter"])
    services.comment(case, services.Actor(world["starter"]), "Halo")
    response = api.get(f"/cases/{case.public_id}/events")
    assert response.status_code == 200
    events = response.json()
    assert [(e["seq"], e["kind"]) for e in events] == [(1, "started"), (2, "commented")]
    assert all(re.fullmatch(r"[0-9a-f]{64}", e["hash"]) for e in events)
    assert events[1]["data"] == {"text": "Halo"} and events[1]["by"] == "Pemohon"
    assert [e["hash"] for e in events] == list(case.events.order_by("seq").values_list(
        "hash", flat=True))
    case.refresh_from_db()
    assert events[-1]["hash"] == case.head_hash


def test_401_without_a_valid_token(world):
    case = services.start_case(world["version"], world["starter"])
    task = open_tasks(case)[0]
    anonymous = world["anonymous"]
    for method, path in [("post", "/cases"), ("get", "/tasks/mine"),
                         ("post", f"/tasks/{task.public_id}/complete"),
                         ("post", f"/tasks/{task.public_id}/claim"),
                         ("get", f"/cases/{case.public_id}"),
                         ("get", f"/cases/{case.public_id}/events")]:
        response = getattr(anonymous, method)(path)
        assert response.status_code == 401, path
        bad = Api(anonymous.client)
        bad.headers = {"Authorization": "Bearer salah"}
        assert getattr(bad, method)(path).status_code == 401, path
    assert Event.objects.count() == 1


def test_404_for_a_case_the_user_cannot_see(world):
    case = services.start_case(world["version"], world["starter"])
    task = open_tasks(case)[0]
    outsider = world["api"](world["outsider"])
    for path in (f"/cases/{case.public_id}", f"/cases/{case.public_id}/events",
                 f"/cases/{uuid.uuid4()}"):
        response = outsider.get(path)
        assert response.status_code == 404 and response.json()["detail"], path
    for path in (f"/tasks/{task.public_id}/complete", f"/tasks/{task.public_id}/claim",
                 f"/tasks/{uuid.uuid4()}/complete"):
        assert outsider.post(path, {}).status_code == 404, path
    assert outsider.get("/tasks/mine").json() == []
    assert Event.objects.count() == 1
