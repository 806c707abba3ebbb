"""Review by the organisation bureau: a Peninjau of the unit receives submitted SOPs, returns
them with notes per step or field (read by the author beside them in the editor) or passes
them to the approver with a Berita Acara and the SOP's number, printed once approved."""

import datetime as dt
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone

from alur.web.cases.models import Notification
from alur.web.library import review
from alur.web.library.models import Review, SopVersion
from alur.web.org.models import Person

from .test_lifecycle import approve_data, approver

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(user_factory, units):
    author = user_factory("penyusun", "penyusun", units["dinsos"])
    Person.objects.create(user=author, name="Rina Penyusun")
    bureau = user_factory("peninjau", "peninjau", units["pemkab"])  # serves the units below
    Person.objects.create(user=bureau, name="Andi Analis", nip="198803032010011002")
    return {"penyusun": author, "peninjau": bureau,
            "pengesah": approver(user_factory, "pengesah", units["dinsos"]),
            "pegawai": user_factory("pegawai", "pegawai", units["dinsos"])}


def _submit(client, version, people):
    client.force_login(people["penyusun"])
    client.post(reverse("library:submit", args=[version.public_id]))
    version.refresh_from_db()
    return version


def _review(client, version, people, **data):
    client.force_login(people["peninjau"])
    return client.post(reverse("library:review", args=[version.public_id]), data)


def test_a_submitted_sop_waits_for_the_bureau_before_the_approver(client, library, people):
    draft = _submit(client, library["draft"], people)
    assert draft.status == SopVersion.Status.REVIU
    reviewer = Person.objects.get(user=people["peninjau"])
    due = Notification.objects.get(person=reviewer, kind=Notification.Kind.REVIEW_DUE)
    assert due.link == reverse("library:review", args=[draft.public_id])
    assert not Notification.objects.filter(kind=Notification.Kind.APPROVAL_DUE).exists()
    client.force_login(people["peninjau"])
    for page in ("cases:inbox", "home:home"):
        assert reverse("library:review", args=[draft.public_id]) in \
            client.get(reverse(page)).content.decode()
    # The approver cannot act yet; nor can anyone but a reviewer review.
    client.force_login(people["pengesah"])
    client.post(reverse("library:approve", args=[draft.public_id]),
                approve_data(people["pengesah"], acknowledge="on"))
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.REVIU
    client.force_login(people["pegawai"])
    assert client.get(reverse("library:review", args=[draft.public_id])).status_code == 403


def test_needs_correction_returns_it_with_notes_beside_the_steps(client, library, people):
    draft = _submit(client, library["draft"], people)
    refused = _review(client, draft, people, result="perbaikan")  # no note: refused
    assert refused.status_code == 400 and "Tuliskan apa yang harus diperbaiki" in \
        refused.content.decode()
    response = _review(client, draft, people, result="perbaikan",
                       langkah_2="Pisahkan pemeriksaan dan paraf",
                       isian_legal_basis="Cantumkan Permenpan RB 35/2012")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT and draft.returned_at is not None
    author = Person.objects.get(user=people["penyusun"])
    assert Notification.objects.filter(person=author, kind=Notification.Kind.RETURNED).exists()
    client.force_login(people["penyusun"])
    editor = client.get(reverse("library:edit", args=[draft.public_id])).content.decode()
    assert editor.count('class="catatan-reviu small"') == 2
    assert "Pisahkan pemeriksaan dan paraf" in editor and 'href="#langkah-2"' in editor
    page = client.get(reverse("library:detail", args=[draft.sop.public_id])).content.decode()
    assert "Cantumkan Permenpan RB 35/2012" in page
    # Corrected and submitted again: back to the reviewer, the old notes no longer shown.
    draft = _submit(client, draft, people)
    assert draft.status == SopVersion.Status.REVIU and review.notes_for(draft) is None


