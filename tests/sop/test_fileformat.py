"""Tests for alur.sop.fileformat: reading and writing `alur-sop/1` files (YAML and JSON)."""

from __future__ import annotations

import json

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alur.sop.check import check
from alur.sop.fileformat import (
    LoadResult,
    dump,
    dumps_json,
    dumps_yaml,
    from_data,
    load,
    loads,
    to_data,
)
from alur.sop.findings import Finding, Severity
from alur.sop.model import Actor, Approver, Dates, Section, Sop, Source, Step

from .conftest import SPEC_EXAMPLE, make_sop, step

SOP_KEYS = ["format", "id", "name", "number", "organization", "dates", "approved_by",
            "legal_basis", "qualifications", "related", "equipment", "warnings", "records",
            "actors", "steps", "sections", "comment"]
# The spec's step keys, plus alur's `joint` (how a joint step finishes when run).
STEP_KEYS = ["number", "activity", "actors", "kind", "inputs", "time", "outputs", "notes",
             "next", "on_yes", "on_no", "labels", "layout", "calls", "joint", "comment",
             "inferred", "source"]


def _keys_in_order(text: str) -> dict:
    """The dumped YAML as plain data, every scalar a string (BaseLoader), keys in file order."""
    return yaml.load(text, Loader=yaml.BaseLoader)


def full_sop() -> Sop:
    """An SOP in which every key at every level has a non-empty value."""
    return make_sop(
        steps=[
            # Not a sensible step (a decision with `next` too), but every key is filled.
            step(1, kind="decision", notes="Lanjutan SOP A", next=2, on_yes=2, on_no=3,
                 labels={"yes": "Lengkap", "no": "Tidak lengkap"}, layout={"no": "right"},
                 calls="penanganan-surat",
                 joint="all", comment="Catatan penyunting: dibaca dari tanda ◇.",
                 inferred=["actors", "time"],
                 source={"file": "001.txt", "line": 12}),
            step(2, kind="start", activity="Mulai", actors=["kaban"]),
            step(3, kind="end", activity=["Menyimpan arsip.", "Selesai."]),
        ],
        sections=[{"title": "Latar Belakang", "text": "Baris satu.\nBaris dua.\n"}],
        comment="Catatan penyunting untuk seluruh SOP.",
    )


# --- loading ---------------------------------------------------------------------------------


def test_loads_returns_load_result():
    result = loads(SPEC_EXAMPLE, file="renja.yaml")
    assert isinstance(result, LoadResult)
    assert result.findings == []
    assert result.sop is not None and result.sop.id == "renja-kesbangpol"


def test_load_reads_yaml_file(tmp_path):
    path = tmp_path / "renja.yaml"
    path.write_text(SPEC_EXAMPLE, encoding="utf-8")
    result = load(path)
    assert result.findings == []
    assert result.sop == loads(SPEC_EXAMPLE).sop
    assert load(str(path)).sop == result.sop


def test_load_reads_json_by_suffix(tmp_path):
    sop = make_sop()
    path = tmp_path / "renja.JSON"
    path.write_text("\n\n" + dumps_json(sop), encoding="utf-8")
    assert load(path).sop == sop


def test_loads_guesses_json_from_brace():
    sop = make_sop()
    assert loads("  \n " + dumps_json(sop)).sop == sop
    assert loads(dumps_json(sop, indent=None), fmt="json").sop == sop


def test_loads_forced_json_on_yaml_is_a_syntax_error():
    result = loads("id: x\n", fmt="json")
    assert result.sop is None
    assert [(f.code, f.line) for f in result.findings] == [("format.syntax", 1)]
    assert result.findings[0].message.startswith("JSON tidak valid")


def test_utf8_text_survives(tmp_path):
    sop = make_sop(name="Penanganan Pengaduan – Dinas Sosial “Éselon” ±5 □ ◇")
    path = tmp_path / "a.yaml"
    dump(sop, path)
    assert "“Éselon” ±5 □ ◇" in path.read_text(encoding="utf-8")
    assert load(path).sop == sop


