"""The REST API: token authentication, reading the library, downloads, import and create."""

import hashlib
import io
import json
import uuid
from pathlib import Path

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from alur.sop import from_data, load, to_data
from alur.web.api.models import ApiToken
from alur.web.library.models import Sop, SopVersion

from .conftest import LIBRARY

pytestmark = pytest.mark.django_db

SEED = Path(__file__).parents[1] / "importers" / "fixtures" / "seeds" / "002_222709af16668202.txt"


class Api:
    """The test client speaking to /api/ with a bearer token."""

    def __init__(self, client, token: str | None):
        self.client = client
        self.headers = {"Authorization": f"Bearer {token}"} if token else {}

    def get(self, path: str, params=None, **headers):
        return self.client.get(f"/api{path}", params or {}, headers={**self.headers, **headers})

    def post_json(self, path: str, data):
        return self.client.post(f"/api{path}", json.dumps(data), content_type="application/json",
                                headers=self.headers)

    def post_files(self, path: str, data):
        return self.client.post(f"/api{path}", data, headers=self.headers)


@pytest.fixture
def api_for(client, user_factory):
    def make(username: str, role: str | None = None, unit=None, **extra) -> Api:
        user = user_factory(username, role, unit, **extra)
        _, token = ApiToken.issue(user, "uji")
        return Api(client, token)
    return make


@pytest.fixture
def reader(api_for, units):
    return api_for("pembaca", "pegawai", units["pemkab"])


@pytest.fixture
def author(api_for, units):
    return api_for("penyusun", "penyusun", units["dinsos"])


def seed_upload(name: str = SEED.name) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SEED.read_bytes(), content_type="text/plain")


# --- authentication --------------------------------------------------------------------------


def test_no_or_bad_token_is_401(client, library):
    paths = ["/sops", f"/sops/{library['sakip'].sop.public_id}",
             f"/versions/{library['sakip'].public_id}",
             f"/versions/{library['sakip'].public_id}/download/pdf"]
    for headers in ({}, {"Authorization": "Bearer salah"}, {"Authorization": "Bearer "},
                    {"Authorization": "Token abc"}, {"Authorization": "Basic YTpi"}):
        for path in paths:
            response = client.get(f"/api{path}", headers=headers)
            assert response.status_code == 401, (path, headers)
            assert "Authorization: Bearer" in response.json()["detail"]
            assert response["WWW-Authenticate"].startswith("Bearer")
    response = client.post("/api/sops", "{}", content_type="application/json")
    assert response.status_code == 401
    assert client.post("/api/import", {}).status_code == 401


def test_session_login_is_not_enough(client, library, user_factory):
    client.force_login(user_factory("peramban"))
    assert client.get("/api/sops").status_code == 401


def test_revoked_token_and_inactive_user_are_401(client, user_factory, library):
    user = user_factory("budi")
    row, token = ApiToken.issue(user, "uji")
    api = Api(client, token)
    assert api.get("/sops").status_code == 200
    row.revoked = True
    row.save()
    assert api.get("/sops").status_code == 401
    row.revoked = False
    row.save()
    user.is_active = False
    user.save()
    assert api.get("/sops").status_code == 401


def test_token_is_stored_hashed_and_use_is_recorded(client, user_factory, library):
    user = user_factory("budi")
    row, token = ApiToken.issue(user, "integrasi")
    assert token.startswith("alur_") and len(token) > 40
    row.refresh_from_db()
    assert row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = ApiToken.objects.filter(pk=row.pk).values().get()
    assert not any(token in str(value) for value in stored.values())
    assert row.last_used is None
    assert Api(client, token).get("/sops").status_code == 200
    row.refresh_from_db()
    assert row.last_used is not None


def test_management_command_prints_the_token_once(user_factory, client, library):
    user_factory("budi")
    out, err = io.StringIO(), io.StringIO()
    call_command("alur_token", "budi", "e-office", stdout=out, stderr=err)
    token = out.getvalue().strip()
    row = ApiToken.objects.get(user__username="budi")
    assert row.name == "e-office" and row.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert "tidak akan ditampilkan lagi" in err.getvalue()
    assert Api(client, token).get("/sops").status_code == 200
    with pytest.raises(CommandError, match="tidak ditemukan"):
        call_command("alur_token", "siapa", "x", stdout=io.StringIO(), stderr=io.StringIO())


