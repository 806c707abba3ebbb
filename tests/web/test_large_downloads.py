"""Large SOPs never hold a web worker: their documents are drawn by the job worker and served
once stored; an SOP over the installation's step cap is not stored, nor drawn."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse

from alur.sop import load
from alur.web.api.models import ApiToken
from alur.web.library import renders
from alur.web.library.models import SopVersion
from alur.web.library.services import add_sop, approve

from .conftest import LIBRARY

pytestmark = pytest.mark.django_db
SOP = LIBRARY / "surat-ijin-cuti.yaml"  # six steps


@pytest.fixture
def reader(client, user_factory, units):
    client.force_login(user_factory("pembaca", "pegawai", units["pemkab"]))
    return client


@pytest.fixture
def version(units, user_factory):
    made = add_sop(load(SOP).sop, units["dinsos"], user_factory("penulis"))
    approve(made, None)
    return made


@pytest.fixture
def large(settings, tmp_path):
    """Every SOP counts as large: more steps than are drawn in a request."""
    settings.ALUR_RENDER_INLINE_STEPS = 2
    settings.MEDIA_ROOT = tmp_path / "media"


def _queued(monkeypatch) -> list[tuple]:
    calls: list[tuple] = []
    monkeypatch.setattr(renders, "async_task", lambda *args, **kwargs: calls.append(args))
    return calls


def test_a_large_sop_is_drawn_in_the_background_and_then_served(reader, version, large,
                                                                monkeypatch):
    url = reverse("library:download", args=[version.public_id, "pdf"])
    queued = _queued(monkeypatch)
    waiting = reader.get(url)
    assert waiting.status_code == 202
    page = waiting.content.decode()
    assert 'http-equiv="refresh"' in page and "PDF" in page
    assert queued == [(renders.draw, version.pk, "pdf")]
    # Asking again while it is queued queues nothing more.
    assert reader.get(url).status_code == 202 and len(queued) == 1
    # The job worker draws it; the next request serves the stored file.
    renders.draw(version.pk, "pdf")
    served = reader.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    assert b"".join(served.streaming_content).startswith(b"%PDF")
    assert 'filename="surat-ijin-cuti-v1.pdf"' in served["Content-Disposition"]
    assert len(queued) == 1
    assert default_storage.exists(renders.stored_name(version, "pdf"))


def test_with_jobs_in_the_request_the_file_comes_at_once(reader, version, large,
                                                         jobs_in_request):
    response = reader.get(reverse("library:download", args=[version.public_id, "docx"]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"PK")


def test_small_sops_are_still_drawn_in_the_request(reader, version, settings, monkeypatch):
    settings.ALUR_RENDER_INLINE_STEPS = 100
    queued = _queued(monkeypatch)
    response = reader.get(reverse("library:download", args=[version.public_id, "pdf"]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert queued == []


def test_an_sop_over_the_step_cap_is_not_stored(units, user_factory, settings):
    settings.ALUR_MAX_STEPS = 5
    with pytest.raises(ValidationError, match="paling banyak 5 langkah"):
        add_sop(load(SOP).sop, units["dinsos"], user_factory("penulis"))
    assert not SopVersion.objects.exists()


def test_one_stored_before_the_cap_was_lowered_is_refused_with_a_message(
        reader, version, settings, monkeypatch):
    settings.ALUR_MAX_STEPS = 5
    queued = _queued(monkeypatch)
    response = reader.get(reverse("library:download", args=[version.public_id, "pdf"]))
    assert response.status_code == 413 and queued == []
    assert "paling banyak 5 langkah" in response.content.decode()
    # The YAML file is still there to take the SOP apart.
    assert reader.get(reverse("library:download", args=[version.public_id, "yaml"])) \
        .status_code == 200


def test_the_api_refuses_an_sop_over_the_cap(client, user_factory, units, settings):
    from alur.sop import to_data

    settings.ALUR_MAX_STEPS = 5
    _, token = ApiToken.issue(user_factory("penyusun", "penyusun", units["dinsos"]), "uji")
    response = client.post("/api/sops", {"unit": units["dinsos"].pk,
                                         "document": to_data(load(SOP).sop, full=True)},
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 422
    assert "library.too-many-steps" in {f["code"] for f in response.json()["findings"]}
