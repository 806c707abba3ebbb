"""Production settings from the environment alone: what `check --deploy` still says with
ALUR_HTTPS=1, each secure default overridable, server errors logged with their traceback to
stderr and mailed to ALUR_ADMINS, and the files alur creates readable by their owner only.

Each case starts Django in a child process with its own environment, as an operator would:
settings are read once per process, so the test process's own cannot show them."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[2]
# What a production start leaves unset on purpose: a fresh data folder, SQLite.
CLEARED = ("DATABASE_URL", "SECRET_KEY", "ALUR_DEBUG", "MEDIA_ROOT", "STATIC_ROOT",
           "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "ALUR_ADMINS", "ALUR_S3_BUCKET",
           "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
           "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
           "SECURE_PROXY_SSL_HEADER", "EMAIL_BACKEND",
           "DJANGO_ALLOW_ASYNC_UNSAFE")  # set for the browser tests (chromium.py)
ISSUE = re.compile(r"\((\w+\.[EW]\d+)\)")


def _run(tmp_path: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update({"ALUR_DATA_DIR": str(tmp_path / "data"),
                        "DJANGO_SETTINGS_MODULE": "alur.web.settings",
                        "PYTHONPATH": str(ROOT), **env})
    return subprocess.run([sys.executable, *args], capture_output=True, text=True,
                          env=environment, cwd=ROOT, timeout=120, check=False)


def _settings(tmp_path: Path, *names: str, **env: str) -> dict[str, str]:
    code = ("import django; django.setup(); from django.conf import settings; "
            f"[print(n, repr(getattr(settings, n))) for n in {list(names)!r}]")
    result = _run(tmp_path, "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return dict(line.split(" ", 1) for line in result.stdout.splitlines())


def test_check_deploy_with_https_leaves_only_the_opt_in_hsts_warnings(tmp_path):
    result = _run(tmp_path, "-m", "django", "check", "--deploy",
                  ALUR_HTTPS="1", ALLOWED_HOSTS="sop.contoh.go.id")
    issues = sorted(set(ISSUE.findall(result.stdout + result.stderr)))
    assert issues == ["security.W005", "security.W021"], result.stdout + result.stderr
    # Both opt-in settings set: not a single warning left.
    result = _run(tmp_path, "-m", "django", "check", "--deploy", "--fail-level", "WARNING",
                  ALUR_HTTPS="1", ALLOWED_HOSTS="sop.contoh.go.id",
                  SECURE_HSTS_INCLUDE_SUBDOMAINS="1", SECURE_HSTS_PRELOAD="1")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_without_https_check_deploy_names_what_is_missing(tmp_path):
    result = _run(tmp_path, "-m", "django", "check", "--deploy")
    issues = set(ISSUE.findall(result.stdout + result.stderr))
    # HSTS, SSL redirect, secure session and CSRF cookies.
    assert issues == {"security.W004", "security.W008", "security.W012", "security.W016"}


def test_https_defaults_and_overrides(tmp_path):
    names = ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
             "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_PROXY_SSL_HEADER")
    plain = _settings(tmp_path, *names)
    assert plain == {"SESSION_COOKIE_SECURE": "False", "CSRF_COOKIE_SECURE": "False",
                     "SECURE_SSL_REDIRECT": "False", "SECURE_HSTS_SECONDS": "0",
                     "SECURE_HSTS_INCLUDE_SUBDOMAINS": "False",
                     "SECURE_PROXY_SSL_HEADER": "None"}
    https = _settings(tmp_path, *names, ALUR_HTTPS="1")
    assert https["SESSION_COOKIE_SECURE"] == https["CSRF_COOKIE_SECURE"] == "True"
    assert https["SECURE_SSL_REDIRECT"] == "True"
    assert https["SECURE_HSTS_SECONDS"] == str(365 * 24 * 3600)
    assert https["SECURE_HSTS_INCLUDE_SUBDOMAINS"] == "False"
    # The proxy ends TLS: its header, the redirect left to it, a shorter HSTS while trying.
    behind = _settings(tmp_path, *names, ALUR_HTTPS="1", SECURE_SSL_REDIRECT="0",
                       SECURE_HSTS_SECONDS="3600",
                       SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert behind["SECURE_SSL_REDIRECT"] == "False" and behind["SECURE_HSTS_SECONDS"] == "3600"
    assert behind["SESSION_COOKIE_SECURE"] == "True"
    assert behind["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_PROTO', 'https')"
    custom = _settings(tmp_path, "SECURE_PROXY_SSL_HEADER",
                       SECURE_PROXY_SSL_HEADER="X-Forwarded-Ssl: on")
    assert custom["SECURE_PROXY_SSL_HEADER"] == "('HTTP_X_FORWARDED_SSL', 'on')"


def test_a_mistyped_switch_stops_the_start(tmp_path):
    result = _run(tmp_path, "-c", "import django; django.setup()", ALUR_HTTPS="ya")
    assert result.returncode != 0 and "ALUR_HTTPS='ya'" in result.stderr
    result = _run(tmp_path, "-c", "import django; django.setup()", SECURE_HSTS_SECONDS="setahun")
    assert result.returncode != 0 and "SECURE_HSTS_SECONDS" in result.stderr


# A child process serves one request to a view that fails, and reports what went where.
FAILING_REQUEST = """
import django
django.setup()
from django.core import mail
from django.test import Client
from django.test.utils import override_settings, setup_test_environment
from django.urls import path

