"""Approving an SOP as officials do: the approval record (signed as what, Plt/Plh, a.n., NIP,
decree) printed on every output of the approved version; errors block submitting and
approving; warnings must be acknowledged; withdrawing; the people who must act next are told;
several SOPs approved under one decree."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from docx import Document

from alur.web.cases.models import Notification
from alur.web.library.models import Approval, SopVersion
from alur.web.library.services import add_sop
from alur.web.org.models import Person

from .test_lifecycle import approve_data, approver

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory, units):
    author = user_factory("penyusun", "penyusun", units["dinsos"])
    Person.objects.create(user=author, name="Rina Penyusun")
    return {"penyusun": author,
            "pengesah": approver(user_factory, "pengesah", units["dinsos"], kind="plt",
                                 title="Kepala Dinas Sosial")}


def _submitted(client, version, people):
    client.force_login(people["penyusun"])
    client.post(reverse("library:submit", args=[version.public_id]))
    version.refresh_from_db()
    assert version.status == "diajukan"
    return version


def _approve(client, version, people, **extra):
    client.force_login(people["pengesah"])
    return client.post(reverse("library:approve", args=[version.public_id]),
                       approve_data(people["pengesah"], acknowledge="on", **extra))


def _broken(version):
    """The version with a decision whose Ya exit points at a step that does not exist."""
    document = version.document
    steps = [s.model_copy(update={"on_yes": 99}) if s.kind == "decision" else s
             for s in document.steps]
    version.set_document(document.model_copy(update={"steps": steps}))
    version.save()
    return version


def test_the_approval_record_is_printed_on_the_issued_document(client, library, people):
    draft = _submitted(client, library["draft"], people)
    response = _approve(client, draft, people, on_behalf_of="Bupati Bangka Tengah",
                        decree_number="188.45/12/2026")
    assert response.status_code == 302
    draft.refresh_from_db()
    record = Approval.objects.get(version=draft)
    assert record.printed_title() == "a.n. Bupati Bangka Tengah, Plt. Kepala Dinas Sosial"
    assert (record.name, record.nip, record.decree_number) == (
        "Drs. Padlillah", "197701022006041004", "188.45/12/2026")
    issued = draft.issued_document()
    assert issued.approved_by.title == record.printed_title()
    assert issued.approved_by.nip == "197701022006041004"
    assert issued.dates.effective == "2026-12-01"
    assert issued.organization  # the unit chain fills an empty agency heading
    assert draft.document.approved_by.name != "Drs. Padlillah"  # submitted content kept

    page = client.get(reverse("library:detail", args=[draft.sop.public_id])).content.decode()
    assert "Plt. Kepala Dinas Sosial" in page and "188.45/12/2026" in page
    docx = client.get(reverse("library:download", args=[draft.public_id, "docx"]))
    text = "\n".join(cell.text for table in Document(io.BytesIO(docx.content)).tables
                     for row in table.rows for cell in row.cells)
    assert "Drs. Padlillah" in text and "197701022006041004" in text
    assert "Plt. Kepala Dinas Sosial" in text


def test_an_sop_with_errors_cannot_be_submitted_and_the_author_sees_why(client, library,
                                                                         people):
    draft = _broken(library["draft"])
    client.force_login(people["penyusun"])
    client.post(reverse("library:submit", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.status == "draft"
    page = client.get(reverse("library:detail", args=[draft.sop.public_id])).content.decode()
    assert "Belum dapat diajukan" in page
    assert f'{reverse("library:edit", args=[draft.public_id])}#langkah-' in page


def test_an_sop_with_errors_cannot_be_approved(client, library, people):
    draft = _broken(library["draft"])
    # Submitted before the check knew the rule: stored as it is, past the submit check.
    SopVersion.objects.filter(pk=draft.pk).update(
        status="diajukan", submitted_at=dt.datetime(2026, 11, 2, tzinfo=dt.UTC))
    response = _approve(client, draft, people)
    draft.refresh_from_db()
    assert response.status_code == 400 and draft.status == "diajukan"
    assert "belum dapat disahkan" in response.content.decode()


def test_warnings_must_be_acknowledged(client, library, people):
    draft = _submitted(client, library["draft"], people)  # it has identity warnings
    client.force_login(people["pengesah"])
    data = approve_data(people["pengesah"])
    response = client.post(reverse("library:approve", args=[draft.public_id]), data)
    draft.refresh_from_db()
    assert response.status_code == 400 and draft.status == "diajukan"
    assert "Baca peringatan dan beri tanda centang" in response.content.decode()


def test_the_approver_needs_a_nip_unless_the_installation_waives_it(client, library, people,
                                                                     settings):
    Person.objects.filter(user=people["pengesah"]).update(nip=None)
    draft = _submitted(client, library["draft"], people)
    response = _approve(client, draft, people)
    draft.refresh_from_db()
    assert response.status_code == 400 and draft.status == "diajukan"
    assert "belum memuat NIP" in response.content.decode()
    settings.ALUR_APPROVER_NIP_REQUIRED = False
    assert _approve(client, draft, people).status_code == 302
    draft.refresh_from_db()
    assert draft.status == "disahkan" and draft.approval.nip == ""


def test_the_author_withdraws_a_submission(client, library, people):
    draft = _submitted(client, library["draft"], people)
    client.post(reverse("library:withdraw", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.status == "draft" and draft.submitted_at is None
    assert [e.kind for e in draft.events.all()] == ["submitted", "withdrawn"]


def test_submitting_tells_the_approver_and_returning_tells_the_author(client, library,
                                                                       people):
    draft = _submitted(client, library["draft"], people)
    approver_person = Person.objects.get(user=people["pengesah"])
    due = Notification.objects.get(person=approver_person,
                                   kind=Notification.Kind.APPROVAL_DUE)
    assert draft.name in due.subject
    assert due.link == reverse("library:approve", args=[draft.public_id])
    client.force_login(people["pengesah"])
    client.post(reverse("library:approve", args=[draft.public_id]),
                {"aksi": "kembalikan", "reason": "Lengkapi dasar hukum"})
    author = Person.objects.get(user=people["penyusun"])
    returned = Notification.objects.get(person=author, kind=Notification.Kind.RETURNED)
    assert "Lengkapi dasar hukum" in returned.subject


def test_several_sops_are_approved_under_one_decree(client, library, people, units):
    second = add_sop(library["sakip"].document, units["dinsos"], people["penyusun"])
    first = _submitted(client, library["draft"], people)
    second = _submitted(client, second, people)
    client.force_login(people["pengesah"])
    url = reverse("library:approve_many")
    assert first.name in client.get(url).content.decode()
    response = client.post(url, {**approve_data(people["pengesah"], acknowledge="on"),
                                 "versions": [str(first.public_id), str(second.public_id)],
                                 "decree_number": "188.45/99/2026"})
    assert response.status_code == 302
    for version in (first, second):
        version.refresh_from_db()
        assert version.status == SopVersion.Status.DISAHKAN
        assert version.approval.decree_number == "188.45/99/2026"
        assert version.effective_date == dt.date(2026, 12, 1)
