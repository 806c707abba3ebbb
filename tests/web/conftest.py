from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from alur.sop import load
from alur.web.demo import unit_chain
from alur.web.library.services import add_sop, approve
from alur.web.org.models import Membership

LIBRARY = Path(__file__).parents[2] / "examples" / "library"


@pytest.fixture
def user_factory(db):
    def make(username: str, role: str | None = None, unit=None, **extra):
        user = get_user_model().objects.create_user(username=username, password="rahasia-123",
                                                    **extra)
        if role and unit is not None:
            Membership.objects.create(user=user, unit=unit, role=role)
        return user
    return make


@pytest.fixture
def units(db):
    dinsos = unit_chain(["PEMERINTAH KABUPATEN BANGKA TENGAH",
                         "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"])
    perpus = unit_chain(["DINAS PERPUSTAKAAN DAN KEARSIPAN KABUPATEN TANJUNG JABUNG BARAT"])
    return {"dinsos": dinsos, "perpus": perpus, "pemkab": dinsos.parent}


@pytest.fixture
def library(units, user_factory):
    """Two approved SOPs in two agencies and one draft."""
    author = user_factory("penulis")
    sakip = add_sop(load(LIBRARY / "penyusunan-sakip.yaml").sop, units["dinsos"], author)
    approve(sakip, author)
    skp = add_sop(load(LIBRARY / "pengkoordinir-penyusunan-skp.yaml").sop, units["perpus"],
                  author)
    approve(skp, author)
    draft = add_sop(load(LIBRARY / "surat-keluar.yaml").sop, units["dinsos"], author)
    return {"sakip": sakip, "skp": skp, "draft": draft}


# The Playwright browser for the browser tests (tests/web/chromium.py).
from .chromium import browser  # noqa: E402, F401


@pytest.fixture
def jobs_in_request(settings, tmp_path):
    """django-q2's sync mode: an import job runs inside the upload request; its files are
    stored under a temporary media folder."""
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "sync": True}
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def penyusun(client, user_factory, units):
    """A client logged in as an author of the Dinas Sosial unit."""
    user = user_factory("penyusun", "penyusun", units["dinsos"])
    client.force_login(user)
    client.user = user
    return client
