"""Settings for the alur web application, all from the environment.

With nothing set, alur runs on the embedded default: SQLite and files in a data directory
(ALUR_DATA_DIR, default ./data), no services. Production sets DATABASE_URL (PostgreSQL),
SECRET_KEY, ALLOWED_HOSTS and, if wanted, MEDIA_ROOT/STATIC_ROOT; behind HTTPS, ALUR_HTTPS=1
turns on every secure default at once (each still overridable by its Django name).
What alur creates itself (the data folder, the SQLite file, the media folder, the generated
secret key) is readable by the owner only: they hold every SOP, case and attachment.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import tempfile
from email.utils import getaddresses
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from alur.web.attachment_storage import s3_storage

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("ALUR_DATA_DIR", Path.cwd() / "data")).resolve()


def _flag(name: str, default: bool) -> bool:
    """A yes/no setting: 1/0 (also true/false, yes/no, on/off); unset or empty is `default`.
    Anything else stops the start, so a typo never silently leaves a protection off."""
    value = os.environ.get(name, "").strip().lower()
    if not value:
        return default
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name}={value!r}: use 1 (on) or 0 (off)")


def _private_dir(path: Path) -> None:
    """Create a folder readable by its owner only (0700). An existing folder is left as the
    operator set it up (it may be shared with a backup user on purpose)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)


def _private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600) unless it exists, atomically, so
    no other user can open it in between."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def _secret_key() -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the data dir, so
    sessions survive restarts without a key ever being written into the code. The key is
    written to a private temporary file and linked into place: gunicorn's workers start at
    once, and none may read a half-written key or keep its own."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    _private_dir(DATA_DIR)
    path = DATA_DIR / "secret.key"
    if not path.exists():
        handle, temporary = tempfile.mkstemp(dir=DATA_DIR, prefix=".secret-")  # 0600
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(secrets.token_urlsafe(50))
            with contextlib.suppress(FileExistsError):  # another process's key came first
                os.link(temporary, path)
        finally:
            os.unlink(temporary)
    return path.read_text(encoding="utf-8").strip()


def _proxy_ssl_header(value: str) -> tuple[str, str] | None:
    """SECURE_PROXY_SSL_HEADER from "X-Forwarded-Proto" or "X-Forwarded-Proto: https": the
    header the HTTPS proxy sets (and strips from what clients send) and its value for HTTPS."""
    name, _sep, expected = value.partition(":")
    name = name.strip()
    if not name:
        return None
    return "HTTP_" + name.upper().replace("-", "_"), expected.strip() or "https"


def _admins(value: str) -> list[tuple[str, str]]:
    """ALUR_ADMINS, "Nama <a@b.go.id>, c@d.go.id": who receives server errors by e-mail."""
    return [(name or address, address) for name, address in getaddresses([value])
            if "@" in address]


SECRET_KEY = _secret_key()
DEBUG = os.environ.get("ALUR_DEBUG", "") == "1"
ALLOWED_HOSTS = [h.strip() for h in
                 os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h.strip()]
CSRF_TRUSTED_ORIGINS = [o.strip() for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",")
                        if o.strip()]

# HTTPS deployments: ALUR_HTTPS=1 sets every secure default below at once; each can still be
# set on its own by its Django name (1/0, or seconds for HSTS). HSTS tells browsers to use
# HTTPS only, for a year; subdomains and the browsers' preload list are opt-in, because they
# bind every other site of the agency's domain too. Behind a proxy that ends TLS (nginx,
# Apache), SECURE_PROXY_SSL_HEADER names the header it sets, e.g. "X-Forwarded-Proto", or
# the redirect to HTTPS would loop; the proxy must strip that header from clients' requests.
ALUR_HTTPS = _flag("ALUR_HTTPS", False)
SESSION_COOKIE_SECURE = _flag("SESSION_COOKIE_SECURE", ALUR_HTTPS)
CSRF_COOKIE_SECURE = _flag("CSRF_COOKIE_SECURE", ALUR_HTTPS)
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = _flag("SECURE_SSL_REDIRECT", ALUR_HTTPS)
try:
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "").strip()
                              or (365 * 24 * 60 * 60 if ALUR_HTTPS else 0))
