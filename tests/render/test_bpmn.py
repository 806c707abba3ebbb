"""BPMN 2.0 export: schema-valid against the OMG XSDs, faithful to the SOP, diagram from layout."""

import functools
import itertools
import json
import math
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from alur.render import PageSetup, layout
from alur.render.bpmn import to_bpmn
from alur.sop import Actor, Sop, Step, flow, load

HERE = Path(__file__).parent
SCHEMAS = HERE / "schemas"
LIBRARY = sorted((HERE.parents[1] / "examples" / "library").glob("*.yaml"))
NS = {
    "bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL",
    "bpmndi": "http://www.omg.org/spec/BPMN/20100524/DI",
    "dc": "http://www.omg.org/spec/DD/20100524/DC",
    "di": "http://www.omg.org/spec/DD/20100524/DI",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
}
FLOW_NODES = ("startEvent", "endEvent", "userTask", "callActivity", "exclusiveGateway")
NCNAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.\-]*$")
TOL = 0.05


@functools.cache
def bpmn_schema() -> etree.XMLSchema:
    """The OMG BPMN 2.0 schema, read from the local copies (imports resolve beside it)."""
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "BPMN20.xsd")))


@pytest.fixture
def schema() -> etree.XMLSchema:
    return bpmn_schema()


def parse(text: str) -> etree._Element:
    return etree.fromstring(text.encode("utf-8"))


def all_of(doc: etree._Element, tag: str) -> list[etree._Element]:
    return doc.findall(f".//bpmn:{tag}", NS)


def bounds(doc: etree._Element) -> dict[str, tuple[float, float, float, float]]:
    shapes = doc.findall(".//bpmndi:BPMNShape", NS)
    return {s.get("bpmnElement"): tuple(float(s.find("dc:Bounds", NS).get(k))
                                        for k in ("x", "y", "width", "height"))
            for s in shapes}


def waypoints(edge: etree._Element) -> list[tuple[float, float]]:
    return [(float(w.get("x")), float(w.get("y"))) for w in edge.findall("di:waypoint", NS)]


def on_outline(point, box) -> bool:
    x, y, w, h = box
    inside = x - TOL <= point[0] <= x + w + TOL and y - TOL <= point[1] <= y + h + TOL
    near = min(abs(point[0] - x), abs(point[0] - x - w), abs(point[1] - y),
               abs(point[1] - y - h)) <= TOL
    return inside and near


def check_diagram(doc: etree._Element) -> None:
    """Every node one shape, every flow one orthogonal edge from outline to outline."""
    nodes = [e for tag in FLOW_NODES for e in all_of(doc, tag)]
    flows = all_of(doc, "sequenceFlow")
    shapes = doc.findall(".//bpmndi:BPMNShape", NS)
    edges = doc.findall(".//bpmndi:BPMNEdge", NS)
    shape_refs = [s.get("bpmnElement") for s in shapes]
    edge_refs = [e.get("bpmnElement") for e in edges]
    for node in nodes:
        assert shape_refs.count(node.get("id")) == 1, node.get("id")
    for made in flows:
        assert edge_refs.count(made.get("id")) == 1, made.get("id")
    assert len(edges) == len(flows)
    box = bounds(doc)
    for name, (x, y, w, h) in box.items():
        assert all(math.isfinite(v) for v in (x, y, w, h)), name
        assert min(x, y, w, h) >= 0, name
    pool = box["Participant_1"]
    for made in flows:
        edge = doc.find(f".//bpmndi:BPMNEdge[@bpmnElement='{made.get('id')}']", NS)
        points = waypoints(edge)
        assert len(points) >= 2
        for (ax, ay), (bx, by) in itertools.pairwise(points):
            assert abs(ax - bx) < TOL or abs(ay - by) < TOL, (made.get("id"), points)
        for px, py in points:
            assert math.isfinite(px) and math.isfinite(py)
            assert pool[0] - TOL <= px <= pool[0] + pool[2] + TOL
            assert pool[1] - TOL <= py <= pool[1] + pool[3] + TOL
        assert on_outline(points[0], box[made.get("sourceRef")]), made.get("id")
        assert on_outline(points[-1], box[made.get("targetRef")]), made.get("id")
    for lane in all_of(doc, "lane"):
        lx, ly, lw, lh = box[lane.get("id")]
        assert pool[0] <= lx and lx + lw <= pool[0] + pool[2] + TOL
        for ref in lane.findall("bpmn:flowNodeRef", NS):
            x, y, w, h = box[ref.text]
            assert lx - TOL <= x and x + w <= lx + lw + TOL, ref.text
            assert ly - TOL <= y and y + h <= ly + lh + TOL, ref.text


