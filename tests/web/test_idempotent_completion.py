"""Completing a step is safe to retry: when the answer is lost after the commit (the
connection drops), the retry is answered with success and the same outcome, and nothing is
done twice (the API's `Idempotency-Key`, the task form's hidden token, "already done by you")."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.test import Client

from alur.web.api import cases as api_cases
from alur.web.api.models import ApiToken
from alur.web.cases import services
from alur.web.cases.models import Case, CompletionKey, Event, Task
from alur.web.cases.services import Actor

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    position_of,
    small_sop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(units, user_factory):
    author = user_factory("penulis")
    version = add_approved(small_sop("uji-ulang", [
        {"number": 1, "activity": "Setujui berkas?", "actors": ["kasubag"], "kind": "decision",
         "on_yes": 2, "on_no": 2},
        {"number": 2, "activity": "Arsipkan", "actors": ["staf"]}]), units["dinsos"], author)
    kasubag = make_person(user_factory, "kasubag", units["dinsos"],
                          positions=[position_of(version, "kasubag")])
    other = make_person(user_factory, "kasubag-dua", units["dinsos"],
                        positions=[position_of(version, "kasubag")])
    staf = make_person(user_factory, "staf", units["dinsos"],
                       positions=[position_of(version, "staf")])
    starter = make_person(user_factory, "peminta", units["dinsos"])
    case = services.start_case(version, starter, title="Kasus")
    return {"case": case, "task": open_tasks(case)[0], "kasubag": kasubag, "other": other,
            "staf": staf}


def api_post(person, path: str, data: dict, key: str | None = None):
    _, token = ApiToken.issue(person.user, "uji")
    headers = {"Authorization": f"Bearer {token}"}
    if key is not None:
        headers["Idempotency-Key"] = key
    # A client that sees a server error as the connection dropping sees it: a status.
    return Client(raise_request_exception=False).post(
        f"/api{path}", json.dumps(data), content_type="application/json", headers=headers)


def completions(task: Task) -> int:
    return Event.objects.filter(case=task.case, kind="completed", task_key=task.key).count()


def test_a_lost_answer_retried_with_its_key_is_the_same_success(office, monkeypatch):
    task, person = office["task"], office["kasubag"]
    path = f"/tasks/{task.public_id}/complete"
    real_out = api_cases._case_out

    def lost(case):  # the completion committed; the answer never reaches the client
        raise ConnectionResetError("the connection dropped")

    monkeypatch.setattr(api_cases, "_case_out", lost)
    first = api_post(person, path, {"decision": "tidak"}, key="coba-1")
    assert first.status_code == 500
    task.refresh_from_db()
    assert task.status == Task.Status.DONE and task.decision == "tidak"
    events = Case.objects.get(pk=task.case_id).event_count
    monkeypatch.setattr(api_cases, "_case_out", real_out)

    again = api_post(person, path, {"decision": "tidak"}, key="coba-1")
    assert again.status_code == 200, again.content
    assert again["Idempotent-Replayed"] == "true"
    [row] = [t for t in again.json()["tasks"] if t["key"] == task.key]
    assert row["status"] == "done" and row["decision"] == "tidak"
    assert completions(task) == 1
    assert Case.objects.get(pk=task.case_id).event_count == events
    assert CompletionKey.objects.filter(person=person, key="coba-1", task=task).count() == 1
    # The next step was not started twice either.
    assert list(Task.objects.filter(case=task.case_id).values_list("key", flat=True)
                .order_by("key")) == ["1.1", "2.1"]


def test_a_fresh_completion_is_not_marked_replayed(office):
    task = office["task"]
    response = api_post(office["kasubag"], f"/tasks/{task.public_id}/complete",
                        {"decision": "ya"}, key="baru")
    assert response.status_code == 200 and "Idempotent-Replayed" not in response


def test_without_a_key_already_done_by_you_is_success(office):
    task = office["task"]
    path = f"/tasks/{task.public_id}/complete"
    assert api_post(office["kasubag"], path, {"decision": "ya"}).status_code == 200
    again = api_post(office["kasubag"], path, {"decision": "ya"})
    assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
    assert completions(task) == 1
    # Not a retry: another answer, or another person, is refused as before.
    assert api_post(office["kasubag"], path, {"decision": "tidak"}).status_code == 409
    assert api_post(office["other"], path, {"decision": "ya"}).status_code == 409
    assert completions(task) == 1


def test_a_key_used_for_another_completion_is_refused(office):
    task = office["task"]
    assert api_post(office["kasubag"], f"/tasks/{task.public_id}/complete",
                    {"decision": "ya"}, key="sama").status_code == 200
    [filing] = open_tasks(Case.objects.get(pk=task.case_id))
    filed = api_post(office["staf"], f"/tasks/{filing.public_id}/complete", {}, key="sama")
    assert filed.status_code == 200  # another person's keys are their own
    case = services.start_case(office["case"].version, office["case"].initiator)
    [other_task] = open_tasks(case)
    response = api_post(office["kasubag"], f"/tasks/{other_task.public_id}/complete",
                        {"decision": "ya"}, key="sama")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency-key-reused"
    assert completions(other_task) == 0


def test_services_answer_a_repeat_without_writing(office):
    task, actor = office["task"], Actor(office["kasubag"])
    done = services.complete_once(task, actor, decision="ya", idempotency_key="k")
    assert not done.repeated
    before = Case.objects.get(pk=task.case_id).event_count
    again = services.complete_once(task, actor, decision="ya", idempotency_key="k")
    assert again.repeated and again.case.pk == task.case_id
    assert Case.objects.get(pk=task.case_id).event_count == before


def test_long_keys_are_kept_whole(office):
    task, actor = office["task"], Actor(office["kasubag"])
    services.complete_once(task, actor, decision="ya", idempotency_key="a" * 120 + "1")
    case = services.start_case(office["case"].version, office["case"].initiator)
    [other_task] = open_tasks(case)
    done = services.complete_once(other_task, actor, decision="ya",
                                  idempotency_key="a" * 120 + "2")
    assert not done.repeated and completions(other_task) == 1


def test_the_task_form_resubmitted_is_answered_not_done_twice(office, client):
    task, person = office["task"], office["kasubag"]
    client.force_login(person.user)
    page = client.get(f"/tugas/{task.public_id}/")
    assert page.status_code == 200
    token = re.search(r'name="idempotency_key" value="([^"]+)"', page.content.decode())[1]
    url = f"/tugas/{task.public_id}/selesai/"
    first = client.post(url, {"decision": "tidak", "idempotency_key": token})
    assert first.status_code == 302
    # The browser never showed the answer; the person presses the button again.
    second = client.post(url, {"decision": "tidak", "idempotency_key": token}, follow=True)
    assert second.status_code == 200
    assert completions(task) == 1
    assert CompletionKey.objects.filter(person=person, key=token).count() == 1
    assert "error" not in {m.level_tag for m in second.context["messages"]}


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="concurrent connections need PostgreSQL")
def test_two_copies_of_one_request_at_once_complete_once(office):
    """The client sent the request twice (a proxy retried it): both copies race."""
    import threading

    from django.db import connections

    task, actor = office["task"], Actor(office["kasubag"])
    start = threading.Barrier(2, timeout=30)
    results = []

    def send():
        try:
            start.wait()
            results.append(services.complete_once(task, actor, decision="ya",
                                                  idempotency_key="dua-kali").repeated)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(results) == [False, True]
    assert completions(task) == 1
