"""Demo data from the curated seed library: the agencies and units the SOPs name, the
positions their actor columns name, every SOP approved, and one user for each role.

Nothing is invented: seed 002 names no agency, so its unit says exactly that.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from alur.importers.actors import propose_applicants
from alur.sop import load
from alur.sop.slug import slugify, unique_slug

from .demo_history import history_start, simulated_time
from .library.models import Sop as SopRecord
from .library.services import add_sop, approve
from .org.models import Assignment, Membership, Person, Position, Unit

UNNAMED_AGENCY = ["Sekretariat Daerah (instansi tidak disebut di dokumen sumber)",
                  "Bagian Organisasi dan Kepegawaian"]
ROLES = [("admin", "Admin", "Administrator alur"), ("penyusun", "Penyusun", "Tim Penyusun SOP"),
         ("peninjau", "Peninjau", "Analis Biro Organisasi"),
         ("pengesah", "Pengesah", "Pejabat Pengesah"), ("pegawai", "Pegawai", "Pegawai Contoh"),
         ("evaluator", "Evaluator", "Evaluator Inspektorat"),
         ("atasan", "Pejabat", "Pejabat Struktural Contoh"),
         ("staf", "Pelaksana", "Staf Pelaksana Contoh")]
# The two people who hold the positions, so every demo SOP can run: "atasan" every head's
# position (Kabag, Kasubag, Kepala …), "staf" every other one. Both are plain Pegawai.
MEMBERSHIP_ROLE = {"atasan": "pegawai", "staf": "pegawai"}
HEAD_POSITION = re.compile(r"^\s*(ka\.|kabag|kabid|kadis|kasi\b|kasub|kepala|sekretaris|"
                           r"camat|lurah)", re.I)


@dataclass
class DemoResult:
    units: int = 0
    sops: int = 0
    skipped: list[str] = field(default_factory=list)
    # Every SOP of the library in the store (loaded now or before): the ones the demo's case
    # history (demo_history) may run.
    sop_ids: list[int] = field(default_factory=list)
    passwords: dict[str, str] = field(default_factory=dict)


def _kind(depth: int, name: str) -> str:
    upper = name.upper()
    if depth == 0 and upper.startswith(("PEMERINTAH", "PROVINSI", "SEKRETARIAT DAERAH")):
        return Unit.Kind.PEMERINTAH
    if upper.startswith(("DINAS", "BADAN")) or depth == 0:
        return Unit.Kind.DINAS
    return Unit.Kind.BIDANG if depth == 1 else Unit.Kind.SEKSI


def unit_chain(names: list[str]) -> Unit:
    """The units named top-down, created where missing; returns the lowest."""
    parent = None
    for depth, name in enumerate(names):
        unit = Unit.objects.filter(name=name, parent=parent).first()
        if unit is None:
            taken = set(Unit.objects.values_list("code", flat=True))
            unit = Unit.objects.create(name=name, parent=parent, kind=_kind(depth, name),
                                       code=unique_slug(slugify(name, max_length=70), taken))
        parent = unit
    assert parent is not None
    return parent


@transaction.atomic
def load_demo(library: Path, password: str | None = None) -> DemoResult:
    result = DemoResult()
    approved = dt.datetime.combine(history_start(timezone.localdate()) - dt.timedelta(days=1),
                                   dt.time(9), timezone.get_current_timezone())
    users = _users(password, result)
    for path in sorted(library.glob("*.yaml")):
        loaded = load(path)
        if loaded.sop is None:
            result.skipped.append(path.name)
            continue
        # As an importer would: columns named like the applicant (PNS …) are proposed as such.
        document = loaded.sop.model_copy(
            update={"actors": propose_applicants(loaded.sop.actors)})
        unit = unit_chain(document.organization or UNNAMED_AGENCY)
        existing = SopRecord.objects.filter(unit=unit, slug=document.id).first()
        if existing is not None:
            result.sop_ids.append(existing.pk)
            continue
        # Written and approved the day before the demo's case history (demo_history)
        # begins, and in force from then where the document names no date of its own.
        with simulated_time(approved):
            _signing_official(users["pengesah"].person, ([unit, *unit.ancestors()])[-1])
            version = add_sop(document, unit, users["penyusun"])
            approve(version, users["pengesah"],
                    effective=None if document.dates.effective else approved.date())
        result.sops += 1
        result.sop_ids.append(version.sop_id)
    roots = Unit.objects.filter(parent__isnull=True)
    for username, user in users.items():
        for root in roots:
            Membership.objects.get_or_create(
                user=user, unit=root, role=MEMBERSHIP_ROLE.get(username, username))
    _hold_positions(users["atasan"].person, users["staf"].person)
    result.units = Unit.objects.count()
    return result


# What the demo's approver signs as: approving asks for a position held today and a NIP.
APPROVER_POSITION, APPROVER_NIP = "Sekretaris Daerah", "197501012000031001"


def _signing_official(person: Person, root: Unit) -> None:
    """The demo's approver holds the agency's Sekretaris Daerah position (in the first agency
    loaded) with a NIP, from before the first approval: every demo SOP whose document names
    no approver of its own prints them as its signer."""
    if person.assignments.exists():
        return
    if not person.nip:
        person.nip = APPROVER_NIP
        person.save(update_fields=["nip"])
    position, _ = Position.objects.get_or_create(unit=root, name=APPROVER_POSITION)
    Assignment.objects.create(person=person, position=position,
                              start=history_start(timezone.localdate()) - dt.timedelta(days=1))


def _hold_positions(head: Person, staff: Person) -> None:
    """Give every position an SOP actor is linked to a holder (applicant columns — PNS,
    Pemohon … — link to no position: they route to whoever starts the case)."""
    since = history_start(timezone.localdate()) - dt.timedelta(days=1)
    for position in Position.objects.filter(actor_links__isnull=False).distinct():
        if position.assignments.exists():
            continue
        holder = head if HEAD_POSITION.match(position.name) else staff
        Assignment.objects.create(person=holder, position=position, start=since)
    _mark_heads()


# The most senior title first: the unit's head is the first of these its positions name.
SENIORITY = ("kepala", "kadis", "camat", "lurah", "kabag", "kabid", "sekretaris", "ka.",
             "kasub", "kasi")


def _rank(name: str) -> int:
    lowered = name.strip().lower()
    return next((i for i, title in enumerate(SENIORITY) if lowered.startswith(title)),
                len(SENIORITY))


def _mark_heads() -> None:
    """Mark each unit's most senior head-like position as the unit's head (so the demo's
    "atasan", who holds them, reads the unit's reports), where none is marked yet."""
    for unit in Unit.objects.exclude(positions__is_head=True):
        heads = [p for p in unit.positions.all() if HEAD_POSITION.match(p.name)]
        if heads:
            chosen = min(heads, key=lambda p: (_rank(p.name), p.pk))
            Position.objects.filter(pk=chosen.pk).update(is_head=True)


def _users(password: str | None, result: DemoResult) -> dict[str, Any]:
    model = get_user_model()
    users = {}
    for username, _, full_name in ROLES:
        secret = password or secrets.token_urlsafe(9)
        user, _ = model.objects.get_or_create(username=username)
        first, _, last = full_name.partition(" ")
        user.first_name, user.last_name = first, last
        user.is_staff = user.is_superuser = username == "admin"
        user.set_password(secret)
        user.save()
        Person.objects.get_or_create(user=user, defaults={
            "name": full_name, "email": f"{username}@contoh.go.id"})
        users[username] = user
        result.passwords[username] = secret
    return users