def expected_counts(sop: Sop) -> dict[str, int]:
    known = {s.number for s in sop.steps}
    edges = [e for e in flow.edges(sop) if e.target is None or e.target in known]
    decisions = sum(s.kind == "decision" for s in sop.steps)
    start_rows = sum(s.kind == "start" for s in sop.steps)
    end_rows = sum(s.kind == "end" for s in sop.steps)
    return {
        "activities": sum(s.kind in ("process", "decision") for s in sop.steps),
        "exclusiveGateway": decisions,
        "lane": len(sop.actors),
        "startEvent": start_rows or (1 if sop.steps else 0),
        "endEvent": end_rows + sum(e.target is None for e in edges),
        "sequenceFlow": len(edges) + (0 if start_rows or not sop.steps else 1) + decisions,
    }


def actual_counts(doc: etree._Element) -> dict[str, int]:
    return {
        "activities": len(all_of(doc, "userTask")) + len(all_of(doc, "callActivity")),
        "exclusiveGateway": len(all_of(doc, "exclusiveGateway")),
        "lane": len(all_of(doc, "lane")),
        "startEvent": len(all_of(doc, "startEvent")),
        "endEvent": len(all_of(doc, "endEvent")),
        "sequenceFlow": len(all_of(doc, "sequenceFlow")),
    }


# -- the schema files ------------------------------------------------------------------------
def test_schema_set_is_complete_and_references_resolve_locally():
    names = {"BPMN20.xsd", "Semantic.xsd", "BPMNDI.xsd", "DC.xsd", "DI.xsd"}
    assert names <= {p.name for p in SCHEMAS.glob("*.xsd")}
    xsd = "{http://www.w3.org/2001/XMLSchema}"
    for name in names:
        doc = etree.parse(str(SCHEMAS / name))
        for ref in doc.iter(f"{xsd}import", f"{xsd}include"):
            assert (SCHEMAS / ref.get("schemaLocation")).is_file(), (name, ref.get(
                "schemaLocation"))


# -- the curated library ---------------------------------------------------------------------
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_example_is_valid_bpmn(path, schema):
    sop = load(path).sop
    doc = parse(to_bpmn(sop))
    assert schema.validate(doc), schema.error_log.last_error
    assert actual_counts(doc) == expected_counts(sop)
    check_diagram(doc)
    ids = [e.get("id") for e in doc.iter() if e.get("id") is not None]
    assert len(ids) == len(set(ids))
    assert all(NCNAME.match(i) for i in ids)
    assert len(all_of(doc, "collaboration")) == 1
    assert len(all_of(doc, "participant")) == 1
    assert [lane.get("name") for lane in all_of(doc, "lane")] == [a.name for a in sop.actors]


@pytest.mark.parametrize("path", LIBRARY[:6], ids=lambda p: p.stem)
def test_output_is_deterministic(path):
    sop = load(path).sop
    first = to_bpmn(sop)
    assert to_bpmn(load(path).sop) == first
    assert to_bpmn(sop, layout(sop, PageSetup())) == first


