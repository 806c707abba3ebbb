"""The seven criteria of the yearly evaluation, as Permenpan RB 35/2012 names them (the
Indonesian wording is in the catalog, the English here is the msgid)."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CRITERIA: tuple[tuple[int, Promise], ...] = (
    (1, _("Able to drive an improvement in performance")),
    (2, _("Easy to understand")),
    (3, _("Easy to carry out")),
    (4, _("Everyone can play their own role")),
    (5, _("Able to resolve the problems that concern the process")),
    (6, _("Able to answer the need to improve performance")),
    (7, _("The system runs in synergy among the performers, without overlapping tasks")),
)
NUMBERS = tuple(number for number, _text in CRITERIA)


def criterion_text(number: int) -> str:
    return str(dict(CRITERIA)[number])
