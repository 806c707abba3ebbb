"""BPMN import: alur's own export comes back as the same SOP in every dialect; models drawn in
other tools (bpmn.io / Camunda Modeler 7 and 8, Signavio) give the SOP a person reads in them;
what an SOP cannot hold, and files that are not safe or not BPMN, give findings."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from alur.importers.bpmn import classify, read_bpmn
from alur.render.bpmn import DIALECTS, to_bpmn
from alur.sop import Actor, Sop, Step, check, flow, load
from alur.sop.findings import Severity

from ..render.strategies import sops

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures" / "bpmn"
LIBRARY = sorted((HERE.parents[1] / "examples" / "library").glob("*.yaml"))


def read(name: str):
    return read_bpmn((FIXTURES / name).read_bytes(), file=name)


def codes(findings) -> list[str]:
    return [f.code for f in findings]


def flow_of(sop: Sop) -> list[tuple]:
    """Each step's successors as alur's flow semantics define them (a `next` that names the
    following step says nothing the order does not, and no diagram can tell the two apart)."""
    return [(s.number, [(e.target, e.label) for e in flow.successors(sop, s)])
            for s in sop.steps]


def assert_same_sop(got: Sop, want: Sop) -> None:
    assert got.model_dump(exclude={"steps"}) == want.model_dump(exclude={"steps"})
    assert [s.number for s in got.steps] == [s.number for s in want.steps]
    assert flow_of(got) == flow_of(want)
    for mine, theirs in zip(got.steps, want.steps, strict=True):
        following = want.steps.index(theirs) + 1
        redundant = following < len(want.steps) and theirs.next == want.steps[following].number
        assert mine.model_dump(exclude={"next"}) == theirs.model_dump(exclude={"next"})
        assert mine.next == (None if redundant else theirs.next)


# -- round trip ------------------------------------------------------------------------------
@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("path", LIBRARY, ids=lambda p: p.stem)
def test_library_round_trip_is_exact(path, dialect):
    sop = load(path).sop
    got, findings = read_bpmn(to_bpmn(sop, dialect=dialect).encode("utf-8"), file="x.bpmn")
    assert findings == []
    assert len(got) == 1
    assert got[0] == sop  # identity, actors, every step's text, actors, kind, exits, next, times


def test_round_trip_keeps_labels_calls_joint_steps_and_identity():
    sop = Sop(
        id="123-uji", name="Uji Lengkap", number="800/12/2024", organization=["Dinas A"],
        dates={"created": "2024-01-02", "effective": "2024-02"},
        approved_by={"title": "Kepala", "name": "Budi", "nip": "1970"},
        legal_basis=["UU 1"], related=["SOP lain"], warnings=["Hati-hati"],
        sections=[{"title": "Latar Belakang", "text": "Teks"}],
        actors=[Actor(id="pns", name="PNS", applicant=True), Actor(id="kabag", name="Kabag"),
                Actor(id="staf", name="Staf")],
        steps=[
            Step(number=1, activity="Mulai", kind="start"),
            Step(number=2, activity=["Mengajukan", "Melampirkan berkas"], actors=["pns"],
                 inputs=["Formulir"], time="1-2 hari", outputs=["Berkas"], notes="Catatan"),
            Step(number=3, activity="Memeriksa", actors=["kabag", "staf"], kind="decision",
                 on_yes=4, on_no=2, labels={"yes": "Lengkap", "no": "Tidak lengkap"},
                 joint="all", inferred=["kind"], source={"file": "a.pdf", "page": 2}),
            Step(number=4, activity="Rapat", actors=["staf"], calls="9-rapat"),
            Step(number=5, activity="", actors=["staf"], next=7),
            Step(number=6, activity="Tidak terjangkau", actors=["staf"]),
            Step(number=7, activity="Selesai", kind="end"),
        ])
    for dialect in DIALECTS:
        got, findings = read_bpmn(to_bpmn(sop, dialect=dialect).encode("utf-8"))
        assert findings == []
        assert got == [sop]


@settings(max_examples=30, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sops(max_steps=30, max_actors=5))
def test_generated_sops_round_trip(sop):
    got, findings = read_bpmn(to_bpmn(sop, dialect="spiff").encode("utf-8"))
    assert findings == []
    assert_same_sop(got[0], sop)


def test_an_edit_in_a_modeller_wins_over_alurs_extension():
    """Steps, names and exits come from the diagram: renaming a task and swapping a decision's
    exits in a modeller shows in the SOP, although alur's extension still says otherwise."""
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    doc = etree.fromstring(to_bpmn(sop, dialect="camunda7").encode("utf-8"))
    ns = {"bpmn": "http://www.omg.org/spec/BPMN/20100524/MODEL"}
    doc.find(".//bpmn:userTask[@id='Step_4']", ns).set("name", "Menandatangani surat")
    for made in doc.findall(".//bpmn:sequenceFlow[@sourceRef='Gateway_2']", ns):
        made.set("targetRef", "Step_1" if made.get("targetRef") == "Step_3" else "Step_3")
    got, findings = read_bpmn(etree.tostring(doc))
    assert findings == []
    steps = {s.number: s for s in got[0].steps}
    assert steps[4].activity == "Menandatangani surat"
    assert (steps[2].on_yes, steps[2].on_no) == (1, 3)
    assert steps[2].time == "10 menit"  # what BPMN cannot say still comes from alur's data