def test_compliant_goes_to_the_approver_with_minutes_and_a_number(client, library, people,
                                                                   settings, tmp_path):
    settings.ALUR_SOP_NUMBER_PATTERN = "{urut:03d}/SOP/{unit}/{bulan}/{tahun}"
    draft = _submit(client, library["draft"], people)
    client.force_login(people["peninjau"])
    form = client.get(reverse("library:review", args=[draft.public_id])).content.decode()
    year = timezone.localdate().year
    assert f"001/SOP/{draft.sop.unit.code.upper()}/" in form and f"/{year}" in form
    response = _review(client, draft, people, result="sesuai", sop_number="800/017/SOP/2026",
                       summary="Sesuai format")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DIAJUKAN and draft.sop_number == "800/017/SOP/2026"
    approver_person = Person.objects.get(user=people["pengesah"])
    assert Notification.objects.filter(person=approver_person,
                                       kind=Notification.Kind.APPROVAL_DUE).exists()
    record = Review.objects.get(version=draft)
    minutes = client.get(reverse("library:berita_acara", args=[draft.public_id, record.pk]))
    assert minutes["Content-Type"] == "application/pdf"
    pdf = tmp_path / "ba.pdf"
    pdf.write_bytes(minutes.content)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    assert "BERITA ACARA HASIL REVIU" in text.upper() and "800/017/SOP/2026" in text
    assert "Andi Analis" in text and "198803032010011002" in text
    client.force_login(people["pengesah"])
    approve_page = client.get(reverse("library:approve", args=[draft.public_id]))
    assert reverse("library:berita_acara", args=[draft.public_id, record.pk]) in \
        approve_page.content.decode()
    client.post(reverse("library:approve", args=[draft.public_id]),
                approve_data(people["pengesah"], acknowledge="on"))
    draft.refresh_from_db()
    assert draft.status == "disahkan" and draft.issued_document().number == "800/017/SOP/2026"
    assert [e.kind for e in draft.events.all()] == ["submitted", "reviewed", "approved"]


def test_the_author_withdraws_from_review(client, library, people):
    draft = _submit(client, library["draft"], people)
    client.post(reverse("library:withdraw", args=[draft.public_id]))
    draft.refresh_from_db()
    assert draft.status == SopVersion.Status.DRAFT


def test_review_is_skipped_where_nobody_reviews_or_the_installation_turns_it_off(
        client, library, people, settings, units):
    settings.ALUR_BUREAU_REVIEW = False
    assert _submit(client, library["draft"], people).status == SopVersion.Status.DIAJUKAN
    settings.ALUR_BUREAU_REVIEW = True
    assert not review.applies(units["perpus"])  # nobody serves this agency
    assert review.applies(units["dinsos"])


def test_a_mistyped_numbering_pattern_falls_back_to_the_default(library, settings):
    settings.ALUR_SOP_NUMBER_PATTERN = "{nomor}/SOP"
    number = review.suggested_number(library["draft"], dt.date(2026, 3, 2))
    assert number == f"001/SOP/{library['draft'].sop.unit.code.upper()}/2026"


def test_the_minutes_name_the_position_the_reviewer_holds_that_day(client, library, people):
    """A reviewer who left a position and now acts in another is named by the one held on the
    day of the review (acting marked), not by the holding that began last or has ended."""
    from alur.web.org.models import Assignment, Position

    unit = people["peninjau"].memberships.first().unit
    person = Person.objects.get(user=people["peninjau"])
    today = timezone.localdate()
    Assignment.objects.create(person=person, kind=Assignment.Kind.DEFINITIF,
                              position=Position.objects.create(unit=unit, name="Analis Lama"),
                              start=today - dt.timedelta(days=400),
                              end=today - dt.timedelta(days=10))
    Assignment.objects.create(person=person, kind=Assignment.Kind.PLH,
                              position=Position.objects.create(unit=unit, name="Kepala Bagian "
                                                               "Organisasi"),
                              start=today - dt.timedelta(days=2))
    Assignment.objects.create(person=person, kind=Assignment.Kind.DEFINITIF,
                              position=Position.objects.create(unit=unit, name="Analis Nanti"),
                              start=today + dt.timedelta(days=5))
    draft = _submit(client, library["draft"], people)
    _review(client, draft, people, result="sesuai", summary="Sesuai")
    assert Review.objects.get(version=draft).reviewer_title == "Kepala Bagian Organisasi (Plh)"