# --- findings while loading ------------------------------------------------------------------


UNKNOWN_KEYS = """\
format: alur-sop/1
id: renja
name: Renja
nomor: 060/712
approved_by:
  title: Kepala Badan
  nmae: Drs. Budi
actors:
  - {id: staf, name: Staf}
steps:
  - number: 1
    activity: Menyusun konsep.
  - number: 7
    activity: Memeriksa konsep.
    actrs: [staf]
    time: 1 hari
"""


def test_unknown_keys_are_findings_with_exact_lines():
    result = loads(UNKNOWN_KEYS, file="renja.yaml")
    assert result.sop is None
    findings = sorted(result.findings, key=lambda f: f.line or 0)
    assert [(f.code, f.line, f.step, f.sop, f.file, f.severity) for f in findings] == [
        ("format.unknown-key", 4, None, "renja", "renja.yaml", Severity.ERROR),
        ("format.unknown-key", 7, None, "renja", "renja.yaml", Severity.ERROR),
        ("format.unknown-key", 15, 7, "renja", "renja.yaml", Severity.ERROR),
    ]
    messages = [f.message for f in findings]
    assert messages == [
        "Kunci tidak dikenal 'nomor' (salah ketik?).",
        "Kunci tidak dikenal 'nmae' (salah ketik?) di approved_by.",
        "Kunci tidak dikenal 'actrs' (salah ketik?) di steps[1].",
    ]


def test_unknown_key_in_flow_mapping_points_at_its_line():
    text = ("format: alur-sop/1\nid: renja\nsteps:\n  - number: 3\n"
            "    source: {file: a.txt, lien: 4}\n")
    [finding] = loads(text).findings
    assert (finding.code, finding.line, finding.step) == ("format.unknown-key", 5, 3)
    assert "Kunci tidak dikenal 'lien'" in finding.message


def test_unknown_key_in_json_has_line():
    text = '{\n  "format": "alur-sop/1",\n  "id": "renja",\n  "nama": "Renja"\n}\n'
    [finding] = loads(text).findings
    assert (finding.code, finding.line, finding.sop) == ("format.unknown-key", 4, "renja")
    assert "Kunci tidak dikenal 'nama'" in finding.message


def test_missing_id_is_invalid():
    result = loads("format: alur-sop/1\nname: Renja\n")
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.sop, finding.line) == (
        "format.invalid", Severity.ERROR, None, 1)
    assert finding.message == "Kunci wajib 'id' tidak ada."


def test_missing_step_number_names_the_step_path():
    text = "format: alur-sop/1\nid: renja\nsteps:\n  - number: 1\n  - activity: x\n"
    [finding] = loads(text).findings
    assert (finding.code, finding.line, finding.step) == ("format.invalid", 5, None)
    assert finding.message == "Kunci wajib 'number' tidak ada di steps[1]."


@pytest.mark.parametrize("text, line, step_number, message", [
    ("id: renja\nsteps:\n  - number: satu\n", 3, None,
     "'steps[0].number' harus berupa bilangan bulat."),
    ("id: renja\nsteps:\n  - number: 2\n    kind: loop\n", 4, 2,
     "Nilai 'steps[0].kind' tidak sah; yang diizinkan: "),
    ("id: renja\nsteps:\n  - number: 2\n    next: tiga\n", 4, 2,
     "'steps[0].next' harus berupa bilangan bulat."),
    ("id: renja\norganization: Dinas Sosial\n", 2, None, "'organization' harus berupa daftar."),
    ("id: renja\nsteps:\n  - number: 2\n    actors:\n      kaban: Kepala\n", 4, 2,
     "'steps[0].actors' harus berupa daftar."),
    ("id: renja\nactors: [staf]\n", 2, None, "'actors[0]' harus berupa pemetaan."),
    ("id: Renja Kerja\n", 1, None, "'id': id SOP harus huruf kecil"),
    ("id: renja\nformat: alur-sop/2\n", 2, None, "Nilai 'format' tidak sah"),
])
def test_invalid_values_are_findings(text, line, step_number, message):
    result = loads(text)
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.line, finding.step) == ("format.invalid", line, step_number)
    assert finding.message.startswith(message)