def test_ids_stay_unique_across_a_library():
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    data = to_bpmn(sop).encode("utf-8")
    taken: set[str] = set()
    first, _ = read_bpmn(data, taken_ids=taken)
    second, _ = read_bpmn(data, taken_ids=taken)
    assert (first[0].id, second[0].id) == ("surat-keluar", "surat-keluar-2")
    assert taken == {"surat-keluar", "surat-keluar-2"}


# -- other tools' models ---------------------------------------------------------------------
def test_camunda_modeler_7_model():
    sops_read, findings = read("camunda-modeler-cuti.bpmn")
    assert findings == []
    [sop] = sops_read
    assert sop.name == "Pemberian Izin Cuti Pegawai"
    assert sop.id == "pemberian-izin-cuti-pegawai"
    assert [(a.id, a.name) for a in sop.actors] == [
        ("pegawai", "Pegawai"), ("kasubag-kepegawaian", "Kasubag Kepegawaian"),
        ("kepala-dinas", "Kepala Dinas")]
    assert [(s.number, s.kind, s.activity, s.actors) for s in sop.steps] == [
        (1, "start", "Mulai", ["pegawai"]),
        (2, "process", "Mengajukan permohonan cuti", ["pegawai"]),
        (3, "decision", "Memeriksa kelengkapan berkas", ["kasubag-kepegawaian"]),
        (4, "process", "Menandatangani surat izin cuti", ["kepala-dinas"]),
        (5, "process", "Mengarsipkan salinan surat izin", ["kasubag-kepegawaian"]),
        (6, "end", "Selesai", ["kasubag-kepegawaian"]),
    ]
    decision = sop.step(3)
    # `${lengkap}` / `${!lengkap}` say nothing readable: the exits' names decide.
    assert (decision.on_yes, decision.on_no) == (4, 2)
    assert (decision.labels.yes, decision.labels.no) == ("Lengkap", "Tidak lengkap")
    assert decision.notes == "Berkas lengkap?"  # the gateway's question is kept
    assert sop.step(2).inputs == ["Formulir cuti"]  # a data object flowing in
    assert sop.step(2).notes == "Dilampiri sisa cuti tahun berjalan."
    assert sop.step(4).outputs == ["Surat izin cuti"]
    assert sop.step(4).notes == "Paling lambat 3 hari kerja"  # a text annotation
    assert [s.title for s in sop.sections] == ["Keterangan"]
    assert all(s.next is None for s in sop.steps)
    assert not [f for f in check(sop) if f.severity is Severity.ERROR]


