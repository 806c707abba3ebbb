"""A signature stamp added on top of a signed document, and a flowchart pasted as one picture:
the stamp is not read as SOP content, the picture is searched for the flowchart's symbols
(marked inferred) or, where it holds none, reported with the actors left empty; both are
said."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from alur.importers import read_document
from alur.importers.docx import measure_docx
from alur.importers.grid import Box, Drawn, Line, Place
from alur.importers.office import read_measured
from alur.importers.scan import tesseract_command
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


# -- the flowchart pasted as one picture, read from its pixels ---------------------------------
# Fixtures (fixtures/picture/make_pictures.py): the example SOP as a Word document whose drawn
# flowchart was replaced by a screenshot of it, pasted over the actor columns, and that
# document exported to PDF by LibreOffice; the same with a picture of a cat in its place.

PICTURES = Path(__file__).parent / "fixtures" / "picture"
TRUTH = json.loads((PICTURES / "surat-ijin-cuti-gambar.truth.json").read_text())
needs_ocr = pytest.mark.skipif(tesseract_command() is None,
                               reason="Tesseract reads the Ya/Tidak labels in the picture")


def _read(name: str):
    result = read_document(PICTURES / name)
    [sop] = result.sops
    return sop, result.findings


def _by_name(sop) -> dict[str, str]:
    return {a.id: a.name for a in sop.actors}


@pytest.mark.parametrize("name", ["surat-ijin-cuti-gambar.docx", "surat-ijin-cuti-gambar.pdf"])
def test_a_pasted_flowchart_picture_gives_every_steps_actor_and_kind(name):
    sop, findings = _read(name)
    codes = [f.code for f in findings]
    assert "import.picture-flowchart-read" in codes
    assert "import.picture-flowchart" not in codes
    names = _by_name(sop)
    assert [s.number for s in sop.steps] == [t["number"] for t in TRUTH["steps"]]
    for step, truth in zip(sop.steps, TRUTH["steps"], strict=True):
        assert [names[a] for a in step.actors] == [TRUTH["actors"][a] for a in truth["actors"]], \
            step.number
        assert step.kind == truth["kind"], step.number
        # Everything the picture decided is marked inferred, for the reviewer to check.
        assert {"actors", "kind"} <= set(step.inferred), step.number
    # The symbols' place and the other columns are still read from the document's own table.
    assert all(s.activity and s.time for s in sop.steps)


@needs_ocr
@pytest.mark.parametrize("name", ["surat-ijin-cuti-gambar.docx", "surat-ijin-cuti-gambar.pdf"])
def test_a_pasted_flowchart_pictures_decision_exits_follow_its_arrows_and_labels(name):
    sop, _findings = _read(name)
    for step, truth in zip(sop.steps, TRUTH["steps"], strict=True):
        assert (step.on_yes, step.on_no) == (truth["on_yes"], truth["on_no"]), step.number
        if step.kind == "decision":
            assert {"on_yes", "on_no"} <= set(step.inferred)


def test_symbols_found_in_a_pasted_picture_are_outlined_as_inferred():
    from alur.importers.outlines import page_symbols

    symbols = page_symbols(PICTURES / "surat-ijin-cuti-gambar.pdf")
    assert len(symbols) == len(TRUTH["steps"])
    assert all(s["page"] == 2 and s["inferred"] for s in symbols)
    assert page_symbols(PICTURES / "kucing-gambar.pdf") == []


@pytest.mark.parametrize("name", ["kucing-gambar.docx", "kucing-gambar.pdf"])
def test_a_picture_that_holds_no_flowchart_leaves_the_actors_empty_with_a_warning(name):
    sop, findings = _read(name)
    [warning] = [f for f in findings if f.code == "import.picture-flowchart"]
    assert warning.severity == "warning"
    assert "import.picture-flowchart-read" not in [f.code for f in findings]
    assert len(sop.steps) == len(TRUTH["steps"])
    for step in sop.steps:
        assert step.actors == [], step.number   # never guessed from the cat
        assert step.activity


def test_an_undecodable_picture_is_no_flowchart_and_no_crash(tmp_path):
    """The picture part replaced by bytes no image library reads (a damaged file, an EMF)."""
    source = PICTURES / "surat-ijin-cuti-gambar.docx"
    damaged = tmp_path / "rusak.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(damaged, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("word/media/"):
                data = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
            zout.writestr(item, data)
    result = read_document(damaged)
    [sop] = result.sops
    assert "import.picture-flowchart" in [f.code for f in result.findings]
    assert all(step.actors == [] for step in sop.steps)


def test_a_cropped_picture_is_read_as_word_shows_it(tmp_path):
    """Word keeps a cropped picture whole and says how much it hides (`a:srcRect`): a
    screenshot pasted with the window's frame cropped off. Only the part shown is the
    flowchart; read whole, every symbol would land in the wrong column."""
    import io

    from PIL import Image, ImageDraw

    source = PICTURES / "surat-ijin-cuti-gambar.docx"
    cropped = tmp_path / "dipotong.docx"
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(cropped, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("word/media/"):
                with Image.open(io.BytesIO(data)) as shown:
                    framed = Image.new("RGB", (shown.width * 2, shown.height), "white")
                    framed.paste(shown, (shown.width, 0))
                # The hidden left half: a window's side bar with a boxed symbol of its own.
                ImageDraw.Draw(framed).rectangle((40, 40, 140, 90), outline="black", width=3)
                buffer = io.BytesIO()
                framed.save(buffer, format="PNG")
                data = buffer.getvalue()
            elif item.filename == "word/document.xml":
                data = data.replace(b'<a:blip r:embed="rId9"/>',
                                    b'<a:blip r:embed="rId9"/><a:srcRect l="50000"/>')
                assert b"srcRect" in data
            zout.writestr(item, data)
    [sop] = read_document(cropped).sops
    names = _by_name(sop)
    for step, truth in zip(sop.steps, TRUTH["steps"], strict=True):
        assert [names[a] for a in step.actors] == [TRUTH["actors"][a] for a in truth["actors"]]
        assert step.kind == truth["kind"]


def test_a_flowchart_drawn_without_table_rules_is_found_over_the_documents_grid():
    """A Visio drawing pasted as it is: symbols and arrows on white, no rules of its own. The
    document's grid (four actor columns, three step rows) says which cell each symbol is in;
    the picture is at 96 dpi, as a screenshot is, and lies 100 pt from the page's corner."""
    import numpy as np
    from PIL import Image, ImageDraw

    from alur.importers.grid import Grid, GridCell
    from alur.importers.picture import Picture, find_flowchart

    columns = [(100.0 + 60 * i, 160.0 + 60 * i) for i in range(4)]
    rows = [(100.0 + 50 * i, 150.0 + 50 * i) for i in range(3)]
    grid = Grid(columns, rows, [GridCell(r, c, "") for r in range(3) for c in range(4)])
    scale = 96 / 72  # pixels per point
    image = Image.new("L", (round(240 * scale), round(150 * scale)), 255)
    draw = ImageDraw.Draw(image)

    def px(x: float, y: float) -> tuple[float, float]:
        return (x - 100) * scale, (y - 100) * scale

    draw.rounded_rectangle((*px(110, 115), *px(150, 135)), radius=10 * scale, outline=0,
                           width=2)
    draw.polygon([px(190, 160), px(208, 175), px(190, 190), px(172, 175)], outline=0, width=2)
    draw.rectangle((*px(230, 215), *px(270, 235)), outline=0, width=2)
    draw.line((*px(130, 135), *px(130, 175), *px(170, 175)), fill=0, width=2)
    draw.polygon([px(171, 175), px(165, 172), px(165, 178)], fill=0)
    draw.line((*px(208, 175), *px(250, 175), *px(250, 213)), fill=0, width=2)
    draw.polygon([px(250, 214), px(247, 208), px(253, 208)], fill=0)

    picture = Picture(np.asarray(image), Box(100, 100, 340, 250))
    found = find_flowchart(picture, [grid], place=Place(page=1), prefix="gambar")
    symbols = sorted((d for d in found if d.kind in ("terminator", "process", "decision")),
                     key=lambda d: d.box.y0)
    assert [d.kind for d in symbols] == ["terminator", "decision", "process"]
    assert [grid.locate(d.box.centre) for d in symbols] == [(0, 0), (1, 1), (2, 2)]
    assert all(d.geometry.startswith("picture-") for d in found)
    # Both flows, each a vertical and a horizontal stroke; the arrowhead at the process is
    # read (the one against the diamond's corner goes with its outline).
    lines = [d for d in found if d.kind == "line"]
    assert len(lines) == 4
    [arrow] = [d for d in lines if d.arrow]
    assert symbols[2].box.distance(arrow.ends[1]) < 3