def test_all_problems_reported_at_once():
    text = ("id: renja\nnmae: x\nsteps:\n  - number: 1\n    kind: loop\n"
            "  - number: 2\n    tiem: 1 hari\n")
    result = loads(text)
    findings = sorted(result.findings, key=lambda f: f.line or 0)
    assert [(f.code, f.line, f.step) for f in findings] == [
        ("format.unknown-key", 2, None),
        ("format.invalid", 5, 1),
        ("format.unknown-key", 7, 2),
    ]


def test_yaml_syntax_error():
    text = "format: alur-sop/1\nid: renja\nactors: [staf\nsteps: []\n"
    result = loads(text, file="x.yaml")
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.file) == (
        "format.syntax", Severity.ERROR, "x.yaml")
    assert finding.line == 4
    assert finding.message.startswith("YAML tidak valid: ")


def test_yaml_multiple_documents_is_a_syntax_error():
    result = loads("id: a\n---\nid: b\n")
    assert [(f.code, f.line) for f in result.findings] == [("format.syntax", 2)]


def test_json_syntax_error():
    text = '{\n  "id": "renja",\n  "name": "Renja",\n}\n'
    result = loads(text)
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.line) == ("format.syntax", 4)
    assert finding.message.startswith("JSON tidak valid: ")


@pytest.mark.parametrize("text", ["", "# hanya komentar\n", "- a\n- b\n", "renja\n", "42\n",
                                  "[1, 2]", "null\n"])
def test_non_mapping_document(text):
    result = loads(text)
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.line) == ("format.not-mapping", 1)
    assert finding.message.startswith("Isi berkas harus berupa pemetaan")


def test_non_utf8_file(tmp_path):
    path = tmp_path / "lama.yaml"
    path.write_bytes("id: renja\nname: Pengadaan Barang Dinas Kesehatan Caf\xe9\n".encode("cp1252"))
    result = load(path)
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.severity, finding.file, finding.line) == (
        "format.encoding", Severity.ERROR, str(path), None)
    assert finding.message == "Berkas bukan teks UTF-8."


def test_missing_file_is_unreadable(tmp_path):
    path = tmp_path / "tidak-ada.yaml"
    result = load(path)
    assert result.sop is None
    [finding] = result.findings
    assert (finding.code, finding.file) == ("format.unreadable", str(path))
    assert finding.message.startswith("Berkas tidak dapat dibaca")


def test_load_sets_file_on_findings(tmp_path):
    path = tmp_path / "renja.yaml"
    path.write_text(UNKNOWN_KEYS, encoding="utf-8")
    assert {f.file for f in load(path).findings} == {str(path)}


def test_impossible_quoted_date_is_a_finding():
    result = loads("format: alur-sop/1\nid: renja\ndates:\n  created: '2023-02-30'\n")
    assert result.sop is None
    assert [(f.code, f.line) for f in result.findings] == [("format.invalid", 4)]


@pytest.mark.parametrize("value", ["2023-02-30", "2019-13-01"])
def test_impossible_unquoted_date_is_a_finding(value):
    result = loads(f"format: alur-sop/1\nid: renja\ndates:\n  created: {value}\n")
    assert result.sop is None
    assert [(f.code, f.line) for f in result.findings] == [("format.invalid", 4)]


@pytest.mark.parametrize("key, value", [
    ("number", "1.10"), ("number", "012"), ("time", "1:30"), ("time", "1.50"), ("name", "0x1F"),
])
def test_bare_numbers_keep_the_authors_text(key, value):
    if key == "time":
        text = f"id: renja\nsteps:\n  - number: 1\n    time: {value}\n"
    else:
        text = f"id: renja\n{key}: {value}\n"
    sop = loads(text).sop
    assert sop is not None
    got = sop.steps[0].time if key == "time" else getattr(sop, key)
    assert got == value


