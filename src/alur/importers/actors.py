"""Finding a step's actor in its text, only where the text really names it.

When the flowchart marks are lost, the activity text sometimes still says who acts: the subject
at the start ("PNS mengisi form SKP"), or an agent phrase ("ditandatangani oleh Kepala Badan").
A position named as the object ("Menugaskan Kasubag …", "Diajukan ke Kabag …") is not evidence
and is never used: a wrong actor routes real tasks to the wrong official.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from alur.i18n import _
from alur.sop.model import Actor

# Common abbreviations of position names in Indonesian SOPs, both directions.
_ABBREVIATIONS = {
    "kadis": "kepala dinas", "kaban": "kepala badan", "kabag": "kepala bagian",
    "kasubag": "kepala sub bagian", "kasubbag": "kepala sub bagian", "kabid": "kepala bidang",
    "kasubid": "kepala sub bidang", "kasubbid": "kepala sub bidang", "kasi": "kepala seksi",
    "sekdis": "sekretaris dinas", "sekban": "sekretaris badan", "ka": "kepala",
    "pengadm": "pengadministrasi", "pengadministrasian": "pengadministrasi",
    "ptgs": "petugas", "staff": "staf", "jfu": "jabatan fungsional umum",
    "subbag": "sub bagian", "subag": "sub bagian", "subbagian": "sub bagian",
    "subbidang": "sub bidang",
}
_WORD = re.compile(r"[a-z0-9]+")


def normalise(text: str) -> str:
    """Lowercase words with abbreviations expanded: 'Ka. Subag' → 'kepala sub bagian'."""
    words = _WORD.findall(text.lower().replace("sub bag", "subbag"))
    return " ".join(_ABBREVIATIONS.get(w, w) for w in words)


@dataclass(frozen=True)
class Evidence:
    """An actor found in a text, the words that show it, and how it was matched."""

    actor_id: str
    phrase: str
    fuzzy: bool = False


_NAME_PARTS = re.compile(r"/| dan | & |,")


def _name_forms(actor: Actor) -> tuple[str, ...]:
    return _forms_of_name(actor.name)


@lru_cache(maxsize=4096)
def _forms_of_name(name: str) -> tuple[str, ...]:
    """The normalised forms a column's name is written in, longest first. Remembered by name:
    every step of an SOP asks for the forms of all its actors (names are short and few, so
    the cache stays small; step texts are not remembered)."""
    forms = {normalise(name)}
    # "Staf/Jabatan Fungsional Umum", "PNS dan PTT": each part names the same column.
    for part in _NAME_PARTS.split(name):
        if part.strip() and len(part.strip()) > 2:
            forms.add(normalise(part))
    return tuple(sorted((f for f in forms if f), key=len, reverse=True))


def _match_at_start(text: str, actors: list[Actor]) -> Evidence | None:
    norm = normalise(text)
    for actor in actors:
        for form in _name_forms(actor):
            # The subject must be followed by more words (a verb), not be the whole text.
            if norm.startswith(form + " ") and len(norm) > len(form) + 2:
                return Evidence(actor.id, " ".join(text.split()[: len(form.split())]))
    return None


_AGENT = re.compile(r"\boleh\s+((?:[A-Za-z.]+\s*){1,6})", re.IGNORECASE)


def _match_agent(text: str, actors: list[Actor]) -> list[Evidence]:
    found: list[Evidence] = []
    for match in _AGENT.finditer(text):
        words = match.group(1).split()
        candidate = None
        # Longest prefix of the words after "oleh" that names an actor, exactly or nearly.
        for length in range(min(len(words), 6), 0, -1):
            phrase = " ".join(words[:length]).rstrip(".,;")
            norm = normalise(phrase)
            exact = [a for a in actors if norm in _name_forms(a)]
            if exact:
                candidate = Evidence(exact[0].id, "oleh " + phrase)
                break
            close = [
                a for a in actors for form in _name_forms(a)
                if len(form) > 5 and difflib.SequenceMatcher(None, norm, form).ratio() >= 0.85
            ]
            if close:
                candidate = Evidence(close[0].id, "oleh " + phrase, fuzzy=True)
                break
        if candidate:
            found.append(candidate)
    return found


def infer_actor(lines: list[str], actors: list[Actor]) -> tuple[Evidence | None, str | None]:
    """The actor a step's text names, or None with a reason when evidence conflicts."""
    evidence: list[Evidence] = []
    for line in lines:
        evidence.extend(_match_agent(line, actors))
    if lines:
        subject = _match_at_start(lines[0], actors)
        if subject:
            evidence.append(subject)
    ids = {e.actor_id for e in evidence}
    if len(ids) > 1:
        names = ", ".join(sorted(e.phrase for e in evidence))
        # Translators: completes "there is no actor mark in the source and …".
        return None, _("the text names several actors ({names})").format(names=names)
    return (evidence[0], None) if evidence else (None, None)


# Words that, alone or joined ("PNS dan PTT", "Pegawai yang bersangkutan"), name whoever asks
# rather than a position. A name with any other word ("Pegawai Subbag Keuangan") is a position.
_APPLICANT_WORDS = frozenset({
    "pns", "asn", "ptt", "pppk", "cpns", "honorer", "pegawai", "pemohon", "pengusul", "pelapor",
    "pengadu", "masyarakat", "yang", "bersangkutan", "ybs", "dan", "atau"})
_SUBJECT_WORDS = _APPLICANT_WORDS - {"yang", "bersangkutan", "ybs", "dan", "atau"}


def looks_like_applicant(name: str) -> bool:
    """Whether an actor column's name stands for the person who starts a case (PNS, Pemohon,
    "PNS dan PTT"), so an importer can propose `applicant`. Only a proposal: the author
    decides in the editor or the import review, and routing follows the flag, never the name."""
    words = _WORD.findall(name.lower())
    return bool(words) and all(w in _APPLICANT_WORDS for w in words) \
        and any(w in _SUBJECT_WORDS for w in words)


def propose_applicants(actors: list[Actor]) -> list[Actor]:
    """The actors with `applicant` proposed from their names (kept where already set)."""
    return [a if a.applicant or not looks_like_applicant(a.name)
            else a.model_copy(update={"applicant": True}) for a in actors]
