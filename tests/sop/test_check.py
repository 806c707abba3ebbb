"""Tests for alur.sop.check: one test per finding code, each on an otherwise clean SOP."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.sop.check import CheckConfig, check
from alur.sop.findings import Finding, Severity, has_errors
from alur.sop.model import Actor, Sop, Step

from .conftest import clean_steps, make_sop, sop_data, step

E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO  # noqa: E741


def summary(findings: list[Finding]) -> list[tuple[str, Severity, int | None]]:
    return [(f.code, f.severity, f.step) for f in findings]


def only(sop: Sop, **kwargs) -> Finding:
    """The single finding `check` returns for `sop`; fails if there is not exactly one."""
    findings = check(sop, **kwargs)
    assert len(findings) == 1, summary(findings)
    return findings[0]


def steps_with(number: int, **fields) -> list[dict]:
    """The clean steps with `fields` changed on step `number`."""
    steps = clean_steps()
    steps[number - 1].update(fields)
    return steps


# --- the clean SOP ---------------------------------------------------------------------------


def test_clean_sop_has_no_findings():
    sop = make_sop()
    assert check(sop) == []
    assert check(sop, CheckConfig()) == []
    assert check(sop, known_sops=[]) == []


def test_clean_sop_with_start_and_end_markers():
    steps = [step(1, kind="start", activity="Mulai", actors=[], time=None, inputs=[],
                  outputs=[])]
    steps += [dict(s, number=s["number"] + 1) for s in clean_steps()]
    steps[2].update(on_yes=5, on_no=4)   # the decision, renumbered
    steps[3].update(next=3)              # the rework step goes back to the decision
    steps.append(step(6, kind="end", activity="", actors=[], time=None, inputs=[], outputs=[]))
    assert check(make_sop(steps=steps)) == []


def test_clean_sop_yaml_spelling_is_clean_too():
    nip = "19631223 198603 1 006"
    sop = make_sop(approved_by={"title": "Kepala Badan", "name": "Drs. H. Tarmin", "nip": nip})
    assert check(sop) == []


def test_findings_carry_the_sop_id_and_step_source():
    sop = make_sop(steps=steps_with(1, time=None, source={"file": "004.txt", "line": 23}))
    finding = only(sop)
    assert (finding.sop, finding.step, finding.file, finding.line) == (
        "renja-kesbangpol", 1, "004.txt", 23)
    assert finding.located() == "004.txt:23 [renja-kesbangpol] langkah 1"
    assert only(make_sop(related=[])).located() == "[renja-kesbangpol]"


# --- identity --------------------------------------------------------------------------------


@pytest.mark.parametrize("field, value, code, severity, message", [
    ("name", "", "identity.name", E, "Nama SOP belum diisi."),
    ("name", "   ", "identity.name", E, "Nama SOP belum diisi."),
    ("number", "", "identity.number", W, "Nomor SOP belum diisi."),
    ("organization", [], "identity.organization", W, "Nama instansi/unit kerja belum diisi."),
    ("legal_basis", [], "identity.legal-basis", W, "Dasar Hukum belum diisi."),
    ("qualifications", [], "identity.qualifications", W, "Kualifikasi Pelaksana belum diisi."),
    ("related", [], "identity.related", I, "Keterkaitan belum diisi."),
    ("equipment", [], "identity.equipment", W, "Peralatan/Perlengkapan belum diisi."),
    ("warnings", [], "identity.warnings", W, "Peringatan belum diisi."),
    ("records", [], "identity.records", W, "Pencatatan dan Pendataan belum diisi."),
])
def test_identity_fields(field, value, code, severity, message):
    finding = only(make_sop(**{field: value}))
    assert (finding.code, finding.severity, finding.step) == (code, severity, None)
    assert finding.message == message


@pytest.mark.parametrize("dates, code", [
    ({"created": None, "revised": "2020-10", "effective": "2019-10-03"}, "identity.date-created"),
    ({"created": "2019-10", "revised": None, "effective": None}, "identity.date-effective"),
])
def test_identity_dates(dates, code):
    finding = only(make_sop(dates=dates))
    assert (finding.code, finding.severity, finding.step) == (code, W, None)


def test_revised_date_is_optional():
    assert check(make_sop(dates={"created": "2019-10", "effective": "2019-11"})) == []


@pytest.mark.parametrize("approver, code, message", [
    ({"title": "", "name": "Budi", "nip": "196312231986031006"}, "identity.approver-title",
     "Jabatan pengesah (Disahkan oleh) belum diisi."),
    ({"title": "Kepala", "name": " ", "nip": "196312231986031006"}, "identity.approver-name",
     "Nama pejabat pengesah belum diisi."),
    ({"title": "Kepala", "name": "Budi", "nip": "19631223198603100"}, "identity.nip",
     "NIP pengesah '19631223198603100' bukan 18 angka."),
    ({"title": "Kepala", "name": "Budi", "nip": "1963122319860310066"}, "identity.nip", None),
    ({"title": "Kepala", "name": "Budi", "nip": "19631223198603100A"}, "identity.nip", None),
    ({"title": "Kepala", "name": "Budi", "nip": "NIP. 196312231986031006"}, "identity.nip",
     None),
])
def test_identity_approver(approver, code, message):
    finding = only(make_sop(approved_by=approver))
    assert (finding.code, finding.severity, finding.step) == (code, W, None)
    if message:
        assert finding.message == message


def test_empty_nip_is_not_reported():
    assert check(make_sop(approved_by={"title": "Kepala", "name": "Budi", "nip": ""})) == []


def test_empty_identity_reports_every_field_in_order():
    data = sop_data()
    for key in ("name", "number"):
        data[key] = ""
    for key in ("organization", "legal_basis", "qualifications", "related", "equipment",
                "warnings", "records"):
        data[key] = []
    data["dates"] = {}
    data["approved_by"] = {}
    assert [f.code for f in check(Sop.model_validate(data))] == [
        "identity.name", "identity.number", "identity.organization", "identity.date-created",
        "identity.date-effective", "identity.approver-title", "identity.approver-name",
        "identity.legal-basis", "identity.qualifications", "identity.related",
        "identity.equipment", "identity.warnings", "identity.records",
    ]


# --- actors ----------------------------------------------------------------------------------


def test_actor_duplicate():
    actors = [{"id": "kaban", "name": "Kepala Badan"}, {"id": "staf", "name": "Staf"},
              {"id": "staf", "name": "Staf Lain"}]
    finding = only(make_sop(actors=actors))
    assert (finding.code, finding.severity, finding.step) == ("actor.duplicate", E, None)
    assert finding.message == "Id pelaksana 'staf' dipakai 2 kali."


def test_actor_none():
    steps = [step(1, kind="start", activity="Mulai", actors=[]),
             step(2, kind="end", activity="Selesai", actors=[])]
    finding = only(make_sop(steps=steps, actors=[]))
    assert (finding.code, finding.severity, finding.step) == ("actor.none", E, None)


def _many_actors(n: int) -> Sop:
    ids = [f"pelaksana-{i}" for i in range(n)]
    return make_sop(actors=[{"id": a, "name": a.title()} for a in ids],
                    steps=[step(1, actors=ids)])


def test_actor_too_many():
    assert check(_many_actors(6)) == []
    finding = only(_many_actors(7))
    assert (finding.code, finding.severity, finding.step) == ("actor.too-many", W, None)
    assert finding.message.startswith("SOP memiliki 7 pelaksana, lebih dari 6")


def test_actor_too_many_respects_config():
    assert check(_many_actors(7), CheckConfig(max_actors=7)) == []
    finding = only(make_sop(), config=CheckConfig(max_actors=1))
    assert (finding.code, finding.severity) == ("actor.too-many", W)
    assert finding.message.startswith("SOP memiliki 2 pelaksana, lebih dari 1")


def test_actor_unused():
    actors = [*sop_data()["actors"], {"id": "sekretaris", "name": "Sekretaris"}]
    finding = only(make_sop(actors=actors))
    assert (finding.code, finding.severity, finding.step) == ("actor.unused", W, None)
    assert finding.message == "Pelaksana 'Sekretaris' tidak melaksanakan satu langkah pun."


# --- steps -----------------------------------------------------------------------------------


def test_steps_none():
    findings = check(make_sop(steps=[], actors=[]))
    assert summary(findings) == [("actor.none", E, None), ("steps.none", E, None)]
    assert findings[1].message == "SOP tidak memiliki langkah prosedur."


def test_steps_none_with_actors_reports_them_unused():
    findings = check(make_sop(steps=[]))
    assert summary(findings) == [
        ("actor.unused", W, None), ("actor.unused", W, None), ("steps.none", E, None)]


def test_step_duplicate():
    steps = [step(1), step(2, actors=["kaban"]), step(2, activity="Lagi."), step(3)]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("step.duplicate", E, 2)
    assert finding.message == "Nomor langkah 2 dipakai 2 kali."


def test_step_duplicate_reported_once_per_number():
    steps = [step(1), step(2, actors=["kaban"]), step(2), step(2)]
    findings = check(make_sop(steps=steps))
    assert [f for f in summary(findings) if f[0] == "step.duplicate"] == [
        ("step.duplicate", E, 2)]
    assert findings[0].message == "Nomor langkah 2 dipakai 3 kali."


def test_step_gap_range():
    finding = only(make_sop(steps=[step(8, actors=["kaban"]), step(11)]))
    assert (finding.code, finding.severity, finding.step) == ("step.gap", W, 11)
    assert finding.message == "Nomor langkah melompat dari 8 ke 11: langkah 9–10 tidak ada."


def test_step_gap_single():
    finding = only(make_sop(steps=[step(1, actors=["kaban"]), step(3)]))
    assert (finding.code, finding.severity, finding.step) == ("step.gap", W, 3)
    assert finding.message == "Nomor langkah melompat dari 1 ke 3: langkah 2 tidak ada."


def test_step_order():
    finding = only(make_sop(steps=[step(2, actors=["kaban"]), step(1)]))
    assert (finding.code, finding.severity, finding.step) == ("step.order", W, 1)
    assert finding.message == "Langkah 1 tertulis sesudah langkah 2."


def test_step_order_and_gap_together():
    findings = check(make_sop(steps=[step(1, actors=["kaban"]), step(3), step(2)]))
    assert summary(findings) == [("step.gap", W, 3), ("step.order", W, 2)]


@pytest.mark.parametrize("activity", ["", "   ", [], [""]])
def test_step_activity(activity):
    finding = only(make_sop(steps=steps_with(1, activity=activity)))
    assert (finding.code, finding.severity, finding.step) == ("step.activity", E, 1)
    assert finding.message == "Langkah 1 tidak memiliki uraian kegiatan."


def test_step_activity_not_required_for_markers():
    steps = [step(1, kind="start", activity=""), step(2, actors=["kaban"]),
             step(3, kind="end", activity="")]
    assert check(make_sop(steps=steps)) == []


def test_step_actor_missing():
    finding = only(make_sop(steps=steps_with(1, actors=[])))
    assert (finding.code, finding.severity, finding.step) == ("step.actor-missing", E, 1)
    assert finding.message == "Langkah 1 tidak memiliki pelaksana."


@pytest.mark.parametrize("kind", ["start", "end"])
def test_step_actor_missing_not_for_markers(kind):
    steps = [step(1, actors=["kaban"]), step(2), step(3, kind=kind, actors=[])]
    if kind == "start":
        steps = [steps[2] | {"number": 1}, steps[0] | {"number": 2}, steps[1] | {"number": 3}]
    assert check(make_sop(steps=steps)) == []


def test_step_actor_unknown():
    finding = only(make_sop(steps=steps_with(1, actors=["staf", "sekretaris"])))
    assert (finding.code, finding.severity, finding.step) == ("step.actor-unknown", E, 1)
    assert finding.message == ("Langkah 1 menyebut pelaksana 'sekretaris' yang tidak ada di "
                               "daftar pelaksana.")


def test_step_ref_unknown_next():
    steps = [step(1, actors=["kaban"]), step(2, next=99)]
    assert summary(check(make_sop(steps=steps))) == [
        ("step.ref-unknown", E, 2), ("flow.no-end", E, 1), ("flow.no-end", E, 2)]
    assert check(make_sop(steps=steps))[0].message == (
        "Langkah 2: langkah berikutnya menunjuk langkah 99 yang tidak ada.")


@pytest.mark.parametrize("key, label", [("on_yes", "cabang Ya"), ("on_no", "cabang Tidak")])
def test_step_ref_unknown_decision_exit(key, label):
    steps = [step(1), step(2, actors=["kaban"], kind="decision", on_yes=3, on_no=3), step(3)]
    steps[1][key] = 42
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("step.ref-unknown", E, 2)
    assert finding.message == f"Langkah 2: {label} menunjuk langkah 42 yang tidak ada."


def test_decision_exits():
    steps = [step(1), step(2, actors=["kaban"], kind="decision", on_yes=3), step(3)]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("decision.exits", E, 2)
    assert finding.message == "Keputusan di langkah 2 harus memiliki cabang Ya dan Tidak."


def test_decision_next():
    finding = only(make_sop(steps=steps_with(2, next=4)))
    assert (finding.code, finding.severity, finding.step) == ("decision.next", E, 2)
    assert "tidak boleh memakai 'next'" in finding.message


def test_step_exits_not_decision():
    steps = [step(1, on_yes=2), step(2, actors=["kaban"])]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("step.exits-not-decision", E, 1)
    assert finding.message == "Langkah 1 memiliki cabang Ya/Tidak tetapi bukan keputusan."
    finding = only(make_sop(steps=[step(1, on_no=1), step(2, actors=["kaban"])]))
    assert finding.code == "step.exits-not-decision"


def test_step_calls_self():
    finding = only(make_sop(steps=steps_with(1, calls="renja-kesbangpol")))
    assert (finding.code, finding.severity, finding.step) == ("step.calls-self", E, 1)
    assert finding.message == "Langkah 1 memanggil SOP ini sendiri."


def test_step_joint_needs_several_actors():
    finding = only(make_sop(steps=steps_with(1, joint="all")))
    assert (finding.code, finding.severity, finding.step) == \
        ("step.joint-single-actor", W, 1)
    assert finding.message == ("Langkah 1 menyatakan cara langkah bersama selesai "
                               "('joint: all') tetapi pelaksananya kurang dari dua.")
    joint = make_sop(steps=steps_with(1, joint="all", actors=["kaban", "staf"]))
    assert "step.joint-single-actor" not in {f.code for f in check(joint)}


def test_step_calls_unknown_only_with_known_sops():
    sop = make_sop(steps=steps_with(3, calls="pelaksanaan-rapat"))
    assert check(sop) == []
    assert check(sop, known_sops={"pelaksanaan-rapat", "surat-masuk"}) == []
    finding = only(sop, known_sops={"surat-masuk"})
    assert (finding.code, finding.severity, finding.step) == ("step.calls-unknown", E, 3)
    assert finding.message == ("Langkah 3 memanggil SOP 'pelaksanaan-rapat' yang tidak ada di "
                               "pustaka.")
    assert only(sop, known_sops=[]).code == "step.calls-unknown"


@pytest.mark.parametrize("time", [None, "", "   "])
def test_step_time_missing(time):
    finding = only(make_sop(steps=steps_with(4, time=time)))
    assert (finding.code, finding.severity, finding.step) == ("step.time-missing", W, 4)
    assert finding.message == "Langkah 4 tidak memiliki waktu baku."


def test_step_time_unparsed():
    finding = only(make_sop(steps=steps_with(4, time="sesuai jadwal")))
    assert (finding.code, finding.severity, finding.step) == ("step.time-unparsed", W, 4)
    assert finding.message == ("Waktu langkah 4 'sesuai jadwal' bukan durasi yang dapat "
                               "dihitung; teks disimpan apa adanya.")


@pytest.mark.parametrize("time", ["1 hari", "1-2 hari", "30 Menit", "2 Jam", "1 bln"])
def test_durations_are_not_reported(time):
    assert check(make_sop(steps=steps_with(1, time=time))) == []


def test_step_inputs_missing():
    finding = only(make_sop(steps=steps_with(1, inputs=[])))
    assert (finding.code, finding.severity, finding.step) == ("step.inputs-missing", W, 1)
    assert finding.message == "Langkah 1 tidak memiliki kelengkapan (input)."


def test_step_outputs_missing():
    finding = only(make_sop(steps=steps_with(2, outputs=[])))
    assert (finding.code, finding.severity, finding.step) == ("step.outputs-missing", W, 2)
    assert finding.message == "Langkah 2 tidak memiliki output."


@pytest.mark.parametrize("kind", ["start", "end"])
def test_markers_need_no_time_inputs_or_outputs(kind):
    steps = [step(1, actors=["kaban"]), step(2)]
    marker = step(0 if kind == "start" else 3, kind=kind, time=None, inputs=[], outputs=[])
    steps = [marker, *steps] if kind == "start" else [*steps, marker]
    assert check(make_sop(steps=steps)) == []


def test_step_inferred():
    finding = only(make_sop(steps=steps_with(1, inferred=["actors", "time", "kind", "foo"])))
    assert (finding.code, finding.severity, finding.step) == ("step.inferred", I, 1)
    assert finding.message == ("Langkah 1: pelaksana, waktu, jenis langkah, foo disimpulkan, "
                               "tidak tertulis di sumber.")


def test_step_inferred_can_be_silenced():
    sop = make_sop(steps=steps_with(1, inferred=["actors"]))
    assert check(sop, CheckConfig(report_inferred=False)) == []


# --- flow ------------------------------------------------------------------------------------


def test_flow_start_not_first():
    steps = [step(1, actors=["kaban"]), step(2, kind="start", activity="Mulai"), step(3)]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("flow.start-not-first", W, 2)
    assert finding.message == "Langkah mulai (2) bukan langkah pertama."


def test_flow_many_starts():
    steps = [step(1, kind="start"), step(2, kind="start"), step(3, actors=["kaban"])]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("flow.many-starts", W, 2)
    assert finding.message == "SOP memiliki lebih dari satu langkah mulai."


def test_flow_unreachable():
    steps = [step(1, next=3), step(2, actors=["kaban"]), step(3)]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("flow.unreachable", E, 2)
    assert finding.message == "Langkah 2 tidak pernah dicapai dari langkah pertama."


def test_flow_unreachable_after_end():
    steps = [step(1, actors=["kaban"]), step(2, kind="end"), step(3)]
    assert summary(check(make_sop(steps=steps))) == [("flow.unreachable", E, 3)]


def test_flow_loop_no_exit():
    steps = [step(1, next=2), step(2, actors=["kaban"], next=1)]
    finding = only(make_sop(steps=steps))
    assert (finding.code, finding.severity, finding.step) == ("flow.loop-no-exit", E, 1)
    assert finding.message == "Perulangan langkah 1, 2 tidak memiliki jalan keluar."


def test_flow_self_loop_no_exit():
    steps = [step(1, actors=["kaban"], next=1), step(2)]
    findings = check(make_sop(steps=steps))
    assert summary(findings) == [("flow.unreachable", E, 2), ("flow.loop-no-exit", E, 1)]
    assert findings[1].message == "Perulangan langkah 1 tidak memiliki jalan keluar."


def test_flow_no_end():
    steps = [step(1, actors=["kaban"]), step(2, next=3), step(3, next=2)]
    findings = check(make_sop(steps=steps))
    assert summary(findings) == [("flow.loop-no-exit", E, 2), ("flow.no-end", E, 1)]
    assert findings[1].message == "Dari langkah 1 tidak ada jalan menuju akhir prosedur."


def test_rework_loop_with_exit_is_fine():
    assert [f.code for f in check(make_sop()) if f.code.startswith("flow.")] == []


# --- findings helpers ------------------------------------------------------------------------


def test_has_errors():
    assert not has_errors(check(make_sop(related=[], number="")))
    assert has_errors(check(make_sop(name="")))
    assert not has_errors([])


def test_severity_values():
    assert [s.value for s in Severity] == ["error", "warning", "info"]
    finding = only(make_sop(name=""))
    assert finding.model_dump(mode="json") == {
        "severity": "error", "code": "identity.name", "message": "Nama SOP belum diisi.",
        "sop": "renja-kesbangpol", "step": None, "line": None, "file": None}


# --- property: check never raises ------------------------------------------------------------

ALL_CODES = {
    "identity.name", "identity.number", "identity.organization", "identity.date-created",
    "identity.date-effective", "identity.approver-title", "identity.approver-name",
    "identity.nip", "identity.legal-basis", "identity.qualifications", "identity.related",
    "identity.equipment", "identity.warnings", "identity.records",
    "actor.duplicate", "actor.none", "actor.too-many", "actor.unused",
    "steps.none", "step.duplicate", "step.gap", "step.order", "step.activity",
    "step.actor-missing", "step.actor-unknown", "step.ref-unknown", "decision.exits",
    "decision.next", "step.exits-not-decision", "step.calls-self", "step.calls-unknown",
    "step.joint-single-actor",
    "step.time-missing", "step.time-unparsed", "step.inputs-missing", "step.outputs-missing",
    "step.inferred", "flow.start-not-first", "flow.many-starts", "flow.unreachable",
    "flow.loop-no-exit", "flow.no-end",
}

ACTOR_IDS = st.sampled_from(["kaban", "staf", "sekretaris", "x"])
TEXT = st.one_of(st.sampled_from(["", " ", "1 hari", "1-2 hari", "sesuai jadwal", "paling lama",
                                  "0 menit", "1,5 jam", "-1 hari", "99999999999 tahun"]),
                 st.text(max_size=12))


@st.composite
def arbitrary_sops(draw: st.DrawFn) -> Sop:
    numbers = draw(st.lists(st.integers(-3, 12), max_size=12))
    target = st.one_of(st.none(), st.integers(-3, 14))
    steps = [Step(
        number=n,
        activity=draw(st.one_of(TEXT, st.lists(TEXT, max_size=2))),
        actors=draw(st.lists(ACTOR_IDS, max_size=3)),
        kind=draw(st.sampled_from(["start", "process", "decision", "end"])),
        inputs=draw(st.lists(TEXT, max_size=1)),
        time=draw(st.one_of(st.none(), TEXT)),
        outputs=draw(st.lists(TEXT, max_size=1)),
        next=draw(target), on_yes=draw(target), on_no=draw(target),
        calls=draw(st.one_of(st.none(), st.sampled_from(["renja", "rapat", ""]))),
        inferred=draw(st.lists(st.sampled_from(["actors", "kind", "zzz"]), max_size=2)),
    ) for n in numbers]
    actors = [Actor(id=a, name=a) for a in draw(st.lists(ACTOR_IDS, max_size=8))]
    return Sop(id="renja", name=draw(TEXT), number=draw(TEXT),
               approved_by={"nip": draw(TEXT)}, actors=actors, steps=steps)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(arbitrary_sops(), st.one_of(st.none(), st.sets(st.sampled_from(["rapat", "x"]))),
       st.integers(0, 8))
def test_property_check_never_raises(sop, known, max_actors):
    findings = check(sop, CheckConfig(max_actors=max_actors), known_sops=known)
    assert isinstance(findings, list)
    assert all(isinstance(f, Finding) for f in findings)
    assert {f.code for f in findings} <= ALL_CODES
    assert all(f.sop == "renja" for f in findings)
    numbers = {s.number for s in sop.steps}
    assert all(f.step is None or f.step in numbers for f in findings)
    if not sop.steps:
        assert findings[-1].code == "steps.none"