def test_admin_lists_creates_and_revokes_tokens(client, user_factory):
    admin = user_factory("admin", is_staff=True, is_superuser=True)
    holder = user_factory("budi")
    row, _ = ApiToken.issue(holder, "lama")
    client.force_login(admin)
    listing = client.get(reverse("admin:api_apitoken_changelist"))
    assert listing.status_code == 200 and "lama" in listing.content.decode()
    response = client.post(reverse("admin:api_apitoken_changelist"),
                           {"action": "revoke", "_selected_action": [row.pk]}, follow=True)
    assert "1 token dicabut" in response.content.decode()
    row.refresh_from_db()
    assert row.revoked
    response = client.post(reverse("admin:api_apitoken_add"),
                           {"user": holder.pk, "name": "baru"}, follow=True)
    new = ApiToken.objects.get(name="baru")
    shown = [str(m) for m in response.context["messages"]]
    token = next(m.split(": ", 1)[1].split(" ")[0] for m in shown if "Token baru" in m)
    assert new.key_hash == hashlib.sha256(token.encode()).hexdigest()
    assert client.get(reverse("admin:api_apitoken_change", args=[new.pk])).status_code == 200


# --- reading ---------------------------------------------------------------------------------


def test_list_search_filter_and_paging(reader, library, units):
    data = reader.get("/sops").json()
    assert data["count"] == 3 and data["limit"] == 25 and data["offset"] == 0
    names = [item["latest_version"]["name"] for item in data["items"]]
    assert names == sorted(names)
    sakip = next(i for i in data["items"] if i["slug"] == "penyusunan-sakip")
    assert sakip["id"] == str(library["sakip"].sop.public_id)
    assert sakip["unit"] == {"id": units["dinsos"].pk, "name": units["dinsos"].name}
    latest = sakip["latest_version"]
    assert latest["id"] == str(library["sakip"].public_id) and latest["number"] == 1
    assert latest["status"] == "disahkan" and latest["sop_number"] == "SOP.014.SEKRE"
    assert latest["effective_date"] == library["sakip"].effective_date.isoformat()

    def slugs(**params):
        return {i["slug"] for i in reader.get("/sops", params).json()["items"]}

    assert slugs(q="perarsipan") == {"pengkoordinir-penyusunan-skp"}  # a step's text
    assert slugs(q="PENYUSUNAN sakip") == {"penyusunan-sakip"}
    assert slugs(unit=units["perpus"].pk) == {"pengkoordinir-penyusunan-skp"}
    assert slugs(unit=units["pemkab"].pk) == {"penyusunan-sakip", "surat-keluar"}  # sub-units
    assert slugs(status="draft") == {"surat-keluar"}
    assert slugs(status="disahkan", unit=units["dinsos"].pk) == {"penyusunan-sakip"}
    first = reader.get("/sops", {"limit": 2}).json()
    second = reader.get("/sops", {"limit": 2, "offset": 2}).json()
    assert len(first["items"]) == 2 and len(second["items"]) == 1 and second["count"] == 3
    assert {i["id"] for i in first["items"]}.isdisjoint({i["id"] for i in second["items"]})


def test_list_parameters_are_checked(reader, library):
    for params in ({"limit": 101}, {"limit": 0}, {"offset": -1}, {"status": "entah"},
                   {"unit": "satu"}):
        response = reader.get("/sops", params)
        assert response.status_code == 422, params
        body = response.json()
        assert body["detail"] == "Permintaan tidak valid." and body["errors"][0]["message"]
    assert "paling besar 100" in reader.get("/sops", {"limit": 500}).json()["errors"][0][
        "message"]
    assert "atau 'diganti'" in reader.get("/sops", {"status": "x"}).json()["errors"][0][
        "message"]
    assert reader.get("/sops", {"limit": 100}).status_code == 200
    response = reader.get("/sops", {"unit": 987654})
    assert response.status_code == 404 and response.json()["detail"] == \
        "Unit kerja tidak ditemukan."