def test_camunda_8_model_with_other_pool_and_messages():
    sops_read, findings = read("camunda8-kenaikan-pangkat.bpmn")
    [sop] = sops_read
    assert sop.name == "Usulan Kenaikan Pangkat"  # the process has no name: its pool's
    assert [a.name for a in sop.actors] == ["Staf Kepegawaian", "Kepala Bidang"]
    assert [(s.number, s.kind, s.activity) for s in sop.steps] == [
        (1, "process", "Menghimpun berkas usulan"),
        (2, "decision", "Memverifikasi persyaratan"),
        (3, "process", "Rapat pertimbangan jabatan"),
        (4, "process", "Mengirim usulan ke BKN"),
        (5, "process", "Menerima SK kenaikan pangkat"),
        (6, "end", "Usulan dikembalikan"),
        (7, "end", "Selesai"),
    ]
    decision = sop.step(2)
    # `=memenuhi = true` is Yes; the default flow "Dikembalikan" is No and ends the case.
    assert (decision.on_yes, decision.on_no) == (3, 6)
    assert (decision.labels.yes, decision.labels.no) == ("Memenuhi syarat", "Dikembalikan")
    assert sop.step(3).calls == "pelaksanaan-rapat"  # from zeebe:calledElement
    assert sop.step(3).actors == ["kepala-bidang"]
    assert sop.step(5).next == 7  # the case ends there, not in the rejection's end row
    assert codes(findings) == ["import.bpmn-pool", "import.bpmn-message"]
    assert "BKN Regional" in findings[0].message
    assert "Usulan dikirim" in findings[1].message
    assert not [f for f in check(sop, known_sops={sop.id, "pelaksanaan-rapat"})
                if f.severity is Severity.ERROR]


def test_signavio_model_with_nested_lanes_and_semantic_prefix():
    sops_read, findings = read("signavio-surat-masuk.bpmn")
    assert findings == []
    [sop] = sops_read
    assert sop.name == "Pengelolaan Surat Masuk"
    # The leaf lanes, in order: the parent lane "Bagian Umum" only groups two of them.
    assert [a.name for a in sop.actors] == ["Pengadministrasi Umum", "Kepala Bagian Umum",
                                            "Sekretaris Daerah"]
    assert [(s.number, s.kind, s.actors[0]) for s in sop.steps] == [
        (1, "process", "pengadministrasi-umum"),
        (2, "process", "pengadministrasi-umum"),
        (3, "decision", "kepala-bagian-umum"),
        (4, "process", "sekretaris-daerah"),
        (5, "process", "pengadministrasi-umum"),
    ]
    assert (sop.step(3).on_yes, sop.step(3).on_no) == (4, 5)
    assert sop.step(3).labels.yes == sop.step(3).labels.no == ""  # plain ya / tidak
    assert sop.step(2).notes == "Nomor agenda diberikan berurutan per tahun."
    assert flow.reachable(sop) == {1, 2, 3, 4, 5}


def test_what_an_sop_cannot_hold_is_reported_not_dropped():
    sops_read, findings = read("parallel-and-events.bpmn")
    [sop] = sops_read
    assert [s.activity for s in sop.steps] == [
        "Menerima berkas usulan", "Memeriksa aspek keuangan", "Memeriksa aspek kepegawaian",
        "Menyusun laporan hasil verifikasi"]
    assert all(s.next is None and s.kind == "process" for s in sop.steps)  # one after another
    assert codes(findings) == ["import.bpmn-parallel", "import.bpmn-parallel",
                               "import.bpmn-event", "import.bpmn-event",
                               "import.bpmn-unreached", "import.bpmn-no-lanes"]
    by_code = {f.code: f for f in findings}
    assert "Menunggu 2 hari" in findings[2].message
    assert "Terlambat" in findings[3].message
    assert "Mengirim teguran" in by_code["import.bpmn-unreached"].message
    # An unnamed gateway is named by what flows into it, never by its internal id.
    assert "'Menerima berkas usulan'" in findings[0].message
    assert "'Memeriksa aspek keuangan'" in findings[1].message
    assert all(f.line for f in findings)
    assert all("Gateway_" not in f.message for f in findings)  # no internal ids


