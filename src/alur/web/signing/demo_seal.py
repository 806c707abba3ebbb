"""The demo seal: a self-signed certificate and key in a PKCS#12 file, made once by `alur demo`
(and by the tests). Its subject says plainly that it is a demo seal, not a certified electronic
signature (TTE): documents sealed with it are labelled so on the page and in the PDF.

Needs no Django: `alur verify` reads `DEMO_MARK` to label a demo signature.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

# In the certificate's organisation and common name: how a demo seal is recognised.
DEMO_MARK = "SEGEL DEMO"
DEMO_COMMON_NAME = f"{DEMO_MARK} alur - bukan TTE tersertifikasi"
DEMO_ORGANIZATION = f"alur ({DEMO_MARK})"
VALID_DAYS = 10 * 365


def make_demo_seal(path: Path, *, valid_days: int = VALID_DAYS,
                   not_before: dt.datetime | None = None) -> None:
    """Write a new demo seal (unencrypted PKCS#12: it protects nothing worth a password) to
    `path`, readable by its owner only."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.hazmat.primitives.serialization import pkcs12
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, DEMO_ORGANIZATION),
                      x509.NameAttribute(NameOID.COMMON_NAME, DEMO_COMMON_NAME)])
    start = not_before or dt.datetime.now(dt.UTC) - dt.timedelta(days=1)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True,
                          key_encipherment=False, data_encipherment=False, key_agreement=False,
                          key_cert_sign=False, crl_sign=False, encipher_only=False,
                          decipher_only=False)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(key.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(start).not_valid_after(start + dt.timedelta(days=valid_days))
                   .add_extension(x509.BasicConstraints(ca=False, path_length=None),
                                  critical=True)
                   .add_extension(usage, critical=True)
                   .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(DEMO_MARK.encode(), key, certificate, None,
                                                 serialization.NoEncryption())
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(path.name + ".baru")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "wb") as out:
        out.write(data)
    temporary.replace(path)


def ensure_demo_seal(path: Path) -> bool:
    """Make the demo seal unless it exists; True when it was made."""
    if path.exists():
        return False
    make_demo_seal(path)
    return True
