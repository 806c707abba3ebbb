"""The identity sheet (identitas SOP): labelled fields, the paired list sections, the agency.

Two layouts occur: label and value side by side in one row ("NOMOR SOP <tab> SOP.014.SEKRE"),
and list sections either as a heading line followed by numbered lines ("Dasar Hukum :") or as a
row of two labels whose contents stand in the row below (Dasar Hukum | Kualifikasi Pelaksana).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from functools import lru_cache

from alur.i18n import N_

from .cells import cell_items, cell_pieces, cell_text, fold

FIELD_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^(nomor|no\.?)\s*sop$"), "number"),
    (re.compile(r"^tanggal\s+pembuatan$"), "created"),
    (re.compile(r"^tanggal\s+revisi$"), "revised"),
    (re.compile(r"^tanggal\s+(efektif|pengesahan|berlaku)$"), "effective"),
    (re.compile(r"^disahkan\s+oleh$"), "approver"),
    (re.compile(r"^nama\s+sop$"), "name"),
]
LIST_LABELS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"^dasar\s+hukum$"), "legal_basis"),
    (re.compile(r"^kualifikasi\s+pelaksana(an)?$"), "qualifications"),
    (re.compile(r"^keterkaitan$"), "related"),
    (re.compile(r"^peralatan\s*(/|dan)?\s*perlengkapan$"), "equipment"),
    (re.compile(r"^peringatan$"), "warnings"),
    (re.compile(r"^pencatatan\s+dan\s+pendataan$"), "records"),
]
# The lists' titles as messages name them (msgids: translate with gettext where shown).
LIST_TITLES = {
    "legal_basis": N_("Legal basis"), "qualifications": N_("Implementer qualifications"),
    "related": N_("Related procedures"), "equipment": N_("Equipment/supplies"),
    "warnings": N_("Warnings"), "records": N_("Recording and data collection"),
}
_AGENCY_WORDS = re.compile(
    r"\b(pemerintah|kementerian|kementrian|provinsi|kabupaten|kota|dinas|badan|sekretariat|"
    r"bagian|biro|inspektorat|kantor|sub\s?bag(ian)?|bidang|seksi|upt|kecamatan|kelurahan|"
    r"desa|direktorat|lembaga|rumah sakit|puskesmas|satuan)\b", re.IGNORECASE)


def _norm_label(text: str) -> str:
    return fold(text).lower().rstrip(" :").strip()


@lru_cache(maxsize=8192)  # a pure label test, asked again for every row a reader passes
def field_label(text: str) -> str | None:
    norm = _norm_label(text)
    return next((key for pattern, key in FIELD_LABELS if pattern.match(norm)), None)


def list_label(text: str) -> tuple[str, str] | None:
    """(key, rest) for a list heading; `rest` is text after 'Label :' on the same line."""
    plain = fold(text)
    head, sep, rest = plain.partition(":")
    norm = _norm_label(head if sep else plain)
    for pattern, key in LIST_LABELS:
        if pattern.match(norm):
            return key, rest.strip() if sep else ""
    return None


def looks_like_agency(text: str) -> bool:
    """An agency heading line: names a kind of government body, or is an upper-case title."""
    words = text.split()
    if len(words) < 2:
        # A heading line of one word names a body ("SEKRETARIAT", "INSPEKTORAT").
        return bool(words) and bool(_AGENCY_WORDS.fullmatch(text.strip())) and text.isupper()
    letters = [c for c in text if c.isalpha()]
    upper = letters and sum(c.isupper() for c in letters) / len(letters) > 0.8
    return bool(_AGENCY_WORDS.search(text)) or bool(upper and len(words) >= 3)


_MONTHS = {
    "januari": 1, "jan": 1, "februari": 2, "pebruari": 2, "feb": 2, "peb": 2, "maret": 3,
    "mar": 3, "april": 4, "apr": 4, "mei": 5, "juni": 6, "jun": 6, "juli": 7, "jul": 7,
    "agustus": 8, "agt": 8, "agu": 8, "agus": 8, "ags": 8, "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "nopember": 11, "nop": 11,
    "desember": 12, "des": 12, "dec": 12,
}


def parse_date(text: str) -> str | None:
    """'3 Oktober 2019' → '2019-10-03', 'April 2024' → '2024-04'; None when not a date."""
    plain = fold(text).strip(" :.,").lower()
    if not plain:
        return None
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?", plain):
        year, month, day = int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    elif m := re.fullmatch(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})", plain):
        day, month, year = int(m[1]), int(m[2]), int(m[3])
    elif m := re.fullmatch(r"(?:(\d{1,2})\s+)?([a-z]+)\.?\s+(\d{4})", plain):
        month = _MONTHS.get(m[2], 0)
        day, year = (int(m[1]) if m[1] else None), int(m[3])
    else:
        return None
    if not 1 <= month <= 12 or not 1900 <= year <= 2200:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    import datetime as dt

    try:
        return dt.date(year, month, day).isoformat()
    except ValueError:
        return None


_NIP = re.compile(r"(?:NIP\.?\s*:?\s*)?\b(\d{8})\s*(\d{6})\s*(\d)\s*(\d{3})\b", re.IGNORECASE)
_DEGREE = re.compile(
    r"(,\s*[A-Z][A-Za-z]{0,4}\.|\b(Drs|Dr|Ir|Hj?|Prof)\.\s|\bS\.[A-Z][A-Za-z]*\.?|"
    r"\bM\.[A-Z][A-Za-z]*\.?|,\s*(SH|MM|MH|SE|ST|MT|MSi|SSos|SAP|MAP|SPd)\b)")


@dataclass
class ApproverText:
    title: str = ""
    name: str = ""
    nip: str = ""


def find_nip(text: str) -> tuple[str, str]:
    """(18-digit NIP, text without it) — NIPs are often written '19631223 198603 1 006'."""
    match = _NIP.search(text)
    if not match:
        return "", text
    return "".join(match.groups()), (text[: match.start()] + " " + text[match.end():])


def looks_like_person(text: str) -> bool:
    return bool(_DEGREE.search(text)) and len(text.split()) <= 8


def parse_approver(raw: str) -> ApproverText:
    """Split 'KEPALA DINAS …  PADLILLAH, S.Pd.I., M.H. NIP. 1977…' into title, name, NIP."""
    pieces = cell_pieces(raw) if "<" in raw else [
        p for p in re.split(r"\s{2,}", raw.replace("\xa0", " ").strip()) if p]
    result = ApproverText()
    rest: list[str] = []
    for piece in pieces:
        nip, without = find_nip(piece)
        if nip:
            result.nip = nip
        without = fold(without)
        if without:
            rest.append(without)
    for piece in rest:
        if not result.name and looks_like_person(piece):
            result.name = piece
        elif not result.title:
            result.title = piece
        else:
            result.title = f"{result.title} {piece}"
    return result


@dataclass
class Identity:
    """What the identity part of one SOP said, with where each value came from."""

    name: str = ""
    number: str = ""
    dates: dict[str, str] = field(default_factory=dict)
    approver: ApproverText = field(default_factory=ApproverText)
    organization: list[str] = field(default_factory=list)
    lists: dict[str, list[str]] = field(default_factory=dict)
    # Narrative sections written before the table (A. Latar Belakang …): (title, lines).
    sections: list[tuple[str, list[str]]] = field(default_factory=list)


_TRUNCATED = re.compile(r"^\s*\d+\.\s*\S")


def split_by_hints(full: str, hints_raw: str) -> list[str] | None:
    """Rebuild a list from a run-on text and a truncated numbered cell ('2. Memaha 3. Mampu').

    Word tables copied narrow keep only the first letters of items 2, 3, …; the full text
    beside them has the items run together. The prefixes show where each item starts.
    """
    hints = [h.strip() for _, h in re.findall(r"(\d+)\.\s*(.+?)(?=\s+\d+\.|$)", hints_raw)]
    if not hints:
        return None
    positions = [0]
    cursor = 0
    for hint in hints:
        index = full.find(hint, cursor + 1)
        if index <= 0:
            return None
        positions.append(index)
        cursor = index
    positions.append(len(full))
    items = [full[a:b].strip(" ;,") for a, b in itertools.pairwise(positions)]
    return [i for i in items if i]


def is_truncated_hint(text: str) -> bool:
    return bool(_TRUNCATED.match(text)) and len(text) < 60


def list_cell_items(raw: str) -> list[str]:
    """Items of a list section cell: list items, bullets, or one item of plain text."""
    items = cell_items(raw)
    return items if items else ([cell_text(raw)] if cell_text(raw) else [])
