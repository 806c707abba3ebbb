"""Speed of `alur analyze` over the 28 examples: `.venv/bin/python benchmarks/analyze.py`.

Target (issue 13): `alur analyze examples/library/*.yaml --volume surat-ijin-cuti=120` in
< 300 ms wall time. Measured three ways, because they answer different questions:

- in process, the command itself (loading the files, the analysis, the output), with the
  modules already imported — what a web request or a notebook pays;
- the analysis alone (standard time, workload, links) on SOPs already loaded;
- as a subprocess, `alur analyze ...` as a person types it: this includes starting Python
  and importing the `alur` command: click, and — since each command's module is imported
  only when it runs — just `alur.analysis` and `alur.sop` (pydantic) for `analyze`.

Measured on the 2-core machine, quiet: subprocess 377 ms before the lazy commands (every
command's modules, the importers, renderers, rich and http/ssl through xml.sax.saxutils were
imported), 231 ms after; `python -X importtime -m alur.cli.main analyze ...` now spends about
150 ms importing, 113 ms of it in alur.sop (its findings/codes and pydantic).
"""

from __future__ import annotations

import io
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import redirect_stdout
from pathlib import Path

from alur.analysis import link_graph, standard_time, to_svg, workload
from alur.cli.main import main
from alur.sop import load

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "library").glob("*.yaml"))
ARGS = ["analyze", *map(str, EXAMPLES), "--volume", "surat-ijin-cuti=120"]
ALUR = Path(sys.executable).with_name("alur")
TARGET_MS = 300


def timed(function: Callable[[], object], repeats: int) -> list[float]:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return times


def in_process() -> None:
    with redirect_stdout(io.StringIO()):
        try:
            main(ARGS, standalone_mode=False)
        except SystemExit as stop:  # pragma: no cover - the examples all load
            if stop.code:
                raise


def analysis_only() -> None:
    sops = [s for s in (load(p).sop for p in EXAMPLES) if s is not None]
    pairs = [(s, standard_time(s)) for s in sops]
    workload(pairs, {s.id: 120 for s in sops})
    to_svg(link_graph(sops))


def subprocess_run() -> None:
    subprocess.run([str(ALUR), *ARGS], check=True, capture_output=True)


def python_start() -> None:
    subprocess.run([sys.executable, "-c", "pass"], check=True, capture_output=True)


def report(name: str, times: list[float], target: float | None = None) -> None:
    median = statistics.median(times)
    verdict = "" if target is None else ("  ok" if median < target else "  OVER TARGET")
    print(f"{name:<46} median {median:7.1f} ms   best {min(times):7.1f} ms{verdict}")


if __name__ == "__main__":
    print(f"alur analyze of {len(EXAMPLES)} examples (target < {TARGET_MS} ms wall time)")
    in_process()  # warm: imports, file cache
    sops = [s for s in (load(p).sop for p in EXAMPLES) if s is not None]
    report("in process: the command", timed(in_process, 10), TARGET_MS)
    report("in process: loading + analysis + SVG map", timed(analysis_only, 10))
    standards = timed(lambda: [standard_time(s) for s in sops], 20)
    report("in process: standard_time of 28 loaded SOPs", standards)
    report("subprocess: python -c pass (interpreter start)", timed(python_start, 5))
    report("subprocess: alur analyze ...", timed(subprocess_run, 5), TARGET_MS)