def test_surat_keluar_gateway_branches():
    doc = parse(to_bpmn(load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop))
    gateways = all_of(doc, "exclusiveGateway")
    assert [g.get("id") for g in gateways] == ["Gateway_2"]
    out = {f.get("name"): f for f in all_of(doc, "sequenceFlow")
           if f.get("sourceRef") == "Gateway_2"}
    assert set(out) == {"Ya", "Tidak"}
    assert out["Ya"].get("targetRef") == "Step_3"
    assert out["Tidak"].get("targetRef") == "Step_1"
    assert doc.find(".//bpmn:userTask[@id='Step_3']", NS) is not None
    assert doc.find(".//bpmn:userTask[@id='Step_1']", NS) is not None
    for name, flow_element in out.items():
        condition = flow_element.find("bpmn:conditionExpression", NS)
        assert condition.get(f"{{{NS['xsi']}}}type") == "bpmn:tFormalExpression"
        assert condition.text == f'${{keputusan_2 == "{name.lower()}"}}'
    # The checking work flows into the gateway; the start event into the first step.
    into = [f for f in all_of(doc, "sequenceFlow") if f.get("targetRef") == "Gateway_2"]
    assert [f.get("sourceRef") for f in into] == ["Step_2"]
    first = doc.find(".//bpmn:sequenceFlow[@sourceRef='StartEvent']", NS)
    assert first.get("targetRef") == "Step_1"
    last = all_of(doc, "endEvent")
    assert [f.get("sourceRef") for f in all_of(doc, "sequenceFlow")
            if f.get("targetRef") == last[0].get("id")] == ["Step_6"]


def test_start_and_end_rows_are_the_events():
    sop = load(HERE.parents[1] / "examples/library/pengkoordinir-penyusunan-skp.yaml").sop
    doc = parse(to_bpmn(sop))
    assert [e.get("id") for e in all_of(doc, "startEvent")] == ["Step_1"]
    assert [e.get("id") for e in all_of(doc, "endEvent")] == ["Step_10"]
    tasks = {t.get("id") for t in all_of(doc, "userTask")}
    assert "Step_1" not in tasks and "Step_10" not in tasks


def test_decision_task_and_gateway_share_the_symbol():
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    result = layout(sop)
    symbol = next(s for p in result.pages for s in p.shapes if s.step == 2)
    box = bounds(parse(to_bpmn(sop, result)))
    task, gate = box["Step_2"], box["Gateway_2"]
    # Transposed: the symbol's height runs along BPMN x, its width along BPMN y.
    assert task[1] == gate[1] and task[3] == gate[3] == pytest.approx(symbol.rect.w, abs=0.01)
    assert task[0] < gate[0]
    assert gate[0] + gate[2] - task[0] == pytest.approx(symbol.rect.h, abs=0.02)


# -- made-up SOPs ----------------------------------------------------------------------------
def small_sop(**changes) -> Sop:
    data = {
        "id": "uji",
        "name": "Uji",
        "actors": [Actor(id="staf", name="Staf"), Actor(id="kabag", name="Kabag")],
        "steps": [
            Step(number=1, activity="Menyusun konsep", actors=["staf"]),
            Step(number=2, activity="Memeriksa konsep", actors=["kabag"], kind="decision",
                 on_yes=3, on_no=1),
            Step(number=3, activity="Mengirim", actors=["staf"]),
        ],
    }
    data.update(changes)
    return Sop(**data)