def test_unknown_key_named_like_a_type():
    [finding] = loads("id: renja\nname: x\nint: 3\n").findings
    assert finding.code == "format.unknown-key"
    assert finding.message == "Kunci tidak dikenal 'int' (salah ketik?)."
    assert finding.line == 3


def test_findings_are_indonesian():
    texts = [UNKNOWN_KEYS, "name: x\n", "a: [1\n", '{"a": ,}', "- 1\n"]
    messages = [f.message for text in texts for f in loads(text).findings]
    assert any("Kunci tidak dikenal" in m for m in messages)
    assert any("Kunci wajib" in m for m in messages)
    assert any("YAML tidak valid" in m for m in messages)
    assert any("JSON tidak valid" in m for m in messages)
    assert any("pemetaan" in m for m in messages)
    for english in ("Field required", "Extra inputs", "should be", "Input should"):
        assert not any(english in m for m in messages)


# --- step lines and locate -------------------------------------------------------------------


def test_step_lines_of_spec_example():
    result = loads(SPEC_EXAMPLE)
    assert result.step_lines == {1: 23, 9: 31, 5: 38}
    lines = SPEC_EXAMPLE.splitlines()
    for number, line in result.step_lines.items():
        assert lines[line - 1].startswith(f"  - number: {number}")


def test_step_lines_of_json():
    text = dumps_json(make_sop(steps=[step(1), step(2, actors=["kaban"])]))
    lines = text.splitlines()
    result = loads(text)
    assert set(result.step_lines) == {1, 2}
    for number, line in result.step_lines.items():
        assert lines[line - 1].strip() == "{"
        assert lines[line].strip() == f'"number": {number},'


def test_step_lines_empty_when_invalid_or_no_steps():
    assert loads("id: renja\n").step_lines == {}
    assert loads(UNKNOWN_KEYS).step_lines == {}


def test_step_lines_first_of_duplicate_numbers():
    text = "id: renja\nsteps:\n  - number: 1\n  - number: 2\n  - number: 1\n"
    assert loads(text).step_lines == {1: 3, 2: 4}


def test_locate_points_findings_at_file_lines():
    text = dumps_yaml(make_sop(steps=[
        step(1, source={"file": "004.txt", "line": 23}),
        step(2, actors=["kaban"], time="sesuai jadwal", source={"file": "004.txt", "line": 25}),
    ], related=[]))
    result = loads(text)
    assert result.sop is not None
    findings = check(result.sop)
    assert [(f.code, f.step, f.file, f.line) for f in findings] == [
        ("identity.related", None, None, None),
        ("step.time-unparsed", 2, "004.txt", 25),
    ]
    located = result.locate(findings, "renja.yaml")
    step2_line = text.splitlines().index("- number: 2") + 1
    assert [(f.code, f.step, f.file, f.line) for f in located] == [
        ("identity.related", None, "renja.yaml", None),
        ("step.time-unparsed", 2, "renja.yaml", step2_line),
    ]
    assert result.step_lines[2] == step2_line
    assert [f.message for f in located] == [f.message for f in findings]


def test_locate_unknown_step_has_no_line():
    result = loads("id: renja\nsteps:\n  - number: 1\n")
    finding = Finding(severity=Severity.ERROR, code="x", message="m", step=5, line=9)
    [located] = result.locate([finding], None)
    assert (located.line, located.file, located.step) == (None, None, 5)


def test_locate_drops_source_lines_of_sop_level_findings():
    result = loads("id: renja\nsteps:\n  - number: 1\n")
    finding = Finding(severity=Severity.WARNING, code="x", message="m", line=9, file="004.txt")
    [located] = result.locate([finding], "renja.yaml")
    assert (located.line, located.file, located.step) == (None, "renja.yaml", None)


# --- writing ---------------------------------------------------------------------------------