setup_test_environment()  # e-mail into mail.outbox; LOGGING stays the settings' own


def broken(request):
    raise RuntimeError("kegagalan-uji-" + "4242")


urlpatterns = [path("rusak/", broken)]
with override_settings(ROOT_URLCONF=__name__):
    response = Client(raise_request_exception=False).get("/rusak/")
print("STATUS", response.status_code)
for message in mail.outbox:
    print("MAIL", message.to, "kegagalan-uji-4242" in message.body,
          "Traceback" in message.body)
"""


def test_a_server_error_is_logged_to_stderr_and_mailed_to_the_admins(tmp_path):
    result = _run(tmp_path, "-c", FAILING_REQUEST,
                  ALUR_ADMINS="Admin Satu <satu@contoh.go.id>, dua@contoh.go.id")
    assert "STATUS 500" in result.stdout, result.stderr
    assert "Internal Server Error: /rusak/" in result.stderr
    assert "Traceback (most recent call last)" in result.stderr
    assert "RuntimeError: kegagalan-uji-4242" in result.stderr
    assert "MAIL ['satu@contoh.go.id', 'dua@contoh.go.id'] True True" in result.stdout


def test_without_admins_the_error_is_still_on_stderr_and_no_mail_is_sent(tmp_path):
    result = _run(tmp_path, "-c", FAILING_REQUEST)
    assert "STATUS 500" in result.stdout, result.stderr
    assert "RuntimeError: kegagalan-uji-4242" in result.stderr
    assert "MAIL" not in result.stdout


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_database_media_and_secret_key_are_created_for_the_owner_only(tmp_path):
    data = tmp_path / "data"
    code = ("import django; django.setup(); from django.db import connection; "
            "connection.ensure_connection(); "
            "from django.core.files.base import ContentFile; "
            "from django.core.files.storage import default_storage; "
            "print(default_storage.save('lampiran/2026/berkas.pdf', ContentFile(b'%PDF-1.4')))")
    # A permissive umask, as on many servers: what alur creates must not follow it.
    result = _run(tmp_path, "-c", f"import os; os.umask(0o022); exec({code!r})")
    assert result.returncode == 0, result.stderr
    assert _mode(data) == 0o700
    assert _mode(data / "alur.sqlite3") == 0o600
    assert _mode(data / "secret.key") == 0o600
    assert _mode(data / "media") == 0o700
    assert _mode(data / "media" / "lampiran") == 0o700
    assert _mode(data / "media" / "lampiran" / "2026") == 0o700
    stored = data / "media" / result.stdout.strip()
    assert stored.read_bytes() == b"%PDF-1.4" and _mode(stored) == 0o600
    for journal in data.glob("alur.sqlite3-*"):  # WAL and shared memory copy the file's mode
        assert _mode(journal) == 0o600, journal


@pytest.mark.parametrize("env", [{"SECRET_KEY": "x" * 60}, {}])
def test_an_existing_data_folder_keeps_its_mode(tmp_path, env):
    """The operator's own folder (shared with a backup user, say) is not changed."""
    data = tmp_path / "data"
    data.mkdir(mode=0o750)
    data.chmod(0o750)
    result = _run(tmp_path, "-c", "import django; django.setup()", **env)
    assert result.returncode == 0, result.stderr
    assert _mode(data) == 0o750
    assert _mode(data / "alur.sqlite3") == 0o600


def test_workers_starting_at_once_share_one_secret_key(tmp_path):
    """gunicorn's workers import the settings together on a fresh data folder."""
    environment = {k: v for k, v in os.environ.items() if k not in CLEARED}
    environment.update({"ALUR_DATA_DIR": str(tmp_path / "data"),
                        "DJANGO_SETTINGS_MODULE": "alur.web.settings", "PYTHONPATH": str(ROOT)})
    code = "import django; django.setup(); from django.conf import settings; " \
           "print(settings.SECRET_KEY)"
    workers = [subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=environment, cwd=ROOT)
               for _ in range(4)]
    keys = set()
    for worker in workers:
        out, err = worker.communicate(timeout=120)
        assert worker.returncode == 0, err
        keys.add(out.strip())
    assert len(keys) == 1 and len(keys.pop()) >= 50
    assert [p.name for p in (tmp_path / "data").iterdir() if p.name.startswith(".secret-")] == []
