"""`alur serve` and `alur demo`: the web application on the embedded default."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from alur.i18n import N_, _, ngettext

from .translated import option

DEFAULT_LIBRARY = Path(__file__).resolve().parents[3] / "examples" / "library"


def django_setup(data_dir: Path | None) -> None:
    if data_dir is not None:
        os.environ["ALUR_DATA_DIR"] = str(data_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "alur.web.settings")
    import django

    django.setup()


def prepare(verbosity: int = 0) -> None:
    """Bring the database and the static files up to date (both are idempotent)."""
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=verbosity)
    call_command("collectstatic", interactive=False, verbosity=0)


def run_server(host: str, port: int, workers: int, jobs: bool = True) -> None:
    command = [sys.executable, "-m", "gunicorn", "alur.web.wsgi", "--bind", f"{host}:{port}",
               "--workers", str(workers), "--access-logfile", "-"]
    click.echo(_("alur is running at http://{host}:{port}/ (Ctrl+C to stop)").format(
        host=host, port=port))
    with job_worker(jobs):
        server = subprocess.Popen(command, env=os.environ.copy())
        # A service manager stops us with SIGTERM: pass it on, then stop the job worker too.
        signal.signal(signal.SIGTERM, lambda _signum, _frame: server.terminate())
        try:
            server.wait()
        except KeyboardInterrupt:  # Ctrl+C reached gunicorn as well; no traceback
            server.wait()


@contextlib.contextmanager
def job_worker(start: bool = True) -> Iterator[None]:
    """The background-job cluster (django-q2, alur.web.library.jobs) as a child process,
    started with the server and stopped with it, so one command runs everything. It runs in
    its own session: Ctrl+C reaches gunicorn only, and the cluster is then stopped with
    SIGTERM, which lets a running job finish its current file (a queued job stays queued
    in the database and runs at the next start)."""
    if not start:
        yield
        return
    from alur.web.library.jobs import ensure_schedules

    ensure_schedules()
    worker = subprocess.Popen([sys.executable, "-m", "django", "qcluster"],
                              env=os.environ.copy(), start_new_session=True)
    try:
        yield
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            worker.wait()


# Every command that opens the database takes the same option.
data_option = option(
    "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
    help=N_("Data folder (SQLite database, uploaded files). Default: ./data or "
            "ALUR_DATA_DIR."))


def register(main: click.Group, context: dict[str, Any]) -> None:

    @main.command("serve", context_settings=context, help=N_(
        "Run the web application (database migrations, then gunicorn)."))
    @data_option
    @option("--host", default="127.0.0.1", show_default=True)
    @option("--port", default=8000, show_default=True, type=int)
    @option("--workers", default=2, show_default=True, type=int)
    @option("--no-worker", is_flag=True, help=N_(
        "Do not start the background jobs here (run 'alur worker' once, separately)."))
    def serve_command(data_dir: Path | None, host: str, port: int, workers: int,
                      no_worker: bool) -> None:
        django_setup(data_dir)
        prepare()
        run_server(host, port, workers, jobs=not no_worker)

    @main.command("worker", context_settings=context, help=N_(
        "Run the background jobs alone (imports), e.g. beside several app processes started "
        "with 'serve --no-worker'."))
    @data_option
    def worker_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from django.core.management import call_command

        from alur.web.library.jobs import ensure_schedules

        ensure_schedules()
        click.echo(_("alur is running background jobs (Ctrl+C to stop)"))
        with contextlib.suppress(KeyboardInterrupt):
            call_command("qcluster")

    @main.command("demo", context_settings=context, help=N_(
        "Load the demo data (example SOPs, units, positions, one user per role) and run."))
    @data_option
    @option("--library", type=click.Path(file_okay=False, exists=True, path_type=Path),
            default=DEFAULT_LIBRARY, show_default=True, help=N_("Folder of SOP files."))
    @option("--password", help=N_("Password of every demo user (default: random)."))
    @option("--no-serve", is_flag=True, help=N_("Only load the demo data; do not run the server."))
    @option("--no-history", is_flag=True, help=N_(
        "Do not give the demo SOPs a year of example cases (their history is added once)."))
    @option("--port", default=8000, show_default=True, type=int)
    def demo_command(data_dir: Path | None, library: Path, password: str | None,
                     no_serve: bool, no_history: bool, port: int) -> None:
        django_setup(data_dir)
        prepare()
        from alur.web.signing.signers import ensure_demo_seal

        if ensure_demo_seal():  # before the demo's approvals queue their signing
            click.echo(_("Demo seal made (self-signed, not a certified electronic signature)."))
        from alur.web.demo import ROLES, load_demo

        result = load_demo(library, password)
        sops = ngettext("{count} new SOP loaded", "{count} new SOPs loaded",
                        result.sops).format(count=result.sops)
        units = ngettext("{count} work unit", "{count} work units",
                         result.units).format(count=result.units)
        click.echo(_("Demo data: {sops}, {units}.").format(sops=sops, units=units))
        for name in result.skipped:
            click.echo("  " + _("skipped (invalid file): {name}").format(name=name))
        if not no_history:
            from alur.web.demo_history import load_history

            history = load_history(result.sop_ids)
            if history.cases:
                click.echo(_(
                    "Example case history of the last 12 months: {cases} cases of {sops} "
                    "SOPs ({finished} finished, {running} running, {cancelled} cancelled), "
                    "in {seconds:.0f} s.").format(
                    cases=history.cases, sops=history.sops, finished=history.finished,
                    running=history.running, cancelled=history.cancelled,
                    seconds=history.seconds))
        click.echo(_("Log in with one of these accounts:"))
        for username, role, _full_name in ROLES:
            # Translators: keep the widths (:<10): they line the accounts up in columns.
            click.echo("  " + _("{role:<10} user: {username:<10} password: {password}").format(
                role=role, username=username, password=result.passwords[username]))
        if not no_serve:
            run_server("127.0.0.1", port, 2)
