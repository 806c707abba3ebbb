"""What the benchmark scripts share for running one measurement per database in a child
process: the child prints one machine-readable line, the parent relays the rest.

Each database part runs in its own process because the settings read DATABASE_URL once, at
import; a crash or ^C in the child still lets the parent clean up its scratch database."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

RESULT = "RESULT "  # prefix of a worker's one machine-readable line
POSTGRES = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parents[1]


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


def run_in_scratch_store(script: str, db: str, label: str, arguments: list[str]) -> dict:
    """In the parent: run `script --worker DB ARGUMENTS...` on a store made and removed here
    (a temporary ALUR_DATA_DIR; on PostgreSQL also a database named after `label`), so a
    crash or ^C in the child still leaves nothing behind."""
    data_dir = tempfile.mkdtemp(prefix=f"alur-bench-{label}-{db}-")
    env = {**os.environ, "ALUR_DATA_DIR": data_dir, "DJANGO_SETTINGS_MODULE": "alur.web.settings",
           "ALLOWED_HOSTS": "testserver", "ALUR_DEBUG": ""}
    env.pop("DATABASE_URL", None)
    name = f"alur_bench_{label}_{os.getpid()}"
    created = False
    try:
        if db == "postgres":
            postgres(f"CREATE DATABASE {name}")
            created = True
            env["DATABASE_URL"] = f"{POSTGRES}/{name}"
        return collect([sys.executable, script, "--worker", db, *arguments], env, ROOT, db)
    finally:
        if created:
            postgres(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        shutil.rmtree(data_dir, ignore_errors=True)


def postgres(statement: str) -> None:
    """One statement on the server's maintenance database (creating, dropping databases)."""
    import psycopg

    with psycopg.connect(f"{POSTGRES}/postgres", autocommit=True) as connection:
        connection.execute(statement)
