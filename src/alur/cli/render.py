"""`alur render` and `alur book`: the official documents, from SOP files."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, get_args

import click
from rich.console import Console
from rich.markup import escape
from rich.progress import Progress

from alur.i18n import N_, _, ngettext
from alur.render.formats import FORMATS
from alur.render.geometry import PageSetup, Paper
from alur.sop import check, load
from alur.sop.findings import Severity, has_errors
from alur.sop.model import Sop

from .report import print_findings
from .translated import argument, option

if TYPE_CHECKING:  # the BPMN writer (lxml) is imported only when BPMN is asked for
    from alur.render.bpmn import Dialect

# A progress bar for a number of items on a console (main._progress; tests pass their own).
ProgressFactory = Callable[[int, Console], Progress]
# The files named on the command line, each checked to exist (main._existing).
ExistingPaths = Callable[[tuple[str, ...]], list[Path]]


def _setup(paper: Paper, portrait: bool) -> PageSetup:
    return PageSetup(paper=paper, landscape=not portrait)


def _target(sop: Sop, extension: str, output: Path | None, single: bool) -> Path | None:
    """Where one rendered SOP goes: the named file, a file in the named folder, stdout
    (None) for one text document without -o, else the current folder."""
    if output is not None and single and output.suffix:
        return output
    if output is not None:
        output.mkdir(parents=True, exist_ok=True)
        return output / f"{sop.id}.{extension}"
    return Path(f"{sop.id}.{extension}")


def render_files(paths: list[Path], fmt: str, output: Path | None, setup: PageSetup,
                 console: Console, progress_factory: ProgressFactory, *,
                 dialect: Dialect = "camunda7") -> int:
    from alur.render.layout import layout

    chosen = FORMATS[fmt]
    make = chosen.make
    if fmt == "bpmn":  # the engine whose expression language the conditions are written in
        from alur.render.bpmn import to_bpmn

        make = functools.partial(to_bpmn, dialect=dialect)
    failed = 0
    single = len(paths) == 1
    with progress_factory(len(paths), console) as progress:
        task = progress.add_task(_("Rendering"), total=len(paths))
        for path in paths:
            loaded = load(path)
            progress.advance(task)
            if loaded.sop is None:
                print_findings(console, loaded.findings)
                failed += 1
                continue
            sop = loaded.sop
            if has_errors(check(sop)):
                console.print(f"[yellow]{escape(Severity.WARNING.label)}[/] " + _(
                    "{path}: the SOP still has errors (see `alur check`); the document is made "
                    "anyway.").format(path=path))
            content = make(sop, layout(sop, setup))
            to_stdout = output is None and single and not chosen.binary
            if to_stdout:
                sys.stdout.write(content if isinstance(content, str) else "")
                continue
            target = _target(sop, chosen.extension, output, single)
            assert target is not None
            if isinstance(content, str):
                target.write_text(content, encoding="utf-8")
            else:
                target.write_bytes(content)
            console.print(_("Written: {path}").format(path=target))
    return failed


def book(folder: Path, output: Path, title: str, setup: PageSetup, console: Console,
         progress_factory: ProgressFactory) -> int:
    from alur.render.book import book_html
    from alur.render.pdf import html_to_pdf

    files = sorted(list(folder.glob("*.yaml")) + list(folder.glob("*.yml")) +
                   list(folder.glob("*.json")))
    sops: list[Sop] = []
    skipped = 0
    for path in files:
        loaded = load(path)
        if loaded.sop is None:
            skipped_label = escape(_("skipped"))
            console.print(f"[red]{skipped_label}[/] "
                          + _("{path}: the file cannot be read.").format(path=path))
            print_findings(console, loaded.findings)
            skipped += 1
        else:
            sops.append(loaded.sop)
    if not sops:
        console.print(_("alur: there are no SOP files in '{folder}'.").format(folder=folder))
        return 1
    with progress_factory(len(sops), console) as progress:
        task = progress.add_task(_("Laying out"), total=len(sops))
        document = book_html(sops, setup, title=title,
                             on_layout=lambda _: progress.advance(task))
    with console.status(_("Making the PDF…")):
        pdf = html_to_pdf(document)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(pdf)
    count = ngettext("{count} SOP", "{count} SOPs", len(sops)).format(count=len(sops))
    if skipped:
        line = _("Written: {path} ({sops}, {skipped} skipped)")
    else:
        line = _("Written: {path} ({sops})")
    console.print(line.format(path=output, sops=count, skipped=skipped))
    return 1 if skipped else 0


def register(main: click.Group, existing: ExistingPaths, progress_factory: ProgressFactory,
             context: dict[str, Any]) -> None:
    @main.command("render", context_settings=context, help=N_(
        "Make the official SOP documents: identity sheet and flowchart (PDF, Word, Excel, SVG, "
        "HTML), BPMN 2.0 or Mermaid.\n\n"
        "Without -o, a single SOP in a text format (svg, html, bpmn, mermaid) is printed to "
        "stdout; otherwise <id>.<extension> files are written in this folder."))
    @argument("files", nargs=-1, required=True, metavar=N_("FILE..."))
    @option("-f", "--format", "fmt", type=click.Choice(list(FORMATS)), default="pdf",
            show_default=True, help=N_("Document format."))
    @option("-o", "--output", type=click.Path(path_type=Path),
            help=N_("Target file (one SOP) or target folder (several SOPs)."))
    @option("--paper", type=click.Choice(get_args(Paper)), default="a4", show_default=True,
            help=N_("Paper size (F4 = Folio 215×330 mm)."))
    @option("--portrait", is_flag=True, help=N_("Portrait, not landscape."))
    @option("--bpmn-dialect", "dialect", type=click.Choice(["camunda7", "camunda8", "spiff"]),
            default="camunda7", show_default=True,
            help=N_("BPMN only: the engine whose expression language the decision conditions "
                    "are written in (Camunda 7, Camunda 8 / Zeebe, SpiffWorkflow)."))
    def render_command(files: tuple[str, ...], fmt: str, output: Path | None, paper: Paper,
                       portrait: bool, dialect: Dialect) -> None:
        paths = existing(files)
        console = Console(stderr=True, highlight=False)
        failed = render_files(paths, fmt, output, _setup(paper, portrait), console,
                              progress_factory, dialect=dialect)
        if failed:
            raise SystemExit(1)

    @main.command("book", context_settings=context, help=N_(
        "Make a unit's SOP book: cover, list of SOPs, then every SOP, with page numbers."))
    @argument("folder", type=click.Path(file_okay=False, path_type=Path),
              metavar=N_("FOLDER"))
    # The defaults are the book's Indonesian file name and title: the book stays Indonesian.
    @option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
            default=Path("buku-sop.pdf"), show_default=True, help=N_("Target PDF file."))
    @option("--title", default="Buku SOP", show_default=True, help=N_("Cover title."))
    @option("--paper", type=click.Choice(get_args(Paper)), default="a4", show_default=True)
    @option("--portrait", is_flag=True, help=N_("Portrait, not landscape."))
    def book_command(folder: Path, output: Path, title: str, paper: Paper,
                     portrait: bool) -> None:
        if not folder.is_dir():
            click.echo(_("alur: folder '{folder}' not found.").format(folder=folder), err=True)
            raise SystemExit(2)
        console = Console(stderr=True, highlight=False)
        if book(folder, output, title, _setup(paper, portrait), console, progress_factory):
            raise SystemExit(1)
