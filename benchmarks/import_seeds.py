"""Speed of the foundation, run by hand: `.venv/bin/python benchmarks/import_seeds.py`.

Targets (issue 2): importing the four seeds and checking all 28 SOPs < 100 ms in-process after
start-up; `alur check` on one file < 300 ms wall time including interpreter start.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = sorted((ROOT / "tests" / "importers" / "fixtures" / "seeds").glob("*.txt"))
EXAMPLE = ROOT / "examples" / "library" / "surat-keluar.yaml"


def in_process(repeats: int = 30) -> list[float]:
    from alur.importers import import_paths

    import_paths(SEEDS)  # warm-up: imports, regex compilation, caches of the first run
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        result = import_paths(SEEDS)
        timings.append((time.perf_counter() - start) * 1000)
        assert len(result.sops) == 28
    return timings


def cli_check(repeats: int = 10) -> list[float]:
    command = [str(Path(sys.executable).with_name("alur")), "check", "-q", str(EXAMPLE)]
    timings = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        timings.append((time.perf_counter() - start) * 1000)
    return timings


def report(name: str, timings: list[float], target: float) -> None:
    median, worst = statistics.median(timings), max(timings)
    verdict = "OK" if median < target else "OVER TARGET"
    print(f"{name:<48} median {median:7.1f} ms  max {worst:7.1f} ms  "
          f"target < {target:.0f} ms  {verdict}")


if __name__ == "__main__":
    report("import 4 seeds + check 28 SOPs (in-process)", in_process(), 100)
    report("`alur check` one file (wall, incl. start-up)", cli_check(), 300)
