"""The `alur` command: file work that needs no database.

Exit codes: 0 success; 1 the work was done but the documents have errors (or nothing could be
read); 2 wrong usage (unknown option, missing file).
"""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from alur import __version__
from alur.i18n import N_, _, ngettext

from .translated import Group, argument, option

# Each command's module is imported only when that command runs (or when the help lists
# them all): `alur analyze` need not load the importers, the renderers or Django.
if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress

    from alur.importers import ImportResult
    from alur.sop.model import Sop

# CheckConfig.max_actors, here so `alur check --help` need not import the checker
# (tests/cli checks that the two agree).
MAX_ACTORS = 6

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


def _console(stderr: bool = False) -> Console:
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


def _existing(paths: tuple[str, ...]) -> list[Path]:
    """Check files first, so a typo in the 20th name stops nothing half-way."""
    missing = [p for p in paths if not Path(p).is_file()]
    if missing:
        for path in missing:
            message = (_("alur: '{path}' is a folder, not a file.") if Path(path).is_dir() else
                       _("alur: '{path}' not found."))
            click.echo(message.format(path=path), err=True)
        raise SystemExit(2)
    return [Path(p) for p in paths]


def _sources(paths: tuple[str, ...]) -> list[Path]:
    """Files as named, and every importable document inside a named folder (recursively, in
    name order); a missing name or a folder without documents stops before any work."""
    from alur.importers import IMPORTABLE_SUFFIXES

    found: list[Path] = []
    problems = []
    for name in paths:
        path = Path(name)
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and
                            p.suffix.lower() in IMPORTABLE_SUFFIXES and
                            not p.name.startswith(("~$", ".")))
            if not inside:
                problems.append(_("alur: the folder '{path}' holds no document alur can "
                                  "import.").format(path=name))
            found.extend(inside)
        elif path.is_file():
            found.append(path)
        else:
            problems.append(_("alur: '{path}' not found.").format(path=name))
    for problem in problems:
        click.echo(problem, err=True)
    if problems:
        raise SystemExit(2)
    return found


def _progress(total: int, console: Console, *, pages: bool = False) -> Progress:
    """A bar on a terminal's stderr: for several files, and (`pages`) for the pages of one
    long file, which may be a single file."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                    console=console, transient=True,
                    disable=(total < 2 and not pages) or not console.is_terminal)


@contextmanager
def _pages_shown(progress: Progress, name: str) -> Iterator[None]:
    """A bar for the pages of `name` while a reader goes through them page by page (PDF,
    scans); nothing for documents read at once."""
    from alur.importers.progress import reporting

    bar: list[Any] = []

    def page(done: int, total: int) -> None:
        if not bar:
            bar.append(progress.add_task(_("{file}: pages").format(file=name[:30]), total=total))
        progress.update(bar[0], completed=done, total=total)

    with reporting(page):
        yield
    if bar:
        progress.remove_task(bar[0])


def _counted(documents: int, sops: int) -> tuple[str, str]:
    """The counts as a summary line names them: ('4 dokumen', '28 SOP')."""
    return (ngettext("{count} document", "{count} documents", documents).format(count=documents),
            ngettext("{count} SOP", "{count} SOPs", sops).format(count=sops))


class _LazyGroup(Group):
    """The `alur` group: commands of other modules (`_LAZY`) are added when first asked for —
    to run one, or to list them all in the help."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(self.commands) | set(_LAZY))

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in _LAZY:
            _LAZY[cmd_name](self)
        return self.commands.get(cmd_name)


# Help texts are msgids, translated when shown (see .translated): the language is not known
# yet when click builds the commands.
@click.group(cls=_LazyGroup, context_settings=CONTEXT, help=N_(
    "alur — Government Administration SOPs (Permenpan RB 35/2012) as software.\n\n"
    "Import SOP documents, check them against the rules, and show them. SOP files are in the "
    "alur-sop/1 format (YAML or JSON)."))
@click.version_option(__version__, "-V", "--version", prog_name="alur")
def main() -> None:
    """The `alur` command (its help is the msgid above)."""


@main.command("import", context_settings=CONTEXT, help=N_(
    "Import SOP documents into alur-sop/1 files: Word (.docx, .doc, .odt), Excel (.xlsx, "
    ".xls, .ods) with their drawn flowcharts, BPMN, Mermaid, Markdown, HTML and extracted "
    "text/TSV; a folder is searched for them recursively.\n\n"
    "Every source row becomes a step, a section, or a finding that names its place (line, "
    "table and row, sheet and cell). "
    "Without -o and --json, the SOPs are printed as YAML to stdout and the findings to stderr. "
    "Exits with code 1 when a file yields no SOP."))
@argument("sources", nargs=-1, required=True, metavar=N_("SOURCE..."))
@option("-o", "--output", "output", type=click.Path(file_okay=False, path_type=Path),
        help=N_("Target folder: one <id>.yaml file per SOP."))
@option("--json", "as_json", is_flag=True,
        help=N_('Print {"sops": [...], "findings": [...]} as JSON to stdout.'))
@option("--force", is_flag=True, help=N_("Overwrite files already in the target folder."))
@option("-q", "--quiet", is_flag=True, help=N_("Show only errors and warnings."))
@option("--ocr/--no-ocr", "ocr", default=True, show_default=True,
        help=N_("Read scanned pages (PDF without text, images) with Tesseract OCR."))
