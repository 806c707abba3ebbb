"""Making, initialling and finalising a semester's monitoring form.

`create_form` proposes the rows from the semester's figures (`alur.web.reports.queries`): the
SOPs in force in the unit during the semester, each judged by its on-time rate and its steps'
against the threshold, the evidence written in Catatan; and it carries over the previous
semester's actions so the new form asks whether they were followed up.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from ..library.models import Sop, SopVersion
from ..org.models import Person, Unit
from ..reports import queries
from ..reports.formatting import minutes_text, percent_text
from .models import (
    Evidence,
    Judgement,
    MonitoringForm,
    MonitoringRow,
    on_time_threshold,
    previous_semester,
    semester_bounds,
)

# Versions that were, or still are, the signed text people had to follow.
SIGNED = (SopVersion.Status.DISAHKAN, SopVersion.Status.DIGANTI)


class Frozen(Exception):
    """The form is final: nothing in it changes any more."""


class NotReady(Exception):
    """The form cannot be finalised yet; the message says which rows are missing what."""


def person_of(user: User) -> Person | None:
    return Person.objects.filter(user_id=user.pk).first()


def name_of(user: User) -> str:
    """The name a paraf or a signature shows: the employee's, else the account's."""
    person = person_of(user)
    if person is not None:
        return person.name
    full = getattr(user, "get_full_name", lambda: "")()
    return full or user.get_username()


def sops_in_force(unit: Unit, start: dt.date, end: dt.date) -> list[tuple[Sop, SopVersion]]:
    """The unit's SOPs with a signed version effective on or before the semester's last day
    (and not revoked: a revoked SOP's last version has the status "dicabut"), each with the
    newest such version, which names the row."""
    chosen: dict[int, SopVersion] = {}
    versions = (SopVersion.objects.filter(sop__unit=unit, status__in=SIGNED,
                                          effective_date__lte=end)
                .select_related("sop").order_by("sop_id", "number"))
    for version in versions:
        chosen[version.sop_id] = version  # the newest wins
    revoked = set(SopVersion.objects.filter(sop_id__in=chosen,
                                            status=SopVersion.Status.DICABUT)
                  .values_list("sop_id", flat=True))
    pairs = [(v.sop, v) for sop_id, v in chosen.items() if sop_id not in revoked]
    return sorted(pairs, key=lambda pair: (pair[1].sop_number or "~", pair[1].name.lower()))


def procedure_text(version: SopVersion) -> str:
    name = version.name or version.sop.slug
    return f"{name} ({version.sop_number})" if version.sop_number else name


@dataclass
class Proposal:
    judgement: str
    notes: str


def _step_line(figure: queries.StepFigures) -> str:
    standard = (minutes_text(figure.standard.max) if figure.standard is not None
                else _("none"))
    return _("Step %(step)s '%(activity)s': %(on)s of %(due)s cases on time (%(rate)s), "
             "median %(median)s, standard %(standard)s") % {
        "step": figure.step, "activity": Truncator(figure.activity or "—").chars(70),
        "on": figure.on_time,
        "due": figure.with_due, "rate": percent_text(figure.on_time_rate),
        "median": minutes_text(figure.median), "standard": standard}


def propose(figures: list[queries.StepFigures], threshold: float) -> Proposal:
    """The judgement the semester's figures of one SOP propose, with its evidence."""
    tasks = sum(f.count for f in figures)
    if not tasks:
        return Proposal(Judgement.BELUM_ADA_DATA,
                        _("No data yet: no step of this SOP was completed in the semester."))
    on_time = sum(f.on_time for f in figures)
    with_due = sum(f.with_due for f in figures)
    if not with_due:
        return Proposal("", _("%(n)s tasks completed, none with a time standard: the on-time "
                              "rate is unknown; judge from observation.") % {"n": tasks})
    rate = on_time / with_due
    overall = _("%(on)s of %(due)s tasks on time (%(rate)s); threshold %(threshold)s.") % {
        "on": on_time, "due": with_due, "rate": percent_text(rate),
        "threshold": percent_text(threshold)}
    late_steps = [f for f in figures
                  if f.on_time_rate is not None and f.on_time_rate < threshold]
    if rate < threshold or late_steps:
        lines = [overall, *(_step_line(f) + "." for f in late_steps)]
        return Proposal(Judgement.TIDAK_BAIK, "\n".join(lines))
    return Proposal(Judgement.BAIK, overall)


def _carry_over(form: MonitoringForm, rows: list[MonitoringRow]) -> list[MonitoringRow]:
    """Link each row to the previous semester's row about the same SOP and show its action;
    the previous findings with an action become rows of their own, to be followed up."""
    year, semester = previous_semester(form.year, form.semester)
    before = MonitoringForm.objects.filter(unit=form.unit, year=year,
                                           semester=semester).first()
    if before is None:
        return []
    by_sop = {r.sop_id: r for r in before.rows.filter(sop__isnull=False, is_finding=False)}
    for row in rows:
        old = by_sop.get(row.sop_id)
        if old is not None:
            row.previous, row.previous_action = old, old.action
    extra = []
    for old in before.rows.filter(is_finding=True).exclude(action=""):
        extra.append(MonitoringRow(form=form, sop_id=old.sop_id, step=old.step,
                                   procedure=old.procedure, is_finding=True, previous=old,
                                   previous_action=old.action))
    return extra


@transaction.atomic
def create_form(unit: Unit, year: int, semester: int, user: User,
                now: dt.datetime | None = None) -> MonitoringForm:
    """The unit's form for the semester, its rows proposed from the data (the semester so
    far, when it is still running)."""
    with translation.override(settings.LANGUAGE_CODE):  # the notes are the form's text
        return _create(unit, year, semester, user, now)


def _proposals(form: MonitoringForm, today: dt.date
               ) -> list[tuple[Sop, SopVersion, Proposal]]:
    """Each SOP in force in the form's unit during its semester with what the semester's
    figures so far propose for it."""
    start, end = semester_bounds(form.year, form.semester)
    pairs = sops_in_force(form.unit, start, end)
    figures_by_sop: dict[int, list[queries.StepFigures]] = {}
    if pairs and start <= today:
        low, high = queries.bounds(start, min(end, today))
        filters = queries.Filters(frozenset(form.unit.descendant_ids()), low, high)
        wanted = {sop.pk for sop, _version in pairs}
        for figure in queries.step_figures(filters, waiting=False):
            if figure.sop_id in wanted:
                figures_by_sop.setdefault(figure.sop_id, []).append(figure)
    return [(sop, version, propose(figures_by_sop.get(sop.pk, []), form.threshold))
            for sop, version in pairs]


def _create(unit: Unit, year: int, semester: int, user: User,
            now: dt.datetime | None) -> MonitoringForm:
    form = MonitoringForm.objects.create(unit=unit, year=year, semester=semester,
                                         threshold=on_time_threshold(), created_by=user)
    today = timezone.localdate(now) if now else timezone.localdate()
    rows = [MonitoringRow(form=form, sop=sop, procedure=procedure_text(version),
                          judgement=proposal.judgement, notes=proposal.notes,
                          proposed_judgement=proposal.judgement,
                          proposed_notes=proposal.notes)
            for sop, version, proposal in _proposals(form, today)]
    rows.extend(_carry_over(form, rows))
    for number, row in enumerate(rows, start=1):
        row.number = number
    MonitoringRow.objects.bulk_create(rows)
    return form


@dataclass(frozen=True)
class Refreshed:
    updated: int  # rows as the data proposed them, now with the newer figures
    added: int  # SOPs in force that had no row yet
    kept: int  # rows the evaluator changed or initialled, left as they are


def refresh(form: MonitoringForm, now: dt.datetime | None = None) -> Refreshed:
    """Propose again from the figures so far (a form made before the semester ended): the
    rows still as the data proposed them and not initialled take the newer figures, an SOP
    that came into force gets a row; what the evaluator wrote is never overwritten."""
    with translation.override(settings.LANGUAGE_CODE), transaction.atomic():
        locked = _locked(form)
        today = timezone.localdate(now) if now else timezone.localdate()
        rows = {r.sop_id: r for r in locked.rows.filter(is_finding=False, sop__isnull=False)}
        updated = added = kept = 0
        last = locked.rows.order_by("-number").values_list("number", flat=True).first() or 0
        for sop, version, proposal in _proposals(locked, today):
            row = rows.get(sop.pk)
            if row is None:
                last += 1
                MonitoringRow.objects.create(
                    form=locked, number=last, sop=sop, procedure=procedure_text(version),
                    judgement=proposal.judgement, notes=proposal.notes,
                    proposed_judgement=proposal.judgement, proposed_notes=proposal.notes)
                added += 1
            elif (row.initialled or row.judgement != row.proposed_judgement
                  or row.notes != row.proposed_notes):
                kept += 1
            elif (row.judgement, row.notes) != (proposal.judgement, proposal.notes):
                row.judgement = row.proposed_judgement = proposal.judgement
                row.notes = row.proposed_notes = proposal.notes
                row.save(update_fields=["judgement", "notes", "proposed_judgement",
                                        "proposed_notes"])
                updated += 1
        return Refreshed(updated, added, kept)


def _draft(form: MonitoringForm) -> None:
    if form.final:
        raise Frozen(_("This form is final: it can no longer be changed."))


def _locked(form: MonitoringForm) -> MonitoringForm:
    """The form re-read under a row lock, so two evaluators do not finalise and edit at once."""
    locked = MonitoringForm.objects.select_for_update().get(pk=form.pk)
    _draft(locked)
    return locked


@transaction.atomic
def save_rows(form: MonitoringForm, rows: list[MonitoringRow],
              changed: dict[int, set[str]]) -> None:
    """Store edited rows; a row whose assessment changed loses its paraf (the initials vouch
    for what the row said when they were put)."""
    _locked(form)
    vouched = {"judgement", "notes", "action", "procedure"}
    for row in rows:
        if changed.get(row.pk, set()) & vouched and row.initialled:
            row.initialled_by, row.initialled_name, row.initialled_at = None, "", None
        row.save()


@transaction.atomic
def add_finding(form: MonitoringForm, **values: object) -> MonitoringRow:
    _locked(form)
    last = form.rows.order_by("-number").values_list("number", flat=True).first() or 0
    return MonitoringRow.objects.create(form=form, number=last + 1, is_finding=True,
                                        **values)


@transaction.atomic
def remove_finding(row: MonitoringRow) -> None:
    form = _locked(row.form)
    if not row.is_finding or row.evidence.exists():
        raise NotReady(_("Only a finding without evidence files can be removed."))
    row.delete()
    for number, other in enumerate(form.rows.order_by("number"), start=1):
        if other.number != number:
            other.number = number
            other.save(update_fields=["number"])


@transaction.atomic
def initial(row: MonitoringRow, user: User) -> MonitoringRow:
    """The evaluator's paraf on a row: their name and the time."""
    _locked(row.form)
    if not row.judgement:
        raise NotReady(_("Choose the assessment of row %(n)s before initialling it.")
                       % {"n": row.number})
    row.initialled_by, row.initialled_name = user, name_of(user)
    row.initialled_at = timezone.now()
    row.save(update_fields=["initialled_by", "initialled_name", "initialled_at"])
    return row


def missing(form: MonitoringForm) -> list[str]:
    """Why the form cannot be finalised yet, one line per problem."""
    problems = []
    rows = list(form.rows.all())
    if not rows:
        problems.append(_("The form has no rows: add at least one finding."))
    unjudged = [str(r.number) for r in rows if not r.judgement]
    if unjudged:
        problems.append(_("Rows without an assessment: %(rows)s.") % {"rows": ", ".join(unjudged)})
    bare = [str(r.number) for r in rows if not r.initialled]
    if bare:
        problems.append(_("Rows not initialled yet: %(rows)s.") % {"rows": ", ".join(bare)})
    return problems


@transaction.atomic
def finalise(form: MonitoringForm, user: User) -> MonitoringForm:
    locked = _locked(form)
    problems = missing(locked)
    if problems:
        raise NotReady(" ".join(problems))
    person = person_of(user)
    locked.status = MonitoringForm.Status.FINAL
    locked.finalised_by = user
    locked.finalised_at = timezone.now()
    locked.evaluator_name = name_of(user)
    locked.evaluator_nip = (person.nip or "") if person else ""
    locked.save()
    return locked


@transaction.atomic
def attach(form: MonitoringForm, row: MonitoringRow | None, uploaded: UploadedFile,
           label: str, user: User) -> Evidence:
    _locked(form)
    digest = hashlib.sha256()
    for chunk in uploaded.chunks():
        digest.update(chunk)
    uploaded.seek(0)
    name = (uploaded.name or "bukti")[:255]
    evidence = Evidence(form=form, row=row, label=label[:300], original_name=name,
                        size=uploaded.size or 0, sha256=digest.hexdigest(),
                        uploaded_by=user, uploaded_name=name_of(user))
    try:
        evidence.file.save(name, uploaded, save=False)
        evidence.save()
    except BaseException:
        if evidence.file.name:
            evidence.file.delete(save=False)
        raise
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence) -> None:
    """Take back a file attached by mistake (while the form is a draft)."""
    _locked(evidence.form)
    stored = evidence.file.name
    evidence.delete()
    if stored:
        transaction.on_commit(lambda: evidence.file.storage.delete(stored))