except ValueError:
    raise ImproperlyConfigured("SECURE_HSTS_SECONDS must be a number of seconds") from None
SECURE_HSTS_INCLUDE_SUBDOMAINS = _flag("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = _flag("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = _proxy_ssl_header(os.environ.get("SECURE_PROXY_SSL_HEADER", ""))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "ninja",  # serves the OpenAPI docs' Swagger files locally (no CDN on closed intranets)
    "alur.web.org",
    "alur.web.library",
    "alur.web.api",
    "alur.web.cases",
    "alur.web.reports",
    "alur.web.monitoring",
    "alur.web.evaluation",
    "alur.web.abk",
    "alur.web.signing",  # the electronic seal of approved SOPs and /verifikasi/
    "alur.web.public",
    "django_q",  # background jobs (Q_CLUSTER below)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "alur.web.language.LanguageMiddleware",  # Indonesian unless English was chosen
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Before any body is read (the CSRF check reads the form): who may upload, how much.
    "alur.web.upload_guard.UploadGuardMiddleware",
    # Also before the CSRF check reads the form: the SOP editor's own limit of form fields.
    "alur.web.field_limits.FieldLimitMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
    "csp.middleware.CSPMiddleware",
    "alur.web.odd_input.RefuseNulMiddleware",  # NUL in a request: 400, never a 500
]

# Content-Security-Policy: pages load scripts, styles, images and fonts from alur itself only,
# and no inline script or style runs (templates keep theirs in static files; htmx is told by a
# meta tag in base.html not to insert its own style). The flowcharts' SVG uses presentation
# attributes (fill, font-style), never style="". data: images are the icons inside vendored
# style sheets (the API's Swagger page).
CONTENT_SECURITY_POLICY = {"DIRECTIVES": {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
    "object-src": [NONE],
    "base-uri": [SELF],
    "form-action": [SELF],
    "frame-ancestors": [NONE],
}}

ROOT_URLCONF = "alur.web.urls"
TEMPLATES = [{
    "BACKEND": "django.template.backends.django.DjangoTemplates",
    "DIRS": [BASE_DIR / "templates"],
    "APP_DIRS": True,
    "OPTIONS": {"context_processors": [
        "django.template.context_processors.request",
        "django.contrib.auth.context_processors.auth",
        "django.contrib.messages.context_processors.messages",
        "alur.web.cases.context_processors.notifications",
        "alur.web.home.context_processors.navigation",
    ]},
}]
WSGI_APPLICATION = "alur.web.wsgi.application"

DATABASES = {"default": dj_database_url.parse(
    os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'alur.sqlite3'}"),
    conn_max_age=60)}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # SQLite would create the file world-readable (0644 under the usual umask), and its -wal
    # and -shm files copy the file's mode: create it empty and private first.
    if (_name := str(DATABASES["default"]["NAME"] or "")) and _name != ":memory:" \
            and not _name.startswith("file:"):
        _private_dir(Path(_name).parent)
        _private_file(Path(_name))
    # Several people acting at once must not get "database is locked".
    # WAL lets readers work while one transaction writes, and synchronous=NORMAL syncs at
    # checkpoints instead of on every commit: a workflow commits on every step someone takes.
    # The job worker (django-q2's ORM broker polls its queue table) is one more writer beside
    # the pages: busy_timeout makes each wait for the other's commit instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20, "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                        "PRAGMA busy_timeout=20000;"}
