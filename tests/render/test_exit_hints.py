"""A decision's exit sides and the places of its words chosen by a person (the step's
`layout`): drawn as chosen while the flowchart's rules hold, set aside and reported when they
cannot be."""

import importlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.render import PageSetup, layout
from alur.render.faults import layout_faults
from alur.sop import load
from alur.sop.model import Sop

from .strategies import sops

LIBRARY = Path(__file__).parents[2] / "examples" / "library"


def _with_hint(sop, number, **sides):
    steps = [s.model_copy(update={"layout": s.layout.model_copy(update=sides)})
             if s.number == number else s for s in sop.steps]
    return sop.model_copy(update={"steps": steps})


def _no_exit(result, number):
    return next(a for p in result.pages for a in p.arrows
                if a.source == number and a.kind == "no")


def _diamond_centre(result, number):
    return next(s.rect.cx for p in result.pages for s in p.shapes if s.step == number)


@pytest.mark.parametrize("setup", [PageSetup(), PageSetup(paper="f4"),
                                   PageSetup(landscape=False)],
                         ids=["a4", "f4", "a4-portrait"])
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_chosen_side_is_drawn_without_fault(setup, side):
    sop = _with_hint(load(LIBRARY / "surat-keluar.yaml").sop, 2, no=side)
    result = layout(sop, setup)
    start = _no_exit(result, 2).points[0]
    centre = _diamond_centre(result, 2)
    assert (start[0] > centre) == (side == "right")
    assert result.unhonoured == [] and layout_faults(result) == []


def test_a_side_that_cannot_hold_is_reported_and_the_exits_drawn_as_usual():
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    usual = layout(sop)
    # Ya goes down to the next step, so Tidak cannot take the bottom; Ya cannot go sideways.
    for hint in ({"no": "bottom"}, {"yes": "left"}, {"yes": "right", "no": "right"}):
        result = layout(_with_hint(sop, 2, **hint))
        assert result.unhonoured == [2], hint
        assert _no_exit(result, 2).points == _no_exit(usual, 2).points
        assert layout_faults(result) == []


def _faulty_while_honoured(monkeypatch, number):
    """Count a fault in any drawing that honours step `number`'s chosen sides."""
    module = importlib.import_module("alur.render.layout")  # the package's name is the function
    monkeypatch.setattr(module, "layout_faults",
                        lambda result: [] if number in result.unhonoured else ["a fault"])


def test_a_side_whose_drawing_breaks_a_rule_is_set_aside(monkeypatch):
    """When the chosen sides would make a fault, the exits are routed as if nothing had been
    chosen, and the step is reported."""
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    usual = layout(sop)
    _faulty_while_honoured(monkeypatch, 2)
    result = layout(_with_hint(sop, 2, no="right"))
    assert result.unhonoured == [2]
    assert _no_exit(result, 2).points == _no_exit(usual, 2).points


def test_one_choice_that_cannot_hold_leaves_the_others_drawn(monkeypatch):
    """Two decisions loop back, each with a side chosen: only the one whose choice makes a
    fault is set aside and reported; the other is still drawn as chosen."""
    sop = Sop.model_validate({
        "id": "dua-keputusan", "name": "Dua keputusan",
        "actors": [{"id": f"a{i}", "name": n} for i, n in enumerate(["Staf", "Kasi", "Kabid"])],
        "steps": [
            {"number": 1, "activity": "Terima berkas", "actors": ["a0"]},
            {"number": 2, "activity": "Periksa", "actors": ["a1"], "kind": "decision",
             "on_yes": 3, "on_no": 1},
            {"number": 3, "activity": "Olah", "actors": ["a2"]},
            {"number": 4, "activity": "Setujui", "actors": ["a1"], "kind": "decision",
             "on_yes": 5, "on_no": 3},
            {"number": 5, "activity": "Arsipkan", "actors": ["a0"]}]})
    usual = layout(sop)
    other = "left" if _no_exit(usual, 4).points[0][0] > _diamond_centre(usual, 4) else "right"
    hinted = _with_hint(_with_hint(sop, 2, no_in="top"), 4, no=other)
    assert layout(hinted).unhonoured == []
    _faulty_while_honoured(monkeypatch, 2)
    result = layout(hinted)
    assert result.unhonoured == [2]
    start = _no_exit(result, 4).points[0]
    assert (start[0] > _diamond_centre(result, 4)) == (other == "right")


def _label(result, number, kind):
    arrow = next(a for p in result.pages for a in p.arrows
                 if a.source == number and a.kind == kind)
    return arrow.points[0], arrow.label_box


@pytest.mark.parametrize(("kind", "side"), [("no", "above"), ("no", "below"),
                                            ("yes", "left"), ("yes", "right")])
