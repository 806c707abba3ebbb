"""What the API sends and accepts. Objects are named by their `public_id` (UUID) only."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from ninja import Field, Schema

from alur.sop import Finding
from alur.web.library.models import Sop, SopVersion


class MessageOut(Schema):
    detail: str


class InvalidField(Schema):
    loc: list[str]
    message: str


class InvalidOut(Schema):
    detail: str
    errors: list[InvalidField]


class FindingOut(Schema):
    """A finding as `alur import --json` prints it (sop-format.md)."""

    severity: str = Field(..., description="error | warning | info")
    code: str
    message: str = Field(..., description="dalam Bahasa Indonesia")
    sop: str | None = None
    step: int | None = None
    line: int | None = None
    file: str | None = None


def findings_out(findings: list[Finding]) -> list[dict[str, Any]]:
    return [f.model_dump(mode="json") for f in findings]


class FindingsError(Schema):
    detail: str
    findings: list[FindingOut]


class UnitOut(Schema):
    id: int
    name: str


class VersionSummary(Schema):
    id: uuid.UUID = Field(..., description="public_id versi")
    sop: uuid.UUID = Field(..., description="public_id SOP")
    number: int = Field(..., description="nomor versi (1, 2, …)")
    status: SopVersion.Status
    name: str
    sop_number: str = Field(..., description="Nomor SOP")
    effective_date: dt.date | None = None
    created_at: dt.datetime


def version_summary(version: SopVersion) -> dict[str, Any]:
    return {"id": version.public_id, "sop": version.sop.public_id, "number": version.number,
            "status": version.status, "name": version.name, "sop_number": version.sop_number,
            "effective_date": version.effective_date, "created_at": version.created_at}


class SopItem(Schema):
    id: uuid.UUID = Field(..., description="public_id SOP")
    slug: str
    unit: UnitOut
    latest_version: VersionSummary | None


def sop_item(sop: Sop, latest: SopVersion | None) -> dict[str, Any]:
    return {"id": sop.public_id, "slug": sop.slug,
            "unit": {"id": sop.unit_id, "name": sop.unit.name},
            "latest_version": version_summary(latest) if latest else None}


class SopPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[SopItem]


class SopDetail(Schema):
    id: uuid.UUID
    slug: str
    unit: UnitOut
    created_at: dt.datetime
    versions: list[VersionSummary] = Field(..., description="terbaru lebih dulu")


class UserOut(Schema):
    username: str
    name: str


class Approval(Schema):
    submitted_at: dt.datetime | None
    approved_by: UserOut | None
    approved_at: dt.datetime | None
    effective_date: dt.date | None
    in_force: bool = Field(..., description="disahkan dan sudah berlaku hari ini")


class VersionDetail(VersionSummary):
    status_label: str
    slug: str
    unit: UnitOut
    created_by: UserOut | None
    approval: Approval
    document: dict[str, Any] = Field(..., description="dokumen alur-sop/1 lengkap")
    findings: list[FindingOut] = Field(..., description="temuan pemeriksa (check)")


class SopCreate(Schema):
    unit: int = Field(..., description="id unit kerja")
    document: dict[str, Any] = Field(..., description="dokumen alur-sop/1 (JSON)")


class ImportOut(Schema):
    created: list[VersionSummary]
    findings: list[FindingOut]


class ImportPending(Schema):
    """An import still being read by the job worker: ask `url` again until it answers 201/200."""

    job: str
    status: str
    done: int
    total: int
    url: str
