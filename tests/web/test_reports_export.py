"""The case log for process mining: XES read back by pm4py (a test dependency only) and by
lxml against the standard's structure, and the CSV for spreadsheets."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse
from lxml import etree

from alur.web.org.models import Membership, Person

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    position_of,
)
from .test_reports import _case, _done, at, sop  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db
XES = "{http://www.xes-standard.org/}"


@pytest.fixture
def logged(client, user_factory, units, sop):  # noqa: F811
    version, worker = sop
    user = user_factory("penilai", Membership.Role.EVALUATOR, units["dinsos"])
    Person.objects.create(user=user, name="Penilai")
    client.force_login(user)
    first = _case(version, worker, at(2026, 11, 2, 8))
    task = _done(first, 1, 30, done=at(2026, 11, 2, 9))
    task.claimed_at = at(2026, 11, 2, 8, 45)
    task.activity = "=HYPERLINK(\"x\") terima"  # a formula start, kept raw in XES
    task.position = position_of(version, "staf")
    task.save()
    _done(first, 2, 20, done=at(2026, 11, 2, 10))
    second = _case(version, worker, at(2026, 11, 3, 8))
    odd = _done(second, 1, 15, done=at(2026, 11, 3, 9))
    odd.actor_name = "@SUM(1)"  # no position: the actor's name is the resource
    odd.save()
    url = reverse("reports:log", args=[units["dinsos"].pk, version.sop.public_id, "xes"])
    return client, url, first, second


def _download(client, url: str) -> bytes:
    response = client.get(url, {"dari": "2026-11-01", "sampai": "2026-11-30"})
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_pm4py_reads_the_xes_back(logged, tmp_path):
    pm4py = pytest.importorskip("pm4py")
    client, url, first, second = logged
    path = tmp_path / "log.xes"
    path.write_bytes(_download(client, url))
    frame = pm4py.read_xes(str(path))
    assert len(frame) == 4  # one start (the claimed task) and three completions
    assert set(frame["case:concept:name"]) == {str(first.public_id), str(second.public_id)}
    rows = frame[frame["case:concept:name"] == str(first.public_id)]
    assert list(rows["lifecycle:transition"]) == ["start", "complete", "complete"]
    assert next(iter(rows["concept:name"])) == '1. =HYPERLINK("x") terima'
    assert list(rows["org:resource"]) == [position_of(first.version, "staf").name] * 2 + ["Staf"]
    assert rows["time:timestamp"].iloc[0].isoformat().startswith("2026-11-02T01:45:00")


def test_the_xes_has_the_standard_structure(logged):
    client, url, first, _second = logged
    root = etree.fromstring(_download(client, url))
    assert root.tag == f"{XES}log"
    assert {e.get("prefix") for e in root.iter(f"{XES}extension")} == {
        "concept", "lifecycle", "time", "org"}
    traces = root.findall(f"{XES}trace")
    assert next(t.find(f"{XES}string").get("value") for t in traces) == str(first.public_id)
    event = traces[0].find(f"{XES}event")
    keys = {child.get("key"): child.get("value") for child in event}
    assert keys["lifecycle:transition"] == "start"
    assert keys["time:timestamp"] == "2026-11-02T01:45:00.000+00:00"


def test_the_csv_is_safe_for_spreadsheets(logged):
    client, url, first, _second = logged
    body = _download(client, url.replace("log.xes", "log.csv")).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["case_id", "activity", "lifecycle", "timestamp", "resource"]
    assert rows[1][:3] == [str(first.public_id), '1. =HYPERLINK("x") terima', "start"]
    assert rows[1][3] == "2026-11-02T01:45:00.000+00:00"
    assert rows[4][4] == "'@SUM(1)"  # a formula start gets the apostrophe
    assert len(rows) == 5
