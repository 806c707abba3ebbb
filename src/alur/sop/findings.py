"""Findings: how alur reports problems in user data instead of raising.

Every importer, the format loader and the checker speak in findings, so that a user sees every
problem of a document at once, each with a location they can act on, in Indonesian.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        """How a user reads it: galat, peringatan, info."""
        return SEVERITY_LABELS[self]


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
            parts.append(f"baris {self.line}")
        if self.sop:
            parts.append(f"[{self.sop}]")
        if self.step is not None:
            parts.append(f"langkah {self.step}")
        return " ".join(parts)


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity is Severity.ERROR for f in findings)