def test_dumped_yaml_key_order_is_the_spec_order():
    data = _keys_in_order(dumps_yaml(full_sop()))
    assert list(data) == SOP_KEYS
    assert list(data["steps"][0]) == STEP_KEYS
    assert list(data["dates"]) == ["created", "revised", "effective"]
    assert list(data["approved_by"]) == ["title", "name", "nip"]
    assert list(data["actors"][0]) == ["id", "name"]
    assert list(data["steps"][0]["source"]) == ["file", "line"]
    assert list(data["sections"][0]) == ["title", "text"]


def test_dumped_json_key_order_is_the_spec_order():
    data = json.loads(dumps_json(Sop(id="x", steps=[Step(number=1)])))
    assert list(data) == SOP_KEYS
    assert list(data["steps"][0]) == STEP_KEYS


def test_empty_optional_keys_omitted_in_yaml():
    sop = Sop(id="renja", steps=[Step(number=1), Step(number=2, source=Source(line=4))],
              sections=[Section(title="Tempat")])
    text = dumps_yaml(sop)
    data = _keys_in_order(text)
    assert list(data) == ["format", "id", "name", "actors", "steps", "sections"]
    assert list(data["steps"][0]) == ["number", "activity", "actors", "kind"]
    assert data["steps"][1]["source"] == {"line": "4"}
    assert data["sections"] == [{"title": "Tempat"}]
    assert text == (
        "format: alur-sop/1\nid: renja\nname: ''\nactors: []\nsteps:\n"
        "- number: 1\n  activity: ''\n  actors: []\n  kind: process\n"
        "- number: 2\n  activity: ''\n  actors: []\n  kind: process\n  source: {line: 4}\n"
        "sections:\n- title: Tempat\n")


def test_empty_optional_keys_present_in_json():
    data = json.loads(dumps_json(Sop(id="renja", steps=[Step(number=1)])))
    assert data == {
        "format": "alur-sop/1", "id": "renja", "name": "", "number": "", "organization": [],
        "dates": {"created": None, "revised": None, "effective": None},
        "approved_by": {"title": "", "name": "", "nip": ""},
        "legal_basis": [], "qualifications": [], "related": [], "equipment": [],
        "warnings": [], "records": [], "actors": [],
        "steps": [{"number": 1, "activity": "", "actors": [], "kind": "process", "inputs": [],
                   "time": None, "outputs": [], "notes": "", "next": None, "on_yes": None,
                   "on_no": None, "labels": {"yes": "", "no": ""},
                   "layout": {"yes": None, "no": None, "yes_in": None, "no_in": None,
                              "yes_label": None, "no_label": None},
                   "calls": None, "joint": None,
                   "comment": "", "inferred": [],
                   "source": None}],
        "sections": [], "comment": "",
    }


def test_to_data_pruned_and_full():
    sop = Sop(id="renja", steps=[Step(number=1, time="1 jam")])
    assert to_data(sop) == {"format": "alur-sop/1", "id": "renja", "name": "", "actors": [],
                            "steps": [{"number": 1, "activity": "", "actors": [],
                                       "kind": "process", "time": "1 jam"}]}
    full = to_data(sop, full=True)
    assert list(full) == SOP_KEYS
    assert full["steps"][0]["time"] == "1 jam" and full["steps"][0]["next"] is None


def test_json_minutes():
    sop = make_sop(steps=[
        step(1, time="1 hari"), step(2, time="1-2 hari", actors=["kaban"]),
        step(3, time="sesuai jadwal"), step(4, time=None), step(5, time="30 Menit"),
    ])
    data = json.loads(dumps_json(sop, minutes=True))
    assert [s["minutes"] for s in data["steps"]] == [
        {"min": 450, "max": 450}, {"min": 450, "max": 900}, None, None, {"min": 30, "max": 30}]
    assert [s["time"] for s in data["steps"]] == [
        "1 hari", "1-2 hari", "sesuai jadwal", None, "30 Menit"]
    assert list(data["steps"][0])[-1] == "minutes"
    assert "minutes" not in json.loads(dumps_json(sop))["steps"][0]


def test_json_with_minutes_still_loads_only_without_them():
    sop = make_sop()
    result = loads(dumps_json(sop, minutes=True))
    assert result.sop is None
    assert {f.code for f in result.findings} == {"format.unknown-key"}


