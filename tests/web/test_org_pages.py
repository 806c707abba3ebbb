import datetime as dt

import pytest
from django.urls import reverse

from alur.web.org.models import Assignment, Person, Position

pytestmark = pytest.mark.django_db


def test_tree_and_unit_page_show_positions_holders_and_sops(client, library, units,
                                                             user_factory):
    client.force_login(user_factory("pembaca"))
    tree = client.get(reverse("org:tree")).content.decode()
    assert "PEMERINTAH KABUPATEN BANGKA TENGAH" in tree and "--tingkat: 1" in tree
    position = Position.objects.get(unit=units["dinsos"], name="Kepala Dinas")
    chief = Person.objects.create(name="Padlillah")
    acting = Person.objects.create(name="Budi Pelaksana")
    Assignment.objects.create(person=chief, position=position, start=dt.date(2020, 1, 1),
                              end=dt.date.today() - dt.timedelta(days=1))
    Assignment.objects.create(person=acting, position=position, kind="plt",
                              start=dt.date.today())
    page = client.get(reverse("org:unit", args=[units["dinsos"].code])).content.decode()
    assert "Budi Pelaksana" in page and "Pelaksana Tugas (Plt)" in page
    assert "Padlillah" not in page  # no longer holds it today
    assert "PENYUSUNAN SAKIP" in page
    assert "kosong" in page  # Sekretaris has no holder: tasks could not be routed


def test_org_pages_need_login(client, units):
    assert client.get(reverse("org:tree")).status_code == 302
    assert client.get(reverse("org:unit", args=["tidak-ada"])).status_code == 302
