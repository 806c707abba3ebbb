"""Tests for alur.sop.model: the `alur-sop/1` document as typed objects."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from alur.sop.fileformat import loads
from alur.sop.model import FORMAT, Actor, Approver, Dates, Section, Sop, Source, Step

from .conftest import SPEC_EXAMPLE, make_sop


def _sop_yaml(body: str) -> str:
    return "format: alur-sop/1\nid: contoh\n" + body


# --- the spec's example ----------------------------------------------------------------------


def test_spec_example_loads_without_findings():
    result = loads(SPEC_EXAMPLE)
    assert result.findings == []
    sop = result.sop
    assert sop is not None
    assert sop.format == FORMAT == "alur-sop/1"
    assert sop.id == "renja-kesbangpol"
    assert sop.name == "Penyusunan Rencana Kerja (Renja)"
    assert sop.number == "060/712/KESBAN/2019"
    assert sop.organization == [
        "Provinsi Kepulauan Bangka Belitung",
        "Badan Kesatuan Bangsa dan Politik",
        "Subbag Perencanaan dan Pelaporan",
    ]
    assert sop.dates == Dates(created="2019-10-03", revised="2020-10-03", effective="2019-10-03")
    assert sop.approved_by == Approver(
        title="Kepala Badan", name="Drs. H. Tarmin, M.Si.", nip="196312231986031006")
    assert sop.legal_basis == [
        "Peraturan Presiden Nomor 29 Tahun 2014 tentang SAKIP", "Permenpan RB 35/2012"]
    assert sop.related == ["SOP Pengumpulan Data", "SOP Pelaksanaan Rapat"]
    assert sop.equipment == ["Komputer dan printer", "Dokumen Renstra"]
    assert sop.warnings == ["Renja terlambat disusun"]
    assert sop.records == ["Dokumen Renja"]
    assert [a.id for a in sop.actors] == ["kaban", "sekretaris", "kasubbag", "staf"]
    assert sop.actor("staf") == Actor(id="staf", name="Staf/Jabatan Fungsional Umum")
    assert [s.number for s in sop.steps] == [1, 9, 5]
    assert sop.sections == [Section(title="Latar Belakang", text="Renja disusun setiap tahun.")]


def test_spec_example_steps():
    sop = loads(SPEC_EXAMPLE).sop
    assert sop is not None
    first, decision, called = sop.steps
    assert first == Step(
        number=1, activity="Memerintahkan penyusunan Rencana Kerja (Renja).",
        actors=["sekretaris"], kind="process", inputs=["Disposisi Surat"], time="10 menit",
        outputs=["Disposisi Surat"], notes="")
    assert decision.kind == "decision"
    assert (decision.on_yes, decision.on_no, decision.next) == (10, 8, None)
    assert decision.time == "1 hari"
    assert decision.inputs == [] and decision.outputs == []
    assert called.kind == "process"
    assert called.calls == "pelaksanaan-rapat"
    assert called.inferred == ["actors"]
    assert called.source == Source(file="004_11c9a70a9030f825.txt", line=23)
    assert called.time is None


# --- defaults --------------------------------------------------------------------------------


def test_sop_defaults_are_empty():
    sop = Sop(id="x")
    assert sop.format == "alur-sop/1"
    assert sop.name == "" and sop.number == ""
    assert sop.organization == []
    assert sop.dates == Dates() and sop.dates.created is None
    assert (sop.dates.revised, sop.dates.effective) == (None, None)
    assert sop.approved_by == Approver(title="", name="", nip="")
    for key in ("legal_basis", "qualifications", "related", "equipment", "warnings", "records",
                "actors", "steps", "sections"):
        assert getattr(sop, key) == [], key


def test_step_defaults_are_empty():
    step = Step(number=3)
    assert step.activity == ""
    assert step.actors == [] and step.inputs == [] and step.outputs == [] and step.inferred == []
    assert step.kind == "process"
    assert step.time is None
    assert step.notes == ""
    assert (step.next, step.on_yes, step.on_no, step.calls, step.source) == (None,) * 5


def test_default_lists_are_not_shared():
    a, b = Sop(id="a"), Sop(id="b")
    a.organization.append("Dinas")
    assert b.organization == []
    s, t = Step(number=1), Step(number=2)
    s.actors.append("staf")
    assert t.actors == []


def test_empty_yaml_values_mean_empty():
    result = loads(_sop_yaml(
        "name:\nnumber:\nlegal_basis:\norganization:\nsteps:\n"
        "  - number: 1\n    actors:\n    inputs:\n    notes:\n    inferred:\n"))
    assert result.findings == []
    sop = result.sop
    assert sop is not None
    assert (sop.name, sop.number, sop.legal_basis, sop.organization) == ("", "", [], [])
    step = sop.steps[0]
    assert (step.actors, step.inputs, step.notes, step.inferred) == ([], [], "", [])


def test_required_keys():
    with pytest.raises(ValidationError):
        Sop()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Step()  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Actor(id="staf")  # type: ignore[call-arg]
    with pytest.raises(ValidationError):
        Section()  # type: ignore[call-arg]


@pytest.mark.parametrize("model, data", [
    (Sop, {"id": "x", "nmae": "typo"}),
    (Step, {"number": 1, "actrs": ["staf"]}),
    (Actor, {"id": "staf", "name": "Staf", "title": "x"}),
    (Dates, {"created": "2020-01", "signed": "2020-01"}),
    (Approver, {"nmae": "Budi"}),
    (Source, {"file": "a.txt", "pgae": 2}),
    (Section, {"title": "A", "body": "x"}),
])
def test_unknown_keys_are_rejected(model, data):
    with pytest.raises(ValidationError) as info:
        model.model_validate(data)
    assert [e["type"] for e in info.value.errors()] == ["extra_forbidden"]


def test_format_must_be_alur_sop_1():
    with pytest.raises(ValidationError):
        Sop(id="x", format="alur-sop/2")  # type: ignore[arg-type]


@pytest.mark.parametrize("kind", ["start", "process", "decision", "end"])
def test_step_kinds(kind):
    assert Step(number=1, kind=kind).kind == kind


@pytest.mark.parametrize("kind", ["Decision", "mulai", "", "keputusan"])
def test_unknown_step_kind_rejected(kind):
    with pytest.raises(ValidationError):
        Step(number=1, kind=kind)


def test_assignment_is_validated():
    step = Step(number=1)
    with pytest.raises(ValidationError):
        step.kind = "loop"  # type: ignore[assignment]
    sop = Sop(id="x")
    with pytest.raises(ValidationError):
        sop.id = "Bukan Slug"


# --- YAML 1.1 booleans stay words ------------------------------------------------------------


@pytest.mark.parametrize("word", [
    "Ya", "Tidak", "y", "n", "Benar", "Salah",
    "Yes", "No", "no", "on", "On", "OFF",
])
def test_yaml_boolean_words_stay_strings(word):
    result = loads(_sop_yaml(
        f"name: {word}\nnumber: {word}\nsteps:\n  - number: 1\n    activity: {word}\n"
        f"    notes: {word}\n    time: {word}\n    inputs: [{word}]\n"))
    assert result.findings == []
    sop = result.sop
    assert sop is not None
    assert sop.name == word and sop.number == word
    step = sop.steps[0]
    assert (step.activity, step.notes, step.time, step.inputs) == (word, word, word, [word])


def test_true_is_still_a_boolean_and_not_a_name():
    result = loads(_sop_yaml("name: true\n"))
    assert result.sop is None
    assert [(f.code, f.line) for f in result.findings] == [("format.invalid", 3)]


# --- dates -----------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    ("2019-10-03", "2019-10-03"),
    ("2024-04", "2024-04"),
    ("2024-02-29", "2024-02-29"),
    (dt.date(2019, 10, 3), "2019-10-03"),
    (dt.datetime(2019, 10, 3, 8, 30), "2019-10-03"),
    (None, None),
])
def test_dates_accepted(value, expected):
    dates = Dates(created=value, revised=value, effective=value)
    assert (dates.created, dates.revised, dates.effective) == (expected,) * 3


@pytest.mark.parametrize("value", [
    "2023-02-30", "2023-02-29", "2021", "April 2024", "2024-13", "2024-00", "2024-4",
    "2024-04-1", "03-10-2019", "2019/10/03", "", " 2019-10-03", "2019-10-03T08:00", 2021,
])
def test_dates_rejected(value):
    for key in ("created", "revised", "effective"):
        with pytest.raises(ValidationError):
            Dates.model_validate({key: value})


def test_yaml_dates_become_text():
    result = loads(_sop_yaml(
        "dates: {created: 2019-10-03, revised: 2020-10, effective: '2019-10-03'}\n"))
    assert result.findings == []
    assert result.sop is not None
    assert result.sop.dates == Dates(
        created="2019-10-03", revised="2020-10", effective="2019-10-03")


@pytest.mark.parametrize("text, message_part", [
    ("2021", "YYYY-MM-DD atau YYYY-MM"),
    ("2019-10-03 08:00:00", "YYYY-MM-DD atau YYYY-MM"),
    ("April 2024", "YYYY-MM-DD atau YYYY-MM"),
    ("'2023-02'", None),
    ("'2023-02-30'", ""),
])
def test_bad_yaml_dates_are_findings(text, message_part):
    result = loads(_sop_yaml(f"name: x\ndates:\n  created: {text}\n"))
    if message_part is None:
        assert result.findings == []
        return
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.line, finding.step) == ("format.invalid", 5, None)
    assert message_part in finding.message
    assert finding.message.startswith("'dates.created'")


# --- ids -------------------------------------------------------------------------------------


@pytest.mark.parametrize("good", ["renja-kesbangpol", "a", "sop014", "surat_keluar", "a-1-b"])
def test_slug_ids_accepted(good):
    assert Sop(id=good).id == good
    assert Actor(id=good, name="X").id == good


@pytest.mark.parametrize("bad", [
    "Renja", "renja kesbangpol", "-renja", "renja-", "renja--x", "renja.x", "", "pelaksanaé",
    "kasubag&kasubid", "a_-b",
])
def test_non_slug_ids_rejected(bad):
    with pytest.raises(ValidationError):
        Sop(id=bad)
    with pytest.raises(ValidationError):
        Actor(id=bad, name="X")


# --- scalar coercions ------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [(5, "5"), (1.5, "1.5"), ("10 menit", "10 menit"),
                                             (None, None)])
def test_time_keeps_text(value, expected):
    assert Step(number=1, time=value).time == expected


def test_bare_number_time_in_yaml_becomes_text():
    result = loads(_sop_yaml("steps:\n  - number: 1\n    time: 5\n"))
    assert result.findings == []
    assert result.sop is not None
    assert result.sop.steps[0].time == "5"


def test_boolean_time_rejected():
    with pytest.raises(ValidationError):
        Step(number=1, time=True)


@pytest.mark.parametrize("value, expected", [(14, "14"), (None, ""), ("SOP.014", "SOP.014")])
def test_number_and_name_keep_text(value, expected):
    sop = Sop(id="x", number=value, name=value)
    assert (sop.number, sop.name) == (expected, expected)


@pytest.mark.parametrize("value", [True, ["a"], {"a": 1}])
def test_number_must_be_text(value):
    with pytest.raises(ValidationError):
        Sop(id="x", number=value)


# --- activity --------------------------------------------------------------------------------


def test_activity_as_string():
    step = Step(number=1, activity="Menerima surat.")
    assert step.activity_text == "Menerima surat."
    assert step.activity_lines == ["Menerima surat."]


def test_activity_as_list():
    step = Step(number=1, activity=["Menerima surat.", "Mencatat di agenda."])
    assert step.activity == ["Menerima surat.", "Mencatat di agenda."]
    assert step.activity_text == "Menerima surat.; Mencatat di agenda."
    assert step.activity_lines == ["Menerima surat.", "Mencatat di agenda."]


def test_activity_lines_is_a_copy():
    step = Step(number=1, activity=["a", "b"])
    step.activity_lines.append("c")
    assert step.activity == ["a", "b"]


def test_empty_activity():
    assert Step(number=1).activity_lines == []
    assert Step(number=1).activity_text == ""
    assert Step(number=1, activity=[]).activity_lines == []
    assert Step(number=1, activity=[]).activity_text == ""


def test_activity_list_from_yaml():
    result = loads(_sop_yaml("steps:\n  - number: 1\n    activity:\n      - a\n      - b\n"))
    assert result.sop is not None
    assert result.sop.steps[0].activity_lines == ["a", "b"]


@pytest.mark.parametrize("value", [5, ["a", 5], {"a": "b"}])
def test_activity_wrong_type_rejected(value):
    with pytest.raises(ValidationError):
        Step(number=1, activity=value)


# --- lookups ---------------------------------------------------------------------------------


def test_step_and_actor_lookup():
    sop = make_sop()
    found = sop.step(3)
    assert found is sop.steps[2]
    assert sop.step(99) is None
    assert sop.actor("kaban") is sop.actors[0]
    assert sop.actor("sekretaris") is None


def test_step_lookup_returns_first_of_duplicates():
    sop = Sop(id="x", steps=[Step(number=2, activity="a"), Step(number=2, activity="b")])
    found = sop.step(2)
    assert found is not None and found.activity == "a"


def test_impossible_date_message_is_indonesian():
    result = loads(_sop_yaml("dates:\n  created: '2023-02-30'\n"))
    [finding] = result.findings
    assert finding.code == "format.invalid"
    assert "out of range" not in finding.message
    assert "tanggal" in finding.message.lower()
