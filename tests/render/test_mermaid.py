"""Mermaid flowchart export: exact text, one node per step, edges from the flow rules, and
the `%% alur:` comment lines that carry what the notation cannot say."""

import json
import re
from pathlib import Path

import pytest

from alur.render.mermaid import escape, to_mermaid
from alur.sop import Actor, Sop, Step, flow, load

LIBRARY = sorted((Path(__file__).parents[2] / "examples" / "library").glob("*.yaml"))
NODE = re.compile(r"^\s+(s_?\d+)(\(\[|\[\[|\[|\{)\"")
EDGE = re.compile(r"^\s+(s_?\d+) -->(\|(Ya|Tidak)\|)? (s_?\d+)$")


def four_steps() -> Sop:
    return Sop(
        id="uji",
        name="Uji",
        actors=[Actor(id="staf", name="Staf"), Actor(id="kabag", name="Kabag")],
        steps=[
            Step(number=1, activity="Menyusun konsep surat", actors=["staf"]),
            Step(number=2, activity="Memeriksa konsep", actors=["kabag"], kind="decision",
                 on_yes=3, on_no=1),
            Step(number=3, activity="Menandatangani surat", actors=["kabag"]),
            Step(number=4, activity="Mengarsipkan", actors=["staf"]),
        ],
    )


def test_exact_text_for_a_small_sop():
    assert to_mermaid(four_steps()) == """\
flowchart TD
    subgraph lane_1["Staf"]
        s1(["Menyusun konsep surat"])
        s4(["Mengarsipkan"])
    end
    subgraph lane_2["Kabag"]
        s2{"Memeriksa konsep"}
        s3["Menandatangani surat"]
    end
    s1 --> s2
    s2 -->|Ya| s3
    s2 -->|Tidak| s1
    s3 --> s4
    %% alur: {"sop": {"id": "uji", "name": "Uji"}}
    %% alur: {"lane": "lane_1", "actor": {"id": "staf"}}
    %% alur: {"lane": "lane_2", "actor": {"id": "kabag"}}
    %% alur: {"node": "s1", "step": {"number": 1, "kind": "process"}}
    %% alur: {"node": "s2", "step": {"number": 2}}
    %% alur: {"node": "s3", "step": {"number": 3}}
    %% alur: {"node": "s4", "step": {"number": 4, "kind": "process"}}
"""


@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_every_example_has_one_node_per_step_and_its_edges(path):
    sop = load(path).sop
    text = to_mermaid(sop)
    lines = text.splitlines()
    assert lines[0] == "flowchart TD"
    nodes = [m.group(1) for m in map(NODE.match, lines) if m]
    assert sorted(nodes) == sorted(f"s{s.number}" for s in sop.steps)
    known = {s.number for s in sop.steps}
    expected = [(f"s{e.source}", f"s{e.target}", {"ya": "Ya", "tidak": "Tidak"}.get(
        e.label or "")) for e in flow.edges(sop) if e.target in known]
    edges = [(m.group(1), m.group(4), m.group(3)) for m in map(EDGE.match, lines) if m]
    assert edges == expected
    assert sum(line.strip().startswith("subgraph ") for line in lines) == len(sop.actors)
    assert sum(line.strip() == "end" for line in lines) == len(sop.actors)
    assert to_mermaid(load(path).sop) == text


def test_shapes_follow_the_symbols():
    sop = Sop(id="bentuk", actors=[Actor(id="a", name="A")], steps=[
        Step(number=1, activity="Mulai", kind="start"),
        Step(number=2, activity="Rapat", actors=["a"], calls="pelaksanaan-rapat"),
        Step(number=3, activity="Periksa", actors=["a"], kind="decision", on_yes=4, on_no=2),
        Step(number=4, activity="Kirim", actors=["a"]),
        Step(number=5, activity="Selesai", kind="end"),
    ])
    lines = to_mermaid(sop).splitlines()
    assert '        s1(["Mulai"])' in lines
    assert '        s2[["Rapat"]]' in lines
    assert '        s3{"Periksa"}' in lines
    assert '        s4["Kirim"]' in lines  # not the last activity: an end row follows
    assert '        s5(["Selesai"])' in lines
    assert "    s4 --> s5" in lines
    assert not any("s5 -->" in line for line in lines)


