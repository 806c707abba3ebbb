"""alur's own Word and Excel documents read back to the same SOP, from the table and the
drawn shapes alone: identity, actors, every step's text, actors, kind, exits and time."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from alur.importers.office import read_docx, read_xlsx
from alur.render import layout
from alur.render.docx import to_docx
from alur.render.xlsx import to_xlsx
from alur.sop.fileformat import load
from alur.sop.model import Sop, Step
from tests.render.strategies import sops

EXAMPLES = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))


def comparable(sop: Sop, *, read: bool = False) -> dict:
    """What a round trip must keep; provenance and the list of inferred fields are the
    source's, not the SOP's, and internal comments are never printed."""
    data = sop.model_dump(mode="json", exclude={"id", "comment"})
    for step in data["steps"]:
        step.pop("source")
        step.pop("comment")
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


FORMATS = {"docx": (to_docx, read_docx), "xlsx": (to_xlsx, read_xlsx)}


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_round_trip(path, fmt):
    write, read = FORMATS[fmt]
    sop = _example(path)
    sops, findings = read(write(sop, layout(sop)), file=f"{path.stem}.{fmt}")
    assert [comparable(s, read=True) for s in sops] == [comparable(sop)], [
        f.message for f in findings if f.severity != "info"]


def _shape(sop: Sop) -> dict:
    """A generated SOP as the reader can give it back: actors by name and column, steps by
    their text, columns, kind, exits and time."""
    column = {a.id: i for i, a in enumerate(sop.actors)}
    following = {s.number: n.number for s, n in zip(sop.steps, sop.steps[1:], strict=False)}

    def jump(step: Step) -> int | None:  # `next` to the following step is no jump at all
        return None if step.next == following.get(step.number) else step.next

    return {
        "actors": [a.name for a in sop.actors],
        "steps": [(s.number, s.activity_text, sorted(column[a] for a in s.actors), s.kind,
                   s.on_yes, s.on_no, jump(s), s.time, [i for i in s.inputs if i], s.notes)
                  for s in sop.steps],
    }


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sops(max_steps=18, max_actors=5))
def test_generated_sops_round_trip_through_docx_and_xlsx(sop):
    for write, read in FORMATS.values():
        sops_read, findings = read(write(sop, layout(sop)), file="acak")
        assert [_shape(s) for s in sops_read] == [_shape(sop)], (write.__name__, [
            f.message for f in findings if f.severity != "info"])