def test_special_characters_survive(schema):
    activity = 'Cek <nilai> & "tanda" \'petik\' > 5'
    sop = small_sop(
        name='SOP "A" & <B>',
        actors=[Actor(id="staf", name="Staf & <Umum>"), Actor(id="kabag", name='Kabag "X"')],
        steps=[
            Step(number=1, activity=activity, actors=["staf"], inputs=["<berkas> & surat"],
                 time='2 "jam"', notes="a < b"),
            Step(number=2, activity=["Satu & dua", "<tiga>"], actors=["kabag"],
                 kind="decision", on_yes=3, on_no=1),
            Step(number=3, activity="Selesai \x07 bersih", actors=["staf"]),
        ])
    text = to_bpmn(sop)
    doc = parse(text)
    assert schema.validate(doc), schema.error_log.last_error
    task = doc.find(".//bpmn:userTask[@id='Step_1']", NS)
    assert task.get("name") == activity
    documentation = task.find("bpmn:documentation", NS).text
    assert "Kelengkapan: <berkas> & surat" in documentation
    assert 'Waktu: 2 "jam"' in documentation
    assert doc.find(".//bpmn:userTask[@id='Step_2']", NS).get("name") == "Satu & dua; <tiga>"
    assert doc.find(".//bpmn:participant", NS).get("name") == 'SOP "A" & <B>'
    assert [lane.get("name") for lane in all_of(doc, "lane")] == ["Staf & <Umum>",
                                                                   'Kabag "X"']
    assert doc.find(".//bpmn:userTask[@id='Step_3']", NS).get("name") == "Selesai  bersih"
    assert "<nilai>" not in text  # escaped, never raw markup


def test_calls_become_call_activities(schema):
    sop = small_sop(steps=[
        Step(number=1, activity="Rapat", actors=["staf"], calls="pelaksanaan-rapat"),
        Step(number=2, activity="Lapor", actors=["kabag"]),
    ])
    doc = parse(to_bpmn(sop))
    assert schema.validate(doc), schema.error_log.last_error
    calls = all_of(doc, "callActivity")
    assert [(c.get("id"), c.get("calledElement")) for c in calls] == [
        ("Step_1", "pelaksanaan-rapat")]
    assert "Menjalankan SOP: pelaksanaan-rapat" in calls[0].find("bpmn:documentation", NS).text
    assert actual_counts(doc) == expected_counts(sop)
    assert all_of(doc, "process")[0].get("id") == "uji"


def test_joint_step_stands_in_first_actors_lane():
    sop = small_sop(steps=[
        Step(number=1, activity="Bersama", actors=["kabag", "staf"]),
        Step(number=2, activity="Lanjut", actors=["staf"]),
    ])
    doc = parse(to_bpmn(sop))
    lanes = {lane.get("id"): [r.text for r in lane.findall("bpmn:flowNodeRef", NS)]
             for lane in all_of(doc, "lane")}
    assert "Step_1" in lanes["Lane_kabag"] and "Step_1" not in lanes["Lane_staf"]
    documentation = doc.find(".//bpmn:userTask[@id='Step_1']/bpmn:documentation", NS).text
    assert "Pelaksana: Kabag, Staf" in documentation
    check_diagram(doc)


def test_multi_page_layout_is_one_continuous_diagram(schema):
    actors = [Actor(id=f"a{i}", name=f"Pelaksana {i}") for i in range(4)]
    steps = [Step(number=n, activity=" ".join(["kegiatan"] * 30), actors=[f"a{n % 4}"])
             for n in range(1, 25)]
    steps[19] = Step(number=20, activity="Memeriksa", actors=["a0"], kind="decision",
                     on_yes=21, on_no=3)
    sop = Sop(id="panjang", name="Panjang", actors=actors, steps=steps)
    result = layout(sop)
    assert len(result.pages) > 1
    assert any(p.connectors for p in result.pages)
    doc = parse(to_bpmn(sop, result))
    assert schema.validate(doc), schema.error_log.last_error
    check_diagram(doc)
    extent = sum(max(r.rect.bottom for r in p.rows) - min(r.rect.y for r in p.rows)
                 for p in result.pages)
    pool = bounds(doc)["Participant_1"]
    header = result.pages[0].header
    header_h = max(c.rect.bottom for c in header) - min(c.rect.y for c in header)
    assert pool[2] == pytest.approx(30 + header_h + extent, abs=0.02)
    # Every step follows the previous one along the flow axis, across page breaks too.
    box = bounds(doc)
    xs = [box[f"Step_{n}"][0] for n in range(1, 25)]
    assert xs == sorted(xs)
    # The Tidak branch from page two back to step 3 is one edge.
    back = doc.find(".//bpmn:sequenceFlow[@id='Flow_20_3_tidak']", NS)
    assert back.get("sourceRef") == "Gateway_20" and back.get("targetRef") == "Step_3"
    assert result.page_of(20) is not result.page_of(3)


