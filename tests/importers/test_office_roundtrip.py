"""alur's own Word and Excel documents read back to the same SOP, from the table and the
drawn shapes alone: identity, actors, every step's text, actors, kind, exits and time."""

from __future__ import annotations

from pathlib import Path

import pytest

from alur.importers.office import read_docx, read_xlsx
from alur.render import layout
from alur.render.docx import to_docx
from alur.render.xlsx import to_xlsx
from alur.sop.fileformat import load
from alur.sop.model import Sop

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))


def comparable(sop: Sop, *, read: bool = False) -> dict:
    """What a round trip must keep; provenance and the list of inferred fields are the
    source's, not the SOP's."""
    data = sop.model_dump(mode="json", exclude={"id"})
    for step in data["steps"]:
        step.pop("source")
        if "actors" in step.pop("inferred") and read:
            step["actors"] = []  # drawn without a symbol, its actor was guessed from the text
        step.pop("joint")
    for section in data["sections"]:
        # Paragraphs carry no leading blanks or empty lines through a word processor.
        section["text"] = "\n".join(line.strip() for line in section["text"].splitlines()
                                    if line.strip())
    return data


def _example(path: Path) -> Sop:
    sop = load(path).sop
    assert sop is not None
    return sop


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_docx_round_trip(path):
    sop = _example(path)
    sops, findings = read_docx(to_docx(sop, layout(sop)), file=f"{path.stem}.docx")
    assert [comparable(s, read=True) for s in sops] == [comparable(sop)], [
        f.message for f in findings if f.severity != "info"]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_xlsx_round_trip(path):
    sop = _example(path)
    sops, findings = read_xlsx(to_xlsx(sop, layout(sop)), file=f"{path.stem}.xlsx")
    assert [comparable(s, read=True) for s in sops] == [comparable(sop)], [
        f.message for f in findings if f.severity != "info"]
