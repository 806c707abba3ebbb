"""The `alur` command: file work that needs no database.

Exit codes: 0 success; 1 the work was done but the documents have errors (or nothing could be
read); 2 wrong usage (unknown option, missing file).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

from alur import __version__
from alur.importers import ImportResult, read_document
from alur.sop import CheckConfig, check, dump, dumps_json, dumps_yaml, load
from alur.sop.fileformat import to_json_data
from alur.sop.findings import Finding, Severity, has_errors
from alur.sop.model import Sop

from .render import register as register_render
from .report import print_findings, summary
from .show import show
from .web import register as register_web

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False)


def _existing(paths: tuple[str, ...]) -> list[Path]:
    """Check files first, so a typo in the 20th name stops nothing half-way."""
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        for path in missing:
            kind = "adalah folder, bukan berkas" if Path(path).is_dir() else "tidak ditemukan"
            click.echo(f"alur: '{path}' {kind}.", err=True)
        raise SystemExit(2)
    return [Path(p) for p in paths]


def _progress(total: int, console: Console) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=console, transient=True,
                    disable=total < 2 or not console.is_terminal)


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "-V", "--version", prog_name="alur")
def main() -> None:
    """alur — SOP Administrasi Pemerintahan (Permenpan RB 35/2012) sebagai perangkat lunak.

    Impor dokumen SOP, periksa terhadap aturan, dan tampilkan. Berkas SOP berformat
    alur-sop/1 (YAML atau JSON).
    """


@main.command("import", context_settings=CONTEXT)
@click.argument("sources", nargs=-1, required=True, metavar="SUMBER...")
@click.option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
              help="Folder tujuan: satu berkas <id>.yaml per SOP.")
@click.option("--json", "as_json", is_flag=True,
              help='Cetak {"sops": [...], "findings": [...]} sebagai JSON ke stdout.')
@click.option("--force", is_flag=True, help="Timpa berkas yang sudah ada di folder tujuan.")
@click.option("-q", "--quiet", is_flag=True, help="Hanya tampilkan galat dan peringatan.")
def import_command(sources: tuple[str, ...], output: Path | None, as_json: bool, force: bool,
                   quiet: bool) -> None:
    """Impor dokumen SOP (teks/TSV hasil ekstraksi, HTML) menjadi berkas alur-sop/1.

    Setiap baris sumber menjadi langkah, bagian, atau temuan yang menyebut nomor barisnya.
    Tanpa -o dan --json, SOP dicetak sebagai YAML ke stdout dan temuan ke stderr.
    Keluar dengan kode 1 bila ada berkas yang tidak menghasilkan SOP.
    """
    paths = _existing(sources)
    err = _console(stderr=True)
    result = ImportResult()
    taken: set[str] = set()
    failed = 0
    with _progress(len(paths), err) as progress:
        task = progress.add_task("Mengimpor", total=len(paths))
        for path in paths:
            one = read_document(path, taken_ids=taken)
            failed += not one.sops
            result.extend(one)
            progress.advance(task)
    known = {s.id for s in result.sops}
    for sop in result.sops:
        result.findings.extend(check(sop, known_sops=known))

    if as_json:
        click.echo(json.dumps({
            "sops": [to_json_data(s, minutes=True) for s in result.sops],
            "findings": [f.model_dump(mode="json") for f in result.findings],
        }, ensure_ascii=False, indent=2))
    elif output is None:
        click.echo("".join(f"---\n{dumps_yaml(s)}" for s in result.sops), nl=False)
    if output is not None:
        written = _write_all(result, output, force, err)
        if written < 0:
            raise SystemExit(1)
    report = err if (as_json or output is None) else _console()
    print_findings(report, result.findings,
                   minimum=Severity.WARNING if quiet else Severity.INFO)
    report.print(f"{len(paths)} dokumen, {len(result.sops)} SOP; {summary(result.findings)}."
                 + (f" Ditulis ke {output}/." if output is not None else ""))
    if failed:
        raise SystemExit(1)


def _write_all(result: ImportResult, output: Path, force: bool, console: Console) -> int:
    output.mkdir(parents=True, exist_ok=True)
    targets = [(sop, output / f"{sop.id}.yaml") for sop in result.sops]
    existing = [t for _, t in targets if t.exists()]
    if existing and not force:
        for target in existing:
            console.print(f"alur: '{target}' sudah ada; pakai --force untuk menimpa.")
        return -1
    for sop, target in targets:
        dump(sop, target)
    return len(targets)


@main.command("check", context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True, metavar="BERKAS...")
@click.option("--max-actors", type=click.IntRange(1, 50), default=CheckConfig.max_actors,
              show_default=True, help="Jumlah pelaksana terbanyak sebelum diberi peringatan.")
@click.option("-q", "--quiet", is_flag=True, help="Hanya tampilkan galat.")
@click.option("--json", "as_json", is_flag=True, help="Cetak temuan sebagai JSON.")
def check_command(files: tuple[str, ...], max_actors: int, quiet: bool, as_json: bool) -> None:
    """Periksa berkas SOP terhadap aturan Permenpan RB 35/2012 dan format alur-sop/1.

    Keluar dengan kode 1 bila ada galat. SOP yang dipanggil ('calls') dicari di antara
    berkas yang diperiksa dan berkas lain di folder yang sama.
    """
    paths = _existing(files)
    config = CheckConfig(max_actors=max_actors)
    loaded = [(path, load(path)) for path in paths]
    known = {r.sop.id for _, r in loaded if r.sop is not None} | _sibling_ids(paths)
    findings: list[Finding] = []
    for path, result in loaded:
        if result.sop is None:
            findings.extend(result.findings)
            continue
        findings.extend(result.locate(check(result.sop, config, known_sops=known), str(path)))
    if as_json:
        click.echo(json.dumps([f.model_dump(mode="json") for f in findings],
                              ensure_ascii=False, indent=2))
    else:
        console = _console()
        print_findings(console, findings,
                       minimum=Severity.ERROR if quiet else Severity.INFO)
        console.print(f"{len(paths)} berkas diperiksa; {summary(findings)}.")
    if has_errors(findings):
        raise SystemExit(1)


def _sibling_ids(paths: list[Path]) -> set[str]:
    """Ids of other SOP files next to the ones checked, so `calls` may name them."""
    ids: set[str] = set()
    for folder in {p.parent for p in paths}:
        for candidate in list(folder.glob("*.yaml")) + list(folder.glob("*.json")):
            ids.add(candidate.stem)
    return ids


def _load_or_exit(path: str) -> Sop:
    (file,) = _existing((path,))
    result = load(file)
    if result.sop is None:
        print_findings(_console(stderr=True), result.findings)
        raise SystemExit(1)
    return result.sop


@main.command("export", context_settings=CONTEXT)
@click.option("-f", "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True, help="Format keluaran.")
@click.argument("file", metavar="BERKAS")
def export_command(fmt: str, file: str) -> None:
    """Cetak SOP dalam bentuk kanonik; JSON menambahkan 'minutes' (menit kerja) per langkah."""
    sop = _load_or_exit(file)
    if fmt == "json":
        click.echo(dumps_json(sop, minutes=True))
    else:
        click.echo(dumps_yaml(sop), nl=False)


@main.command("show", context_settings=CONTEXT)
@click.argument("file", metavar="BERKAS")
def show_command(file: str) -> None:
    """Tampilkan identitas SOP dan tabel langkahnya di terminal."""
    sop = _load_or_exit(file)
    show(_console(), sop)


register_render(main, _existing, _progress, CONTEXT)
register_web(main, CONTEXT)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