def test_empty_and_actorless_sops_still_validate(schema):
    for sop in (Sop(id="kosong"), small_sop(actors=[], steps=[
            Step(number=1, activity="a"), Step(number=2, activity="b", kind="decision",
                                                  on_yes=1, on_no=3),
            Step(number=3, activity="c")])):
        doc = parse(to_bpmn(sop))
        assert schema.validate(doc), schema.error_log.last_error
        assert actual_counts(doc) == expected_counts(sop)


@st.composite
def sops(draw) -> Sop:
    n_actors = draw(st.integers(1, 5))
    actors = [Actor(id=f"a{i}", name=f"Aktor {i}") for i in range(n_actors)]
    count = draw(st.integers(1, 40))
    numbers = list(range(1, count + 1))
    steps = []
    for index, number in enumerate(numbers):
        kind = draw(st.sampled_from(["process"] * 6 + ["decision"]))
        who = draw(st.lists(st.sampled_from([a.id for a in actors]), min_size=1,
                            max_size=min(2, n_actors), unique=True))
        words = " ".join(["teks"] * draw(st.integers(1, 60)))
        extra = {}
        if kind == "decision" and count > 1:
            extra = {"on_yes": draw(st.sampled_from(numbers)),
                     "on_no": draw(st.sampled_from(numbers))}
        elif draw(st.integers(0, 9)) == 0:
            extra = {"next": draw(st.sampled_from(numbers))}
        else:
            kind = "process"
        if index == 0 and draw(st.booleans()):
            kind, who, extra = "start", [], {}
        if draw(st.integers(0, 12)) == 0 and kind == "process":
            extra["calls"] = "sop-lain"
        steps.append(Step(number=number, activity=words, actors=who, kind=kind, **extra))
    return Sop(id="acak", name="Acak", actors=actors, steps=steps)


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sops())
def test_generated_sops_give_valid_complete_diagrams(sop):
    schema = bpmn_schema()
    doc = parse(to_bpmn(sop))
    assert schema.validate(doc), schema.error_log.last_error
    assert actual_counts(doc) == expected_counts(sop)
    check_diagram(doc)


# -- dialects: conditions the target engine evaluates ------------------------------------------
DIALECT_NS = {"camunda": "http://camunda.org/schema/1.0/bpmn",
              "zeebe": "http://camunda.org/schema/zeebe/1.0",
              "modeler": "http://camunda.org/schema/modeler/1.0"}


def conditions(doc: etree._Element, source: str) -> dict[str, str]:
    return {f.get("name"): f.find("bpmn:conditionExpression", NS).text
            for f in all_of(doc, "sequenceFlow") if f.get("sourceRef") == source}


@pytest.mark.parametrize(("dialect", "yes", "no"), [
    ("camunda7", '${keputusan_2 == "ya"}', '${keputusan_2 == "tidak"}'),
    ("camunda8", '=keputusan_2 = "ya"', '=keputusan_2 = "tidak"'),
    ("spiff", 'keputusan_2 == "ya"', 'keputusan_2 == "tidak"'),
])
def test_dialects_write_their_engines_conditions(dialect, yes, no, schema):
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    doc = parse(to_bpmn(sop, dialect=dialect))
    assert schema.validate(doc), schema.error_log.last_error
    assert conditions(doc, "Gateway_2") == {"Ya": yes, "Tidak": no}
    process = all_of(doc, "process")[0]
    assert process.get("isExecutable") == "true"
    history = process.get(f"{{{DIALECT_NS['camunda']}}}historyTimeToLive")
    assert (history is not None) == (dialect == "camunda7")
    platform = doc.get(f"{{{DIALECT_NS['modeler']}}}executionPlatform")
    assert platform == ("Camunda Cloud" if dialect == "camunda8" else None)
    zeebe_tasks = doc.findall(".//zeebe:userTask", DIALECT_NS)
    assert len(zeebe_tasks) == (6 if dialect == "camunda8" else 0)
    check_diagram(doc)