def test_an_exits_words_sit_where_chosen(kind, side):
    sop = _with_hint(load(LIBRARY / "surat-keluar.yaml").sop, 2, **{f"{kind}_label": side})
    result = layout(sop)
    (x, y), box = _label(result, 2, kind)
    assert {"above": box.bottom <= y + 0.01, "below": box.y >= y - 0.01,
            "left": box.right <= x + 0.01, "right": box.x >= x - 0.01}[side]
    assert result.unhonoured == [] and layout_faults(result) == []


def test_words_placed_where_they_cannot_go_are_reported():
    """Ya leaves downwards: its words can sit left or right of it, not above."""
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    result = layout(_with_hint(sop, 2, yes_label="above"))
    assert result.unhonoured == [2]
    assert _label(result, 2, "yes") == _label(layout(sop), 2, "yes")


def _target_box(result, number):
    return next(s.rect for p in result.pages for s in p.shapes if s.step == number)


@pytest.mark.parametrize("setup", [PageSetup(), PageSetup(paper="f4"),
                                   PageSetup(landscape=False)],
                         ids=["a4", "f4", "a4-portrait"])
@pytest.mark.parametrize("side", ["left", "top", "bottom"])
def test_an_exit_enters_its_target_by_the_chosen_side(setup, side):
    """Surat keluar's step 2 loops back to step 1 when Tidak: its arrow ends on the side of
    step 1 chosen, drawn without a fault."""
    sop = _with_hint(load(LIBRARY / "surat-keluar.yaml").sop, 2, no_in=side)
    result = layout(sop, setup)
    end = _no_exit(result, 2).points[-1]
    box = _target_box(result, 1)
    on = {"left": abs(end[0] - box.x) < 0.5, "right": abs(end[0] - box.right) < 0.5,
          "top": end[1] <= box.cy - 0.5 and box.x < end[0] < box.right,
          "bottom": end[1] >= box.cy + 0.5 and box.x < end[0] < box.right}
    assert on[side], (side, end, box)
    assert result.unhonoured == [] and layout_faults(result) == []


def test_an_entry_that_would_cross_an_arrow_is_reported_and_drawn_as_usual():
    """Entering step 1 by its right needs a lane between the two columns, across the arrow
    from step 1 down to step 2: the choice is set aside and reported."""
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    result = layout(_with_hint(sop, 2, no_in="right"))
    assert result.unhonoured == [2]
    assert _no_exit(result, 2).points == _no_exit(layout(sop), 2).points
    assert layout_faults(result) == []


def test_the_arrow_down_to_the_next_step_enters_only_at_the_top():
    sop = load(LIBRARY / "surat-keluar.yaml").sop
    assert layout(_with_hint(sop, 2, yes_in="left")).unhonoured == [2]
    assert layout(_with_hint(sop, 2, yes_in="top")).unhonoured == []


def _side_entered(result, arrow):
    """The side of its target an arrow ends on."""
    x, y = arrow.points[-1]
    box = next(s.rect for p in result.pages for s in p.shapes
               if s.step == arrow.target and s.rect.x - 1 <= x <= s.rect.right + 1
               and s.rect.y - 1 <= y <= s.rect.bottom + 1)
    if abs(x - box.x) < 0.5:
        return "left"
    if abs(x - box.right) < 0.5:
        return "right"
    return "top" if y < box.cy else "bottom"


@settings(max_examples=80, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sops(max_steps=10, reach=5, jumps=False), st.data())
def test_chosen_sides_are_drawn_as_chosen_or_reported_never_with_a_fault(sop, data):
    """Any sides a person picks for any decisions of a generated SOP (real density, one
    page): the drawing has no fault, and each decision is either drawn as chosen or reported."""
    sides = {"no": st.sampled_from([None, "left", "right", "bottom"]),
             "no_in": st.sampled_from([None, "left", "right", "top", "bottom"])}
    for step in [s for s in sop.steps if s.kind == "decision"]:
        sop = _with_hint(sop, step.number, **{k: data.draw(v) for k, v in sides.items()})
    result = layout(sop)
    if len(result.pages) != 1:
        return
    assert [str(f) for f in layout_faults(result)] == []
    for step in sop.steps:
        if step.kind != "decision" or step.number in result.unhonoured:
            continue
        exits = [a for p in result.pages for a in p.arrows
                 if a.source == step.number and a.kind == "no" and a.target == step.on_no]
        if not exits or step.on_no == step.number:
            continue
        if step.layout.no in ("left", "right"):
            start = exits[0].points[0]
            assert (start[0] > _diamond_centre(result, step.number)) == \
                (step.layout.no == "right"), step.number
        if step.layout.no_in:
            assert _side_entered(result, exits[-1]) == step.layout.no_in, step.number
