"""`alur serve` and `alur demo`: the web application on the embedded default."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import click

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


def run_server(host: str, port: int, workers: int) -> None:
    command = [sys.executable, "-m", "gunicorn", "alur.web.wsgi", "--bind", f"{host}:{port}",
               "--workers", str(workers), "--access-logfile", "-"]
    click.echo(f"alur berjalan di http://{host}:{port}/ (Ctrl+C untuk berhenti)")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C stops gunicorn; no traceback
        subprocess.run(command, check=False, env=os.environ.copy())


def register(main: click.Group, context: dict) -> None:
    data_option = click.option(
        "--data", "data_dir", type=click.Path(file_okay=False, path_type=Path),
        help="Folder data (basis data SQLite, berkas unggahan). Bawaan: ./data atau "
             "ALUR_DATA_DIR.")

    @main.command("serve", context_settings=context)
    @data_option
    @click.option("--host", default="127.0.0.1", show_default=True)
    @click.option("--port", default=8000, show_default=True, type=int)
    @click.option("--workers", default=2, show_default=True, type=int)
    def serve_command(data_dir: Path | None, host: str, port: int, workers: int) -> None:
        """Jalankan aplikasi web (migrasi basis data lalu gunicorn)."""
        django_setup(data_dir)
        prepare()
        run_server(host, port, workers)

    @main.command("demo", context_settings=context)
    @data_option
    @click.option("--library", type=click.Path(file_okay=False, exists=True, path_type=Path),
                  default=DEFAULT_LIBRARY, show_default=True, help="Folder berkas SOP.")
    @click.option("--password", help="Kata sandi semua pengguna demo (bawaan: acak).")
    @click.option("--no-serve", is_flag=True, help="Muat data demo saja, jangan jalankan server.")
    @click.option("--port", default=8000, show_default=True, type=int)
    def demo_command(data_dir: Path | None, library: Path, password: str | None,
                     no_serve: bool, port: int) -> None:
        """Muat data demo (SOP contoh, unit, jabatan, satu pengguna per peran) dan jalankan."""
        django_setup(data_dir)
        prepare()
        from alur.web.demo import ROLES, load_demo

        result = load_demo(library, password)
        click.echo(f"Data demo: {result.sops} SOP baru dimuat, {result.units} unit kerja.")
        for name in result.skipped:
            click.echo(f"  dilewati (berkas tidak valid): {name}")
        click.echo("Masuk dengan salah satu akun berikut:")
        for username, role, _ in ROLES:
            click.echo(f"  {role:<10} pengguna: {username:<10} kata sandi: "
                       f"{result.passwords[username]}")
        if not no_serve:
            run_server("127.0.0.1", port, 2)
