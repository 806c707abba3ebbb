"""Where attachments are kept: local disk by default, S3-compatible object storage (MinIO,
Ceph, a cloud) when the environment names a bucket. A function of the environment, so the
settings and the tests build the same configuration."""

from __future__ import annotations

from collections.abc import Mapping


def s3_storage(environ: Mapping[str, str]) -> dict | None:
    """Django's STORAGES entry for the bucket `ALUR_S3_BUCKET`, or None when none is set.
    Files are private (no ACL, signed links) and never overwritten: two uploads of the same
    name keep both."""
    bucket = environ.get("ALUR_S3_BUCKET")
    if not bucket:
        return None
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket,
        "endpoint_url": environ.get("ALUR_S3_ENDPOINT_URL") or None,
        "access_key": environ.get("ALUR_S3_ACCESS_KEY") or None,
        "secret_key": environ.get("ALUR_S3_SECRET_KEY") or None,
        "region_name": environ.get("ALUR_S3_REGION") or None,
        "default_acl": None, "querystring_auth": True, "file_overwrite": False}}