def test_joint_step_stands_in_its_first_actors_subgraph():
    sop = Sop(id="bersama", actors=[Actor(id="a", name="A"), Actor(id="b", name="B")],
              steps=[Step(number=1, activity="x", actors=["b", "a"]),
                     Step(number=2, activity="y", actors=["a"])])
    text = to_mermaid(sop)
    assert 'subgraph lane_1["A"]\n        s2(["y"])\n    end' in text
    assert 'subgraph lane_2["B"]\n        s1(["x"])\n    end' in text


def test_labels_are_escaped():
    assert escape('Cek "nilai" <5> & #1\nbaris') == \
        "Cek #quot;nilai#quot; #lt;5#gt; #amp; #35;1 baris"
    sop = four_steps()
    sop.steps[1].activity = ['Periksa "draf"', "<lengkap?>"]
    sop.actors[0].name = 'Staf "Umum"'
    text = to_mermaid(sop)
    assert 's2{"Periksa #quot;draf#quot;; #lt;lengkap?#gt;"}' in text
    assert 'subgraph lane_1["Staf #quot;Umum#quot;"]' in text
    for line in text.splitlines():
        if line.strip().startswith("%% alur: "):
            continue  # JSON data, checked below
        # Inside a line, double quotes come only as the label's own delimiters.
        assert line.count('"') in (0, 2), line


def data_lines(text: str) -> list[dict]:
    prefix = "%% alur: "
    return [json.loads(line.strip()[len(prefix):]) for line in text.splitlines()
            if line.strip().startswith(prefix)]


def test_data_comments_carry_what_the_diagram_cannot_say():
    sop = four_steps()
    sop.number = "800/1/2024"
    sop.dates.created = "2024-01-02"
    sop.approved_by.name = "Drs. Contoh"
    sop.legal_basis = ["PermenPAN RB 35/2012"]
    sop.actors[0].applicant = True
    sop.steps[0].time = "2 jam"
    sop.steps[0].inputs = ["Disposisi", "Data"]
    sop.steps[0].activity = ["Menyusun konsep", "Mengetik"]
    sop.steps[2].actors = ["kabag", "staf"]
    sop.steps[2].calls = "pengarsipan"
    sop.steps[3].notes = "Arsip\nbaris dua"
    data = data_lines(to_mermaid(sop))
    assert data[0] == {"sop": {"id": "uji", "name": "Uji", "number": "800/1/2024",
                               "dates": {"created": "2024-01-02"},
                               "approved_by": {"name": "Drs. Contoh"},
                               "legal_basis": ["PermenPAN RB 35/2012"]}}
    assert data[1] == {"lane": "lane_1", "actor": {"id": "staf", "applicant": True}}
    steps = {d["node"]: d["step"] for d in data if "node" in d}
    # A capsule is the first or last activity here (or a start or end row elsewhere): the
    # shape cannot tell, so the comment does.
    assert steps["s1"] == {"number": 1, "activity": ["Menyusun konsep", "Mengetik"],
                           "kind": "process", "inputs": ["Disposisi", "Data"], "time": "2 jam"}
    assert steps["s3"] == {"number": 3, "actors": ["kabag", "staf"], "calls": "pengarsipan"}
    assert steps["s4"] == {"number": 4, "kind": "process", "notes": "Arsip\nbaris dua"}
    # What the drawing says is not repeated: a box's kind and every exit live in shapes and
    # arrows.
    assert "kind" not in steps["s2"] and "kind" not in steps["s3"]
    assert all(not {"on_yes", "on_no", "next", "labels"} & set(s) for s in steps.values())
    # A newline in a field stays inside its JSON line: a comment never spills into the diagram.
    (line,) = [line for line in to_mermaid(sop).splitlines() if "baris dua" in line]
    assert line.startswith("    %% alur: ")


def test_decision_exits_carry_their_own_words():
    sop = four_steps()
    sop.steps[1].labels.yes = "Lengkap"
    sop.steps[1].labels.no = 'Tidak "lengkap" | kurang'
    lines = to_mermaid(sop).splitlines()
    assert "    s2 -->|Lengkap| s3" in lines
    assert '    s2 -->|"Tidak #quot;lengkap#quot; #124; kurang"| s1' in lines
    # Recorded as well, so that words sounding like neither Ya nor Tidak come back right.
    (s2,) = [d["step"] for d in data_lines(to_mermaid(sop)) if d.get("node") == "s2"]
    assert s2["labels"] == {"yes": "Lengkap", "no": 'Tidak "lengkap" | kurang'}
