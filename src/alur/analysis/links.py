"""The Keterkaitan graph: which SOP calls or names which, and the names that match no SOP.

An SOP points at another in three places: a step's `calls` (an SOP id, run as a step), the
identity sheet's `related` list ("SOP Pelaksanaan Rapat"), and a step's notes ("Lanjutan SOP
Penanganan Surat Masuk"). Ids match exactly; names match after normalisation: case,
punctuation, a leading "SOP" and a trailing abbreviation in brackets are ignored, and one
leading process noun on either side ("Penyusunan Perjanjian Kinerja (PK)" names "PERJANJIAN
KINERJA") — but never on both, so "Penyusunan Renja" does not match "Penetapan Renja". A name
that matches no SOP, or several, is a broken link: the author should fix the reference.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from alur.sop.model import Sop

__all__ = ["Broken", "Link", "LinkGraph", "Reference", "link_graph", "normalise_name"]

Kind = Literal["calls", "related", "notes"]


@dataclass(frozen=True)
class Reference:
    """One place where an SOP names another: the kind, the text, and the step (if any)."""

    kind: Kind
    text: str
    step: int | None = None


@dataclass(frozen=True)
class Link:
    """`source` names `target` (both SOP ids), in the places `references` lists."""

    source: str
    target: str
    references: tuple[Reference, ...]

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return tuple(dict.fromkeys(r.kind for r in self.references))


@dataclass(frozen=True)
class Broken:
    """`source` names something that is no (single) SOP of the library."""

    source: str
    text: str
    references: tuple[Reference, ...]
    candidates: tuple[str, ...] = ()  # several SOPs matched: which ones

    @property
    def kinds(self) -> tuple[Kind, ...]:
        return tuple(dict.fromkeys(r.kind for r in self.references))


@dataclass
class LinkGraph:
    """The SOPs (id → name, in the order given), their links and their broken links."""

    sops: dict[str, str]
    links: list[Link] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)

    def linked(self) -> list[str]:
        """Ids of the SOPs that take part in a link or a broken link, in library order."""
        ids = {x for link in self.links for x in (link.source, link.target)}
        ids |= {b.source for b in self.broken}
        return [i for i in self.sops if i in ids]


_PUNCT = re.compile(r"[^\w]+")
_BRACKETS = re.compile(r"\([^)]*\)")
_SOP_WORD = re.compile(r"^(?:sop|standar operasional prosedur)\s+")
_PROCESS_NOUN = re.compile(r"^pe\w+an\s+(?=\w)")
# "SOP X" opening a note or a sentence, or after a word that points somewhere ("Lanjutan SOP
# X", "lihat SOP X", "sesuai SOP X"); not "seperti SOP lain" (a comparison). The name runs to
# the end of the clause.
_NOTE_REF = re.compile(
    r"(?:^|[.;:]\s+|\b(?:lanjutan|lanjut|dilanjutkan|lihat|mengikuti|sesuai|menurut|"
    r"berdasarkan|melalui|dengan|ke|dari|menggunakan)\s+)"
    r"SOP\s+(?P<name>[^.;,:\n()]+(?:\([^)]*\))?)", re.IGNORECASE | re.MULTILINE)
_NOT_A_NAME = {"ini", "itu", "tersebut", "ap", "yang", "dan"}


def normalise_name(text: str) -> str:
    """Lowercase words only, without a leading "SOP" or a bracketed abbreviation."""
    text = _BRACKETS.sub(" ", text.casefold())
    text = _PUNCT.sub(" ", text).strip()
    return _SOP_WORD.sub("", text)


def _loose(name: str) -> str | None:
    """`name` without one leading process noun (penyusunan, pengajuan, penanganan ...)."""
    stripped = _PROCESS_NOUN.sub("", name, count=1)
    return stripped if stripped != name else None


def _references(sop: Sop) -> list[Reference]:
    found: list[Reference] = []
    for step in sop.steps:
        if step.calls:
            found.append(Reference("calls", step.calls, step.number))
    for item in sop.related:
        text = item.strip().rstrip(" .;,")
        if text:
            found.append(Reference("related", text))
    for step in sop.steps:
        for match in _NOTE_REF.finditer(step.notes):
            name = match.group("name").strip().rstrip(" .;,")
            if name and normalise_name(name) not in _NOT_A_NAME:
                found.append(Reference("notes", f"SOP {name}", step.number))
    return found


class _Matcher:
    def __init__(self, sops: Iterable[Sop]) -> None:
        self.ids: set[str] = set()
        self.exact: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}
        for sop in sops:
            self.ids.add(sop.id)
            for name in {normalise_name(sop.name), sop.id.replace("-", " ")}:
                if not name:
                    continue
                self.exact.setdefault(name, set()).add(sop.id)
                stripped = _loose(name)
                if stripped:
                    self.loose.setdefault(stripped, set()).add(sop.id)

    def match(self, reference: Reference) -> set[str]:
        if reference.text in self.ids:
            return {reference.text}
        if reference.kind == "calls":
            return set()  # `calls` holds an id; a name there is an error, not a guess
        name = normalise_name(reference.text)
        if name in self.exact:
            return self.exact[name]
        found = set(self.loose.get(name, set()))
        stripped = _loose(name)
        if stripped and stripped in self.exact:
            found |= self.exact[stripped]
        return found


def link_graph(sops: Iterable[Sop]) -> LinkGraph:
    """The Keterkaitan graph of a library. An SOP naming itself is no link and no error."""
    library = list(sops)
    matcher = _Matcher(library)
    graph = LinkGraph({s.id: s.name for s in library})
    for sop in library:
        links: dict[str, list[Reference]] = {}
        broken: dict[str, tuple[str, list[Reference], tuple[str, ...]]] = {}
        for reference in _references(sop):
            targets = matcher.match(reference)
            if len(targets) == 1:
                (target,) = targets
                if target != sop.id:
                    links.setdefault(target, []).append(reference)
                continue
            key = normalise_name(reference.text) or reference.text
            entry = broken.setdefault(key, (reference.text, [], tuple(sorted(targets))))
            entry[1].append(reference)
        graph.links.extend(Link(sop.id, t, tuple(r)) for t, r in links.items())
        graph.broken.extend(Broken(sop.id, text, tuple(r), c) for text, r, c in broken.values())
    return graph
