"""`alur analyze` starts quickly: the command's modules are imported only when it runs, so it
loads neither the importers, the renderers, Django nor rich; `alur --help` still lists every
command with its help."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from alur.cli.main import MAX_ACTORS, main
from alur.sop import CheckConfig

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "library" / "surat-ijin-cuti.yaml"


def test_analyze_imports_only_what_it_needs():
    script = (
        "import sys, json\n"
        "from alur.cli.main import main\n"
        f"main(['analyze', {str(EXAMPLE)!r}, '--json'], standalone_mode=False)\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.stderr)\n")
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout)["sops"][0]["id"] == "surat-ijin-cuti"
    loaded = json.loads(done.stderr.strip().splitlines()[-1])
    heavy = [m for m in loaded if m.split(".")[0] in ("django", "rich", "docx", "openpyxl",
                                                      "lxml", "weasyprint", "http", "ssl")
             or m.startswith(("alur.importers", "alur.render", "alur.web", "alur.engine"))]
    assert heavy == []


def test_the_help_still_lists_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.split("Commands:")[1].splitlines()
              if line.strip()}
    assert listed == {"analyze", "audit", "book", "calendar", "check", "demo", "export",
                      "import", "links", "notify", "rebuild-reports", "render", "serve", "show",
                      "sign", "verify", "worker"}
    assert "--volume" in CliRunner().invoke(main, ["analyze", "--help"]).output


def test_the_check_default_is_the_checker_s():
    assert CheckConfig.max_actors == MAX_ACTORS
