"""Builders shared by the SOP tests: a clean SOP in a few words, and the spec's example.

`make_sop()` with no arguments is a fully clean SOP (every identity field filled, two actors,
four steps with a decision and a rework loop) that the checker accepts without a single
finding; each test changes one thing and looks for exactly the finding it causes.
"""

from __future__ import annotations

import copy
from typing import Any

from alur.sop.model import Sop

IDENTITY: dict[str, Any] = {
    "format": "alur-sop/1",
    "id": "renja-kesbangpol",
    "name": "Penyusunan Rencana Kerja (Renja)",
    "number": "060/712/KESBAN/2019",
    "organization": [
        "Provinsi Kepulauan Bangka Belitung",
        "Badan Kesatuan Bangsa dan Politik",
    ],
    "dates": {"created": "2019-10-03", "revised": "2020-10", "effective": "2019-10-03"},
    "approved_by": {
        "title": "Kepala Badan",
        "name": "Drs. H. Tarmin, M.Si.",
        "nip": "196312231986031006",
    },
    "legal_basis": ["Peraturan Presiden Nomor 29 Tahun 2014 tentang SAKIP"],
    "qualifications": ["Memahami tugas pokok dan fungsi"],
    "related": ["SOP Pelaksanaan Rapat"],
    "equipment": ["Komputer dan printer"],
    "warnings": ["Renja terlambat disusun"],
    "records": ["Dokumen Renja"],
}

ACTORS: list[dict[str, str]] = [
    {"id": "kaban", "name": "Kepala Badan"},
    {"id": "staf", "name": "Staf"},
]


def step(number: int, **fields: Any) -> dict[str, Any]:
    """A step as data that the checker finds nothing wrong with; `fields` override."""
    data: dict[str, Any] = {
        "number": number,
        "activity": f"Kegiatan {number}.",
        "actors": ["staf"],
        "inputs": ["Dokumen"],
        "time": "10 menit",
        "outputs": ["Dokumen"],
    }
    data.update(fields)
    return data


def clean_steps() -> list[dict[str, Any]]:
    """1 staf drafts → 2 kaban decides (Ya → 4, Tidak → 3) → 3 staf reworks, back to 2 → 4."""
    return [
        step(1, activity="Menyusun konsep Renja."),
        step(2, activity="Memeriksa konsep Renja.", actors=["kaban"], kind="decision",
             on_yes=4, on_no=3),
        step(3, activity="Memperbaiki konsep Renja.", next=2),
        step(4, activity="Menandatangani Renja.", actors=["kaban"]),
    ]


def sop_data(steps: list[dict[str, Any]] | None = None, **fields: Any) -> dict[str, Any]:
    data = copy.deepcopy(IDENTITY)
    data["actors"] = copy.deepcopy(ACTORS)
    data["steps"] = clean_steps() if steps is None else steps
    data.update(fields)
    return data


def make_sop(steps: list[dict[str, Any]] | None = None, **fields: Any) -> Sop:
    """A validated SOP: the clean one, with `steps` and top-level `fields` replaced."""
    return Sop.model_validate(sop_data(steps, **fields))


# The example of sop-format.md, with its `...` placeholders filled in so that it is valid.
SPEC_EXAMPLE = """\
format: alur-sop/1
id: renja-kesbangpol                 # slug, unique within a library
name: Penyusunan Rencana Kerja (Renja)        # Nama SOP
number: "060/712/KESBAN/2019"         # Nomor SOP, free text
organization:                         # agency heading, top-down
  - Provinsi Kepulauan Bangka Belitung
  - Badan Kesatuan Bangsa dan Politik
  - Subbag Perencanaan dan Pelaporan
dates: {created: 2019-10-03, revised: 2020-10-03, effective: 2019-10-03}
approved_by: {title: Kepala Badan, name: "Drs. H. Tarmin, M.Si.", nip: "196312231986031006"}
legal_basis: [Peraturan Presiden Nomor 29 Tahun 2014 tentang SAKIP, Permenpan RB 35/2012]
qualifications: [Memahami tugas pokok dan fungsi, Mampu mengoperasikan komputer]
related: [SOP Pengumpulan Data, SOP Pelaksanaan Rapat]
equipment: [Komputer dan printer, Dokumen Renstra]
warnings: [Renja terlambat disusun]
records: [Dokumen Renja]
actors:                               # Pelaksana, in column order
  - {id: kaban, name: Kepala Badan}
  - {id: sekretaris, name: Sekretaris}
  - {id: kasubbag, name: Kasubbag}
  - {id: staf, name: Staf/Jabatan Fungsional Umum}
steps:
  - number: 1
    activity: Memerintahkan penyusunan Rencana Kerja (Renja).
    actors: [sekretaris]
    kind: process                     # start | process | decision | end
    inputs: [Disposisi Surat]         # Kelengkapan / Persyaratan
    time: 10 menit                    # Waktu, exactly as written
    outputs: [Disposisi Surat]        # Output
    notes: ""                         # Keterangan
  - number: 9
    activity: Mengoreksi konsep dokumen Renja.
    actors: [kasubbag]
    kind: decision
    on_yes: 10                        # decision exits, step numbers
    on_no: 8
    time: 1 hari
  - number: 5
    activity: Melaksanakan rapat pembahasan Renja.
    actors: [staf]
    calls: pelaksanaan-rapat          # optional: this step runs another SOP (by id)
    inferred: [actors]                # fields not read from the source but inferred
    source: {file: 004_11c9a70a9030f825.txt, line: 23}          # optional provenance
sections:                             # optional narrative sections, in order
  - {title: Latar Belakang, text: "Renja disusun setiap tahun."}
"""
