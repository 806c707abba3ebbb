"""Findings: how alur reports problems in user data instead of raising.

Every importer, the format loader and the checker speak in findings, so that a user sees every
problem of a document at once, each with a location they can act on, in their language
(Bahasa Indonesia unless told otherwise, see `alur.i18n`). A message is translated when the
finding is made, so it is plain text from then on (stored, serialised, compared in tests).
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

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

    def located(self) -> str:
        """`file:line (langkah N)` prefix for terminal output."""
        parts = []
        if self.file:
            parts.append(self.file + (f":{self.line}" if self.line else ""))
        elif self.line:
            parts.append(gettext("line {line}").format(line=self.line))
        if self.sop:
            parts.append(f"[{self.sop}]")
        if self.step is not None:
            parts.append(gettext("step {step}").format(step=self.step))
        return " ".join(parts)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
