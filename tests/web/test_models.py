"""Versions, lifecycle rules, actor links and the organisation's role scoping."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from alur.sop import load
from alur.web.demo import load_demo
from alur.web.library.approval import holdings
from alur.web.library.models import ActorLink, SopVersion
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Assignment, Person, Position, units_where
from alur.web.reports.access import report_units

from .conftest import LIBRARY

pytestmark = pytest.mark.django_db


def test_approved_version_never_changes(library):
    version = library["sakip"]
    version.refresh_from_db()
    changed = version.document.model_copy(update={"name": "Diubah diam-diam"})
    version.set_document(changed)
    with pytest.raises(ValidationError):
        version.save()
    # A draft may change.
    draft = library["draft"]
    draft.set_document(draft.document.model_copy(update={"name": "SURAT KELUAR (revisi)"}))
    draft.save()
    assert SopVersion.objects.get(pk=draft.pk).name == "SURAT KELUAR (revisi)"


def test_new_version_replaces_the_one_in_force(library, user_factory):
    first = library["sakip"]
    approver = user_factory("kadis")
    second = add_sop(first.document, first.sop.unit, approver)
    assert second.number == 2 and second.status == SopVersion.Status.DRAFT
    approve(second, approver, effective=dt.date(2025, 1, 2))
    first.refresh_from_db()
    assert first.status == SopVersion.Status.DIGANTI
    assert second.sop.in_force(dt.date(2025, 1, 2)) == second
    assert second.sop.in_force(dt.date(2024, 12, 31)) is None
    assert second.approved_by == approver and second.approved_at is not None


def test_effective_date_comes_from_the_document(library):
    assert library["sakip"].effective_date == dt.date(2024, 4, 1)  # "2024-04"
    assert library["sakip"].in_force


def test_invalid_content_is_refused(units):
    from alur.web.library.models import Sop

    sop = Sop.objects.create(unit=units["dinsos"], slug="rusak")
    with pytest.raises(ValidationError):
        SopVersion(sop=sop, number=1, content={"id": "rusak", "kunci_asing": 1}).save()


def test_actors_link_to_positions_in_the_unit(library, units):
    sop = library["sakip"].sop
    links = {link.actor_id: link.position for link in sop.actor_links.all()}
    assert set(links) == {"kepala-dinas", "sekretaris", "kasubag-perencanaan",
                          "kasubag-kasubid"}
    assert links["kepala-dinas"].unit == units["dinsos"]
    assert links["kepala-dinas"].name == "Kepala Dinas"


def test_position_holders_include_acting_officials_by_date(units):
    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah", nip="197701022006041004")
    acting = Person.objects.create(name="Pelaksana Tugas")
    Assignment.objects.create(person=chief, position=position, start=dt.date(2020, 1, 1),
                              end=dt.date(2025, 6, 30))
    Assignment.objects.create(person=acting, position=position, kind="plt",
                              start=dt.date(2025, 7, 1))
    assert list(position.holders(dt.date(2024, 5, 1))) == [chief]
    assert list(position.holders(dt.date(2025, 8, 1))) == [acting]
    # The chief's later, open-ended post elsewhere must not make him hold this one again:
    # start and end are tested on the same assignment.
    other = Position.objects.create(unit=units["dinsos"], name="Staf Ahli")
    Assignment.objects.create(person=chief, position=other, start=dt.date(2025, 7, 1))
    assert list(position.holders(dt.date(2025, 8, 1))) == [acting]


def test_roles_reach_sub_units_only(units, user_factory):
    author = user_factory("penyusun-dinsos", "penyusun", units["dinsos"])
    assert units_where(author, "penyusun") == {units["dinsos"].pk}
    top = user_factory("penyusun-pemkab", "penyusun", units["pemkab"])
    assert units["dinsos"].pk in units_where(top, "penyusun")
    assert units["perpus"].pk not in units_where(top, "penyusun")
    assert units_where(author, "pengesah") == set()


def test_demo_loads_the_library_once(db, tmp_path):
    result = load_demo(LIBRARY, password="demo-rahasia")
    assert result.sops == 28 and result.skipped == []
    assert set(result.passwords) == {"admin", "penyusun", "peninjau", "pengesah", "pegawai",
                                     "evaluator", "atasan", "staf"}
    # The approver can approve in the browser: a position held today and a NIP to print.
    pengesah = get_user_model().objects.get(username="pengesah")
    assert holdings(pengesah) and holdings(pengesah)[0].person.nip
    # Every approved demo SOP prints an agency heading and a signer; one whose document names
    # no approver prints the demo's approver, as what they hold, with the NIP.
    for version in SopVersion.objects.filter(status="disahkan"):
        issued = version.issued_document()
        assert issued.organization and issued.approved_by.title and issued.approved_by.name
        if not version.document.approved_by.title:
            assert (issued.approved_by.title, issued.approved_by.nip) == \
                ("Sekretaris Daerah", "197501012000031001")
    assert SopVersion.objects.filter(status="disahkan").count() == 28
    # Every position an actor is linked to has a holder, so every demo SOP can run; the
    # applicant's columns (PNS …) link to no position.
    for link in ActorLink.objects.select_related("position"):
        assert link.position.holders().exists(), link.position
    assert not ActorLink.objects.filter(actor_id__in=["pns", "pns-dan-ptt"]).exists()
    # Each unit's most senior head-like position is its head, so "atasan" reads its reports.
    kabag = Position.objects.get(is_head=True, unit__name="Bagian Organisasi dan Kepegawaian")
    assert kabag.name.lower().startswith(("kabag", "kepala"))
    atasan = get_user_model().objects.get(username="atasan")
    assert kabag.unit_id in report_units(atasan)
    again = load_demo(LIBRARY, password="demo-rahasia")
    assert again.sops == 0 and SopVersion.objects.count() == 28
    renja = SopVersion.objects.get(sop__slug="penyusunan-renja")
    assert [u.name for u in [renja.sop.unit, *renja.sop.unit.ancestors()]][::-1] == \
        load(LIBRARY / "penyusunan-renja.yaml").sop.organization


def test_sop_points_at_its_newest_version(units, user_factory):
    """Lists and search join `Sop.latest_version`; it must follow new and deleted versions."""
    author = user_factory("penulis-terbaru")
    first = add_sop(load(LIBRARY / "surat-masuk.yaml").sop, units["dinsos"], author)
    sop = first.sop
    sop.refresh_from_db()
    assert sop.latest_version_id == first.pk
    second = SopVersion(sop=sop, number=2, content=first.content)
    second.set_document(first.document)
    second.save()
    sop.refresh_from_db()
    assert sop.latest_version_id == second.pk
    second.delete()
    sop.refresh_from_db()
    assert sop.latest_version_id == first.pk
