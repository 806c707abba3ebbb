"""The electronic seal: an approved version's PDF is signed once (demo seal), stored, served by
every download, and checked on the verification page and by `alur verify`."""

import datetime as dt
import hashlib
import io
import shutil
import subprocess

import pytest
from click.testing import CliRunner
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alur.cli.main import main
from alur.render import layout
from alur.render.html import Verification, to_html
from alur.sop import load
from alur.web.signing import services
from alur.web.signing.demo_seal import make_demo_seal
from alur.web.signing.files import signed_pdf
from alur.web.signing.models import CODE_ALPHABET, SignedDocument
from alur.web.signing.validation import check_pdf

from .conftest import LIBRARY

pytestmark = pytest.mark.django_db


@pytest.fixture
def seal(settings, tmp_path):
    """The demo seal made in a temporary data folder; files stored under a temporary media
    folder; background jobs run in the request."""
    path = tmp_path / "data" / "segel-demo.p12"
    make_demo_seal(path)
    settings.ALUR_SIGNING_PKCS12 = ""
    settings.ALUR_SIGNING_DEMO_PKCS12 = path
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    return path


@pytest.fixture
def signed(seal, library):
    return services.sign_version(library["sakip"].pk)


def _altered(data: bytes) -> bytes:
    """One byte changed inside the signed range (the producer's name in the info
    dictionary, before the signature): the file still reads as a PDF."""
    at = data.index(b"WeasyPrint")
    return data[:at] + b"X" + data[at + 1:]


def test_signed_once_stored_and_valid(signed, library):
    assert signed is not None and signed.demo
    assert len(signed.code) == 8 and set(signed.code) <= set(CODE_ALPHABET)
    data = signed_pdf(library["sakip"])
    assert data is not None and hashlib.sha256(data).hexdigest() == signed.sha256
    check = check_pdf(data)
    assert check.valid and check.intact and check.whole_file and check.demo
    assert "SEGEL DEMO" in check.signer
    again = services.sign_version(library["sakip"].pk)  # idempotent: the same file
    assert again is not None and again.pk == signed.pk
    assert SignedDocument.objects.count() == 1
    assert signed_pdf(library["skp"]) is None  # not signed (yet)


def test_pdf_carries_the_verification_block(signed):
    import pdfplumber

    with default_storage.open(signed.stored_name) as stored:
        data = stored.read()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        texts = [page.extract_text() for page in pdf.pages]
    url = f"/verifikasi/{signed.code}/"
    for text in texts:  # every page's footer
        assert "Verifikasi keaslian dokumen" in text and signed.code in text and url in text
        assert "Segel demo, bukan TTE tersertifikasi" in text


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm (poppler)")
def test_qr_code_decodes_to_the_verification_url(signed, tmp_path):
    import cv2

    pdf = tmp_path / "segel.pdf"
    with default_storage.open(signed.stored_name) as stored:
        pdf.write_bytes(stored.read())
    subprocess.run(["pdftoppm", "-png", "-r", "300", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "halaman")], check=True)
    image = cv2.imread(str(next(tmp_path.glob("halaman*.png"))))
    text, _points, _code = cv2.QRCodeDetector().detectAndDecode(image)
    assert text == services.verification_url(signed.code)
    assert text.startswith("http") and text.endswith(f"/verifikasi/{signed.code}/")


