import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from alur.web.org.models import Assignment, Person, Position

pytestmark = pytest.mark.django_db


def test_tree_and_unit_page_show_positions_holders_and_sops(client, library, units,
                                                             user_factory):
    client.force_login(user_factory("pembaca"))
    tree = client.get(reverse("org:tree")).content.decode()
    assert "PEMERINTAH KABUPATEN BANGKA TENGAH" in tree and 'data-tingkat="1"' in tree
    position = Position.objects.get(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah")
    acting = Person.objects.create(name="Budi Pelaksana")
    Assignment.objects.create(person=chief, position=position, start=dt.date(2020, 1, 1),
                              end=timezone.localdate() - dt.timedelta(days=1))
    Assignment.objects.create(person=acting, position=position, kind="plt",
                              start=timezone.localdate())
    page = client.get(reverse("org:unit", args=[units["dinsos"].code])).content.decode()
    assert "Budi Pelaksana" in page and "Pelaksana Tugas (Plt)" in page
    assert "Padlillah" not in page  # no longer holds it today
    assert "PENYUSUNAN SAKIP" in page
    assert "kosong" in page  # Sekretaris has no holder: tasks could not be routed


def test_org_pages_need_login(client, units):
    assert client.get(reverse("org:tree")).status_code == 302
    assert client.get(reverse("org:unit", args=["tidak-ada"])).status_code == 302


# --- appointing to positions ------------------------------------------------------------------

def position_url(position) -> str:
    return reverse("org:position", args=[position.unit.code, position.pk])


def appoint(client, position, person, kind="definitif", start=None, end=""):
    return client.post(position_url(position), {
        "aksi": "angkat", "person": person.pk if person else "", "kind": kind,
        "start": (start or timezone.localdate()).isoformat(), "end": end}, follow=True)


def test_unit_admin_appoints_an_acting_official_and_new_tasks_reach_them(
        client, units, user_factory):
    from django.contrib.admin.models import ADDITION, LogEntry

    from alur.web.cases import services
    from alur.web.cases.models import Notification

    from .cases_helpers import add_approved, open_tasks, position_of, small_sop

    version = add_approved(small_sop("uji-plt", [
        {"number": 1, "activity": "Tanda tangani", "actors": ["sekretaris"]}]),
        units["dinsos"], user_factory("penulis"))
    position = position_of(version, "sekretaris")
    starter = Person.objects.create(user=user_factory("pemohon"), name="Pemohon")
    vacant = open_tasks(services.start_case(version, starter))[0]
    assert vacant.unroutable

    # An admin of the Pemkab (the unit above) staffs the Dinas's positions.
    admin = user_factory("admin-pemkab", "admin", units["pemkab"])
    client.force_login(admin)
    unit_page = client.get(reverse("org:unit", args=[units["dinsos"].code])).content.decode()
    assert position_url(position) + "#angkat" in unit_page
    acting = Person.objects.create(name="Siti Pelaksana", nip="198001012005012001")
    response = appoint(client, position, acting, kind="plt",
                       end=(timezone.localdate() + dt.timedelta(days=30)).isoformat())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Siti Pelaksana kini memegang jabatan" in page and "sedang menjabat" in page
    held = Assignment.objects.get(position=position)
    assert (held.person, held.kind, held.start) == (acting, "plt", timezone.localdate())
    assert list(position.holders()) == [acting]
    entry = LogEntry.objects.get(object_id=str(held.pk))
    assert entry.user == admin and entry.action_flag == ADDITION

    # The next case's task goes to her, and she is told.
    task = open_tasks(services.start_case(version, starter))[0]
    assert not task.unroutable
    assert Notification.objects.filter(task=task, person=acting).exists()


def test_appointments_that_cannot_be_are_refused_with_messages(client, units, user_factory):
    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah")
    Assignment.objects.create(person=chief, position=position, start=dt.date(2024, 1, 1))
    client.force_login(user_factory("admin-dinsos", "admin", units["dinsos"]))
    cases = [
        ({"person": None}, "Bidang ini tidak boleh kosong."),
        ({"person": chief, "start": dt.date(2026, 1, 10), "end": "2026-01-01"},
         "Tanggal akhir sebelum tanggal mulai."),
        ({"person": chief, "start": dt.date(2025, 6, 1)},
         "sudah memegang jabatan ini dengan status yang sama"),
    ]
    for given, message in cases:
        response = appoint(client, position, **given)
        assert response.status_code == 400
        assert message in response.content.decode()
    assert Assignment.objects.count() == 1
    # The same person as Plh for a few days is another capacity: allowed.
    assert appoint(client, position, chief, kind="plh", start=dt.date(2025, 6, 1),
                   end="2025-06-03").status_code == 200
    assert Assignment.objects.count() == 2


def test_unit_admin_ends_a_holding(client, units, user_factory):
    from django.contrib.admin.models import CHANGE, LogEntry

    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah")
    held = Assignment.objects.create(person=chief, position=position,
                                     start=dt.date(2024, 1, 1))
    client.force_login(user_factory("admin-dinsos", "admin", units["dinsos"]))
    url = position_url(position)
    response = client.post(url, {"aksi": "akhiri", "assignment": held.pk, "end": "2023-12-31"})
    assert response.status_code == 400
    assert "Hari terakhir tidak boleh sebelum mulai menjabat (01-01-2024)" in \
        response.content.decode()
    held.refresh_from_db()
    assert held.end is None
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    response = client.post(url, {"aksi": "akhiri", "assignment": held.pk,
                                 "end": yesterday.isoformat()}, follow=True)
    assert f"Padlillah memegang jabatan Kepala Dinas sampai {yesterday:%d-%m-%Y}" in \
        response.content.decode()
    held.refresh_from_db()
    assert held.end == yesterday and list(position.holders()) == []
    assert LogEntry.objects.get(object_id=str(held.pk)).action_flag == CHANGE
    page = client.get(url).content.decode()
    assert "berakhir" in page and 'name="assignment"' not in page  # nothing left to end


def test_only_the_units_admins_may_appoint(client, units, user_factory):
    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    person = Person.objects.create(name="Budi")
    for user in (user_factory("pegawai-dinsos", "pegawai", units["dinsos"]),
                 user_factory("admin-perpus", "admin", units["perpus"])):
        client.force_login(user)
        page = client.get(position_url(position))
        assert page.status_code == 200 and "Angkat pemegang jabatan" not in page.content.decode()
        assert appoint(client, position, person).status_code == 403
    assert not Assignment.objects.exists()
    client.force_login(user_factory("root", is_superuser=True, is_staff=True))
    assert appoint(client, position, person).status_code == 200
    assert Assignment.objects.filter(person=person).exists()
    # A position is reached through its own unit only.
    other = reverse("org:position", args=[units["perpus"].code, position.pk])
    assert client.get(other).status_code == 404
    assert client.post(position_url(position), {"aksi": "pecat"}).status_code == 400
    for wrong in ("abc", "", "999999"):
        response = client.post(position_url(position), {"aksi": "akhiri", "assignment": wrong,
                                                        "end": "2026-01-01"})
        assert response.status_code == 404


def test_a_future_appointment_says_from_when_and_can_be_cancelled(client, units,
                                                                   user_factory):
    from django.contrib.admin.models import DELETION, LogEntry

    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    person = Person.objects.create(name="Rina Calon")
    client.force_login(user_factory("admin-dinsos", "admin", units["dinsos"]))
    start = timezone.localdate() + dt.timedelta(days=7)
    page = appoint(client, position, person, kind="plt", start=start).content.decode()
    assert f"Rina Calon memegang jabatan Kepala Dinas (Pelaksana Tugas (Plt)) mulai " \
           f"{start:%d-%m-%Y}" in page
    assert "kini memegang jabatan" not in page
    held = Assignment.objects.get(person=person)
    assert 'name="aksi" value="batalkan"' in page  # offered for a holding still to come
    response = client.post(position_url(position), {"aksi": "batalkan",
                                                    "assignment": held.pk}, follow=True)
    assert f"Pengangkatan Rina Calon sebagai Kepala Dinas mulai {start:%d-%m-%Y} " \
           "dibatalkan." in response.content.decode()
    assert not Assignment.objects.filter(pk=held.pk).exists()
    # The admin history keeps who took it back.
    entry = LogEntry.objects.get(object_id=str(held.pk), action_flag=DELETION)
    assert "Rina Calon" in entry.object_repr


def test_a_holding_that_has_begun_cannot_be_cancelled(client, units, user_factory):
    position = Position.objects.create(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah")
    held = Assignment.objects.create(person=chief, position=position, start=timezone.localdate())
    client.force_login(user_factory("admin-dinsos", "admin", units["dinsos"]))
    page = client.get(position_url(position)).content.decode()
    assert 'value="batalkan"' not in page  # only "end" is offered for a current holding
    response = client.post(position_url(position), {"aksi": "batalkan",
                                                    "assignment": held.pk}, follow=True)
    assert "Hanya pengangkatan yang belum dimulai" in response.content.decode()
    assert Assignment.objects.filter(pk=held.pk).exists()
    # Not the unit's admin: refused outright.
    client.force_login(user_factory("pegawai-dinsos", "pegawai", units["dinsos"]))
    assert client.post(position_url(position), {"aksi": "batalkan",
                                                "assignment": held.pk}).status_code == 403