def test_the_default_dialect_is_camunda7():
    sop = small_sop()
    assert to_bpmn(sop) == to_bpmn(sop, dialect="camunda7")
    with pytest.raises(ValueError):
        to_bpmn(sop, dialect="activiti")


def test_each_decision_has_its_own_variable_and_labels_name_the_exits():
    sop = small_sop(steps=[
        Step(number=1, activity="Menyusun", actors=["staf"]),
        Step(number=2, activity="Memeriksa", actors=["kabag"], kind="decision", on_yes=3,
             on_no=1, labels={"yes": "Lengkap", "no": "Tidak lengkap"}),
        Step(number=3, activity="Menyetujui", actors=["kabag"], kind="decision", on_yes=4,
             on_no=2),
        Step(number=4, activity="Mengirim", actors=["staf"]),
    ])
    doc = parse(to_bpmn(sop, dialect="spiff"))
    assert conditions(doc, "Gateway_2") == {"Lengkap": 'keputusan_2 == "ya"',
                                            "Tidak lengkap": 'keputusan_2 == "tidak"'}
    assert conditions(doc, "Gateway_3") == {"Ya": 'keputusan_3 == "ya"',
                                            "Tidak": 'keputusan_3 == "tidak"'}


def test_camunda8_call_activity_names_the_process_for_zeebe(schema):
    sop = small_sop(steps=[
        Step(number=1, activity="Rapat", actors=["staf"], calls="pelaksanaan-rapat"),
        Step(number=2, activity="Lapor", actors=["kabag"]),
    ])
    doc = parse(to_bpmn(sop, dialect="camunda8"))
    assert schema.validate(doc), schema.error_log.last_error
    called = doc.find(".//bpmn:callActivity/bpmn:extensionElements/zeebe:calledElement",
                      {**NS, **DIALECT_NS})
    assert called.get("processId") == "pelaksanaan-rapat"
    assignment = doc.find(".//bpmn:userTask[@id='Step_2']//zeebe:assignmentDefinition",
                          {**NS, **DIALECT_NS})
    assert assignment.get("candidateGroups") == "kabag"


def test_alurs_own_data_travels_in_extension_elements():
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    doc = parse(to_bpmn(sop))
    alur = {**NS, "alur": "urn:alur:bpmn:1"}
    carried = json.loads(doc.find(".//bpmn:userTask[@id='Step_2']/bpmn:extensionElements/"
                                  "alur:step", alur).text)
    assert carried["number"] == 2 and carried["time"] == "10 menit"
    assert carried["activity"] == sop.step(2).activity  # sub-activities, as a list
    assert "kind" not in carried and "on_yes" not in carried  # the diagram says those
    identity = json.loads(doc.find(".//bpmn:process/bpmn:extensionElements/alur:sop",
                                   alur).text)
    assert identity["id"] == "surat-keluar" and "steps" not in identity


def test_cli_dialect_option(tmp_path):
    from click.testing import CliRunner

    from alur.cli.main import main

    source = HERE.parents[1] / "examples/library/surat-keluar.yaml"
    target = tmp_path / "surat.bpmn"
    result = CliRunner().invoke(main, ["render", str(source), "-f", "bpmn",
                                       "--bpmn-dialect", "camunda8", "-o", str(target)])
    assert result.exit_code == 0, result.output
    assert conditions(parse(target.read_text(encoding="utf-8")), "Gateway_2")["Ya"] == \
        '=keputusan_2 = "ya"'
    result = CliRunner().invoke(main, ["render", str(source), "-f", "bpmn",
                                       "--bpmn-dialect", "jbpm"])
    assert result.exit_code != 0