def import_command(sources: tuple[str, ...], output: Path | None, as_json: bool, force: bool,
                   quiet: bool, ocr: bool) -> None:
    from alur.importers import ImportResult, read_document
    from alur.sop import check, dumps_yaml
    from alur.sop.fileformat import to_json_data
    from alur.sop.findings import Severity

    from .report import print_findings, summary

    paths = _sources(sources)
    err = _console(stderr=True)
    result = ImportResult()
    taken: set[str] = set()
    failed = 0
    with _progress(len(paths), err, pages=True) as progress:
        task = progress.add_task(_("Importing"), total=len(paths), visible=len(paths) > 1)
        for path in paths:
            progress.update(task, description=path.name[:40])
            with _pages_shown(progress, path.name):
                one = read_document(path, taken_ids=taken, ocr=ocr)
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
    documents, sops = _counted(len(paths), len(result.sops))
    if output is None:
        line = _("{documents}, {sops}; {summary}.")
    else:
        line = _("{documents}, {sops}; {summary}. Written to {folder}/.")
    report.print(line.format(documents=documents, sops=sops, summary=summary(result.findings),
                             folder=output))
    if failed:
        raise SystemExit(1)


def _write_all(result: ImportResult, output: Path, force: bool, console: Console) -> int:
    from alur.sop import dump

    output.mkdir(parents=True, exist_ok=True)
    targets = [(sop, output / f"{sop.id}.yaml") for sop in result.sops]
    existing = [t for _, t in targets if t.exists()]
    if existing and not force:
        for target in existing:
            console.print(_("alur: '{path}' already exists; use --force to overwrite.").format(
                path=target))
        return -1
    for sop, target in targets:
        dump(sop, target)
    return len(targets)


@main.command("check", context_settings=CONTEXT, help=N_(
    "Check SOP files against the rules of Permenpan RB 35/2012 and the alur-sop/1 format.\n\n"
    "Exits with code 1 when there are errors. Called SOPs ('calls') are looked for among the "
    "files checked and the other files in the same folders."))
@argument("files", nargs=-1, required=True, metavar=N_("FILE..."))
@option("--max-actors", type=click.IntRange(1, 50), default=MAX_ACTORS,
        show_default=True, help=N_("The most actors before a warning is given."))
@option("-q", "--quiet", is_flag=True, help=N_("Show only errors."))
@option("--json", "as_json", is_flag=True, help=N_("Print the findings as JSON."))
def check_command(files: tuple[str, ...], max_actors: int, quiet: bool, as_json: bool) -> None:
    from alur.sop import CheckConfig, check, load
    from alur.sop.findings import Finding, Severity, has_errors

    from .report import print_findings, summary

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
        console.print(ngettext("{count} file checked; {summary}.",
                               "{count} files checked; {summary}.", len(paths)).format(
                                   count=len(paths), summary=summary(findings)))
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
    from alur.sop import load

    from .report import print_findings

    (file,) = _existing((path,))
    result = load(file)
    if result.sop is None:
        print_findings(_console(stderr=True), result.findings)
        raise SystemExit(1)
    return result.sop


@main.command("export", context_settings=CONTEXT, help=N_(
    "Print an SOP in canonical form; JSON adds 'minutes' (working minutes) to every step."))
@option("-f", "--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
        show_default=True, help=N_("Output format."))
@argument("file", metavar=N_("FILE"))
def export_command(fmt: str, file: str) -> None:
    from alur.sop import dumps_json, dumps_yaml

    sop = _load_or_exit(file)
    if fmt == "json":
        click.echo(dumps_json(sop, minutes=True))
    else:
        click.echo(dumps_yaml(sop), nl=False)


@main.command("show", context_settings=CONTEXT, help=N_(
    "Show an SOP's identity sheet and its table of steps in the terminal."))
@argument("file", metavar=N_("FILE"))
def show_command(file: str) -> None:
    from .show import show

    sop = _load_or_exit(file)
    show(_console(), sop)


def _register(module: str, function: str, *args: Any) -> Callable[[click.Group], None]:
    """Adds the commands of `alur.cli.<module>` to the group, importing it then."""
    def load(group: click.Group) -> None:
        getattr(importlib.import_module(f"alur.cli.{module}"), function)(group, *args)
    return load


# Command name → what adds it (with its siblings from the same module).
_LAZY: dict[str, Callable[[click.Group], None]] = {
    **dict.fromkeys(("render", "book"), _register("render", "register", _existing, _progress,
                                                  CONTEXT)),
    **dict.fromkeys(("serve", "worker", "demo"), _register("web", "register", CONTEXT)),
    **dict.fromkeys(("notify", "audit"), _register("cases", "register", CONTEXT)),
    "calendar": _register("cases", "register_calendar", CONTEXT),
    "rebuild-reports": _register("reports", "register", CONTEXT),
    **dict.fromkeys(("verify", "sign"), _register("signing", "register", CONTEXT)),
    **dict.fromkeys(("analyze", "links"), _register("analyze", "register", _existing,
                                                    CONTEXT)),
}



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
