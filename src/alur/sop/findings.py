"""Findings: how alur reports problems in user data instead of raising.

Every importer, the format loader and the checker speak in findings, so that a user sees every
problem of a document at once, each with a location they can act on, in their language
(Bahasa Indonesia unless told otherwise, see `alur.i18n`). A message is translated when the
finding is made, so it is plain text from then on (stored, serialised, compared in tests).
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any, TypedDict

from pydantic import BaseModel, ConfigDict, SerializerFunctionWrapHandler, model_serializer

from alur.i18n import N_, gettext


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """How a user reads it, in the current language: galat, peringatan, info."""
        return gettext(_SEVERITY_MSGIDS[self])


_SEVERITY_MSGIDS = {Severity.ERROR: N_("error"), Severity.WARNING: N_("warning"),
                    Severity.INFO: N_("info")}

# The Indonesian names, fixed: the web's import review uses them as keys (counts.galat), so
# they must not change with the language. Show `Severity.label` to people.
SEVERITY_LABELS = {Severity.ERROR: "galat", Severity.WARNING: "peringatan",
                   Severity.INFO: "info"}


class Location(TypedDict, total=False):
    """Where a finding is, as keyword arguments (`Message.at(step=3, line=12)`): the place
    fields of :class:`Finding`, so a misspelt or mistyped place is a type error, not a crash."""

    sop: str | None
    step: int | None
    line: int | None
    file: str | None
    page: int | None
    sheet: str | None
    cell: str | None
    table: int | None
    row: int | None


class Finding(BaseModel):
    """One problem or remark about a document, with where it is."""

    model_config = ConfigDict(frozen=True)

    severity: Severity
    code: str
    message: str
    sop: str | None = None
    step: int | None = None
    line: int | None = None
    file: str | None = None
    # Locations in documents that have no lines (sop-format.md): a PDF page (from 1), a
    # spreadsheet's sheet and cell ("D12"), a Word table and row (from 1).
    page: int | None = None
    sheet: str | None = None
    cell: str | None = None
    table: int | None = None
    row: int | None = None

    @model_serializer(mode="wrap")
    def _without_unused_places(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """The base keys always; a page, sheet, cell, table or row only where it applies."""
        data: dict[str, Any] = handler(self)
        for key in _OPTIONAL_PLACES:
            if data.get(key) is None:
                data.pop(key, None)
        return data

    def place(self) -> str:
        """Where in the document, as a person reads it: 'halaman 2', 'lembar X sel D12',
        'tabel 2 baris 5', or the line; empty when the finding has no place."""
        parts = []
        if self.page is not None:
            parts.append(gettext("page {page}").format(page=self.page))
        if self.sheet:
            parts.append(gettext("sheet '{sheet}'").format(sheet=self.sheet))
        if self.cell:
            parts.append(gettext("cell {cell}").format(cell=self.cell))
        if self.table is not None:
            parts.append(gettext("table {table}").format(table=self.table))
        if self.row is not None:
            parts.append(gettext("row {row}").format(row=self.row))
        if not parts and self.line:
            parts.append(gettext("line {line}").format(line=self.line))
        return " ".join(parts)

    def located(self) -> str:
        """`file:line [sop] langkah N` prefix for terminal output; a place without lines
        (page, sheet and cell, table and row) follows the file name."""
        parts = []
        lineless = any(v is not None for v in (self.page, self.sheet, self.table, self.row))
        if self.file and lineless:
            parts.append(f"{self.file} ({self.place()})")
        elif self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.place():
            parts.append(self.place())
        if self.sop:
            parts.append(f"[{self.sop}]")
        if self.step is not None:
            parts.append(gettext("step {step}").format(step=self.step))
        return " ".join(parts)


_OPTIONAL_PLACES = ("page", "sheet", "cell", "table", "row")


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
