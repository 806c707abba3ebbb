"""The audit key: the secret that makes the event chains and the ledger unforgeable.

A plain SHA-256 chain only proves that nobody changed a row *without recomputing the hashes
after it*; anyone who can write to the database can also recompute them with the public
formula. An HMAC needs the key as well, so the key must live where the database does not:
the environment (`ALUR_AUDIT_KEY`) or a file in the data folder (`ALUR_AUDIT_KEY_FILE`,
default `<data>/audit.key`), created once, readable by its owner only, exactly like the
`secret.key` beside it. It is never stored in a table. Losing it means the chains made with
it can no longer be proven (the README says how to keep it).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import threading
from pathlib import Path

from django.conf import settings

MIN_LENGTH = 32  # characters of an ALUR_AUDIT_KEY given in the environment

_cache: dict[tuple[str, str], bytes] = {}
_lock = threading.Lock()


class AuditKeyError(RuntimeError):
    """The key cannot be had: a key given in the environment too short, a file unreadable."""


def audit_key() -> bytes:
    """The key, read once per source (settings may change it in tests)."""
    given = getattr(settings, "ALUR_AUDIT_KEY", "") or ""
    path = str(getattr(settings, "ALUR_AUDIT_KEY_FILE", "") or
               Path(settings.DATA_DIR) / "audit.key")
    source = (given, "" if given else path)
    key = _cache.get(source)
    if key is None:
        with _lock:
            key = _cache.get(source) or _load(given, Path(path))
            _cache[source] = key
    return key


def _load(given: str, path: Path) -> bytes:
    if given:
        if len(given) < MIN_LENGTH:
            raise AuditKeyError(f"ALUR_AUDIT_KEY must be at least {MIN_LENGTH} characters")
        return given.encode()
    try:
        # Created once, 0600 from the start (no moment when others could read it); a second
        # process racing to create it finds the file and reads the first one's key.
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w", encoding="utf-8") as out:
            out.write(secrets.token_hex(32) + "\n")
    try:
        text = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise AuditKeyError(f"the audit key file {path} cannot be read: {error}") from error
    if len(text) < MIN_LENGTH:
        raise AuditKeyError(f"the audit key file {path} holds no key")
    return text.encode()


def mac(message: str) -> str:
    """HMAC-SHA256 of a text under the audit key, as 64 hex digits."""
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


def key_id() -> str:
    """A short, public name of the key in use, recorded beside what it signs, so `verify` can
    say "made with another key" instead of calling every record forged."""
    return mac("alur audit key id")[:16]


def forget() -> None:
    """Drop the cached key (tests that change the key's source)."""
    with _lock:
        _cache.clear()
