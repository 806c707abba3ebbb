"""Faults a reader sees that the hard invariants let pass: arrows crossing, labels on an
arrow, a connector, a table line or another label. Zero on every example and on SOPs of real
density that fit a page; counted for denser ones."""

import importlib.util
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from alur.render import PageSetup, layout
from alur.render.faults import layout_faults, page_faults
from alur.render.geometry import Arrow, Cell, Connector, Page, Rect, RowBox
from alur.sop import dumps_yaml, load

from .strategies import sops

ROOT = Path(__file__).parents[2]
LIBRARY = sorted((ROOT / "examples" / "library").glob("*.yaml"))
SETUPS = [PageSetup(), PageSetup(paper="f4"), PageSetup(landscape=False)]


def _page(*arrows: Arrow, connectors: tuple[Connector, ...] = ()) -> Page:
    rows = [RowBox(step=n, rect=Rect(0, 100 * (n - 1), 400, 100),
                   cells=[Cell(Rect(0, 100 * (n - 1), 200, 100)),
                          Cell(Rect(200, 100 * (n - 1), 200, 100))]) for n in (1, 2)]
    return Page(number=1, header=[], rows=rows, table=Rect(0, 0, 400, 200),
                arrows=list(arrows), connectors=list(connectors))


def _kinds(page: Page) -> list[str]:
    return [fault.kind for fault in page_faults(page)]


def test_two_arrows_crossing_are_a_fault_and_meeting_at_an_end_is_not():
    across = Arrow([(20, 50), (180, 50)], 1, 2)
    down = Arrow([(100, 10), (100, 90)], 3, 4)
    assert _kinds(_page(across, down)) == ["crossing"]
    meeting = Arrow([(180, 10), (180, 50)], 3, 2)  # ends where the other ends
    assert _kinds(_page(across, meeting)) == []


def test_labels_on_a_table_line_a_connector_an_arrow_or_another_label_are_faults():
    on_line = Arrow([(20, 90), (20, 130)], 1, 2, "yes", "Ya", Rect(22, 95, 10, 8))
    assert _kinds(_page(on_line)) == ["label-grid"]
    connector = Connector("A", Rect(40, 40, 14, 14), "out", 1, 5)
    beside = Arrow([(20, 45), (40, 45)], 1, 5, "no", "Tidak", Rect(35, 36, 20, 8))
    assert _kinds(_page(beside, connectors=(connector,))) == ["label-connector"]
    other = Arrow([(60, 5), (60, 25)], 3, 4)
    label = Arrow([(20, 30), (80, 30)], 1, 2, "no", "Tidak", Rect(55, 20, 20, 8))
    assert _kinds(_page(label, other)) == ["label-arrow"]
    twin = Arrow([(20, 33), (90, 33)], 1, 3, "yes", "Ya", Rect(58, 22, 20, 8))
    assert "label-label" in _kinds(_page(label, twin))


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
@pytest.mark.parametrize("setup", SETUPS, ids=["a4", "f4", "a4-portrait"])
def test_examples_have_no_fault(path, setup):
    sop = load(path).sop
    assert [str(f) for f in layout_faults(layout(sop, setup))] == []


def _benchmark_sop():
    spec = importlib.util.spec_from_file_location("render_benchmark",
                                                  ROOT / "benchmarks" / "render.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.big_sop()


@pytest.mark.parametrize("setup", SETUPS, ids=["a4", "f4", "a4-portrait"])
def test_the_60_step_sop_has_no_fault(setup):
    assert [str(f) for f in layout_faults(layout(_benchmark_sop(), setup))] == []


# Real density (a fifth of the steps deciding, loops back up to five rows, joint steps) on
# one page. Longer SOPs whose loops cross a page break are counted by benchmarks/render.py.
@settings(max_examples=120, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sops(max_steps=10, reach=5, jumps=False))
def test_generated_sops_of_real_density_on_one_page_have_no_fault(sop):
    result = layout(sop)
    if len(result.pages) == 1:
        if layout_faults(result) and os.environ.get("ALUR_FAILING_SOP"):
            Path(os.environ["ALUR_FAILING_SOP"]).write_text(dumps_yaml(sop), encoding="utf-8")
        assert [str(f) for f in layout_faults(result)] == []


def test_a_decisions_own_words_are_drawn_on_its_exits_without_fault():
    from alur.render.svg import layout_svg
    from alur.sop.model import DecisionLabels

    sop = load(ROOT / "examples" / "library" / "surat-ijin-cuti.yaml").sop
    steps = [s.model_copy(update={"labels": DecisionLabels(yes="Lengkap", no="Tidak lengkap")})
             if s.kind == "decision" else s for s in sop.steps]
    sop = sop.model_copy(update={"steps": steps})
    result = layout(sop)
    labels = {a.label for page in result.pages for a in page.arrows if a.label}
    assert labels == {"Lengkap", "Tidak lengkap"}
    assert "Tidak lengkap" in layout_svg(result) and "Tidak<" not in layout_svg(result)
    assert [str(f) for f in layout_faults(result)] == []
