"""The unit head: the position marked as its unit's head (at most one per unit), whose holder —
definitif, or Plt/Plh while the acting holding runs — reads the reports of the unit and of the
units below (dashboard, heat map, case list, ABK, API), and enters the ABK volumes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from alur.web.api.models import ApiToken
from alur.web.org.models import Position, Unit
from alur.web.reports.access import evaluator_units, head_units, report_units

from .cases_helpers import _cases_environment, make_person  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db

@pytest.fixture
def org(units):
    dinsos = units["dinsos"]
    bidang = Unit.objects.create(name="Bidang Pemberdayaan", kind=Unit.Kind.BIDANG,
                                 parent=dinsos, code="bidang-pemberdayaan")
    head = Position.objects.create(unit=dinsos, name="Kepala Dinas", is_head=True)
    staff = Position.objects.create(unit=dinsos, name="Staf Umum")
    return {"dinsos": dinsos, "bidang": bidang, "perpus": units["perpus"], "head": head,
            "staff": staff}


def account(person):
    return person.user


def test_the_definitif_head_reads_the_unit_and_the_units_below(org, user_factory, client):
    kepala = account(make_person(user_factory, "kepala", org["dinsos"], positions=[org["head"]]))
    assert report_units(kepala) == {org["dinsos"].pk, org["bidang"].pk}
    assert head_units(kepala) == {org["dinsos"].pk, org["bidang"].pk}
    assert evaluator_units(kepala) == set()  # reading is not monitoring
    client.force_login(kepala)
    for unit in (org["dinsos"], org["bidang"]):
        assert client.get(reverse("reports:unit", args=[unit.pk])).status_code == 200
        assert client.get(reverse("reports:cases", args=[unit.pk])).status_code == 200
        assert client.get(reverse("abk:unit", args=[unit.pk])).status_code == 200
    assert client.get(reverse("reports:unit", args=[org["perpus"].pk])).status_code == 404
    assert client.get(reverse("reports:index")).status_code == 200
    page = client.get(reverse("reports:unit", args=[org["dinsos"].pk])).content.decode()
    assert reverse("abk:unit", args=[org["dinsos"].pk]) in page


def test_a_holder_of_another_position_reads_nothing(org, user_factory, client):
    staf = account(make_person(user_factory, "staf", org["dinsos"], positions=[org["staff"]]))
    assert report_units(staf) == set()
    client.force_login(staf)
    assert client.get(reverse("reports:unit", args=[org["dinsos"].pk])).status_code == 404
    assert client.get(reverse("abk:unit", args=[org["dinsos"].pk])).status_code == 404


@pytest.mark.parametrize("kind", ["plt", "plh"])
def test_an_acting_head_reads_while_acting_only(org, user_factory, kind):
    today = timezone.localdate()   # the app's today, read now: a run may cross midnight
    now = account(make_person(user_factory, "sekarang", org["dinsos"], positions=[org["head"]],
                              kind=kind, start=today - dt.timedelta(days=3),
                              end=today + dt.timedelta(days=3)))
    ended = account(make_person(user_factory, "selesai", org["dinsos"], positions=[org["head"]],
                                kind=kind, start=today - dt.timedelta(days=30),
                                end=today - dt.timedelta(days=1)))
    later = account(make_person(user_factory, "nanti", org["dinsos"], positions=[org["head"]],
                                kind=kind, start=today + dt.timedelta(days=1)))
    assert org["dinsos"].pk in report_units(now)
    assert report_units(ended) == set()
    assert report_units(later) == set()


def test_evaluators_keep_what_they_have(org, user_factory):
    evaluator = user_factory("penilai", "evaluator", org["bidang"])
    assert report_units(evaluator) == {org["bidang"].pk}
    assert evaluator_units(evaluator) == {org["bidang"].pk}


def test_a_unit_has_at_most_one_head_position(org):
    second = Position(unit=org["dinsos"], name="Plt Kepala Dinas", is_head=True)
    with pytest.raises(ValidationError) as error:
        second.full_clean()
    assert "sudah punya jabatan kepala" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        second.save()
    # Another unit may have its own head.
    Position.objects.create(unit=org["bidang"], name="Kepala Bidang", is_head=True)


def test_the_head_mark_is_edited_in_the_admin(org, user_factory, client):
    admin = user_factory("super", is_superuser=True, is_staff=True)
    client.force_login(admin)
    url = reverse("admin:org_position_change", args=[org["staff"].pk])
    assert 'name="is_head"' in client.get(url).content.decode()
    response = client.post(url, {"unit": org["dinsos"].pk, "name": "Staf Umum",
                                 "is_head": "on"})
    assert response.status_code == 200  # refused: the unit has a head already
    assert "sudah punya jabatan kepala" in response.content.decode()
    org["head"].is_head = False
    org["head"].save()
    response = client.post(url, {"unit": org["dinsos"].pk, "name": "Staf Umum",
                                 "is_head": "on"})
    assert response.status_code == 302
    org["staff"].refresh_from_db()
    assert org["staff"].is_head


def test_the_head_reads_the_api_and_enters_abk_volumes(org, user_factory, client):
    kepala = account(make_person(user_factory, "kepala", org["dinsos"], positions=[org["head"]]))
    headers = {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(kepala, 'uji')[1]}"}
    assert client.get(f"/api/reports/units/{org['bidang'].pk}", **headers).status_code == 200
    assert client.get(f"/api/reports/units/{org['dinsos'].pk}/abk", **headers).status_code == 200
    assert client.get(f"/api/reports/units/{org['perpus'].pk}/abk",
                      **headers).status_code == 404
    client.force_login(kepala)
    page = client.get(reverse("abk:unit", args=[org["dinsos"].pk])).content.decode()
    assert "Simpan volume" in page or "belum punya SOP" in page
    response = client.post(reverse("abk:unit", args=[org["dinsos"].pk]), {})
    assert response.status_code == 302


def test_two_heads_marked_in_the_unit_page_of_the_admin_are_refused(org, user_factory, client):
    client.force_login(user_factory("super", is_superuser=True, is_staff=True))
    dinsos = org["dinsos"]
    url = reverse("admin:org_unit_change", args=[dinsos.pk])
    data = {"name": dinsos.name, "kind": dinsos.kind, "parent": dinsos.parent_id or "",
            "code": dinsos.code, "positions-TOTAL_FORMS": "2", "positions-INITIAL_FORMS": "2",
            "positions-MIN_NUM_FORMS": "0", "positions-MAX_NUM_FORMS": "1000"}
    for i, position in enumerate((org["head"], org["staff"])):
        data |= {f"positions-{i}-id": position.pk, f"positions-{i}-unit": dinsos.pk,
                 f"positions-{i}-name": position.name, f"positions-{i}-is_head": "on"}
    response = client.post(url, data)
    assert response.status_code == 200
    assert Position.objects.filter(unit=dinsos, is_head=True).count() == 1


def test_moving_the_head_mark_in_the_unit_page_takes_two_saves(org, user_factory, client):
    client.force_login(user_factory("super", is_superuser=True, is_staff=True))
    dinsos = org["dinsos"]
    url = reverse("admin:org_unit_change", args=[dinsos.pk])

    def post(head_marks: tuple[bool, bool]):
        data = {"name": dinsos.name, "kind": dinsos.kind, "parent": dinsos.parent_id or "",
                "code": dinsos.code, "positions-TOTAL_FORMS": "2",
                "positions-INITIAL_FORMS": "2", "positions-MIN_NUM_FORMS": "0",
                "positions-MAX_NUM_FORMS": "1000"}
        for i, (position, mark) in enumerate(zip((org["head"], org["staff"]), head_marks,
                                                 strict=True)):
            data |= {f"positions-{i}-id": position.pk, f"positions-{i}-unit": dinsos.pk,
                     f"positions-{i}-name": position.name}
            if mark:
                data[f"positions-{i}-is_head"] = "on"
        return client.post(url, data)

    response = post((False, True))
    assert response.status_code == 200 and "hapus dulu tanda" in response.content.decode()
    assert post((False, False)).status_code == 302
    assert post((False, True)).status_code == 302
    assert list(Position.objects.filter(is_head=True)) == [org["staff"]]


def test_the_menu_leads_the_head_to_the_reports_and_the_evaluator_to_monitoring(
        org, user_factory, client):
    head = make_person(user_factory, "kadis", org["dinsos"], positions=[org["head"]])
    staff = make_person(user_factory, "staf", org["dinsos"], positions=[org["staff"]])
    evaluator = make_person(user_factory, "inspektur", org["dinsos"], role="evaluator")
    client.force_login(account(head))
    page = client.get(reverse("home:home")).content.decode()
    assert reverse("reports:index") in page and reverse("abk:index") in page
    assert reverse("monitoring:index") not in page
    client.force_login(account(staff))
    assert reverse("reports:index") not in client.get(reverse("home:home")).content.decode()
    client.force_login(account(evaluator))
    page = client.get(reverse("home:home")).content.decode()
    assert reverse("monitoring:index") in page and reverse("evaluation:index") in page