@pytest.mark.parametrize(("name", "code"), [
    ("not-xml.bpmn", "import.bpmn-unreadable"),
    ("not-bpmn.bpmn", "import.bpmn-not-bpmn"),
    ("xml-bomb.bpmn", "import.bpmn-entities"),
    ("external-entity.bpmn", "import.bpmn-entities"),
])
def test_bad_files_give_an_error_finding(name, code):
    sops_read, findings = read(name)
    assert sops_read == []
    assert codes(findings) == [code]
    assert findings[0].severity is Severity.ERROR
    assert findings[0].file == name
    assert "passwd" not in findings[0].message and "root:" not in findings[0].message


def test_empty_and_odd_models():
    empty = (b'<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">'
             b'<process id="p"/></definitions>')
    assert codes(read_bpmn(empty)[1]) == ["import.bpmn-no-process"]
    assert codes(read_bpmn(b"")[1]) == ["import.bpmn-unreadable"]
    # A gateway right after the start decides on its own; exits without Yes/No words are
    # read in order and reported; a task with two plain outgoing flows follows the first.
    model = b"""<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
      <process id="p" name="Uji Gerbang">
        <startEvent id="s"/>
        <exclusiveGateway id="g" name="Jenis surat?"/>
        <task id="a" name="Surat biasa"/>
        <task id="b" name="Surat rahasia"/>
        <task id="c" name="Mengirim"/>
        <sequenceFlow id="f1" sourceRef="s" targetRef="g"/>
        <sequenceFlow id="f2" name="Biasa" sourceRef="g" targetRef="a"/>
        <sequenceFlow id="f3" name="Rahasia" sourceRef="g" targetRef="b"/>
        <sequenceFlow id="f4" sourceRef="a" targetRef="c"/>
        <sequenceFlow id="f5" sourceRef="a" targetRef="b"/>
        <sequenceFlow id="f6" sourceRef="b" targetRef="c"/>
      </process></definitions>"""
    [sop], findings = read_bpmn(model)
    assert [(s.number, s.kind, s.activity) for s in sop.steps] == [
        (1, "decision", "Jenis surat?"), (2, "process", "Surat biasa"),
        (3, "process", "Surat rahasia"), (4, "process", "Mengirim")]
    assert (sop.step(1).on_yes, sop.step(1).on_no) == (2, 3)
    assert (sop.step(1).labels.yes, sop.step(1).labels.no) == ("Biasa", "Rahasia")
    assert sop.step(2).next == 4
    assert codes(findings) == ["import.bpmn-no-lanes", "import.bpmn-exits", "import.bpmn-split"]


@pytest.mark.parametrize(("words", "answer"), [
    ("Ya", "ya"), ("yes", "ya"), ("Lengkap", "ya"), ("Setuju", "ya"), ("Disetujui", "ya"),
    ("Sesuai", "ya"), ("Memenuhi syarat", "ya"),
    ("Tidak", "tidak"), ("Tidak lengkap", "tidak"), ("tidak setuju", "tidak"),
    ("Ditolak", "tidak"), ("Belum sesuai", "tidak"), ("Revisi", "tidak"), ("No", "tidak"),
    ("Biasa", None), ("", None),
])
def test_exit_words(words, answer):
    assert classify(words) == answer


def test_several_pools_give_several_sops():
    """A collaboration of two agencies, each with its own process: two SOPs, ids unique."""
    first = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    second = load(HERE.parents[1] / "examples/library/surat-masuk.yaml").sop
    ns = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"
    doc = etree.fromstring(to_bpmn(first).encode("utf-8"))
    other = etree.fromstring(to_bpmn(second).encode("utf-8"))
    doc.find(f"{ns}collaboration").append(other.find(f"{ns}collaboration/{ns}participant"))
    doc.find(f"{ns}collaboration")[-1].set("id", "Participant_2")
    doc.insert(2, other.find(f"{ns}process"))
    got, findings = read_bpmn(etree.tostring(doc), taken_ids={"surat-keluar"})
    assert findings == []
    assert [s.id for s in got] == ["surat-keluar-2", "surat-masuk"]
    assert got[1].model_dump(exclude={"id"}) == second.model_dump(exclude={"id"})


