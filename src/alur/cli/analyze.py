"""`alur analyze` and `alur links`: standard time, workload (ABK) and the Keterkaitan map of
SOP files, no database.

Figures shown to people are in the Indonesian number format (0,85; 1.250 jam); `--json` gives
plain numbers and `null` for what is unknown (an SOP without time standards is never zero).
Wrong input — a volume that is not a whole number, an unknown SOP id, a JKE of zero — is a
usage error (exit code 2) with a message saying what to write instead.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from alur.analysis import (
    DEFAULT_BANDS,
    DEFAULT_JKE_HOURS,
    GRADE_BANDS_NOTE,
    SopStandard,
    WorkloadRow,
    actor_key,
    format_hours,
    format_minutes,
    format_number,
    link_graph,
    name_key,
    standard_time,
    to_mermaid,
    to_svg,
    to_text,
    unknown,
    workload,
)
from alur.analysis.standard import MinuteRange
from alur.i18n import N_, _, ngettext
from alur.sop import load
from alur.sop.duration import DEFAULT_CALENDAR
from alur.sop.model import Sop

from .translated import argument, option

ExistingPaths = Callable[[tuple[str, ...]], list[Path]]

_WHOLE = re.compile(r"^\d+$")
_DECIMAL = re.compile(r"^\d+(?:[.,]\d+)?$")
_GROUPED = re.compile(r"^\d{1,3}(?:\.\d{3})+$")


def _pairs(values: tuple[str, ...], option_name: str) -> list[tuple[str, str]]:
    pairs = []
    for value in values:
        name, sep, number = value.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(
                _("'{value}' is not of the form NAME=NUMBER, e.g. surat-ijin-cuti=120.").format(
                    value=value), param_hint=option_name)
        pairs.append((name.strip(), number.strip()))
    return pairs


def _whole_number(name: str, text: str, option_name: str) -> int:
    if _WHOLE.match(text):
        return int(text)
    if text.startswith("-") and _WHOLE.match(text[1:]):
        message = _("The number for {name} is negative ({value}); write 0 or more.")
    else:
        message = _("The number for {name} is not a whole number: '{value}'. Write digits "
                    "only, without a thousands separator, e.g. 1250.")
    raise click.BadParameter(message.format(name=name, value=text), param_hint=option_name)


def _jke(_ctx: click.Context, _param: click.Parameter, text: str) -> float:
    text = text.strip()
    if _GROUPED.match(text):
        raise click.BadParameter(_(
            "'{value}' is ambiguous: write the hours without a thousands separator, e.g. "
            "1250.").format(value=text))
    if not _DECIMAL.match(text.lstrip("-")):
        raise click.BadParameter(_("'{value}' is not a number of hours, e.g. 1250.").format(
            value=text))
    hours = float(text.replace(",", "."))
    if hours <= 0:
        raise click.BadParameter(_("The effective working time must be more than 0 hours a "
                                   "year (e.g. 1250)."))
    return hours


def _load_all(paths: list[Path]) -> tuple[list[Sop], bool]:
    """The SOPs that load; whether some file could not be read (its findings go to stderr)."""
    sops: list[Sop] = []
    failed = False
    for path in paths:
        result = load(path)
        if result.sop is None:
            from rich.console import Console

            from .report import print_findings

            print_findings(Console(stderr=True, highlight=False), result.findings)
            failed = True
        else:
            sops.append(result.sop)
    return sops, failed


def _range_text(minutes: MinuteRange | None) -> str:
    if minutes is None:
        return unknown()
    low, high = (format_minutes(m, DEFAULT_CALENDAR) for m in (minutes.min, minutes.max))
    human = low if minutes.min == minutes.max else f"{low} – {high}"
    if minutes.max < 60:
        return human
    exact = format_number(minutes.max) if minutes.min == minutes.max else \
        f"{format_number(minutes.min)}–{format_number(minutes.max)}"
    in_minutes = _("{n} min").format(n=exact)
    return f"{human} ({in_minutes})"


def _print_standard(standard: SopStandard) -> None:
    click.echo(f"{standard.sop_id} — {standard.name}")
    click.echo("  " + _("Standard total: {total}").format(total=_range_text(standard.total)))
    if standard.critical_path and standard.total is not None:
        click.echo("  " + _("Critical path: steps {steps}").format(
            steps=" → ".join(str(n) for n in standard.critical_path)))
    if standard.rework_edges:
        click.echo("  " + _("Rework loops (not part of the standard): {loops}").format(
            loops=", ".join(f"{a} → {b}" for a, b in standard.rework_edges)))
    if standard.steps_without_time:
        click.echo("  " + _("Steps without a time standard (left out): {steps}").format(
            steps=", ".join(str(n) for n in standard.steps_without_time)))
    click.echo("  " + _("Time per actor:"))
    names = [a.name + (" " + _("(applicant)") if a.applicant else "") for a in standard.actors]
    width = max(map(len, names), default=0) + 2
    for name, actor in zip(names, standard.actors, strict=True):
        click.echo(f"    {name:<{width}}{_range_text(actor.minutes)}")


def _table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        cells = [cell.rjust(w) if i in right else cell.ljust(w)
                 for i, (cell, w) in enumerate(zip(row, widths, strict=True))]
        lines.append("  " + "  ".join(cells).rstrip())
    lines.insert(1, "  " + "  ".join("-" * w for w in widths))
    return lines


def _workload_cells(row: WorkloadRow, with_people: bool) -> list[str]:
    if row.minutes is None:
        load_text = unknown()
    else:
        load_text = format_hours(row.minutes.end(row.upper))
        if row.minutes.min != row.minutes.max:
            load_text += f" ({format_hours(row.minutes.min)} – {format_hours(row.minutes.max)})"
    staff = row.staff_needed
    cells = [row.actor, load_text, unknown() if staff is None else format_number(staff, 2)]
    if with_people:
        ej = row.ej
        cells += ["–" if row.people is None else format_number(row.people),
                  "–" if ej is None else format_number(ej, 2), row.grade() or "–"]
    return cells


def _print_workload(rows: list[WorkloadRow], volumes: dict[str, int], sops: list[Sop],
                    jke_hours: float, upper: bool, with_people: bool) -> None:
    click.echo(_("Workload per actor (JKE {jke} a year; a range uses its {end})").format(
        jke=format_hours(jke_hours * 60),
        end=_("upper end") if upper else _("lower end")))
    if not volumes:
        click.echo("  " + _("No yearly volume given (--volume ID=N): no workload computed."))
        return
    click.echo("  " + _("Yearly volume: {volumes}").format(volumes=", ".join(
        f"{sop_id} {format_number(n)}" for sop_id, n in volumes.items())))
    without = [s.id for s in sops if s.id not in volumes]
    if without:
        click.echo("  " + ngettext("{n} SOP without a volume is not counted.",
                                   "{n} SOPs without a volume are not counted.",
                                   len(without)).format(n=len(without)))
    header = [_("Actor"), _("Workload a year"), _("Staff needed")]
    if with_people:
        header += [_("People"), _("EJ"), _("Grade")]
    right = {2, 3, 4} if with_people else {2}
    for line in _table(header, [_workload_cells(r, with_people) for r in rows], right):
        click.echo(line)
    lacking = sorted({x for r in rows for x in r.steps_without_time})
    if lacking:
        click.echo("  " + _("Steps without a time standard are left out: {steps}").format(
            steps=", ".join(f"{sop} {step}" for sop, step in lacking)))
    if with_people:
        click.echo("  " + _(GRADE_BANDS_NOTE))
    else:
        click.echo("  " + _("EJ and grade need the number of people holding each position: "
                            "--people NAME=N."))
    click.echo("  " + _("Only the work written in these SOPs is counted."))


def _json(standards: list[SopStandard], rows: list[WorkloadRow], volumes: dict[str, int],
          jke_hours: float, upper: bool) -> dict[str, Any]:
    def minutes(value: MinuteRange | None) -> dict[str, int] | None:
        return None if value is None else value.as_dict()

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 4)

    return {
        "sops": [{
            "id": s.sop_id,
            "name": s.name,
            "total_minutes": minutes(s.total),
            "critical_path": list(s.critical_path) if s.total is not None else [],
            "actor_minutes": {a.name: minutes(a.minutes) for a in s.actors},
            "applicants": [a.name for a in s.actors if a.applicant],
            "steps_without_time": list(s.steps_without_time),
            "rework_loops": [list(edge) for edge in s.rework_edges],
        } for s in standards],
        "workload": [{
            "actor": r.actor,
            "minutes_per_year": r.minutes_per_year,
            "minutes_per_year_range": minutes(r.minutes),
            "staff_needed": rounded(r.staff_needed),
            "people": r.people,
            "ej": rounded(r.ej),
            "grade": r.grade(),
            "sops": list(r.sops),
            "steps_without_time": [{"sop": sop, "step": step}
                                   for sop, step in r.steps_without_time],
        } for r in rows],
        "volumes": volumes,
        "jke_hours": jke_hours,
        "range_end": "max" if upper else "min",
        "grade_bands": [{"grade": b.grade, "above": b.above, "inclusive": b.inclusive}
                        for b in DEFAULT_BANDS],
        "grade_bands_note": _(GRADE_BANDS_NOTE),
    }


def register(main: click.Group, existing: ExistingPaths, context: dict[str, Any]) -> None:

    @main.command("analyze", context_settings=context, help=N_(
        "Standard time and workload (Analisis Beban Kerja) of SOP files: per SOP the standard "
        "total (the longest route through the flow, loops left out), the critical path and "
        "the time per actor; then the yearly workload per actor for the SOPs given a volume. "
        "Exits with code 1 when a file cannot be read."))
    @argument("files", nargs=-1, required=True, metavar=N_("FILE..."))
    @option("--volume", "volume_args", multiple=True, metavar="ID=N",
            help=N_("Yearly volume of an SOP (cases a year), by its id; repeatable."))
    @option("--people", "people_args", multiple=True, metavar="NAME=N",
            help=N_("People holding a position (the actor's name), for EJ and grade; "
                    "repeatable."))
    @option("--jke-hours", "jke_hours", default=format(DEFAULT_JKE_HOURS, "g"),
            show_default=True, callback=_jke, metavar="H",
            help=N_("Effective working time a year in hours (JKE)."))
    @option("--lower-end", is_flag=True,
            help=N_("Use the lower end of time ranges (default: the upper end)."))
    @option("--json", "as_json", is_flag=True, help=N_("Print the figures as JSON."))
    def analyze_command(files: tuple[str, ...], volume_args: tuple[str, ...],
                        people_args: tuple[str, ...], jke_hours: float, lower_end: bool,
                        as_json: bool) -> None:
        volume_pairs = _pairs(volume_args, "'--volume'")
        people_pairs = _pairs(people_args, "'--people'")
        volumes = {sop_id: _whole_number(sop_id, n, "'--volume'") for sop_id, n in volume_pairs}
        sops, failed = _load_all(existing(files))
        ids = {s.id for s in sops}
        unknown_ids = [i for i in volumes if i not in ids]
        if unknown_ids:
            raise click.BadParameter(_("No SOP with the id {ids} among the files given.").format(
                ids=", ".join(f"'{i}'" for i in unknown_ids)), param_hint="'--volume'")
        keys = {actor_key(s, a) for s in sops for a in s.actors if not a.applicant}
        people: dict[str, int] = {}
        for name, n in people_pairs:
            key = name_key(name)
            if key not in keys:
                raise click.BadParameter(_("No actor named '{name}' in the SOPs given.").format(
                    name=name), param_hint="'--people'")
            people[key] = _whole_number(name, n, "'--people'")
        standards = [standard_time(s) for s in sops]
        upper = not lower_end
        rows = workload(zip(sops, standards, strict=True), volumes, jke_hours=jke_hours,
                        upper=upper, people=people)
        if as_json:
            click.echo(json.dumps(_json(standards, rows, volumes, jke_hours, upper),
                                  ensure_ascii=False, indent=2))
        else:
            click.echo(_("Standard time (a working day is {day})").format(
                day=format_hours(DEFAULT_CALENDAR.unit_minutes("hari"))))
            click.echo()
            for standard in standards:
                _print_standard(standard)
                click.echo()
            _print_workload(rows, volumes, sops, jke_hours, upper, bool(people))
        if failed:
            raise SystemExit(1)

    @main.command("links", context_settings=context, help=N_(
        "The Keterkaitan map of the SOP files in a folder: which SOP calls or names which "
        "('calls', 'related', 'Lanjutan SOP ...' in notes), and the names that match no SOP "
        "(broken links)."))
    @argument("folder", metavar=N_("FOLDER"),
              type=click.Path(exists=True, file_okay=False, path_type=Path))
    @option("-f", "--format", "fmt", type=click.Choice(["text", "svg", "mermaid"]),
            default="text", show_default=True, help=N_("Output format."))
    def links_command(folder: Path, fmt: str) -> None:
        paths = sorted(p for p in folder.iterdir() if p.is_file() and
                       p.suffix.lower() in (".yaml", ".yml", ".json") and
                       not p.name.startswith("."))
        sops, failed = _load_all(paths)
        graph = link_graph(sops)
        writers = {"text": to_text, "svg": to_svg, "mermaid": to_mermaid}
        click.echo(writers[fmt](graph), nl=False)
        if failed:
            raise SystemExit(1)
