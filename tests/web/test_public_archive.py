"""The public archive /publik/: anyone, without logging in, finds the SOPs in force and reads
each as its approved document shows it, with the document to download. Nothing else of the
installation is there — no draft, submitted, revoked, replaced or not-yet-effective version
(404), no case, no account, no internal comment — and ALUR_PUBLIC_ARCHIVE=0 turns it off."""

from __future__ import annotations

import datetime as dt
import sys
import types
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from alur.sop import load
from alur.web.library import renders
from alur.web.library.models import SopVersion
from alur.web.library.services import add_sop, approve
from alur.web.public import views

from .cases_fixtures import LIBRARY
from .chromium import BROWSER_TESTS
from .test_security_csp import _inline_problems

LIST = "/publik/"


@pytest.fixture
def author(user_factory):
    """Whoever wrote the SOPs: an account the public never sees."""
    return user_factory("akun-penulis", first_name="Budi", last_name="Rahasiawan",
                        email="budi.rahasiawan@contoh.go.id")


def _approved(name: str, unit, author, effective: dt.date | None = None):
    version = add_sop(load(LIBRARY / f"{name}.yaml").sop, unit, author)
    approve(version, None, effective=effective or timezone.localdate() - dt.timedelta(days=365))
    return version


@pytest.fixture
def archive(db, units, author):
    """Three SOPs in force in two agencies (one with internal comments), and one of each kind
    that must never be shown."""
    sakip = _approved("penyusunan-sakip", units["dinsos"], author)
    skp = _approved("pengkoordinir-penyusunan-skp", units["perpus"], author)
    draft = add_sop(load(LIBRARY / "surat-keluar.yaml").sop, units["dinsos"], author)
    submitted = add_sop(load(LIBRARY / "surat-ijin-cuti.yaml").sop, units["dinsos"], author)
    submitted.status, submitted.submitted_at = SopVersion.Status.DIAJUKAN, timezone.now()
    submitted.save()
    revoked = _approved("penyusunan-renja", units["dinsos"], author)
    SopVersion.objects.filter(pk=revoked.pk).update(status=SopVersion.Status.DICABUT)
    future = _approved("pengajuan-pensiun-pns", units["perpus"], author,
                       effective=timezone.localdate() + dt.timedelta(days=10))
    # An SOP approved again: its first version is replaced, its second is in force.
    old = _approved("pengajuan-kartu-pns-dan-kartu-istri-suami", units["perpus"], author)
    new = add_sop(old.document, units["perpus"], author)
    approve(new, None, effective=timezone.localdate() - dt.timedelta(days=1))
    old.refresh_from_db()
    assert old.status == SopVersion.Status.DIGANTI
    return {"sakip": sakip, "skp": skp, "kartu": new, "draft": draft, "submitted": submitted,
            "revoked": revoked, "future": future, "replaced": old}


def _listed(response) -> list[str]:
    return [row.version.public_id for row in response.context["rows"]]


def test_only_versions_in_force_are_listed_for_an_anonymous_visitor(client, archive):
    response = client.get(LIST)
    assert response.status_code == 200  # no login asked for
    assert sorted(_listed(response)) == sorted(
        archive[k].public_id for k in ("sakip", "skp", "kartu"))
    page = response.content.decode()
    for hidden in ("draft", "submitted", "revoked", "future", "replaced"):
        assert str(archive[hidden].public_id) not in page
    assert "SURAT KELUAR" not in page and "SURAT IJIN CUTI" not in page
    # Each row: name, number, unit, effective date, approver as the document prints it.
    assert "PENYUSUNAN SAKIP" in page and "SOP.014.SEKRE" in page
    assert "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA" in page
    assert "KEPALA DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA" in page
    assert "PADLILLAH, S.Pd.I., M.H." in page
    effective = archive["sakip"].effective_date
    assert f"{effective.day} " in page and str(effective.year) in page


@pytest.mark.parametrize("hidden", ["draft", "submitted", "revoked", "future", "replaced"])
def test_a_version_not_in_force_is_not_found(client, archive, hidden):
    public_id = archive[hidden].public_id
    assert client.get(reverse("public:detail", args=[public_id])).status_code == 404
    assert client.get(reverse("public:download", args=[public_id])).status_code == 404