@settings(max_examples=60, deadline=None)
@given(cut=st.integers(0, 40_000), flips=st.lists(st.tuples(st.integers(0, 40_000),
                                                             st.integers(0, 255)), max_size=4))
def test_damaged_files_give_findings_never_exceptions(cut, flips):
    data = bytearray(to_bpmn(load(LIBRARY[0]).sop, dialect="camunda8").encode("utf-8"))
    del data[cut:]
    for position, value in flips:
        if position < len(data):
            data[position] = value
    got, findings = read_bpmn(bytes(data), file="rusak.bpmn")
    assert got or any(f.severity is Severity.ERROR for f in findings)
    assert all(f.message for f in findings)


def test_damaged_alur_data_is_reported_and_the_diagram_still_read():
    sop = load(HERE.parents[1] / "examples/library/surat-keluar.yaml").sop
    text = to_bpmn(sop).replace('"time":"5 menit"', '"time":[5]', 1)
    [got], findings = read_bpmn(text.encode("utf-8"))
    assert codes(findings) == ["import.bpmn-extension"]
    assert findings[0].step == 1
    assert got.step(1).time is None  # the damaged data is not guessed at
    assert got.step(1).activity == sop.step(1).activity and got.step(1).actors == ["pengelola"]
    assert got.step(2).time == "10 menit"  # every other step keeps its data


def test_a_rework_loop_through_a_merge_gateway():
    """bpmn.io's usual drawing: the No branch returns into a merge gateway before the work
    it repeats; the rework target is that work, and the order follows the main path."""
    model = b"""<?xml version="1.0"?>
    <bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d">
      <bpmn:process id="p" name="Penyusunan Laporan">
        <bpmn:laneSet><bpmn:lane id="l1" name="Staf"><bpmn:flowNodeRef>t1</bpmn:flowNodeRef>
          <bpmn:flowNodeRef>t3</bpmn:flowNodeRef></bpmn:lane>
          <bpmn:lane id="l2" name="Kabag"><bpmn:flowNodeRef>t2</bpmn:flowNodeRef>
          <bpmn:flowNodeRef>g2</bpmn:flowNodeRef></bpmn:lane></bpmn:laneSet>
        <bpmn:startEvent id="s"/>
        <bpmn:exclusiveGateway id="g1"/>
        <bpmn:userTask id="t1" name="Menyusun konsep laporan"/>
        <bpmn:userTask id="t2" name="Memeriksa konsep"/>
        <bpmn:exclusiveGateway id="g2" name="Disetujui?"/>
        <bpmn:userTask id="t3" name="Mengirim laporan"/>
        <bpmn:endEvent id="e"/>
        <bpmn:sequenceFlow id="f0" sourceRef="s" targetRef="g1"/>
        <bpmn:sequenceFlow id="f1" sourceRef="g1" targetRef="t1"/>
        <bpmn:sequenceFlow id="f2" sourceRef="t1" targetRef="t2"/>
        <bpmn:sequenceFlow id="f3" sourceRef="t2" targetRef="g2"/>
        <bpmn:sequenceFlow id="f4" name="Ditolak" sourceRef="g2" targetRef="g1"/>
        <bpmn:sequenceFlow id="f5" name="Disetujui" sourceRef="g2" targetRef="t3"/>
        <bpmn:sequenceFlow id="f6" sourceRef="t3" targetRef="e"/>
      </bpmn:process></bpmn:definitions>"""
    [sop], findings = read_bpmn(model)
    assert findings == []
    assert [(s.number, s.activity, s.kind, s.actors) for s in sop.steps] == [
        (1, "Menyusun konsep laporan", "process", ["staf"]),
        (2, "Memeriksa konsep", "decision", ["kabag"]),
        (3, "Mengirim laporan", "process", ["staf"]),
    ]
    decision = sop.step(2)
    assert (decision.on_yes, decision.on_no) == (3, 1)
    assert (decision.labels.yes, decision.labels.no) == ("Disetujui", "Ditolak")
    assert decision.notes == "Disetujui?"
    assert flow.cycles(sop) == [[1, 2]]