def test_dumps_json_indent_and_unicode():
    sop = make_sop(name="Pelaksanaan “Rapat”")
    assert "\n" not in dumps_json(sop, indent=None)
    assert "“Rapat”" in dumps_json(sop)
    assert dumps_json(sop).startswith('{\n  "format": "alur-sop/1"')


def test_yaml_uses_flow_style_for_short_lists_and_actors():
    text = dumps_yaml(make_sop())
    assert "  - {id: kaban, name: Kepala Badan}\n" in text or \
        "- {id: kaban, name: Kepala Badan}\n" in text
    assert "  inputs: [Dokumen]\n" in text
    assert "dates: {created: '2019-10-03', revised: 2020-10, effective: '2019-10-03'}\n" in text


def test_multiline_text_is_a_block_literal():
    sop = make_sop(sections=[{"title": "Latar Belakang", "text": "Baris satu.\nBaris dua.\n"}])
    text = dumps_yaml(sop)
    assert "  text: |\n    Baris satu.\n    Baris dua.\n" in text
    assert loads(text).sop == sop


def test_dumped_words_stay_strings_for_any_yaml_reader():
    sop = Sop(id="x", name="No", number="012",
              steps=[Step(number=1, activity="Yes", time="1:30", notes="on")])
    data = yaml.safe_load(dumps_yaml(sop))
    assert (data["name"], data["number"]) == ("No", "012")
    assert (data["steps"][0]["activity"], data["steps"][0]["time"],
            data["steps"][0]["notes"]) == ("Yes", "1:30", "on")


def test_dump_yaml_and_json_files(tmp_path):
    sop = full_sop()
    yaml_path, json_path = tmp_path / "a.yaml", tmp_path / "a.json"
    dump(sop, yaml_path)
    dump(sop, str(json_path))
    assert yaml_path.read_text(encoding="utf-8") == dumps_yaml(sop)
    assert json_path.read_text(encoding="utf-8") == dumps_json(sop) + "\n"
    assert load(yaml_path).sop == sop
    assert load(json_path).sop == sop


# --- round trips -----------------------------------------------------------------------------


@pytest.mark.parametrize("make", [full_sop, make_sop, lambda: loads(SPEC_EXAMPLE).sop,
                                  lambda: Sop(id="x")])
def test_round_trip(make):
    sop = make()
    text = dumps_yaml(sop)
    again = loads(text)
    assert again.findings == []
    assert again.sop == sop
    assert dumps_yaml(again.sop) == text
    assert loads(dumps_json(sop)).sop == sop
    assert dumps_json(loads(dumps_json(sop)).sop) == dumps_json(sop)
    assert from_data(to_data(sop)).sop == sop
    assert from_data(to_data(sop, full=True)).sop == sop


def test_spec_example_dump_is_stable():
    first = dumps_yaml(loads(SPEC_EXAMPLE).sop)
    second = dumps_yaml(loads(first).sop)
    assert first == second


def test_file_round_trip_is_textually_stable(tmp_path):
    for name in ("a.yaml", "a.json"):
        path = tmp_path / name
        dump(full_sop(), path)
        before = path.read_text(encoding="utf-8")
        result = load(path)
        assert result.sop is not None
        dump(result.sop, path)
        assert path.read_text(encoding="utf-8") == before


def test_from_data_without_node_has_no_lines():
    result = from_data({"id": "renja", "nmae": "x"})
    [finding] = result.findings
    assert (finding.code, finding.line, finding.sop) == ("format.unknown-key", None, "renja")
    assert from_data([1, 2]).findings[0].code == "format.not-mapping"
    assert from_data({"id": 5}).findings[0].sop is None


# --- property: any valid SOP survives YAML and JSON ------------------------------------------

