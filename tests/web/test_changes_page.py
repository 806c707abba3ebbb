"""The comparison page of two versions (`/versi/<id>/perubahan/`): who may see it, which
versions it compares, and that its readable part never shows the YAML or internal codes."""

import uuid

import pytest
from django.urls import reverse

from alur.sop.codes import REGISTRY
from alur.web.library.services import add_sop, new_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(client, user_factory, units):
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    return client


@pytest.fixture
def second(library):
    """Version 2 of the SAKIP SOP: a step inserted at 2, step 4 reworded, a time changed,
    the name changed."""
    first = library["sakip"]
    draft = new_draft(first)
    document = first.document
    steps = list(document.steps)
    inserted = steps[0].model_copy(update={"activity": "Membentuk tim penyusun SAKIP",
                                           "next": None})
    steps[3] = steps[3].model_copy(update={"activity": f"{steps[3].activity_text} secara daring"})
    steps[4] = steps[4].model_copy(update={"time": "3 hari"})
    steps = [steps[0], inserted, *steps[1:]]
    renumbered = [s.model_copy(update={"number": n}) for n, s in enumerate(steps, 1)]
    draft.set_document(document.model_copy(update={
        "name": "PENYUSUNAN SAKIP TAHUNAN", "steps": renumbered}))
    draft.save()
    return draft


def _url(version, **query):
    url = reverse("library:changes", args=[version.public_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def _readable(html: str) -> str:
    """The page without its technical part."""
    return html.split('<details class="teknis"')[0]


def test_login_required(client, second):
    response = client.get(_url(second))
    assert response.status_code == 302 and "/masuk/" in response["Location"]


def test_page_says_what_changed_for_people(reader, library, second):
    first = library["sakip"]
    assert [s.number for s in first.document.steps][:1] == [1]
    response = reader.get(_url(second))
    assert response.status_code == 200
    page = response.content.decode()
    readable = _readable(page)
    assert "Versi 2 dibandingkan dengan versi 1." in readable
    assert "1 langkah ditambah" in readable and "Membentuk tim penyusun SAKIP" in readable
    assert "[ditambah] </span>TAHUNAN</ins>" in readable
    assert "[ditambah] </span>secara daring</ins>" in readable
    assert "3 hari" in readable
    # Steps after the insertion are renumbered, said once, not listed as edited.
    assert "Hanya berganti nomor" in readable
    # Both charts, with the changed steps marked.
    assert readable.count("<svg") >= 2 and "beda-added" in readable and "beda-edited" in readable
    # No YAML, line numbers or internal codes outside the technical toggle.
    for technical in ("@@", "activity:", "steps:", "alur-sop/1:"):
        assert technical not in readable
    assert not [code for code in REGISTRY if code in readable]  # finding codes
    # The draft's approver and effective date are not "removed": they come at approval.
    assert "belum disahkan" in readable and "Nama pengesah" not in readable
    assert "@@" in page.split('<details class="teknis"')[1]


def test_compare_with_chosen_version_either_way(reader, library, second):
    first = library["sakip"]
    # From version 1 with ?dengan=2: still older → newer.
    page = reader.get(_url(first, dengan=second.public_id)).content.decode()
    assert "Versi 2 dibandingkan dengan versi 1." in page
    assert "[ditambah] </span>TAHUNAN</ins>" in page


def test_first_version_has_nothing_to_compare(reader, library):
    response = reader.get(_url(library["skp"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "versi pertama" in page and "<svg" not in page


def test_unknown_or_foreign_versions_are_404(reader, library, second):
    assert reader.get(reverse("library:changes", args=[uuid.uuid4()])).status_code == 404
    # A version of another SOP, a version that does not exist, nonsense, and itself.
    for other in (library["skp"].public_id, uuid.uuid4(), "bukan-uuid", second.public_id):
        assert reader.get(_url(second, dengan=other)).status_code == 404


def test_same_content_says_so(reader, library, units):
    # Two drafts of the same content (an approved side would differ in its approval record).
    draft = library["draft"]
    again = add_sop(draft.document, units["dinsos"])
    assert again.sop == draft.sop and again.number == 2
    page = _readable(reader.get(_url(again)).content.decode())
    assert "Isi kedua versi sama." in page and "beda-" not in page.split("bagan-banding")[1]
