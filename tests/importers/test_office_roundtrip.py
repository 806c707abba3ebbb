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


def _sop(actors: list[str], steps: list[dict]) -> Sop:
    return Sop.model_validate({
        "id": "acak", "name": "SOP Acak",
        "actors": [{"id": f"a{i}", "name": name} for i, name in enumerate(actors)],
        "steps": [{"time": "10 menit", **step} for step in steps]})


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("sop", [
    # A decision looping on itself: its Tidak exit leaves sideways and its Ya label, pushed
    # under the diamond, once stood nearer the Tidak line than its own.
    _sop(["Staf", "Tim Anjab"], [
        {"number": 1, "activity": "Periksa berkas", "actors": ["a1"], "kind": "decision",
         "on_yes": 2, "on_no": 1},
        {"number": 2, "activity": "Arsipkan", "actors": ["a0"]}]),
    # A joint decision whose Tidak exit runs down a long way: Word's path has corners, and a
    # straight cut from its first point to its last passes over the Ya label.
    _sop(["Staf", "Tim Anjab", "Kasubag", "Kepala Dinas", "Pengolah"], [
        {"number": 1, "activity": "Terima berkas", "actors": ["a4"], "kind": "decision",
         "on_yes": 2, "on_no": 8},
        {"number": 2, "activity": "Catat berkas", "actors": ["a0"]},
        {"number": 3, "activity": "Periksa bersama", "actors": ["a4", "a2"],
         "kind": "decision", "on_yes": 4, "on_no": 9},
        {"number": 4, "activity": "Paraf", "actors": ["a4", "a2"]},
        {"number": 5, "activity": "Rapat", "actors": ["a2", "a1"]},
        {"number": 6, "activity": "Teruskan", "actors": ["a3"]},
        {"number": 7, "activity": "Tanda tangan", "actors": ["a3"]},
        {"number": 8, "activity": "Kembalikan", "actors": ["a2", "a3"]},
        {"number": 9, "activity": "Perbaiki", "actors": ["a2", "a1"]},
        {"number": 10, "activity": "Arsipkan", "actors": ["a2", "a0"]}]),
], ids=["self-loop", "joint-long-tidak"])
def test_decision_labels_are_read_on_their_own_exits(sop, fmt):
    write, read = FORMATS[fmt]
    sops_read, findings = read(write(sop, layout(sop)), file="acak")
    assert [_shape(s) for s in sops_read] == [_shape(sop)], [
        f.message for f in findings if f.severity != "info"]
