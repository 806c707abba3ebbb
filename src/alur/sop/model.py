"""The SOP model: the `alur-sop/1` document as typed Python objects.

The field order of every model is the key order of the file format (sop-format.md), so dumping
a model gives the canonical order without a separate table. Unknown keys are rejected
(`extra="forbid"`) because a typo in a hand-written SOP must never vanish silently.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from alur.i18n import _

FORMAT: Literal["alur-sop/1"] = "alur-sop/1"
StepKind = Literal["start", "process", "decision", "end"]
STEP_KINDS: tuple[str, ...] = ("start", "process", "decision", "end")
JointPolicy = Literal["any", "all"]
# Which side of its diamond a decision's exit leaves by.
ExitSide = Literal["left", "right", "bottom"]
# Which side of its target a decision's exit enters by.
EntrySide = Literal["left", "right", "top", "bottom"]
# Where an exit's words sit beside the start of its arrow.
LabelSide = Literal["above", "below", "left", "right"]

_PARTIAL_DATE = re.compile(r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$")
_SLUG = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")


def _date_to_text(value: object) -> object:
    """YAML reads `2019-10-03` as a date; the format keeps dates as text (`YYYY-MM` is legal)."""
    if isinstance(value, dt.date):
        return value.isoformat()[:10]
    return value


def _check_partial_date(value: str) -> str:
    if not _PARTIAL_DATE.match(value):
        raise ValueError(_("the date must have the form YYYY-MM-DD or YYYY-MM"))
    if len(value) == 10:
        try:
            dt.date.fromisoformat(value)
        except ValueError:
            raise ValueError(_("the date {date} does not exist in the calendar").format(
                date=value)) from None
    return value


PartialDate = Annotated[str, BeforeValidator(_date_to_text)]


def _none_to_list(value: object) -> object:
    """`legal_basis:` with nothing after it means an empty list, not an error."""
    return [] if value is None else value


TextList = Annotated[list[str], BeforeValidator(_none_to_list)]


def _step_number(value: object) -> object:
    """Step numbers come as text from YAML ('3') or as ints from JSON; never as booleans."""
    if isinstance(value, bool):
        raise ValueError(_("a step number must be an integer"))
    return value


StepNumber = Annotated[int, BeforeValidator(_step_number)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


class Dates(_Strict):
    created: PartialDate | None = None
    revised: PartialDate | None = None
    effective: PartialDate | None = None

    @field_validator("created", "revised", "effective")
    @classmethod
    def _valid(cls, value: str | None) -> str | None:
        return None if value is None else _check_partial_date(value)


class Approver(_Strict):
    title: str = ""
    name: str = ""
    nip: str = ""


class Actor(_Strict):
    id: str
    name: str
    # Not a position but whoever starts a case (PNS, Pegawai, Pemohon): its steps go to that
    # person, it links to no position, and workload analysis leaves it out.
    applicant: bool = False

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(_("an actor id must be lowercase letters, digits and hyphens"))
        return value


class Source(_Strict):
    """Where a step was read: a line of a text, a PDF page (from 1), a spreadsheet's sheet and
    cell ("D12"), or a Word table and row (from 1); only the keys that apply are set."""

    file: str | None = None
    line: int | None = None
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None

    @property
    def located(self) -> bool:
        return any(v is not None for v in (self.file, self.line, self.page, self.sheet,
                                           self.cell, self.table, self.row))


class DecisionLabels(_Strict):
    """A decision's exits in its own words ("Lengkap" / "Tidak lengkap"); empty: Ya / Tidak."""

    yes: str = ""
    no: str = ""


class StepLayout(_Strict):
    """Drawing hints a person chose for a decision: the side each exit leaves by (`yes`,
    `no`), the side of its target it enters by (`yes_in`, `no_in`), and where its words sit
    (`yes_label`, `no_label`: above or below an exit that leaves sideways, left or right of
    one that leaves downwards). Renderers honour a hint only while the drawing rules still
    hold, and say so when they cannot."""

    yes: ExitSide | None = None
    no: ExitSide | None = None
    yes_in: EntrySide | None = None
    no_in: EntrySide | None = None
    yes_label: LabelSide | None = None
    no_label: LabelSide | None = None

    def routes(self) -> bool:
        """Whether it chooses any side an arrow leaves or enters by (the words' places are
        placed apart, after the arrows)."""
        return any((self.yes, self.no, self.yes_in, self.no_in))


