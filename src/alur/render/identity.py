"""The identity sheet (identitas SOP) as format-neutral rows, in the official order of
Permenpan RB 35/2012: the right-hand column of the top block, then the three label pairs."""

from __future__ import annotations

from alur.sop.model import Sop

MONTHS = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
          "September", "Oktober", "November", "Desember")

# The right-hand column of the top block, one row each, top-down.
TOP = ("Nomor SOP", "Tanggal Pembuatan", "Tanggal Revisi", "Tanggal Efektif", "Disahkan oleh",
       "Nama SOP")
# The three pairs below the top block, left | right.
PAIRS = (("Dasar Hukum", "Kualifikasi Pelaksana"), ("Keterkaitan", "Peralatan/Perlengkapan"),
         ("Peringatan", "Pencatatan dan Pendataan"))


def indonesian_date(value: str | None) -> str:
    """`2019-10-03` → "3 Oktober 2019", `2024-04` → "April 2024"; anything else as given."""
    if not value:
        return ""
    parts = value.split("-")
    try:
        month = MONTHS[int(parts[1]) - 1]
        if len(parts) == 2:
            return f"{month} {int(parts[0])}"
        return f"{int(parts[2])} {month} {int(parts[0])}"
    except (IndexError, ValueError):
        return value


def identity_rows(sop: Sop) -> list[tuple[str, list[str]]]:
    """(label, value lines) in the official order. "Disahkan oleh" is jabatan, nama, NIP."""
    approver = sop.approved_by
    approved = [line for line in (approver.title, approver.name,
                                  f"NIP. {approver.nip}" if approver.nip else "") if line]
    return [
        ("Nomor SOP", [sop.number] if sop.number else []),
        ("Tanggal Pembuatan", _date(sop.dates.created)),
        ("Tanggal Revisi", _date(sop.dates.revised)),
        ("Tanggal Efektif", _date(sop.dates.effective)),
        ("Disahkan oleh", approved),
        ("Nama SOP", [sop.name] if sop.name else []),
        ("Dasar Hukum", list(sop.legal_basis)),
        ("Kualifikasi Pelaksana", list(sop.qualifications)),
        ("Keterkaitan", list(sop.related)),
        ("Peralatan/Perlengkapan", list(sop.equipment)),
        ("Peringatan", list(sop.warnings)),
        ("Pencatatan dan Pendataan", list(sop.records)),
    ]


def _date(value: str | None) -> list[str]:
    text = indonesian_date(value)
    return [text] if text else []


def section_letter(index: int) -> str:
    """A, B, … Z, AA, AB …: narrative sections are lettered, as SOP books do."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