def test_sop_detail_lists_all_versions(reader, library, units):
    from alur.web.library.services import add_sop

    sakip = library["sakip"]
    second = add_sop(sakip.document, units["dinsos"])
    data = reader.get(f"/sops/{sakip.sop.public_id}").json()
    assert data["id"] == str(sakip.sop.public_id) and data["slug"] == "penyusunan-sakip"
    assert [(v["number"], v["status"]) for v in data["versions"]] == \
        [(2, "draft"), (1, "disahkan")]
    assert data["versions"][0]["id"] == str(second.public_id)
    listed = reader.get("/sops", {"q": "sakip"}).json()["items"][0]["latest_version"]
    assert listed["number"] == 2 and listed["status"] == "draft"


def test_version_document_round_trips(reader, library):
    version = library["sakip"]
    data = reader.get(f"/versions/{version.public_id}").json()
    loaded = from_data(data["document"])
    assert loaded.sop is not None and not loaded.findings
    assert loaded.sop == version.document
    assert data["document"] == to_data(version.document, full=True)
    assert data["status"] == "disahkan" and data["status_label"] == "Disahkan"
    assert data["sop"] == str(version.sop.public_id) and data["slug"] == "penyusunan-sakip"
    assert data["approval"]["approved_by"]["username"] == "penulis"
    assert data["approval"]["in_force"] is True and data["approval"]["approved_at"]
    assert data["created_by"]["username"] == "penulis"
    codes = {f["code"] for f in data["findings"]}
    assert codes, "the SAKIP SOP has a step gap the checker reports"
    assert any("langkah 9–10 tidak ada" in f["message"] for f in data["findings"])
    assert set(data["findings"][0]) >= {"severity", "code", "message", "sop", "step", "line"}
    draft = reader.get(f"/versions/{library['draft'].public_id}").json()
    assert draft["status"] == "draft" and draft["approval"]["approved_by"] is None


def test_unknown_and_malformed_ids_are_404(reader, library):
    for path in (f"/sops/{uuid.uuid4()}", "/sops/bukan-uuid", f"/sops/{library['skp'].sop.pk}",
                 f"/versions/{uuid.uuid4()}", "/versions/123",
                 f"/versions/{library['skp'].sop.public_id}",  # an SOP's id is no version's
                 f"/versions/{uuid.uuid4()}/download/pdf",
                 f"/versions/{library['skp'].public_id}/download/exe"):
        response = reader.get(path)
        assert response.status_code == 404, path
        assert "tidak" in response.json()["detail"]


@pytest.mark.parametrize("fmt", ["pdf", "docx", "xlsx", "svg", "html", "bpmn", "mermaid",
                                 "yaml"])
def test_downloads_match_the_web_view(reader, client, library, user_factory, fmt):
    version = library["skp"]
    response = reader.get(f"/versions/{version.public_id}/download/{fmt}")
    assert response.status_code == 200
    client.force_login(user_factory("peramban"))
    web = client.get(reverse("library:download", args=[version.public_id, fmt]))
    assert response["Content-Type"] == web["Content-Type"]
    assert response["Content-Disposition"] == web["Content-Disposition"]
    assert 'filename="pengkoordinir-penyusunan-skp-v1.' in response["Content-Disposition"]
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    elif fmt == "yaml":
        data = yaml.safe_load(response.content)
        assert data["id"] == "pengkoordinir-penyusunan-skp"
        assert response.content == web.content
    elif fmt in ("svg", "html", "bpmn", "mermaid"):
        assert response.content == web.content


# --- writing ---------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _imports_in_request(jobs_in_request):
    """The import endpoint hands its files to the job worker; here the job runs in the
    request (django-q2's sync mode), so the answer holds the result."""


def test_an_import_not_read_in_time_answers_202_and_its_result_once(author, units, settings):
    from alur.web.library.jobs import run_import
    from alur.web.library.models import ImportJob

    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}  # a worker that has not run yet
    settings.ALUR_API_IMPORT_WAIT = 0
    response = author.post_files("/import", {"unit": units["dinsos"].pk,
                                             "files": [seed_upload()]})
    assert response.status_code == 202, response.content
    pending = response.json()
    assert pending["status"] == "antri" and pending["total"] == 1 and pending["done"] == 0
    assert pending["url"] == f"/api/import/{pending['job']}"
    assert author.get(pending["url"].removeprefix("/api")).status_code == 202
    assert not SopVersion.objects.exists()
    run_import(ImportJob.objects.get(token=pending["job"]).pk)  # what the worker does
    done = author.get(pending["url"].removeprefix("/api"))
    assert done.status_code == 201 and len(done.json()["created"]) == 25
    assert SopVersion.objects.count() == 25
    # Handed out once: the drafts are in the library, the job is gone.
    assert author.get(pending["url"].removeprefix("/api")).status_code == 404
    assert not ImportJob.objects.exists()


