"""Who a task goes to is decided by the SOP's `applicant` flag, never by the actor's name:
"Pegawai Subbag Keuangan" linked to a held position is that position; a column marked
`applicant` goes to whoever started the case whatever it is called. Stored SOPs from before
the flag keep their meaning through migration 0009."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps

from alur.importers.actors import looks_like_applicant
from alur.web.cases import services
from alur.web.cases.models import Task
from alur.web.library.models import ActorLink
from alur.web.org.models import Position

from .cases_helpers import (
    _cases_environment,  # noqa: F401  (autouse)
    add_approved,
    make_person,
    open_tasks,
    small_sop,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(user_factory):
    return user_factory("penulis")

STEPS = [{"number": 1, "activity": "Mengajukan permohonan", "actors": ["pengaju"]},
         {"number": 2, "activity": "Memeriksa berkas", "actors": ["kasubag"]}]


@pytest.mark.parametrize(("name", "expected"), [
    ("PNS", True), ("PNS dan PTT", True), ("Pemohon", True), ("Pegawai yang bersangkutan", True),
    ("ASN/PPPK", True), ("Pegawai Subbag Keuangan", False), ("Kepala Bagian", False),
    ("Pengelola Kepegawaian", False), ("", False), ("yang bersangkutan", False)])
def test_names_only_propose_the_flag(name, expected):
    assert looks_like_applicant(name) is expected


def _people(version, user_factory, units):
    held = {}
    for link in version.sop.actor_links.select_related("position"):
        held[link.actor_id] = make_person(user_factory, f"p-{link.actor_id}", units["dinsos"],
                                          positions=[link.position])
    return held


def test_a_position_named_like_an_applicant_goes_to_its_holder(units, author, user_factory):
    document = small_sop("bayar", STEPS, {"pengaju": "Pegawai Subbag Keuangan",
                                         "kasubag": "Kasubag Keuangan"})
    version = add_approved(document, units["dinsos"], author)
    people = _people(version, user_factory, units)
    starter = make_person(user_factory, "starter", units["dinsos"])
    case = services.start_case(version, starter)
    [first] = open_tasks(case)
    assert first.assignee is None and first.position == ActorLink.objects.get(
        sop=version.sop, actor_id="pengaju").position
    assert first.position.holders().get() == people["pengaju"]


def test_an_applicant_column_goes_to_the_initiator_whatever_its_name(units, author,
                                                                      user_factory):
    document = small_sop("bayar", STEPS, {"pengaju": "Pengaju", "kasubag": "Kasubag"})
    document = document.model_copy(update={"actors": [
        a.model_copy(update={"applicant": a.id == "pengaju"}) for a in document.actors]})
    version = add_approved(document, units["dinsos"], author)
    assert not ActorLink.objects.filter(sop=version.sop, actor_id="pengaju").exists()
    _people(version, user_factory, units)
    starter = make_person(user_factory, "starter", units["dinsos"])
    [first] = open_tasks(services.start_case(version, starter))
    assert first.assignee == starter and first.position is None


def _migrate_forwards():
    module = importlib.import_module("alur.web.library.migrations.0009_applicant_actors")
    module.forwards(apps, None)


def test_migration_keeps_what_each_stored_column_meant(units, author, user_factory):
    document = small_sop("lama", [
        *STEPS, {"number": 3, "activity": "Membayar", "actors": ["bendahara"]}],
        {"pengaju": "PNS", "kasubag": "Kasubag", "bendahara": "Pegawai Subbag Keuangan"})
    version = add_approved(document, units["dinsos"], author)
    # Stored before the flag existed: every column linked to a position of its name.
    assert set(version.sop.actor_links.values_list("actor_id", flat=True)) == {
        "pengaju", "kasubag", "bendahara"}
    pns = Position.objects.get(unit=units["dinsos"], name="PNS")
    keuangan = Position.objects.get(unit=units["dinsos"], name="Pegawai Subbag Keuangan")
    holder = make_person(user_factory, "bendahara", units["dinsos"], positions=[keuangan])
    starter = make_person(user_factory, "starter", units["dinsos"])
    case = services.start_case(version, starter)
    # A running case's open task routed by the old name rule to the initiator.
    Task.objects.create(case=case, key="3.1", step=3, actor_id="bendahara",
                        actor_name="Pegawai Subbag Keuangan", activity="Membayar",
                        assignee=starter, ready_at=case.started_at)

    _migrate_forwards()

    version.refresh_from_db()
    flags = {a["id"]: a.get("applicant", False) for a in version.content["actors"]}
    assert flags == {"pengaju": True, "kasubag": False, "bendahara": False}
    assert not ActorLink.objects.filter(actor_id="pengaju").exists()
    assert not Position.objects.filter(pk=pns.pk).exists()  # made from the name, never held
    moved = Task.objects.get(case=case, key="3.1")
    assert moved.assignee is None and moved.position == keuangan
    assert keuangan.holders().get() == holder


def test_the_organisation_page_shows_applicant_columns_not_vacancies(client, units, author):
    document = small_sop("cuti", STEPS, {"pengaju": "PNS", "kasubag": "Kasubag"})
    add_approved(document.model_copy(update={"actors": [
        a.model_copy(update={"applicant": a.id == "pengaju"}) for a in document.actors]}),
        units["dinsos"], author)
    client.force_login(author)
    page = client.get(f"/organisasi/{units['dinsos'].code}/").content.decode()
    assert "PNS" in page and "pemohon" in page.lower()
    assert not Position.objects.filter(name="PNS").exists()
