"""Word, Excel, old-format and OpenDocument SOPs made the way offices make them (see
fixtures/office/README.md): every step, actor, symbol and decision exit against the truth."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from alur.importers import read_document
from alur.importers.office import converter
from alur.sop.model import Sop

FIXTURES = Path(__file__).parent / "fixtures" / "office"
DOCUMENTS = sorted(p for p in FIXTURES.iterdir()
                   if p.suffix in (".docx", ".xlsx", ".doc", ".xls", ".odt", ".ods"))
OLD = {".doc", ".xls", ".odt", ".ods"}


def _text(value: object) -> object:
    """Whitespace folded; a sub-activity without the ';' or ',' that ends it in a list (the
    reader drops list separators)."""
    if isinstance(value, list):
        return [" ".join(str(v).split()).rstrip(";,") for v in value]
    return " ".join(str(value).split()) if value is not None else None


def _truth_step(step: dict) -> dict:
    return {
        "number": step["number"], "activity": _text(step["activity"]),
        "actors": sorted(step.get("actors") or []), "kind": step.get("kind", "process"),
        "on_yes": step.get("on_yes"), "on_no": step.get("on_no"), "next": step.get("next"),
        "time": _text(step.get("time")),
    }


def _read_step(sop: Sop, step, truth: dict) -> dict:
    names = {a.id: a.name for a in sop.actors}
    actors = sorted(names[a] for a in step.actors)
    if step.kind in ("start", "end") and truth.get("kind") == step.kind:
        # A Mulai/Selesai capsule stands in some column but names no actor (sop-format.md:
        # such rows only mark the beginning or the end); the truth records its column.
        actors = sorted(truth.get("actors") or [])
    return {
        "number": step.number, "activity": _text(step.activity),
        "actors": actors,
        "kind": step.kind, "on_yes": step.on_yes, "on_no": step.on_no, "next": step.next,
        "time": _text(step.time),
    }


# LibreOffice converts the PK sheet's absolutely anchored shapes with its own column widths, so
# two arrows land beside the symbol after their target and read as jumps (the importer warns
# that conversion can move shapes). Strict: it fails loudly once the reading gets this right.
MOVED_IN_CONVERSION = {"organisasi-multi-sheet.ods"}


@pytest.mark.parametrize("path", [
    pytest.param(p, marks=pytest.mark.xfail(strict=True, reason="shapes moved by conversion"))
    if p.name in MOVED_IN_CONVERSION else p for p in DOCUMENTS], ids=lambda p: p.name)
def test_fixture_matches_its_truth(path):
    if path.suffix in OLD and converter() is None:
        pytest.fail("LibreOffice is needed to read old and OpenDocument files: `make test` "
                    "installs it (Debian: libreoffice-writer-nogui, libreoffice-calc-nogui)")
    truth = yaml.safe_load((FIXTURES / f"{path.name}.truth.yaml").read_text(encoding="utf-8"))
    result = read_document(path)
    assert [s.name for s in result.sops] == [t["name"] for t in truth]
    for sop, expected in zip(result.sops, truth, strict=True):
        assert [a.name for a in sop.actors] == expected["actors"], sop.name
        truths = expected["steps"]
        read = [_read_step(sop, s, truths[i] if i < len(truths) else {})
                for i, s in enumerate(sop.steps)]
        assert read == [_truth_step(s) for s in truths], sop.name
        if expected.get("number"):
            assert sop.number == expected["number"]