def test_an_import_job_is_only_its_owners(author, api_for, units, settings):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": False}
    settings.ALUR_API_IMPORT_WAIT = 0
    pending = author.post_files("/import", {"unit": units["dinsos"].pk,
                                            "files": [seed_upload()]}).json()
    other = api_for("lain", "penyusun", units["dinsos"])
    assert other.get(pending["url"].removeprefix("/api")).status_code == 404


def test_import_seed_creates_drafts(author, units):
    response = author.post_files("/import", {"unit": units["dinsos"].pk,
                                             "files": [seed_upload()]})
    assert response.status_code == 201, response.content
    data = response.json()
    assert len(data["created"]) == 25
    versions = SopVersion.objects.filter(public_id__in=[c["id"] for c in data["created"]])
    assert versions.count() == 25
    assert {v.status for v in versions} == {"draft"}
    assert {v.sop.unit_id for v in versions} == {units["dinsos"].pk}
    assert {v.created_by.username for v in versions} == {"penyusun"}
    first = versions.get(public_id=data["created"][0]["id"])
    assert data["created"][0]["sop"] == str(first.sop.public_id)
    sources = {s.source.file for s in first.document.steps if s.source}
    assert sources == {SEED.name}  # provenance names the upload, not a temporary file
    assert data["findings"]
    for finding in data["findings"]:
        assert finding["severity"] in ("error", "warning", "info")
        assert finding["file"] in (SEED.name, None)
    assert any(f["file"] == SEED.name for f in data["findings"])
    # Importing again makes second draft versions of the same SOPs.
    again = author.post_files("/import", {"unit": units["dinsos"].pk, "files": [seed_upload()]})
    assert {c["number"] for c in again.json()["created"]} == {2}
    assert Sop.objects.count() == 25


def test_import_several_files_and_html(author, units):
    html = SEED.parents[1] / "kartu-pns.html"
    files = [seed_upload(), seed_upload("salinan.txt"),
             SimpleUploadedFile(html.name, html.read_bytes(), content_type="text/html")]
    response = author.post_files("/import", {"unit": units["dinsos"].pk, "files": files})
    assert response.status_code == 201
    created = SopVersion.objects.filter(public_id__in=[c["id"] for c in response.json()["created"]])
    assert created.count() == 51
    assert len({v.sop_id for v in created}) == 51  # ids stay unique across the files
    sources = {step.source.file for v in created for step in v.document.steps if step.source}
    assert sources == {SEED.name, "salinan.txt", "kartu-pns.html"}


def test_import_permissions(api_for, units):
    data = {"unit": units["dinsos"].pk}
    reader = api_for("pembaca", "pegawai", units["pemkab"])
    response = reader.post_files("/import", {**data, "files": [seed_upload()]})
    assert response.status_code == 403 and "penyusun" in response.json()["detail"]
    other = api_for("lain", "penyusun", units["perpus"])
    assert other.post_files("/import", {**data, "files": [seed_upload()]}).status_code == 403
    assert SopVersion.objects.count() == 0
    above = api_for("atasan", "penyusun", units["pemkab"])  # a role reaches sub-units
    assert above.post_files("/import", {**data, "files": [seed_upload()]}).status_code == 201
    admin = api_for("adm", "admin", units["dinsos"])
    assert admin.post_files("/import", {**data, "files": [seed_upload()]}).status_code == 201
    root = api_for("root", is_superuser=True)
    assert root.post_files("/import", {"unit": units["perpus"].pk,
                                       "files": [seed_upload()]}).status_code == 201


def test_import_rejects_bad_requests(author, units, settings):
    response = author.post_files("/import", {"unit": units["dinsos"].pk})
    assert response.status_code == 422 and response.json()["detail"] == "Permintaan tidak valid."
    response = author.post_files("/import", {"files": [seed_upload()]})
    assert response.status_code == 422
    response = author.post_files("/import", {"unit": 987654, "files": [seed_upload()]})
    assert response.status_code == 404
    settings.ALUR_IMPORT_MAX_MB = 0  # the web page's limit per file applies
    response = author.post_files("/import", {"unit": units["dinsos"].pk,
                                             "files": [seed_upload()]})
    assert response.status_code == 413 and "terlalu besar" in response.json()["detail"]
    assert SopVersion.objects.count() == 0