TRICKY = st.sampled_from([
    "", " ", "  indented", "trailing  ", "a: b", ": a", "- a", "? a", "# a", "a #b", "'a'",
    '"a"', "it's", 'say "x"', "a\nb", "\nlead", "end\n", "two\n\n", "a\n  b", "  a\nb",
    "a\tb", "\t", "No", "yes", "on", "Ya", "Tidak", "~", "null", "true", "2019-10-03", "1.10",
    "012", "1:30", "0x1F", "1e3", ".inf", "@a", "`a", "{a}", "[a]", "&a", "*a", "!a", "%a",
    "|", ">", "a\r\nb", "\r", "a\u2028b", "a\x85b", "\ufeffa", "é", "Dinas Sosial – “A”",
    "□ ◇ ±", "日本語", "🙂", "a\\b", "---", "...", "=", "<<",
])
TEXT = st.one_of(TRICKY, st.text(st.characters(blacklist_categories=("Cs",)), max_size=20))
NONEMPTY = TEXT.filter(lambda s: s != "")
TEXTS = st.lists(TEXT, max_size=3)
SLUG = st.from_regex(r"[a-z0-9]{1,6}([-_][a-z0-9]{1,6}){0,2}", fullmatch=True)
DATE = st.one_of(st.none(), st.dates().map(lambda d: d.isoformat()),
                 st.dates().map(lambda d: d.isoformat()[:7]))
SOURCE = st.one_of(
    st.none(),
    st.builds(Source, file=st.one_of(st.none(), NONEMPTY),
              line=st.one_of(st.none(), st.integers(0, 10_000)))
    .filter(lambda s: s.file is not None or s.line is not None),
)


@st.composite
def valid_sops(draw: st.DrawFn) -> Sop:
    numbers = draw(st.lists(st.integers(-5, 500), min_size=1, max_size=30, unique=True))
    if draw(st.booleans()):
        numbers.sort()
    target = st.sampled_from(numbers)
    steps = []
    for number in numbers:
        kind = draw(st.sampled_from(["start", "process", "process", "decision", "end"]))
        decision = kind == "decision"
        steps.append(Step(
            number=number,
            activity=draw(st.one_of(TEXT, TEXTS)),
            actors=draw(st.lists(SLUG, max_size=3)),
            kind=kind,
            inputs=draw(TEXTS),
            time=draw(st.one_of(st.none(), NONEMPTY)),
            outputs=draw(TEXTS),
            notes=draw(TEXT),
            next=None if decision else draw(st.one_of(st.none(), target)),
            on_yes=draw(target) if decision else None,
            on_no=draw(target) if decision else None,
            calls=draw(st.one_of(st.none(), SLUG)),
            inferred=draw(st.lists(st.sampled_from(["actors", "kind", "time", "next"]),
                                   max_size=2)),
            source=draw(SOURCE),
        ))
    return Sop(
        id=draw(SLUG),
        name=draw(TEXT),
        number=draw(TEXT),
        organization=draw(TEXTS),
        dates=Dates(created=draw(DATE), revised=draw(DATE), effective=draw(DATE)),
        approved_by=Approver(title=draw(TEXT), name=draw(TEXT), nip=draw(TEXT)),
        legal_basis=draw(TEXTS),
        qualifications=draw(TEXTS),
        related=draw(TEXTS),
        equipment=draw(TEXTS),
        warnings=draw(TEXTS),
        records=draw(TEXTS),
        actors=draw(st.lists(st.builds(Actor, id=SLUG, name=TEXT), max_size=6)),
        steps=steps,
        sections=draw(st.lists(st.builds(Section, title=TEXT, text=TEXT), max_size=3)),
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_sops())
def test_property_yaml_round_trip(sop):
    text = dumps_yaml(sop)
    result = loads(text)
    assert result.findings == []
    assert result.sop == sop
    assert dumps_yaml(result.sop) == text
    assert set(result.step_lines) == {s.number for s in sop.steps}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(valid_sops())
def test_property_json_round_trip(sop):
    text = dumps_json(sop)
    result = loads(text)
    assert result.findings == []
    assert result.sop == sop
    assert dumps_json(result.sop) == text
    assert loads(dumps_json(sop, indent=None)).sop == sop
