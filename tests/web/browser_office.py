"""One realistic office for the whole-app browser checks (accessibility, screenshots, keyboard):
an approved "Surat Ijin Cuti" whose positions are held, a running case with the applicant's
open task, a draft, a draft waiting for approval, a vacant position, and one account per role,
each linked to an employee record. Plain functions rather than pytest fixtures, so that a
module-scoped fixture can build it once and visit every page as every role in one browser."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .cases_fixtures import LIBRARY, approved, staff

PASSWORD = "rahasia-123"
ROLES = ("admin", "penyusun", "pengesah", "pegawai", "evaluator")
WIDTHS = (390, 1366)
CASE_TITLE = "Cuti tahunan Budi, 1–5 Desember"


@dataclass
class Office:
    sop: Any  # the approved SOP (library page)
    draft: Any  # a draft of the penyusun's unit (editor)
    case: Any  # running, started by the pegawai
    task: Any  # the case's open task, the pegawai's
    unit: Any
    vacant: Any  # a position nobody holds
    usernames: dict[str, str] = field(default_factory=dict)  # role → account


def build_office() -> Office:
    """Everything in the database; the caller decides its lifetime."""
    from django.contrib.auth import get_user_model

    from alur.sop import load
    from alur.web.cases import services
    from alur.web.demo import unit_chain
    from alur.web.library.models import SopVersion
    from alur.web.library.services import add_sop
    from alur.web.org.models import Membership, Person, Position

    users = get_user_model().objects
    unit = unit_chain(["PEMERINTAH KABUPATEN BANGKA TENGAH",
                       "DINAS SOSIAL, PEMBERDAYAAN MASYARAKAT DAN DESA"])

    def account(username: str, role: str | None, name: str) -> Any:
        user = users.create_user(username=username, password=PASSWORD)
        if role:
            Membership.objects.create(user=user, unit=unit, role=role)
        Person.objects.create(user=user, name=name, email=f"{username}@contoh.go.id")
        return user

    author = account("penyusun", "penyusun", "Sari Penyusun")
    version = approved("surat-ijin-cuti", unit, author)

    def user_factory(username: str, role: str | None = None, unit_: Any = None) -> Any:
        user = users.create_user(username=username, password=PASSWORD)
        if role and unit_ is not None:
            Membership.objects.create(user=user, unit=unit_, role=role)
        return user

    staff(version, user_factory)
    account("pengesah", "pengesah", "Hendra Pengesah")
    account("evaluator", "evaluator", "Rina Evaluator")
    account("admin", "admin", "Agus Admin Unit")
    applicant = account("pegawai", "pegawai", "Budi Pegawai")
    person = Person.objects.get(user=applicant)
    case = services.start_case(version, person, title=CASE_TITLE)

    draft = add_sop(load(LIBRARY / "surat-keluar.yaml").sop, unit, author)
    submitted = add_sop(load(LIBRARY / "surat-masuk.yaml").sop, unit, author)
    SopVersion.objects.filter(pk=submitted.pk).update(
        status=SopVersion.Status.DIAJUKAN,
        submitted_at=dt.datetime.now(dt.UTC) - dt.timedelta(days=3))
    vacant = Position.objects.create(unit=unit, name="Kepala Seksi Rehabilitasi Sosial")
    return Office(sop=version.sop, draft=draft, case=case, task=case.tasks.get(), unit=unit,
                  vacant=vacant, usernames={role: role for role in ROLES})


@dataclass(frozen=True)
class Page:
    name: str
    path: str
    wait_for: str | None = None  # a selector drawn late (a flowchart)
    settle: bool = False  # wait for the network to go quiet (htmx redraws after loading)


def pages_for(role: str, office: Office) -> list[Page]:
    """The main pages `role` reaches from its menu and home. The guide and the list of
    procedures to start are the same for everyone but for the menu (checked on every other
    page): they are the pegawai's only."""
    unit = office.unit.code
    pages = [Page("home", "/"), Page("library list", "/sop/"),
             Page("SOP page", f"/sop/{office.sop.public_id}/", "main svg"),
             Page("case list", "/kasus/"), Page("inbox", "/tugas/"),
             Page("notifications", "/notifikasi/")]
    if role == "pegawai":
        pages += [Page("start list", "/kasus/mulai/"), Page("guide", "/panduan/")]
    if role != "penyusun":  # the case is the applicant's and its supervisors'
        pages += [Page("case page", f"/kasus/{office.case.public_id}/", "main svg"),
                  Page("task page", f"/tugas/{office.task.public_id}/")]
    if role == "penyusun":
        pages += [Page("editor", f"/versi/{office.draft.public_id}/ubah/", "#pratinjau svg",
                         settle=True),
                  Page("import upload", "/impor/")]
    if role in ("evaluator", "admin"):
        pages += [Page("reports", "/laporan/"),
                  Page("unit report", f"/laporan/unit/{office.unit.pk}/")]
    if role in ("penyusun", "admin"):
        pages += [Page("organisation tree", "/organisasi/"),
                  Page("unit", f"/organisasi/{unit}/"),
                  Page("position", f"/organisasi/{unit}/jabatan/{office.vacant.pk}/")]
    return pages


def log_in(context: Any, base: str, username: str) -> list[Any]:
    """Log in through the login page in `context`; returns the session cookies, to be put
    back into any context later (one login per account for the whole module)."""
    context.clear_cookies()
    page = context.new_page()
    page.goto(f"{base}/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    page.close()
    cookies: list[Any] = context.cookies()
    return cookies


def flush_database() -> None:
    """Empty every table, as a transactional test does after itself."""
    from django.core.management import call_command

    call_command("flush", verbosity=0, interactive=False)