elif os.environ.get("ALUR_DB_PREPARE", "1") != "0":
    # The statements of a workflow step (cases/store.py, on server-binding cursors) are
    # prepared once per connection; Django's own cursors bind on the client and never are.
    # ALUR_DB_PREPARE=0 behind a pooler that cannot keep prepared statements (PgBouncer
    # before 1.21 in transaction mode).
    DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = 5
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Background jobs (imports now; due-date monitoring and e-mail later): django-q2 with its ORM
# broker, so the queue is a table of this same database — SQLite on the embedded default,
# PostgreSQL in production — and needs no other service. `alur serve`/`alur demo` start the
# cluster beside the web server; `alur worker` runs it alone.
ALUR_JOB_TIMEOUT = int(os.environ.get("ALUR_JOB_TIMEOUT", "900"))  # seconds per job
# What reading one uploaded document may take (alur.importers.isolated), in the job and in the
# API: wall-clock seconds and megabytes of address space of its child process.
ALUR_IMPORT_SECONDS = float(os.environ.get("ALUR_IMPORT_SECONDS", "30"))
ALUR_IMPORT_MEMORY_MB = int(os.environ.get("ALUR_IMPORT_MEMORY_MB", "1024"))
# What one web upload may hold (the job reads it in the background): files per upload,
# megabytes per file, pages per PDF; beyond them the upload is refused with a message.
ALUR_IMPORT_MAX_FILES = int(os.environ.get("ALUR_IMPORT_MAX_FILES", "100"))
ALUR_IMPORT_MAX_MB = int(os.environ.get("ALUR_IMPORT_MAX_MB", "50"))
ALUR_IMPORT_MAX_PAGES = int(os.environ.get("ALUR_IMPORT_MAX_PAGES", "300"))
# Downloads (PDF, Word, Excel …) of SOPs with more steps than this are drawn by the job worker,
# not in the request (library/renders.py); SOPs of more than ALUR_MAX_STEPS are not stored.
ALUR_RENDER_INLINE_STEPS = int(os.environ.get("ALUR_RENDER_INLINE_STEPS", "100"))
ALUR_MAX_STEPS = int(os.environ.get("ALUR_MAX_STEPS", "500"))
# The public archive /publik/: the SOPs in force for anyone, without logging in (on unless
# ALUR_PUBLIC_ARCHIVE=0; off, its pages answer 404 and no page links to it).
ALUR_PUBLIC_ARCHIVE = _flag("ALUR_PUBLIC_ARCHIVE", True)
# The approver's NIP is printed under the signature, so approving asks for it; an installation
# whose SOPs are signed by elected heads (Bupati, Wali Kota: no NIP) sets this to 0.
ALUR_APPROVER_NIP_REQUIRED = _flag("ALUR_APPROVER_NIP_REQUIRED", True)
# Review by the organisation bureau before approval (library/review.py): on, it applies to the
# units where someone holds the Peninjau role; off, submitted SOPs go straight to the approver.
ALUR_BUREAU_REVIEW = _flag("ALUR_BUREAU_REVIEW", True)
# The agency's SOP numbering, filled when a reviewer numbers an SOP: {urut} (this year's
# sequence, from 1; {urut:03d} pads it), {unit} (the unit's code), {tahun}, {bulan} (XII).
ALUR_SOP_NUMBER_PATTERN = os.environ.get("ALUR_SOP_NUMBER_PATTERN",
                                         "{urut:03d}/SOP/{unit}/{tahun}")