def test_scheduled_after_commit(seal, library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.schedule(library["skp"])
        assert not SignedDocument.objects.filter(version=library["skp"]).exists()
    assert SignedDocument.objects.filter(version=library["skp"]).exists()


def test_download_serves_the_signed_file(client, user_factory, units, signed, library):
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    response = client.get(reverse("library:download", args=[library["sakip"].public_id, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert 'filename="penyusunan-sakip-v1.pdf"' in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == signed.sha256


def test_verification_page_states_the_document(client, signed, library):
    version = library["sakip"]
    page = client.get(reverse("signing:verify", args=[signed.code]))  # no login
    assert page.status_code == 200
    text = page.content.decode()
    document = version.issued_document()
    assert document.name in text and signed.sha256 in text and signed.code in text
    assert (document.number or "—") in text
    assert "Segel demo, bukan TTE tersertifikasi" in text
    lower = client.get(reverse("signing:verify", args=[signed.code.lower()]))
    assert lower.status_code == 200


def _check(client, code, data):
    return client.post(reverse("signing:verify", args=[code]),
                       {"file": SimpleUploadedFile("sop.pdf", data, "application/pdf")})


def test_verification_of_the_genuine_and_an_altered_file(client, signed, library):
    data = signed_pdf(library["sakip"])
    assert data is not None
    good = _check(client, signed.code, data)  # anonymous: the upload guard lets it through
    assert good.status_code == 200 and good.context["result"].genuine
    assert "Berkas ini asli." in good.content.decode()
    bad = _check(client, signed.code, _altered(data))
    result = bad.context["result"]
    assert not result.genuine and not result.hash_matches
    assert result.signature.signed and not result.signature.valid
    assert "Berkas ini BUKAN dokumen yang ditandatangani." in bad.content.decode()
    other = _check(client, signed.code, b"bukan pdf")
    assert not other.context["result"].genuine and not other.context["result"].signature.readable


def test_unknown_code_is_404(client, signed):
    for code in ("ZZZZZZZZ", "x", "../../etc"):
        response = client.get(f"/verifikasi/{code}/")
        assert response.status_code == 404


def test_revoked_version_says_so(client, signed, library):
    version = library["sakip"]
    version.status = "dicabut"
    version.save()
    text = client.get(reverse("signing:verify", args=[signed.code])).content.decode()
    assert "dicabut" in text


def test_expired_seal_leaves_the_version_unsigned(settings, seal, library, caplog):
    make_demo_seal(seal, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
                   valid_days=10)
    assert services.sign_version(library["sakip"].pk) is None
    assert not SignedDocument.objects.exists()
    assert "not signed" in caplog.text


def test_no_seal_leaves_the_version_unsigned(settings, tmp_path, library):
    settings.ALUR_SIGNING_PKCS12 = ""
    settings.ALUR_SIGNING_DEMO_PKCS12 = tmp_path / "tidak-ada.p12"
    assert services.sign_version(library["sakip"].pk) is None


def test_alur_sign_signs_what_the_seal_missed_once_it_is_fixed(settings, seal, library,
                                                               tmp_path, monkeypatch):
    # Both library SOPs were approved while no seal worked: nothing was signed.
    assert services.unsigned_in_force() == [library["sakip"].pk, library["skp"].pk]
    monkeypatch.setattr("alur.cli.signing.django_setup", lambda data_dir: None)
    monkeypatch.setenv("ALUR_LANGUAGE", "id")
    make_demo_seal(seal, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
                   valid_days=10)  # still broken: said, and the exit status says so
    result = CliRunner().invoke(main, ["sign"])
    assert result.exit_code == 1 and not SignedDocument.objects.exists()
    make_demo_seal(seal)  # fixed
    result = CliRunner().invoke(main, ["sign"])
    assert result.exit_code == 0, result.output
    assert SignedDocument.objects.count() == 2 and services.unsigned_in_force() == []
    assert CliRunner().invoke(main, ["sign"]).exit_code == 0  # nothing left to do


def test_alur_verify(signed, library, tmp_path, monkeypatch):
    monkeypatch.delenv("ALUR_DATA_DIR", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("ALUR_LANGUAGE", "id")
    data = signed_pdf(library["sakip"])
    assert data is not None
    good, bad = tmp_path / "asli.pdf", tmp_path / "ubah.pdf"
    good.write_bytes(data)
    bad.write_bytes(_altered(data))
    runner = CliRunner()
    result = runner.invoke(main, ["verify", str(good)])
    assert result.exit_code == 0, result.output
    assert "utuh" in result.output and "SEGEL DEMO" in result.output
    result = runner.invoke(main, ["verify", str(bad)])
    assert result.exit_code == 1
    assert "TIDAK sah" in result.output
    # With the database: the file is found among the signed documents.
    monkeypatch.setattr("alur.cli.signing.django_setup", lambda data_dir: None)
    monkeypatch.setenv("ALUR_DATA_DIR", str(tmp_path))
    result = runner.invoke(main, ["verify", str(good)])
    assert result.exit_code == 0 and signed.code in result.output


def test_render_option_is_off_by_default():
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    result = layout(sop)
    assert "verifikasi" not in to_html(sop, result)
    block = Verification(qr_svg="<svg xmlns='http://www.w3.org/2000/svg'/>",
                         url="https://sop.example.go.id/verifikasi/ABCD2345/", code="ABCD2345")
    html = to_html(sop, result, verification=block)
    assert "running(verifikasi)" in html and "ABCD2345" in html
    assert "data:image/svg+xml;base64," in html


# --- an approved version without a signed file says so; the admins are told why -------------


UNSIGNED = "Dokumen ini belum ditandatangani secara elektronik."


@pytest.fixture
def no_seal(settings, tmp_path):
    """Signing off (no seal at all); files under a temporary media folder; jobs in the
    request."""
    settings.ALUR_SIGNING_PKCS12 = ""
    settings.ALUR_SIGNING_DEMO_PKCS12 = tmp_path / "tidak-ada.p12"
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}


def _pdf_pages(data: bytes) -> list[str]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _download(client, version) -> bytes:
    response = client.get(reverse("library:download", args=[version.public_id, "pdf"]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize("status", ["disahkan", "diganti", "dicabut"])
def test_an_approved_version_without_a_signed_file_says_so_on_every_page(
        client, user_factory, units, no_seal, library, status):
    version = library["sakip"]
    assert services.sign_version(version.pk) is None  # no seal: not signed
    version.status = status
    version.save()
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    pages = _pdf_pages(_download(client, version))
    assert len(pages) > 1
    for text in pages:  # every page's footer
        assert UNSIGNED in text
        assert "Verifikasi keaslian dokumen" not in text


def test_a_draft_pdf_says_nothing_of_a_signature(client, user_factory, units, no_seal, library):
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    for text in _pdf_pages(_download(client, library["draft"])):
        assert "ditandatangani" not in text and "Verifikasi" not in text


def test_the_signed_file_carries_no_unsigned_notice(client, user_factory, units, signed, library):
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    for text in _pdf_pages(_download(client, library["sakip"])):
        assert UNSIGNED not in text and signed.code in text


def test_the_public_archive_pdf_of_an_unsigned_version_says_so(client, no_seal, library):
    response = client.get(reverse("public:download", args=[library["sakip"].public_id]))
    assert response.status_code == 200
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert all(UNSIGNED in text for text in _pdf_pages(body))


def test_a_large_unsigned_pdf_drawn_in_the_background_says_so(
        settings, client, user_factory, units, no_seal, library):
    """The job worker's stored file of an approved version carries the notice."""
    from alur.web.library import renders

    settings.ALUR_RENDER_INLINE_STEPS = 1
    version = library["sakip"]
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    assert all(UNSIGNED in text for text in _pdf_pages(_download(client, version)))
    stored = renders.ready(version, "pdf")
    assert stored is not None  # drawn by the job, not in the request
    with default_storage.open(stored) as drawn:
        assert all(UNSIGNED in text for text in _pdf_pages(drawn.read()))


def test_render_unsigned_footer_is_a_sibling_of_verification():
    from alur.render.html import Unsigned

    sop = load(LIBRARY / "surat-keluar.yaml").sop
    result = layout(sop)
    html = to_html(sop, result, verification=Unsigned())
    assert "running(verifikasi)" in html and UNSIGNED in html
    assert "data:image/svg+xml" not in html  # no QR code: nothing to verify
    assert UNSIGNED not in to_html(sop, result)


def _admins(units, user_factory):
    """An admin above the SOP's unit and a superuser (both with an employee record) are told;
    another agency's admin and a superuser without one are not."""
    from django.contrib.auth import get_user_model

    from alur.web.org.models import Person

    above = user_factory("admin-pemkab", "admin", units["pemkab"])
    other = user_factory("admin-perpus", "admin", units["perpus"])
    root = get_user_model().objects.create_superuser("akar", password="rahasia-123")
    get_user_model().objects.create_superuser("akar-tanpa-pegawai", password="rahasia-123")
    told = {Person.objects.create(user=above, name="Admin Pemkab").pk,
            Person.objects.create(user=root, name="Admin Akar").pk}
    Person.objects.create(user=other, name="Admin Perpus")
    return told


def _notices():
    from alur.web.cases.models import Notification

    return list(Notification.objects.filter(kind="not_signed"))


def test_an_expired_seal_tells_the_admins_once_in_plain_words(seal, library, units,
                                                               user_factory):
    told = _admins(units, user_factory)
    make_demo_seal(seal, not_before=dt.datetime.now(dt.UTC) - dt.timedelta(days=30),
                   valid_days=10)
    version = library["sakip"]
    assert services.sign_version(version.pk) is None
    assert services.sign_version(version.pk) is None  # run again: not told again
    notices = _notices()
    assert {n.person_id for n in notices} == told and len(notices) == len(told)
    subject = notices[0].subject
    assert "tidak ditandatangani secara elektronik" in subject
    assert "kedaluwarsa" in subject and version.name in subject
    assert str(seal) not in subject and "Traceback" not in subject
    assert notices[0].link.endswith(f"?versi={version.public_id}")
    assert notices[0].get_kind_display() == "SOP belum ditandatangani"


def test_an_unreadable_seal_file_says_why(settings, seal, library, units, user_factory):
    told = _admins(units, user_factory)
    broken = seal.parent / "rusak.p12"
    broken.write_bytes(b"bukan pkcs12")
    settings.ALUR_SIGNING_PKCS12 = str(broken)
    assert services.sign_version(library["sakip"].pk) is None
    notices = _notices()
    assert {n.person_id for n in notices} == told
    assert "kata sandi segel elektronik salah" in notices[0].subject


def test_a_failure_while_signing_tells_the_admins_without_its_detail(
        seal, library, units, user_factory, monkeypatch, caplog):
    told = _admins(units, user_factory)

    def broken(*args, **kwargs):
        raise RuntimeError("/srv/rahasia: layout exploded")

    monkeypatch.setattr(services, "render", broken)
    assert services.sign_version(library["sakip"].pk) is None
    notices = _notices()
    assert {n.person_id for n in notices} == told
    assert "kesalahan tak terduga" in notices[0].subject
    assert "rahasia" not in notices[0].subject and "exploded" not in notices[0].subject
    assert "layout exploded" in caplog.text  # the detail stays in the log


def test_no_seal_at_all_is_not_a_fault_to_notify(no_seal, library, units, user_factory):
    _admins(units, user_factory)
    assert services.sign_version(library["sakip"].pk) is None
    assert _notices() == []
