"""The finding-code registry: every code alur can report, with its severity and its messages.

A code is stable (tests, the web's filters and other programs key on it); its messages are
English msgids shown through gettext, in Indonesian by default. Keeping code, severity and
message variants in one place means the checker, the format loader and every importer report a
problem the same way, and `docs/findings.md` is generated from this table
(`tools/findings_doc.py`) rather than written by hand beside it.

Usage::

    from alur.sop import codes

    codes.IMPORT_NO_TABLE().at(sop=sop_id, line=12)
    codes.IMPORT_GARBLED("identity", text=snippet).at(line=block.line)

`Code(variant, **fields)` picks a message variant ("" is the default) and fills its named
placeholders; `.at(**location)` makes the `Finding` with the code's severity. A plural variant
is a (singular, plural) pair chosen by the field `count`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alur.i18n import gettext, ngettext

from .findings import Finding, Severity

E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO


def Np_(singular: str, plural: str) -> tuple[str, str]:
    """Mark a plural pair for extraction (xgettext --keyword=Np_:1,2); translated when used."""
    return singular, plural


MessageId = str | tuple[str, str]


@dataclass(frozen=True)
class Message:
    """A code with its message filled in, waiting for its location."""

    code: Code
    text: str

    def at(self, **location: object) -> Finding:
        """The finding at a location: sop, step, line, file, page, sheet, cell, table, row."""
        return Finding(severity=self.code.severity, code=self.code.code, message=self.text,
                       **location)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Code:
    """One finding code: its severity, what it means (for the reference) and its messages."""

    code: str
    severity: Severity
    meaning: str
    messages: Mapping[str, MessageId]

    def __call__(self, variant: str = "", /, **fields: object) -> Message:
        msgid = self.messages[variant]
        if isinstance(msgid, tuple):
            count = fields.get("count")
            template = ngettext(msgid[0], msgid[1], count if isinstance(count, int) else 1)
        else:
            template = gettext(msgid)
        return Message(self, template.format(**fields) if fields else template)

    def message(self, variant: str = "", /, **fields: object) -> str:
        return self(variant, **fields).text


REGISTRY: dict[str, Code] = {}


def register(code: str, severity: Severity, meaning: str,
             messages: Mapping[str, MessageId] | MessageId | None = None) -> Code:
    """Add a code to the registry; a code is registered once."""
    if code in REGISTRY:
        raise ValueError(f"finding code registered twice: {code}")
    if messages is None:
        messages = {}
    elif not isinstance(messages, Mapping):
        messages = {"": messages}
    entry = Code(code, severity, meaning, dict(messages))
    REGISTRY[code] = entry
    return entry


def lookup(code: str) -> Code | None:
    return REGISTRY.get(code)


# The codes follow, grouped as docs/findings.md shows them. A module reports only codes that
# stand here. ------------------------------------------------------------------------------