# How long POST /api/import waits for its job before answering 202 with a URL to ask again
# (seconds; below the web worker's timeout).
ALUR_API_IMPORT_WAIT = float(os.environ.get("ALUR_API_IMPORT_WAIT", "20"))
# What one import upload (web page or API) may send in all; a larger body is refused before it
# is read (alur.web.upload_guard), as is any upload from someone not signed in.
ALUR_IMPORT_MAX_UPLOAD_MB = int(os.environ.get("ALUR_IMPORT_MAX_UPLOAD_MB", "1024"))
# Django refuses a request with more files than this before any form sees it (a bare 400); a
# margin above the import's own limit lets the form say what is wrong.
DATA_UPLOAD_MAX_NUMBER_FILES = ALUR_IMPORT_MAX_FILES + 50
Q_CLUSTER = {
    "name": "alur",
    "orm": "default",
    "workers": int(os.environ.get("ALUR_JOB_WORKERS", "1")),
    "timeout": ALUR_JOB_TIMEOUT,
    # A job not acknowledged this long after it was taken (its worker died) is handed out
    # again; it must exceed the timeout, or a slow job would run twice at once.
    "retry": ALUR_JOB_TIMEOUT + 120,
    "max_attempts": 2,
    "ack_failures": True,  # a failed job is recorded once, not retried forever
    "catch_up": False,  # after downtime a periodic schedule runs once, not once per missed slot
    "poll": 1.0,  # seconds between looks at the queue table
    "save_limit": 250,
    "log_level": os.environ.get("ALUR_JOB_LOG_LEVEL", "WARNING"),
    "label": "Tugas latar",
    "sync": os.environ.get("ALUR_JOBS_SYNC", "") == "1",  # run in the request (debugging)
}

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # login throttling: locks after repeated failures
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("ALUR_LOGIN_FAILURES", "5"))
AXES_COOLOFF_TIME = 0.25  # hours a locked username/address waits
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_LOCKOUT_TEMPLATE = "registration/locked.html"
AXES_RESET_ON_SUCCESS = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]  # the web catalog; msgids are English
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60  # the language form's choice outlives the session
LANGUAGE_COOKIE_SAMESITE = "Lax"
# The agency's zone: WIB (Asia/Jakarta, the default), WITA (Asia/Makassar) or WIT
# (Asia/Jayapura). Times are shown in it and working hours are counted in it.
TIME_ZONE = os.environ.get("ALUR_TIME_ZONE", "Asia/Jakarta")
try:
    ZoneInfo(TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError):
    raise ImproperlyConfigured(
        f"ALUR_TIME_ZONE={TIME_ZONE!r} is not a time zone name such as Asia/Makassar") from None
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it before collectstatic
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded and generated files (attachments, import jobs' documents and page pictures) are
# the owner's only, like the database.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Attachments go to S3-compatible storage (MinIO, Ceph, a cloud) when a bucket is configured.
if (_s3 := s3_storage(os.environ)) is not None:
    STORAGES["default"] = _s3
else:
    _private_dir(MEDIA_ROOT)
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND",
                               "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "alur <alur@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)  # sender of error mails
ADMINS = _admins(os.environ.get("ALUR_ADMINS", ""))

# Errors are never silent: warnings and errors of alur and Django, a server error with its
# traceback, go to stderr (gunicorn's and systemd's log), and each server error also by
# e-mail to ALUR_ADMINS when set. ALUR_LOG_LEVEL=INFO shows more.
ALUR_LOG_LEVEL = os.environ.get("ALUR_LOG_LEVEL", "WARNING").upper()
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"production": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "stream": "ext://sys.stderr",
                   "formatter": "plain"},
        "mail_admins": {"class": "django.utils.log.AdminEmailHandler", "level": "ERROR",
                        "filters": ["production"]},
    },
    "root": {"handlers": ["stderr"], "level": ALUR_LOG_LEVEL},
    "loggers": {
        "django": {"handlers": ["stderr", "mail_admins"], "level": ALUR_LOG_LEVEL,
                   "propagate": False},
        # runserver's request lines; gunicorn writes its own access log.
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
    },
}
# Links in e-mails (alur notify runs from cron, outside any request).
ALUR_BASE_URL = os.environ.get("ALUR_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
# Running cases whose replayed state each process keeps between steps (0 turns it off).
ALUR_CASE_CACHE = int(os.environ.get("ALUR_CASE_CACHE", "1000"))

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# The key of the audit chains (alur.web.cases.auditkey): the environment, else a file made once.
ALUR_AUDIT_KEY = os.environ.get("ALUR_AUDIT_KEY", "")
ALUR_AUDIT_KEY_FILE = Path(os.environ.get("ALUR_AUDIT_KEY_FILE", DATA_DIR / "audit.key"))
# The electronic seal of approved SOPs (alur.web.signing): a PKCS#12 file of the agency's seal,
# else the demo seal `alur demo` makes under the data folder, else the PDFs stay unsigned.
# ALUR_SIGNER names another factory (a remote service such as BSrE's, see signing/signers.py).
ALUR_SIGNER = os.environ.get("ALUR_SIGNER", "alur.web.signing.signers.configured_signer")
ALUR_SIGNING_PKCS12 = os.environ.get("ALUR_SIGNING_PKCS12", "")
ALUR_SIGNING_PKCS12_PASSWORD = os.environ.get("ALUR_SIGNING_PKCS12_PASSWORD", "")
ALUR_SIGNING_DEMO_PKCS12 = DATA_DIR / "segel-demo.p12"