def test_the_sop_page_shows_its_issued_document(client, archive):
    version = archive["sakip"]
    response = client.get(reverse("public:detail", args=[version.public_id]))
    assert response.status_code == 200
    page = response.content.decode()
    issued = version.issued_document()
    assert issued.name in page and issued.number in page
    assert issued.approved_by.name in page and issued.approved_by.nip in page  # as printed
    assert 'class="identitas"' in page and page.count("<svg") >= 1
    assert reverse("public:download", args=[version.public_id]) in page
    assert _inline_problems(response.content) == []
    assert "unsafe-inline" not in response["Content-Security-Policy"]


def test_no_person_data_comments_findings_or_history(client, archive, author):
    for key in ("skp", "sakip"):
        version = archive[key]
        for url in (LIST, reverse("public:detail", args=[version.public_id])):
            page = client.get(url).content.decode()
            assert "Catatan penyunting" not in page  # internal comments
            assert "Rahasiawan" not in page and "akun-penulis" not in page  # accounts
            assert "budi.rahasiawan" not in page
            assert "Check results" not in page and "Hasil pemeriksaan" not in page
            assert "/sop/" not in page and "/versi/" not in page  # no link into the library
            assert "/kasus/" not in page and "Riwayat versi" not in page


def test_search_by_name_number_and_step_text(client, archive):
    def found(query: str) -> list:
        return _listed(client.get(LIST, {"q": query}))

    assert found("sakip") == [archive["sakip"].public_id]
    assert found("SOP.014.SEKRE") == [archive["sakip"].public_id]
    words = archive["skp"].document.steps[0].activity_text.split()
    assert archive["skp"].public_id in found(" ".join(words[:3]))
    assert archive["draft"].public_id not in found("surat keluar")  # a draft's name
    assert found("kata-yang-tidak-ada") == []


def test_unit_filter_includes_sub_units(client, archive, units):
    assert _listed(client.get(LIST, {"unit": units["dinsos"].pk})) == [
        archive["sakip"].public_id]
    assert _listed(client.get(LIST, {"unit": units["pemkab"].pk})) == [
        archive["sakip"].public_id]
    assert sorted(_listed(client.get(LIST, {"unit": units["perpus"].pk}))) == sorted(
        [archive["skp"].public_id, archive["kartu"].public_id])
    assert _listed(client.get(LIST, {"unit": 999999})) == []
    assert client.get(LIST, {"unit": "x"}).status_code == 200
    # The filter offers the units with an SOP in force only.
    offered = {u.pk for u in client.get(LIST).context["units"]}
    assert offered == {units["dinsos"].pk, units["perpus"].pk}


def test_the_list_is_paginated(client, archive, monkeypatch):
    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    first = client.get(LIST)
    second = client.get(LIST, {"hal": 2})
    assert len(_listed(first)) == 2 and len(_listed(second)) == 1
    assert "hal=2" in first.content.decode()
    assert set(_listed(first)).isdisjoint(_listed(second))


def test_the_list_makes_as_many_queries_for_many_rows_as_for_few(client, archive, units,
                                                                  author):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(LIST)
    for name in ("surat-ijin-cuti", "penyusunan-renja", "pengajuan-pensiun-pns"):
        _approved(name, units["pemkab"], author)
    with CaptureQueriesContext(connection) as many:
        assert len(_listed(client.get(LIST))) == 6
    assert len(many.captured_queries) == len(few.captured_queries) <= 6


def test_turned_off_every_address_is_not_found_and_nothing_links_to_it(client, archive,
                                                                      settings):
    version = archive["sakip"]
    urls = [LIST, reverse("public:detail", args=[version.public_id]),
            reverse("public:download", args=[version.public_id])]
    assert LIST in client.get(reverse("login")).content.decode()
    settings.ALUR_PUBLIC_ARCHIVE = False
    for url in urls:
        assert client.get(url).status_code == 404
    assert LIST not in client.get(reverse("login")).content.decode()
    assert LIST not in client.get(reverse("home:guide")).content.decode()


def test_the_footer_links_to_the_archive_when_on(client, penyusun):
    assert f'href="{LIST}"' in penyusun.get(reverse("library:list")).content.decode()


def test_only_get_is_answered(client, archive):
    assert client.post(LIST).status_code == 405
    assert client.head(LIST).status_code == 200


