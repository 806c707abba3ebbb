"""`alur notify` and `alur audit verify|anchor|export`: the jobs cron runs beside the web
application."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from alur.i18n import N_, _

from .translated import option
from .web import data_option, django_setup

if TYPE_CHECKING:  # Django is set up only inside the commands
    from alur.web.cases.audit import Problem


def register(main: click.Group, context: dict[str, Any]) -> None:

    @main.command("notify", context_settings=context, help=N_(
        "Send e-mail for new and overdue tasks (run it from cron every few minutes)."))
    @data_option
    def notify_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.notify import run

        result = run()
        click.echo(_("{overdue} overdue notification(s) recorded; {emails} e-mail(s) sent for "
                     "{notes} notification(s); {skipped} without an e-mail address.").format(
            overdue=result.overdue, emails=result.emails, notes=result.notifications,
            skipped=result.skipped_no_email))

    @main.group("audit", context_settings=context, help=N_(
        "Check the cases' tamper-evident event log."))
    def audit_group() -> None:
        pass

    @audit_group.command("verify", context_settings=context, help=N_(
        "Recompute every case's chain, replay its events against its task rows and fields, "
        "and check the cases against the ledger; exit 1 if anything was changed, inserted or "
        "removed."))
    @option("--anchor", "anchor_file", type=click.Path(dir_okay=False, path_type=Path),
            help=N_("A ledger head written by 'alur audit export': the ledger must still "
                    "hold it."))
    @data_option
    def verify_command(anchor_file: Path | None, data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.audit import verify
        from alur.web.cases.models import Case, Event

        problems = list(verify(anchor_file=anchor_file))
        for problem in problems:
            click.echo(_describe(problem), err=True)
        cases, events = Case.objects.count(), Event.objects.count()
        if problems:
            click.echo(_("{count} problem(s) found in {cases} case(s).").format(
                count=len(problems), cases=cases), err=True)
            raise SystemExit(1)
        click.echo(_("The log is intact: {events} event(s) in {cases} case(s).").format(
            events=events, cases=cases))

    @audit_group.command("anchor", context_settings=context, help=N_(
        "Anchor the heads of the cases that moved into the ledger (the background worker "
        "does it every few minutes)."))
    @data_option
    def anchor_command(data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.ledger import anchor

        block = anchor()
        if block is None:
            click.echo(_("No case moved since the last anchor."))
        else:
            click.echo(_("Ledger block {block}: {count} case(s) anchored.").format(
                block=block.seq, count=block.entries.count()))

    @audit_group.command("export", context_settings=context, help=N_(
        "Anchor, then write the ledger's head signed with the audit key (HMAC-SHA256) to "
        "FILE; keep it where the database admin cannot write."))
    @click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
    @data_option
    def export_command(file: Path, data_dir: Path | None) -> None:
        django_setup(data_dir)
        from alur.web.cases.ledger import export

        try:
            document = export(file)
        except OSError as error:
            raise click.ClickException(_("Cannot write {file}: {error}").format(
                file=file, error=error.strerror or error)) from error
        click.echo(_("Ledger head (block {block}) written to {file}.").format(
            block=document["block"], file=file))


def _describe(problem: Problem) -> str:
    if problem.block is not None:
        return _("ledger block {block}: {message}").format(block=problem.block,
                                                           message=problem.message)
    if not problem.case:
        return problem.message
    if problem.seq is None:
        return _("case {case}: {message}").format(case=problem.case, message=problem.message)
    return _("case {case}, {where}: {message}").format(
        case=problem.case, where=_("event {seq}").format(seq=problem.seq),
        message=problem.message)


def register_calendar(main: click.Group, context: dict[str, Any]) -> None:
    @main.command("calendar", context_settings=context, help=N_(
        "Show a year's working calendar proposals (national holidays, cuti bersama, Ramadan) "
        "and, with --save, store the cuti bersama and Ramadan dates for the admin to confirm."))
    @click.argument("year", type=click.IntRange(2000, 2100))
    @option("--save", is_flag=True, help=N_("Store the proposed cuti bersama and Ramadan."))
    @data_option
    def calendar_command(year: int, save: bool, data_dir: Path | None) -> None:
        from alur.engine.calendar import default_cuti_bersama, default_ramadan, national_holidays

        click.echo(_("National holidays {year} (from the holidays package):").format(year=year))
        for day, name in sorted(national_holidays(year).items()):
            click.echo(f"  {day:%d-%m-%Y}  {name}")
        leave = default_cuti_bersama(year)
        click.echo(_("Proposed cuti bersama:"))
        for day, name in leave.items():
            click.echo(f"  {day:%d-%m-%Y}  {name}")
        if not leave:
            click.echo("  " + _("(none known for this year; enter the decree's dates in the "
                               "admin)"))
        ramadan = default_ramadan(year)
        for start, end in ramadan:
            click.echo(_("Proposed Ramadan working hours: {start} to {end}").format(
                start=f"{start:%d-%m-%Y}", end=f"{end:%d-%m-%Y}"))
        if not save:
            return
        django_setup(data_dir)
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        from alur.web.cases.models import Holiday, RamadanPeriod

        added = 0
        for day, name in leave.items():
            _obj, created = Holiday.objects.get_or_create(
                date=day, defaults={"name": name, "kind": Holiday.Kind.CUTI_BERSAMA})
            added += created
        if ramadan:
            RamadanPeriod.objects.update_or_create(
                year=year, defaults={"start": ramadan[0][0], "end": ramadan[0][1]})
        click.echo(_("Saved: {added} new cuti bersama day(s); Ramadan {year}.").format(
            added=added, year=year))