def test_import_of_unreadable_files_reports_findings(author, units):
    binary = SimpleUploadedFile("gambar.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00binary")
    empty = SimpleUploadedFile("kosong.txt", b"Tidak ada apa-apa di sini.")
    response = author.post_files("/import", {"unit": units["dinsos"].pk,
                                             "files": [binary, empty]})
    assert response.status_code == 200
    data = response.json()
    assert data["created"] == []
    codes = {(f["file"], f["code"]) for f in data["findings"]}
    assert ("gambar.txt", "import.binary") in codes and ("kosong.txt", "import.no-sop") in codes


def test_create_from_json(author, units):
    document = to_data(load(LIBRARY / "surat-masuk.yaml").sop, full=True)
    response = author.post_json("/sops", {"unit": units["dinsos"].pk, "document": document})
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["number"] == 1
    version = SopVersion.objects.get(public_id=data["id"])
    assert version.sop.unit == units["dinsos"] and version.created_by.username == "penyusun"
    assert to_data(version.document, full=True) == document
    assert author.get(f"/versions/{data['id']}").json()["document"] == document
    # The same id again: a new draft version of that SOP.
    again = author.post_json("/sops", {"unit": units["dinsos"].pk, "document": document})
    assert again.status_code == 201 and again.json()["number"] == 2
    assert again.json()["sop"] == data["sop"]


def test_create_rejects_invalid_documents(author, units):
    document = to_data(load(LIBRARY / "surat-masuk.yaml").sop)
    bad = {**document, "nama": "salah ketik", "id": "Bukan Slug"}
    response = author.post_json("/sops", {"unit": units["dinsos"].pk, "document": bad})
    assert response.status_code == 422
    data = response.json()
    assert data["detail"] == "Dokumen SOP tidak valid."
    codes = {f["code"] for f in data["findings"]}
    assert "format.unknown-key" in codes and "format.invalid" in codes
    assert any("nama" in f["message"] for f in data["findings"])
    too_long = {**document, "id": "a" * 81}
    response = author.post_json("/sops", {"unit": units["dinsos"].pk, "document": too_long})
    assert response.status_code == 422
    assert response.json()["findings"][0]["code"] == "library.too-long"
    for payload in ({"unit": units["dinsos"].pk, "document": [1, 2]},
                    {"unit": units["dinsos"].pk}, {"document": document}):
        response = author.post_json("/sops", payload)
        assert response.status_code == 422 and response.json()["detail"] == \
            "Permintaan tidak valid."
    response = author.client.post("/api/sops", "{bukan json", content_type="application/json",
                                  headers=author.headers)
    assert response.status_code == 400 and "tidak dapat dibaca" in response.json()["detail"]
    assert SopVersion.objects.count() == 0


def test_create_permissions(api_for, units):
    document = to_data(load(LIBRARY / "surat-masuk.yaml").sop)
    payload = {"unit": units["dinsos"].pk, "document": document}
    for api in (api_for("pembaca", "pegawai", units["dinsos"]),
                api_for("pengesah", "pengesah", units["dinsos"]),
                api_for("lain", "penyusun", units["perpus"])):
        response = api.post_json("/sops", payload)
        assert response.status_code == 403 and "penyusun" in response.json()["detail"]
    assert api_for("atasan", "penyusun", units["pemkab"]).post_json(
        "/sops", payload).status_code == 201


# --- documentation ---------------------------------------------------------------------------


def test_docs_and_openapi(client):
    docs = client.get("/api/docs")
    assert docs.status_code == 200 and b"swagger" in docs.content.lower()
    schema = client.get("/api/openapi.json").json()
    assert schema["info"]["title"] == "alur API" and schema["info"]["version"] == "1"
    assert set(schema["paths"]) >= {"/api/sops", "/api/sops/{public_id}",
                                    "/api/versions/{public_id}",
                                    "/api/versions/{public_id}/download/{fmt}", "/api/import"}
    assert "post" in schema["paths"]["/api/sops"]
    assert schema["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
