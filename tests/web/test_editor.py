"""The editor: form and YAML, live preview, and a failed save that keeps what was typed."""


import pytest
from django.urls import reverse

from alur.web.library.editor import document_from_form, form_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def author(client, user_factory, units):
    user = user_factory("penulis-dinsos", "penyusun", units["dinsos"])
    client.force_login(user)
    return client


def _form(version, **changes):
    """The editor's form for a version as the browser would post it."""
    return {**form_fields(version.document), **changes}


def test_form_round_trips_the_document(library):
    version = library["draft"]
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in _form(version).items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    data = document_from_form(query, version.document)
    from alur.sop import from_data

    rebuilt = from_data(data).sop
    assert [s.number for s in rebuilt.steps] == [s.number for s in version.document.steps]
    assert rebuilt.step(2).kind == "decision" and rebuilt.step(2).on_no == 1
    assert rebuilt.step(2).activity == version.document.step(2).activity


def test_edit_page_and_save(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    page = author.get(url).content.decode()
    assert "Ubah draf versi 1" in page and "Menyampaikan draf surat" in page
    assert "disimpulkan" in page  # step 2's actor was inferred
    response = author.post(url, _form(version, name="SURAT KELUAR (revisi)",
                                      **{"step-k0-time": "7 menit"}))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR (revisi)"
    assert version.document.step(1).time == "7 menit"


def test_joint_policy_is_edited_in_the_form(author, library):
    """How a step with several actors finishes (`joint`) is a select in the step's row."""
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    assert 'name="step-' in (page := author.get(url).content.decode()) and '-joint"' in page
    author.post(url, _form(version, **{"step-k0-joint": "all"}))
    version.refresh_from_db()
    assert version.document.step(1).joint == "all"
    author.post(url, _form(version, **{"step-k0-joint": ""}))
    version.refresh_from_db()
    assert version.document.step(1).joint is None


def test_changing_an_inferred_actor_makes_it_decided(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    author.post(url, _form(version, **{"step-k1-actor": ["pengelola"]}))
    version.refresh_from_db()
    assert version.document.step(2).actors == ["pengelola"]
    assert "actors" not in version.document.step(2).inferred


def test_failed_save_keeps_what_was_typed(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    response = author.post(url, _form(version, **{"step-k0-number": "satu",
                                                  "step-k3-notes": "catatan baru saya"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Draf belum disimpan" in page and "catatan baru saya" in page
    version.refresh_from_db()
    assert version.document.step(4).notes == ""


def test_yaml_tab(author, library):
    version = library["draft"]
    url = reverse("library:edit", args=[version.public_id])
    from alur.sop import dumps_yaml

    text = dumps_yaml(version.document).replace("name: SURAT KELUAR", "name: SURAT KELUAR 2")
    assert author.post(url, {"mode": "yaml", "yaml": text}).status_code == 302
    version.refresh_from_db()
    assert version.name == "SURAT KELUAR 2"
    broken = author.post(url, {"mode": "yaml", "yaml": text + "  salah: [\n"})
    assert broken.status_code == 400
    assert "YAML tidak valid" in broken.content.decode()
    assert "salah: [" in broken.content.decode()


def test_preview_follows_the_form(author, library):
    version = library["draft"]
    url = reverse("library:preview", args=[version.public_id])
    fragment = author.post(url, _form(version)).content.decode()
    assert "<svg" in fragment and "Hasil pemeriksaan" in fragment
    changed = author.post(url, _form(version, **{"step-k3-actor": []})).content.decode()
    assert "Langkah 4 tidak memiliki pelaksana" in changed
    broken = author.post(url, {"mode": "yaml", "yaml": "id: [\n"}).content.decode()
    assert "YAML tidak valid" in broken and "<svg" not in broken


def test_only_drafts_and_only_authors(client, library, user_factory, units):
    approved = library["sakip"]
    author = user_factory("penulis-kedua", "penyusun", units["dinsos"])
    client.force_login(author)
    response = client.get(reverse("library:edit", args=[approved.public_id]))
    assert response.status_code == 302  # approved: redirected with a message
    other = user_factory("orang-lain", "penyusun", units["perpus"])
    client.force_login(other)
    assert client.get(reverse("library:edit",
                              args=[library["draft"].public_id])).status_code == 403
    assert client.post(reverse("library:preview",
                               args=[library["draft"].public_id])).status_code == 403