def test_the_pdf_drawn_from_the_issued_document_without_a_signed_file(client, archive,
                                                                      monkeypatch):
    monkeypatch.setattr(views, "SIGNED_FILES", "alur.web.public.not_a_module")
    version = archive["sakip"]
    response = client.get(reverse("public:download", args=[version.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == \
        f'attachment; filename="penyusunan-sakip-v{version.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_the_signed_pdf_is_served_when_there_is_one(client, archive, monkeypatch):
    signed = b"%PDF-1.7 signed bytes as stored"
    asked = []

    def signed_pdf(version):
        asked.append(version.pk)
        return signed if version.pk == archive["sakip"].pk else None

    module = types.ModuleType("public_archive_test_signing")
    module.signed_pdf = signed_pdf  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(views, "SIGNED_FILES", module.__name__)
    response = client.get(reverse("public:download", args=[archive["sakip"].public_id]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content == signed
    # Not signed yet: the drawn PDF.
    unsigned = client.get(reverse("public:download", args=[archive["skp"].public_id]))
    assert unsigned.content.startswith(b"%PDF") and unsigned.content != signed
    assert asked == [archive["sakip"].pk, archive["skp"].pk]


def test_a_large_sop_is_drawn_in_the_background(client, archive, settings, tmp_path,
                                                monkeypatch):
    settings.ALUR_RENDER_INLINE_STEPS = 2
    settings.MEDIA_ROOT = tmp_path / "media"
    monkeypatch.setattr(views, "SIGNED_FILES", "alur.web.public.not_a_module")
    queued: list[tuple] = []
    monkeypatch.setattr(renders, "async_task", lambda *args, **kwargs: queued.append(args))
    version = archive["sakip"]
    waiting = client.get(reverse("public:download", args=[version.public_id]))
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert 'http-equiv="refresh"' in page and "/sop/" not in page
    assert queued == [(renders.draw, version.pk, "pdf")]
    renders.draw(version.pk, "pdf")
    served = client.get(reverse("public:download", args=[version.public_id]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF")


# --- In the browser -------------------------------------------------------------------------

SHOTS = Path(__file__).parents[2] / "build" / "screenshots"
SIDEWAYS = "() => [document.documentElement.scrollWidth, window.innerWidth]"


def _in_the_browser(test):
    for mark in BROWSER_TESTS:  # a live server with real transactions; Chromium or a skip
        test = mark(test)
    return test


@_in_the_browser
def test_a_visitor_finds_reads_and_downloads_an_sop(live_server, browser, units, author):
    _approved("penyusunan-sakip", units["dinsos"], author)
    _approved("pengkoordinir-penyusunan-skp", units["perpus"], author)
    _approved("surat-ijin-cuti", units["perpus"], author)
    SHOTS.mkdir(parents=True, exist_ok=True)
    errors: list[str] = []
    problems: list[str] = []
    for width in (1366, 390):
        context = browser.new_context(viewport={"width": width, "height": 900},
                                      accept_downloads=True)
        page = context.new_page()
        page.on("console", lambda m, w=width: errors.append(f"{w} px: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda e, w=width: errors.append(f"{w} px: {e}"))
        page.goto(f"{live_server.url}/masuk/")
        page.click("text=Arsip SOP publik")
        page.wait_for_url(f"{live_server.url}{LIST}")
        assert page.locator("table.daftar-sop tbody tr").count() == 3
        page.screenshot(path=str(SHOTS / f"public-{width}.png"), full_page=True)
        scroll, viewport = page.evaluate(SIDEWAYS)
        if scroll > viewport:
            problems.append(f"list at {width} px scrolls sideways: {scroll} px")
        page.fill("#q", "sakip")
        page.click("form[role=search] button[type=submit]")
        page.wait_for_load_state()
        assert page.locator("table.daftar-sop tbody tr").count() == 1
        page.click("table.daftar-sop a")
        page.wait_for_selector(".bagan-kotak svg")
        assert "PADLILLAH" in page.content()
        page.screenshot(path=str(SHOTS / f"public-detail-{width}.png"), full_page=True)
        scroll, viewport = page.evaluate(SIDEWAYS)
        if scroll > viewport:
            problems.append(f"SOP page at {width} px scrolls sideways: {scroll} px")
        with page.expect_download() as download:
            page.click("text=Unduh dokumen (PDF)")
        path = download.value.path()
        assert download.value.suggested_filename.endswith(".pdf")
        assert Path(path).read_bytes().startswith(b"%PDF")
        context.close()
    assert problems + errors == []
