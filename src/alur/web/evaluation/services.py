"""What an evaluation does: begin it, keep the answers, propose a result from them, and
finalise it — freezing it and acting on the result. "Revise" opens a new draft of the SOP
(through the library's `new_draft`, or links the draft already open) and tells the unit's
authors; "revoke" tells the unit's approvers, who revoke through the SOP's own lifecycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from ..cases.models import Notification
from ..library.models import Sop, SopVersion
from ..library.services import DraftExists, new_draft
from ..org.models import AnyUser, Membership, Person
from ..work import notify_once
from .criteria import NUMBERS
from .models import Answer, Evaluation

Result = Evaluation.Result
# Notice subjects, translated when written (into the installation's language).
REVISE_SUBJECT = gettext_noop("Revise SOP %(name)s: result of the %(year)s evaluation")
REVOKE_SUBJECT = gettext_noop("Proposal to revoke SOP %(name)s: result of the %(year)s "
                              "evaluation")


def period_for(day: dt.date) -> tuple[dt.date, dt.date]:
    """The evidence's period: the twelve months up to `day`, inclusive."""
    try:
        start = day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        start = day.replace(year=day.year - 1, day=28)
    return start + dt.timedelta(days=1), day


def begin(sop: Sop, version: SopVersion, user: AnyUser,
          today: dt.date | None = None) -> Evaluation:
    """This year's evaluation of the SOP (created on its first save, with its period)."""
    today = today or timezone.localdate()
    start, end = period_for(today)
    evaluation, _created = Evaluation.objects.get_or_create(
        sop=sop, year=today.year,
        defaults={"version": version, "period_start": start, "period_end": end,
                  "created_by": user if user.is_authenticated else None})
    return evaluation


def answers_of(evaluation: Evaluation | None) -> dict[int, Answer]:
    if evaluation is None or evaluation.pk is None:
        return {}
    return {a.criterion: a for a in evaluation.answers.all()}


def save_answers(evaluation: Evaluation, answers: Mapping[int, tuple[bool | None, str]],
                 result: str, reason: str) -> None:
    """Keep the answers (criterion → (Ya/Tidak/None, notes)), the result and its reason."""
    if evaluation.final:
        raise ValueError(_("This evaluation is finalised and can no longer be changed."))
    for number in NUMBERS:
        meets, notes = answers.get(number, (None, ""))
        Answer.objects.update_or_create(evaluation=evaluation, criterion=number,
                                        defaults={"meets": meets, "notes": notes})
    evaluation.result, evaluation.reason = result, reason
    evaluation.save(update_fields=["result", "reason", "updated_at"])


@dataclass(frozen=True)
class Proposal:
    """What the answers suggest: None until every criterion is answered; revise when any is
    Tidak (naming which), keep when all are Ya. Revoking is the evaluator's own call."""

    result: str | None
    failed: tuple[int, ...]
    unanswered: tuple[int, ...]


def propose(answers: Mapping[int, bool | None]) -> Proposal:
    failed = tuple(n for n in NUMBERS if answers.get(n) is False)
    unanswered = tuple(n for n in NUMBERS if answers.get(n) is None)
    if failed:
        return Proposal(Result.REVISE, failed, unanswered)
    if unanswered:
        return Proposal(None, failed, unanswered)
    return Proposal(Result.KEEP, failed, unanswered)


def missing_for_final(evaluation: Evaluation) -> list[str]:
    """Why the evaluation cannot be finalised yet, in words (empty when it can)."""
    problems = []
    answered = {a.criterion for a in evaluation.answers.all() if a.meets is not None}
    if unanswered := [n for n in NUMBERS if n not in answered]:
        problems.append(_("Answer every criterion (not yet answered: %(numbers)s).")
                        % {"numbers": ", ".join(str(n) for n in unanswered)})
    if not evaluation.result:
        problems.append(_("Choose the result: keep, revise or revoke."))
    if not evaluation.reason.strip():
        problems.append(_("Write the reason for the result."))
    return problems


@dataclass(frozen=True)
class Outcome:
    """What finalising did, for the page's message."""

    draft: SopVersion | None = None
    draft_created: bool = False
    notified: int = 0


def _people(sop: Sop, role: str) -> list[int]:
    """The employees (accounts linked to a Person) with the role in the SOP's unit or a
    unit above it."""
    units = sop.unit.chain_ids()
    return list(Person.objects.filter(user__memberships__role=role,
                                      user__memberships__unit_id__in=units)
                .values_list("pk", flat=True).distinct())


def draft_link(sop: Sop, draft: SopVersion) -> str:
    return f"{reverse('library:detail', args=[sop.public_id])}?versi={draft.public_id}"


@transaction.atomic
def finalise(evaluation: Evaluation, user: AnyUser,
             now: dt.datetime | None = None) -> Outcome:
    """Freeze the evaluation and act on its result. Raises ValueError (with the reasons in
    words) when it is incomplete or already final."""
    evaluation = Evaluation.objects.select_for_update().select_related(
        "sop__unit", "version").get(pk=evaluation.pk)
    if evaluation.final:
        raise ValueError(_("This evaluation is already finalised."))
    if problems := missing_for_final(evaluation):
        raise ValueError(" ".join(problems))
    if not user.is_authenticated:
        raise ValueError(_("Sign in to finalise the evaluation."))
    person = Person.objects.filter(user_id=user.pk).first()
    evaluation.finalised_at = now or timezone.now()
    evaluation.finalised_by = user
    evaluation.evaluator_name = (person.name if person else
                                 (user.get_full_name() or user.get_username()))
    evaluation.evaluator_nip = (person.nip or "") if person else ""
    outcome = Outcome()
    if evaluation.result == Result.REVISE:
        outcome = _revise(evaluation, user)
    elif evaluation.result == Result.REVOKE:
        outcome = _propose_revocation(evaluation)
    evaluation.save()
    return outcome


def _subject(text: str, evaluation: Evaluation) -> str:
    """A notice's subject in the installation's language (it is stored as written)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _(text) % {"name": evaluation.version.name, "year": evaluation.year}


def _revise(evaluation: Evaluation, user: AnyUser) -> Outcome:
    # The version in force now: if a newer one was approved while the evaluation was open,
    # the revision starts from it, not from the one evaluated.
    base = evaluation.sop.in_force() or evaluation.version
    try:
        draft, created = new_draft(base, user), True
    except DraftExists as exists:
        draft, created = exists.draft, False
    evaluation.draft, evaluation.draft_created = draft, created
    notified = notify_once(
        _people(evaluation.sop, Membership.Role.PENYUSUN), Notification.Kind.RETURNED,
        _subject(REVISE_SUBJECT, evaluation),
        draft_link(evaluation.sop, draft), key=f"evaluation-revise:{evaluation.pk}")
    return Outcome(draft, created, notified)


def _propose_revocation(evaluation: Evaluation) -> Outcome:
    link = reverse("evaluation:detail", args=[evaluation.public_id])
    notified = notify_once(
        _people(evaluation.sop, Membership.Role.PENGESAH), Notification.Kind.EVALUATION_RESULT,
        _subject(REVOKE_SUBJECT, evaluation),
        link, key=f"evaluation-revoke:{evaluation.pk}")
    return Outcome(notified=notified)


def evaluations_for(sop_ids: Iterable[int], year: int) -> dict[int, Evaluation]:
    """This year's evaluation of each SOP that has one (draft or final)."""
    return {e.sop_id: e for e in Evaluation.objects.filter(sop_id__in=set(sop_ids), year=year)}
