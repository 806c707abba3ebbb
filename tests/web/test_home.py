"""The home page of each role, the menu that follows the roles, and the guide."""

import datetime as dt

import pytest
from django.urls import reverse

from alur.web.home.queries import next_due
from alur.web.org.models import Position

pytestmark = pytest.mark.django_db


def _home(client, user) -> str:
    client.force_login(user)
    response = client.get(reverse("home:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_the_home_is_the_first_page_after_login(client, user_factory, units):
    user_factory("pegawai", "pegawai", units["dinsos"])
    response = client.post(reverse("login"), {"username": "pegawai", "password": "rahasia-123"})
    assert response["Location"] == reverse("home:home")
    assert client.get("/").status_code == 200
    assert client.get(reverse("library:list")).status_code == 200


def test_an_author_sees_returned_drafts_first_then_drafts(client, library, user_factory, units):
    author = user_factory("penyusun", "penyusun", units["dinsos"])
    approver = user_factory("pengesah", "pengesah", units["dinsos"])
    draft = library["draft"]
    page = _home(client, author)
    assert draft.name in page and "Dikembalikan kepada Anda" in page
    assert reverse("library:edit", args=[draft.public_id]) in page
    client.force_login(author)
    client.post(reverse("library:submit", args=[draft.public_id]))
    client.force_login(approver)
    assert draft.name in _home(client, approver)  # waiting for approval
    client.post(reverse("library:approve", args=[draft.public_id]),
                {"aksi": "kembalikan", "reason": "Lengkapi pelaksana langkah 3."})
    draft.refresh_from_db()
    assert draft.returned_at is not None
    page = _home(client, author)
    returned = page.index("Dikembalikan kepada Anda")
    assert page.index(draft.name) > returned and page.index(draft.name) < page.index("Draf")
    client.force_login(author)
    client.post(reverse("library:submit", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.returned_at is None  # submitted again: no longer "returned"


def test_an_approver_sees_what_waits_longest_first(client, library, user_factory, units):
    approver = user_factory("pengesah", "pengesah", units["perpus"])
    page = _home(client, approver)
    assert "Menunggu pengesahan Anda" in page
    assert library["draft"].name not in page  # submitted nowhere, and in another unit


def test_the_menu_shows_only_what_the_roles_allow(client, user_factory, units):
    employee = user_factory("pegawai", "pegawai", units["dinsos"])
    page = _home(client, employee)
    assert reverse("imports:upload") not in page and reverse("org:tree") not in page
    assert reverse("library:list") in page and reverse("home:guide") in page
    author = user_factory("penyusun", "penyusun", units["dinsos"])
    page = _home(client, author)
    assert reverse("imports:upload") in page and reverse("org:tree") in page
    assert reverse("admin:index") not in page


def test_an_account_without_roles_is_told_what_to_do(client, user_factory):
    page = _home(client, user_factory("baru"))
    assert "Mulai menggunakan alur" in page and reverse("library:list") in page


def test_a_unit_admin_sees_vacant_positions(client, user_factory, units):
    admin = user_factory("admin-dinsos", "admin", units["dinsos"])
    vacant = Position.objects.create(unit=units["dinsos"], name="Kepala Seksi Rehabilitasi")
    page = _home(client, admin)
    assert "Jabatan kosong" in page and vacant.name in page
    assert reverse("org:position", args=[units["dinsos"].code, vacant.pk]) in page


def test_an_evaluator_sees_the_schedule_from_the_effective_date(client, library, user_factory,
                                                                units):
    evaluator = user_factory("evaluator", "evaluator", units["dinsos"])
    page = _home(client, evaluator)
    assert "Jadwal pemantauan dan evaluasi" in page and library["sakip"].name in page
    assert library["skp"].name not in page  # another agency


@pytest.mark.parametrize(("start", "months", "today", "due"), [
    (dt.date(2026, 1, 31), 6, dt.date(2026, 3, 1), dt.date(2026, 7, 31)),
    (dt.date(2026, 8, 31), 6, dt.date(2027, 2, 1), dt.date(2027, 2, 28)),  # month end kept
    (dt.date(2026, 12, 3), 6, dt.date(2026, 12, 3), dt.date(2027, 6, 3)),  # not due at once
    (dt.date(2024, 5, 10), 12, dt.date(2026, 5, 10), dt.date(2026, 5, 10)),  # due today
    (dt.date(2024, 5, 10), 12, dt.date(2026, 5, 11), dt.date(2027, 5, 10)),
    (dt.date(2027, 1, 1), 6, dt.date(2026, 12, 3), dt.date(2027, 7, 1)),  # not in force yet
])
def test_the_next_monitoring_date_runs_in_cycles_from_the_start(start, months, today, due):
    assert next_due(start, months, today) == due


def test_the_guide_is_open_to_everyone_and_linked_from_every_page(client, user_factory):
    page = client.get(reverse("home:guide")).content.decode()
    assert "Panduan alur" in page and 'id="pengesahan"' in page
    assert reverse("home:guide") in client.get(reverse("login")).content.decode()
    client.force_login(user_factory("pembaca"))
    assert reverse("home:guide") in client.get(reverse("library:list")).content.decode()


def test_the_browser_finds_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.ico")
