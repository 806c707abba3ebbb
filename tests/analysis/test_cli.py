"""`alur analyze` and `alur links` on files: output, JSON shape, bad input (exit code 2)."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from alur.cli.main import main
from alur.sop import dump

from .conftest import make_sop, step

LIBRARY = Path(__file__).parents[2] / "examples" / "library"
EXAMPLES = sorted(LIBRARY.glob("*.yaml"))


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_analyze_the_examples_prints_the_workload_table(run):
    result = run("analyze", *EXAMPLES, "--volume", "surat-ijin-cuti=120")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "Waktu standar (satu hari kerja = 7,5 jam)" in out
    # surat-ijin-cuti: six steps of 10+10+10+5+10+10 menit; 2 → 1 (Tidak) is rework.
    block = out[out.index("surat-ijin-cuti — SURAT IJIN CUTI"):]
    assert "Total waktu standar: 55 menit" in block
    assert "Jalur kritis: langkah 1 → 2 → 3 → 4 → 5 → 6" in block
    assert "Pengulangan (tidak termasuk standar): 2 → 1" in block
    assert "PNS dan PTT (pemohon)" in block
    # A long one: 44 hari 4 jam 45 menit = 44 × 450 + 285 = 20.085 menit.
    assert "Total waktu standar: 44 hari 4 jam 45 menit (20.085 menit)" in out
    table = out[out.index("Beban kerja per pelaksana"):]
    assert "JKE 1.250 jam setahun" in table
    assert "27 SOP tanpa volume tidak dihitung." in table
    # Pengelola Kepegawaian: steps 2 and 6, 20 menit × 120 = 2.400 menit = 40 jam; 40/1250.
    line = next(x for x in table.splitlines() if x.strip().startswith("Pengelola Kepegawaian"))
    assert line.split()[-3:] == ["40", "jam", "0,03"]
    assert "PNS dan PTT" not in table  # the applicant is no position
    assert "Hanya pekerjaan yang tertulis dalam SOP ini yang dihitung." in table


def test_analyze_json_shape(run):
    result = run("analyze", LIBRARY / "surat-ijin-cuti.yaml", LIBRARY / "surat-keluar.yaml",
                 "--volume", "surat-ijin-cuti=120", "--people", "Pengadm. Umum=1", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    cuti = data["sops"][0]
    assert cuti["id"] == "surat-ijin-cuti"
    assert cuti["total_minutes"] == {"min": 55, "max": 55}
    assert cuti["critical_path"] == [1, 2, 3, 4, 5, 6]
    assert cuti["actor_minutes"] == {"PNS dan PTT": {"min": 10, "max": 10},
                                     "Pengelola Kepegawaian": {"min": 20, "max": 20},
                                     "Pengadm. Umum": {"min": 20, "max": 20},
                                     "Kabag": {"min": 5, "max": 5}}
    workload = {w["actor"]: w for w in data["workload"]}
    assert set(workload) == {"Pengelola Kepegawaian", "Pengadm. Umum", "Kabag"}
    umum = workload["Pengadm. Umum"]
    assert umum["minutes_per_year"] == 2400
    assert umum["staff_needed"] == pytest.approx(2400 / 75000, abs=1e-4)
    assert umum["people"] == 1 and umum["grade"] == "E"
    assert workload["Kabag"]["ej"] is None
    assert data["jke_hours"] == 1250 and data["range_end"] == "max"
    assert "belum diverifikasi" in data["grade_bands_note"]


def test_jke_and_lower_end(run, tmp_path):
    sop = make_sop("rentang", [step(1, "1-2 jam")])
    dump(sop, tmp_path / "rentang.yaml")
    data = json.loads(run("analyze", tmp_path / "rentang.yaml", "--volume", "rentang=600",
                          "--jke-hours", "1200", "--lower-end", "--json").output)
    (row,) = data["workload"]
    assert row["minutes_per_year"] == 36_000
    assert row["minutes_per_year_range"] == {"min": 36_000, "max": 72_000}
    assert row["staff_needed"] == 0.5
    text = run("analyze", tmp_path / "rentang.yaml", "--volume", "rentang=600").output
    assert "Total waktu standar: 1 jam – 2 jam (60–120 menit)" in text
    assert "1.200 jam (600 jam – 1.200 jam)" in text


def test_an_sop_without_time_standards_is_unknown(run, tmp_path):
    dump(make_sop("tanpa-waktu", [step(1, "sesuai jadwal"), step(2, None)]),
         tmp_path / "tanpa-waktu.yaml")
    text = run("analyze", tmp_path / "tanpa-waktu.yaml", "--volume", "tanpa-waktu=10")
    assert text.exit_code == 0
    assert "Total waktu standar: tidak diketahui" in text.output
    assert "Jalur kritis" not in text.output
    assert "Langkah tanpa waktu standar (tidak dihitung): 1, 2" in text.output
    table = text.output[text.output.index("Beban kerja per pelaksana"):]
    line = next(x for x in table.splitlines() if x.strip().startswith("Staf "))
    assert line.split()[1:] == ["tidak", "diketahui", "tidak", "diketahui"]
    assert " 0 " not in line
    data = json.loads(run("analyze", tmp_path / "tanpa-waktu.yaml", "--volume",
                          "tanpa-waktu=10", "--json").output)
    assert data["sops"][0]["total_minutes"] is None
    assert data["sops"][0]["actor_minutes"] == {"Staf": None}
    assert data["workload"][0]["minutes_per_year"] is None
    assert data["workload"][0]["staff_needed"] is None


def test_without_volumes_there_is_no_workload(run):
    result = run("analyze", LIBRARY / "surat-masuk.yaml")
    assert result.exit_code == 0
    assert "Volume tahunan tidak diberikan (--volume ID=N)" in result.output
    assert json.loads(run("analyze", LIBRARY / "surat-masuk.yaml", "--json").output
                      )["workload"] == []


@pytest.mark.parametrize(("args", "message"), [
    (["--volume", "surat-ijin-cuti=abc"], "bukan bilangan bulat: 'abc'"),
    (["--volume", "surat-ijin-cuti=1.250"], "tanpa pemisah ribuan"),
    (["--volume", "surat-ijin-cuti=-5"], "negatif (-5)"),
    (["--volume", "surat-ijin-cuti"], "tidak berbentuk NAMA=ANGKA"),
    (["--volume", "tidak-ada=3"], "Tidak ada SOP dengan id 'tidak-ada'"),
    (["--jke-hours", "0"], "harus lebih dari 0 jam"),
    (["--jke-hours", "-1250"], "harus lebih dari 0 jam"),
    (["--jke-hours", "banyak"], "'banyak' bukan jumlah jam"),
    (["--jke-hours", "1.250"], "bermakna ganda"),
    (["--people", "Lurah=2"], "Tidak ada pelaksana bernama 'Lurah'"),
    (["--people", "Kabag=dua"], "bukan bilangan bulat"),
])
def test_bad_input_is_a_usage_error_in_indonesian(run, args, message):
    result = run("analyze", LIBRARY / "surat-ijin-cuti.yaml", *args)
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_a_file_that_cannot_be_read(run, tmp_path):
    (tmp_path / "rusak.yaml").write_text("format: alur-sop/1\nid: Bukan Slug\n", "utf-8")
    result = run("analyze", tmp_path / "rusak.yaml", LIBRARY / "surat-masuk.yaml")
    assert result.exit_code == 1
    assert "surat-masuk — SURAT MASUK" in result.output
    assert run("analyze", tmp_path / "tidak-ada.yaml").exit_code == 2


def test_links_prints_the_map_with_the_broken_links(run):
    result = run("links", LIBRARY)
    assert result.exit_code == 0, result.output
    out = result.output
    assert out.startswith("Peta keterkaitan: 28 SOP, 2 tautan, 7 tautan putus; "
                          "23 SOP tanpa keterkaitan.")
    assert "penyusunan-sakip — PENYUSUNAN SAKIP" in out
    assert "  → surat-masuk — SURAT MASUK (Keterkaitan; keterangan langkah 1)" in out
    assert "  → perjanjian-kinerja — PERJANJIAN KINERJA (Keterkaitan)" in out
    assert ("  ✗ SOP Pelaksanaan Rapat — tidak cocok dengan SOP mana pun "
            "(Keterkaitan; keterangan langkah 5)") in out


def test_links_as_svg_and_mermaid(run):
    svg = run("links", LIBRARY, "-f", "svg")
    assert svg.exit_code == 0
    root = ET.fromstring(svg.output)
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    mermaid = run("links", LIBRARY, "--format", "mermaid")
    assert mermaid.output.startswith("flowchart TB")
    assert "penyusunan-sakip" in mermaid.output
    assert run("links", LIBRARY / "surat-masuk.yaml").exit_code == 2


def test_help_is_in_indonesian(run):
    for command in ("analyze", "links"):
        result = run(command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output
    assert "Jam kerja efektif setahun (JKE)" in run("analyze", "--help").output
    assert "tautan putus" in run("links", "--help").output
