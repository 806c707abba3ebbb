"""A signature stamp added on top of a signed document, and a flowchart pasted as one picture:
neither is read as SOP content, and both are said."""

from __future__ import annotations

from pathlib import Path

from alur.importers.docx import measure_docx
from alur.importers.grid import Box, Drawn, Line, Place
from alur.importers.office import read_measured
from alur.render import layout
from alur.render.docx import to_docx
from alur.sop.fileformat import load

EXAMPLE = Path(__file__).parents[2] / "examples" / "library" / "surat-ijin-cuti.yaml"
STAMP = ("Dokumen ini telah ditandatangani secara elektronik oleh: Drs. BUDI SANTOSO, M.Si. "
         "NIP 19631223 198603 1 006 menggunakan sertifikat elektronik yang diterbitkan BSrE.")


def _measured():
    sop = load(EXAMPLE).sop
    return sop, measure_docx(to_docx(sop, layout(sop)))


def test_a_signature_stamp_is_reported_and_fills_an_empty_approver():
    sop, measured = _measured()
    surface = measured.surfaces[0]
    surface.items.append(Line(STAMP, Place(page=2)))
    surface.drawn.append(Drawn("qr", "other", Box.of(700, 1100, 60, 60), place=Place(page=2),
                               geometry="image"))
    [read], findings = read_measured(lambda _data: measured, b"", file="x.pdf",
                                     taken_ids=None)
    assert sop.approved_by.name == ""
    assert (read.approved_by.name, read.approved_by.nip) == (
        "Drs. BUDI SANTOSO, M.Si.", "196312231986031006")
    [stamp] = [f for f in findings if f.code == "import.signature-stamp"]
    assert "disimpulkan" in stamp.message and stamp.page == 2
    # Neither the stamp's line nor its QR code is reported as something not read.
    assert not [f for f in findings if f.code in ("import.unrecognised", "import.shape-other")]
    assert [s.activity for s in read.steps] == [s.activity for s in sop.steps]


def test_a_flowchart_pasted_as_one_picture_is_said_and_actors_are_not_guessed():
    _sop, measured = _measured()
    surface = measured.surfaces[0]
    symbols = [d for d in surface.drawn if d.kind not in ("line", "text")]
    xs = [d.box.x0 for d in symbols] + [d.box.x1 for d in symbols]
    ys = [d.box.y0 for d in symbols] + [d.box.y1 for d in symbols]
    surface.drawn = [Drawn("picture", "other", Box(min(xs) - 5, min(ys) - 5, max(xs) + 5,
                                                   max(ys) + 5), place=Place(page=2),
                           geometry="image")]
    [read], findings = read_measured(lambda _data: measured, b"", file="x.pdf",
                                     taken_ids=None)
    assert "import.picture-flowchart" in [f.code for f in findings]
    for step in read.steps:
        assert not step.actors or "actors" in step.inferred  # from the text only, said so
