"""Draft → diajukan → disahkan → dicabut/diganti, by the right role in the right unit."""

import datetime as dt

import pytest
from django.urls import reverse

from alur.web.library.models import SopVersion
from alur.web.org.models import Assignment, Person, Position

pytestmark = pytest.mark.django_db


def approver(user_factory, username, unit, *, title="Kepala Dinas Sosial",
             nip="197701022006041004", kind="definitif"):
    """A Pengesah whose employee record holds a position today."""
    user = user_factory(username, "pengesah", unit)
    person = Person.objects.create(user=user, name="Drs. Padlillah", nip=nip or None)
    position = Position.objects.create(unit=unit, name=title)
    Assignment.objects.create(person=person, position=position, kind=kind,
                              start=dt.date(2020, 1, 1))
    user.holding = Assignment.objects.get(person=person)
    return user


def approve_data(user, **extra):
    return {"aksi": "sahkan", "holding": str(user.holding.pk), "effective": "2026-12-01",
            **extra}


@pytest.fixture
def people(user_factory, units):
    return {
        "penyusun": user_factory("penyusun", "penyusun", units["dinsos"]),
        "pengesah": approver(user_factory, "pengesah", units["dinsos"]),
        "pegawai": user_factory("pegawai", "pegawai", units["dinsos"]),
        "luar": user_factory("penyusun-luar", "penyusun", units["perpus"]),
        "pengesah-luar": user_factory("pengesah-luar", "pengesah", units["perpus"]),
    }


def _post(client, user, name, version, **data):
    client.force_login(user)
    return client.post(reverse(f"library:{name}", args=[version.public_id]), data)


def test_full_lifecycle(client, library, people):
    draft = library["draft"]
    assert _post(client, people["penyusun"], "submit", draft).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "diajukan" and draft.submitted_at is not None
    _post(client, people["pengesah"], "approve", draft,
          **approve_data(people["pengesah"], acknowledge="on"))
    draft.refresh_from_db()
    assert draft.status == "disahkan" and str(draft.effective_date) == "2026-12-01"
    assert draft.approved_by == people["pengesah"] and draft.approved_at is not None
    _post(client, people["penyusun"], "new_version", draft)
    second = draft.sop.versions.get(number=2)
    assert second.status == "draft" and second.content == draft.content
    _post(client, people["penyusun"], "submit", second)
    _post(client, people["pengesah"], "approve", second,
          **approve_data(people["pengesah"], acknowledge="on"))
    draft.refresh_from_db()
    assert draft.status == "diganti"
    _post(client, people["pengesah"], "revoke", second)  # no reason: refused
    second.refresh_from_db()
    assert second.status == "disahkan"
    _post(client, people["pengesah"], "revoke", second, alasan="Diganti peraturan baru")
    second.refresh_from_db()
    assert second.status == "dicabut"
    assert [e.kind for e in second.events.all()] == ["submitted", "approved", "revoked"]


@pytest.mark.parametrize(("who", "action"), [
    ("pegawai", "submit"), ("luar", "submit"), ("pengesah", "submit"),
    ("penyusun", "approve"), ("pegawai", "approve"), ("pengesah-luar", "approve"),
    ("penyusun", "revoke"), ("pegawai", "withdraw"), ("pengesah", "withdraw")])
def test_wrong_role_or_unit_is_refused(client, library, people, who, action):
    version = library["draft"]
    if action in ("approve", "withdraw"):
        version.status = "diajukan"
        version.save()
    if action == "revoke":
        version = library["sakip"]
    before = SopVersion.objects.get(pk=version.pk).status
    assert _post(client, people[who], action, version, alasan="x").status_code == 403
    assert SopVersion.objects.get(pk=version.pk).status == before


def test_wrong_state_changes_nothing(client, library, people):
    approved = library["sakip"]
    response = _post(client, people["penyusun"], "submit", approved)
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == "disahkan"
    page = client.get(response["Location"]).content.decode()
    assert "Hanya draf yang dapat diajukan" in page


def test_returning_to_the_author_needs_a_reason_which_the_author_reads(client, library,
                                                                        people):
    draft = library["draft"]
    _post(client, people["penyusun"], "submit", draft)
    response = _post(client, people["pengesah"], "approve", draft, aksi="kembalikan")
    assert response.status_code == 400 and "tidak boleh kosong" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "diajukan"
    _post(client, people["pengesah"], "approve", draft, aksi="kembalikan",
          reason="Langkah 4 belum menyebut pelaksananya.")
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_at is None and draft.returned_at
    client.force_login(people["penyusun"])
    page = client.get(reverse("library:detail", args=[draft.sop.public_id])).content.decode()
    assert "Langkah 4 belum menyebut pelaksananya." in page
    inbox = client.get(reverse("cases:inbox")).content.decode()
    assert "Langkah 4 belum menyebut pelaksananya." in inbox


def test_get_is_not_allowed(client, library, people):
    client.force_login(people["penyusun"])
    response = client.get(reverse("library:submit", args=[library["draft"].public_id]))
    assert response.status_code == 405


def test_actions_shown_by_role(client, library, people):
    detail = reverse("library:detail", args=[library["draft"].sop.public_id])
    client.force_login(people["penyusun"])
    page = client.get(detail).content.decode()
    assert "Ajukan untuk disahkan" in page and "Ubah draf" in page
    assert "Sahkan atau kembalikan" not in page
    client.force_login(people["pegawai"])
    page = client.get(detail).content.decode()
    assert "Ajukan untuk disahkan" not in page and "Ubah draf" not in page


def test_new_version_links_to_its_changes(client, library, people):
    approved = library["sakip"]
    client.force_login(people["penyusun"])
    client.post(reverse("library:new_version", args=[approved.public_id]))
    draft = approved.sop.versions.get(number=2)
    page = client.get(reverse("library:detail", args=[approved.sop.public_id]),
                      {"versi": draft.public_id}).content.decode()
    assert reverse("library:changes", args=[draft.public_id]) in page