class Step(_Strict):
    number: StepNumber
    activity: str | list[str] = ""
    actors: TextList = Field(default_factory=list)
    kind: StepKind = "process"
    inputs: TextList = Field(default_factory=list)
    time: str | None = None
    outputs: TextList = Field(default_factory=list)
    notes: str = ""
    next: StepNumber | None = None
    on_yes: StepNumber | None = None
    on_no: StepNumber | None = None
    labels: DecisionLabels = Field(default_factory=DecisionLabels)
    layout: StepLayout = Field(default_factory=StepLayout)
    calls: str | None = None
    # alur extension: how a joint step (several actors) finishes when run — when any one of
    # them completes it (the default) or only when all have.
    joint: JointPolicy | None = None
    # An internal note (an editor's reasoning, a reviewer's remark): kept in the file and shown
    # in the editor, never printed in the official document (its Keterangan is `notes`).
    comment: str = ""
    inferred: TextList = Field(default_factory=list)
    source: Source | None = None

    @field_validator("time", mode="before")
    @classmethod
    def _time_text(cls, value: object) -> object:
        """A bare number in YAML (`time: 5`) is kept as the author's text, not rejected."""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    @field_validator("notes", "comment", mode="before")
    @classmethod
    def _notes_text(cls, value: object) -> object:
        return "" if value is None else value

    @field_validator("time", "calls", mode="after")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        """An empty time or call means none, so files and models agree after a dump."""
        return value if value else None

    @field_validator("source", mode="after")
    @classmethod
    def _empty_source(cls, value: Source | None) -> Source | None:
        return value if value is not None and value.located else None

    @property
    def activity_text(self) -> str:
        """The activity as one string; sub-activities joined as a bulleted text."""
        if isinstance(self.activity, list):
            return "; ".join(self.activity)
        return self.activity

    @property
    def activity_lines(self) -> list[str]:
        if isinstance(self.activity, list):
            return list(self.activity)
        return [self.activity] if self.activity else []


class Section(_Strict):
    title: str
    text: str = ""


class Sop(_Strict):
    format: Literal["alur-sop/1"] = FORMAT
    id: str
    name: str = ""
    number: str = ""
    organization: TextList = Field(default_factory=list)
    dates: Dates = Field(default_factory=Dates)
    approved_by: Approver = Field(default_factory=Approver)
    legal_basis: TextList = Field(default_factory=list)
    qualifications: TextList = Field(default_factory=list)
    related: TextList = Field(default_factory=list)
    equipment: TextList = Field(default_factory=list)
    warnings: TextList = Field(default_factory=list)
    records: TextList = Field(default_factory=list)
    actors: list[Actor] = Field(default_factory=list)
    steps: list[Step] = Field(default_factory=list)
    sections: list[Section] = Field(default_factory=list)
    comment: str = ""  # internal, as a step's: never printed

    @field_validator("id")
    @classmethod
    def _slug(cls, value: str) -> str:
        if not _SLUG.match(value):
            raise ValueError(_("an SOP id must be lowercase letters, digits and hyphens "
                               "(e.g. surat-keluar)"))
        return value

    @field_validator("number", "name", mode="before")
    @classmethod
    def _text(cls, value: object) -> object:
        if value is None:
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            return str(value)
        return value

    def step(self, number: int) -> Step | None:
        """The step with this number, or None. Linear scan: SOPs have tens of steps."""
        for step in self.steps:
            if step.number == number:
                return step
        return None

    def actor(self, actor_id: str) -> Actor | None:
        for actor in self.actors:
            if actor.id == actor_id:
                return actor
        return None
