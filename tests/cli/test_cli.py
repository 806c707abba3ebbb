"""The `alur` command as a shell user meets it: output, files written, exit codes."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from alur.cli.main import main
from alur.sop import load

SEEDS = sorted((Path(__file__).parents[1] / "importers" / "fixtures" / "seeds").glob("*.txt"))
LIBRARY = Path(__file__).parents[2] / "examples" / "library"


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args):
        return runner.invoke(main, [str(a) for a in args], catch_exceptions=False)

    return invoke


def test_import_writes_one_file_per_sop_and_reports(run, tmp_path):
    out = tmp_path / "lib"
    result = run("import", *SEEDS, "-o", out)
    assert result.exit_code == 0, result.output
    files = sorted(out.glob("*.yaml"))
    assert len(files) == 28
    assert all(load(f).sop is not None for f in files)
    assert "4 dokumen, 28 SOP" in result.output
    assert "langkah 9–10 tidak ada" in result.output
    assert "disimpulkan 'Kepala Badan' dari teks 'oleh Kepala Banda'" in result.output
    # A second run refuses to overwrite, unless told to.
    again = run("import", *SEEDS, "-o", out)
    assert again.exit_code == 1 and "--force" in again.output
    assert run("import", *SEEDS, "-o", out, "--force").exit_code == 0


def test_import_json_follows_the_contract(run):
    result = run("import", SEEDS[0], "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {"sops", "findings"}
    (sop,) = data["sops"]
    assert sop["steps"][3]["minutes"] == {"min": 2250, "max": 2250}  # 1 minggu
    finding = data["findings"][0]
    assert {"severity", "code", "message", "sop", "step", "line"} <= set(finding)
    assert finding["severity"] in ("error", "warning", "info")


def test_import_without_output_prints_yaml(run):
    result = run("import", SEEDS[0])
    assert result.stdout.startswith("---\nformat: alur-sop/1\nid: penyusunan-sakip\n")


def test_import_missing_file_is_usage_error(run, tmp_path):
    result = run("import", tmp_path / "nope.txt")
    assert result.exit_code == 2 and "tidak ditemukan" in result.output


def test_import_file_without_sop_fails(run, tmp_path):
    junk = tmp_path / "catatan.txt"
    junk.write_text("rapat hari senin\nbawa laptop\n", encoding="utf-8")
    result = run("import", junk)
    assert result.exit_code == 1
    assert "Tidak ada SOP" in result.output


def test_check_exit_codes(run, tmp_path):
    good = tmp_path / "baik.yaml"
    good.write_text(_CLEAN, encoding="utf-8")
    ok = run("check", good)
    assert ok.exit_code == 0, ok.output
    assert "0 galat" in ok.output
    bad = tmp_path / "buruk.yaml"
    bad.write_text(_CLEAN.replace("actors: [kabag]", "actors: [kabagg]"), encoding="utf-8")
    failed = run("check", good, bad)
    assert failed.exit_code == 1
    assert "buruk.yaml:" in failed.output and "kabagg" in failed.output
    typo = tmp_path / "salah.yaml"
    typo.write_text(_CLEAN.replace("  time: 5 menit", "  tiem: 5 menit"), encoding="utf-8")
    result = run("check", typo)
    assert result.exit_code == 1 and "Kunci tidak dikenal 'tiem'" in result.output
    assert "salah.yaml:" in result.output


def test_check_json_and_quiet(run, tmp_path):
    path = tmp_path / "baik.yaml"
    path.write_text(_CLEAN.replace("number: '800/1'\n", ""), encoding="utf-8")
    data = json.loads(run("check", path, "--json").stdout)
    assert [f["code"] for f in data] == ["identity.number"]
    assert "identity.number" not in run("check", path, "-q").output


def test_export_and_show(run, tmp_path):
    path = tmp_path / "baik.yaml"
    path.write_text(_CLEAN, encoding="utf-8")
    exported = json.loads(run("export", "--format", "json", path).stdout)
    assert exported["steps"][0]["minutes"] == {"min": 5, "max": 5}
    canonical = run("export", "-f", "yaml", path).stdout
    again = tmp_path / "kanonik.yaml"
    again.write_text(canonical, encoding="utf-8")
    assert run("export", "-f", "yaml", again).stdout == canonical
    assert load(again).sop == load(path).sop
    shown = run("show", path)
    assert shown.exit_code == 0
    assert "Menandatangani surat" in shown.output and "Disahkan oleh" in shown.output


def test_help_everywhere(run):
    for command in ([], ["import"], ["check"], ["export"], ["show"]):
        result = run(*command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_curated_library_checks_clean(run):
    files = sorted(LIBRARY.glob("*.yaml"))
    assert len(files) == 28
    result = run("check", *files)
    assert result.exit_code == 0, result.output


def test_installed_command_runs():
    result = subprocess.run([sys.executable, "-m", "alur.cli.main", "--version"],
                            capture_output=True, text=True, check=True)
    assert "alur" in result.stdout


_CLEAN = """\
format: alur-sop/1
id: tanda-tangan
name: Penandatanganan Surat
number: '800/1'
organization: [Pemerintah Kabupaten Contoh, Bagian Umum]
dates: {created: 2024-01, effective: 2024-02-01}
approved_by: {title: Kepala Bagian Umum, name: 'Budi, S.H.', nip: '197001011995031002'}
legal_basis: [Peraturan Bupati Nomor 1 Tahun 2020]
qualifications: [Memahami tata naskah dinas]
related: [SOP Surat Keluar]
equipment: [Komputer]
warnings: [Surat tidak sah tanpa tanda tangan]
records: [Buku agenda]
actors:
- {id: staf, name: Staf}
- {id: kabag, name: Kabag}
steps:
- number: 1
  activity: Menyiapkan surat
  actors: [staf]
  kind: process
  inputs: [Konsep surat]
  time: 5 menit
  outputs: [Surat]
- number: 2
  activity: Menandatangani surat
  actors: [kabag]
  kind: process
  inputs: [Surat]
  time: 5 menit
  outputs: [Surat bertanda tangan]
"""


def test_curated_library_is_canonical_and_complete():
    from alur.sop import dumps_yaml

    ids = set()
    for path in sorted(LIBRARY.glob("*.yaml")):
        result = load(path)
        assert result.sop is not None, result.findings
        assert result.sop.id == path.stem
        assert dumps_yaml(result.sop) == path.read_text(encoding="utf-8"), path.name
        assert all(s.source and s.source.line for s in result.sop.steps)
        ids.add(result.sop.id)
    assert {"surat-keluar", "surat-ijin-cuti", "penyusunan-sakip", "penyusunan-renja",
            "pengkoordinir-penyusunan-skp"} <= ids
