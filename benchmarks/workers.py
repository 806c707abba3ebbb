"""What the benchmark scripts share for running one measurement per database in a child
process: the child prints one machine-readable line, the parent relays the rest.

Each database part runs in its own process because the settings read DATABASE_URL once, at
import; a crash or ^C in the child still lets the parent clean up its scratch database."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

RESULT = "RESULT "  # prefix of a worker's one machine-readable line


def report(result: dict) -> None:
    """In the child: hand the figures to the parent."""
    print(RESULT + json.dumps(result), flush=True)


def collect(command: list[str], env: dict[str, str], cwd: Path, label: str) -> dict:
    """In the parent: run the child, print its other lines prefixed with `label`, and return
    its figures; exit when it fails or reports nothing."""
    result = None
    with subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True,
                          cwd=cwd) as child:
        try:
            assert child.stdout is not None
            for line in child.stdout:
                if line.startswith(RESULT):
                    result = json.loads(line[len(RESULT):])
                else:
                    print(f"[{label}] {line}", end="", flush=True)
        finally:
            if child.poll() is None:
                child.kill()
    if child.returncode != 0 or result is None:
        raise SystemExit(f"{label} worker failed (exit {child.returncode})")
    return result
